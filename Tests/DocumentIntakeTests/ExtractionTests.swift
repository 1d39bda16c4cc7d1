import Testing

@testable import DocumentIntake

@Suite("Figure and date extraction")
struct ExtractionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let figure: String
        let kind: ExtractedFigure.Kind
        let value: Double
        let unit: String
        let qualifier: ExtractedFigure.Qualifier
        let subject: String?
        var upper: Double? = nil
        var testDescription: String { figure }
    }

    @Test(
        "each kind of figure, with values computed by hand",
        arguments: [
            Case(
                text: "公布了45个国家级集群。", figure: "45个", kind: .count, value: 45, unit: "个", qualifier: .exact,
                subject: "国家级集群"),
            Case(
                text: "主导产业产值超过19万亿元。", figure: "19万亿元", kind: .amount, value: 1.9e13, unit: "CNY",
                qualifier: .moreThan, subject: "主导产业产值"),
            Case(
                text: "产值2.1万亿元", figure: "2.1万亿元", kind: .amount, value: 2.1e12, unit: "CNY", qualifier: .exact,
                subject: "产值"),
            Case(
                text: "占全部创新中心的70%。", figure: "70%", kind: .share, value: 0.7, unit: "share", qualifier: .exact,
                subject: "全部创新中心"),
            Case(
                text: "约占2/3。", figure: "2/3", kind: .share, value: 2.0 / 3, unit: "share", qualifier: .approximately,
                subject: nil),
            Case(
                text: "拥有载体1700余家。", figure: "1700余家", kind: .count, value: 1700, unit: "家", qualifier: .atLeast,
                subject: "拥有载体"),
            Case(
                text: "共1,700家企业", figure: "1,700家", kind: .count, value: 1700, unit: "家", qualifier: .exact,
                subject: "企业"),
            Case(
                text: "公示期为5至7个工作日", figure: "5至7个", kind: .range, value: 5, unit: "个", qualifier: .exact,
                subject: "工作日", upper: 7),
            Case(
                text: "占三分之二。", figure: "三分之二", kind: .share, value: 2.0 / 3, unit: "share", qualifier: .exact,
                subject: nil),
            Case(text: "决赛两个阶段", figure: "两个", kind: .count, value: 2, unit: "个", qualifier: .exact, subject: "阶段"),
            Case(
                text: "补助不超过2000万元", figure: "2000万元", kind: .amount, value: 2e7, unit: "CNY", qualifier: .atMost,
                subject: "补助"),
            Case(
                text: "2021年产值", figure: "2021年", kind: .year, value: 2021, unit: "year", qualifier: .exact,
                subject: nil),
            Case(
                text: "在30多个国家", figure: "30多个", kind: .count, value: 30, unit: "个", qualifier: .atLeast, subject: "国家"),
            Case(text: "企业5家以上", figure: "5家", kind: .count, value: 5, unit: "家", qualifier: .atLeast, subject: nil),
        ])
    func figure(_ c: Case) throws {
        let found = FigureExtractor().figures(in: c.text).figures
        #expect(found.count == 1, "found \(found.map(\.text))")
        let f = try #require(found.first)
        #expect(f.text == c.figure)
        #expect(f.kind == c.kind)
        #expect(abs(f.value - c.value) < 1e-9 * max(1, c.value))
        #expect(f.unit == c.unit)
        #expect(f.qualifier == c.qualifier)
        #expect(f.upper == c.upper)
        if let subject = c.subject { #expect(f.subject == subject) }
    }

    @Test(
        "not figures: ordinals, document numbers, codes, phone numbers, 零部件, a lone 一",
        arguments: [
            "第3批集群", "工信部规函〔2024〕372号", "GB2312编码", "电话010-68205000", "零部件企业", "打造一个集群", "5G网络",
        ])
    func notFigures(text: String) {
        #expect(FigureExtractor().figures(in: text).figures.isEmpty)
    }

    @Test("dates as precise as written; a month and day take the year last mentioned")
    func dates() {
        let (_, dates) = FigureExtractor().figures(in: "2022年11月30日公布，2025年6月成立，2024-12-17转载；同年4月28日发布。")
        #expect(dates.map(\.date) == ["2022-11-30", "2025-06", "2024-12-17", "2024-04-28"])
        #expect(dates[0].text == "2022年11月30日")
    }
}
