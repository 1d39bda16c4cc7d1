import Testing

@testable import DocumentIntake

private func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

@Suite("Repair steps")
struct RepairStepTests {
    let data = IntakeData.shared

    @Test("boilerplate: scripts, navigation, related lists and copyright go; headline and body stay")
    func boilerplateHTML() {
        let page = """
            <html><head><title>集群名单公布_某某网</title><script>var a = "<p>不是正文</p>";</script></head><body>
            <nav><a href="/">首頁</a> | <a href="/n">新聞</a></nav>
            <article><h1>集群名单公布</h1><p>工业和信息化部公布了&nbsp;名单。</p><p>第二段&amp;结尾。</p></article>
            <div><h3>相關(guān)新聞</h3><ul><li>另一条新闻</li><li>又一条</li></ul></div>
            <footer>版权所有 某某网</footer><p>Copyright 2025 某某网</p></body></html>
            """
        let result = Boilerplate(data: data).run(scalars(page))
        #expect(result.string == "集群名单公布\n工业和信息化部公布了 名单。\n第二段&结尾。")
        let reasons = result.repairs.map(\.reason)
        #expect(reasons.contains("<script> element is page furniture"))
        #expect(!result.string.contains("不是正文"))
        #expect(reasons.contains("<nav> element is page furniture"))
        #expect(reasons.contains("\"相关新闻\" list heading"))
        #expect(reasons.filter { $0 == "item of a \"相关新闻\" list" }.count == 2)
        #expect(reasons.contains { $0.hasPrefix("page furniture line (Copyright") })
    }

    @Test("boilerplate: plain text keeps its paragraphs and loses editor, tag and navigation lines")
    func boilerplatePlain() {
        let text = "标题\n首页 > 新闻 > 正文\n第一段。\n\n责任编辑：张华\n标签：集群 政策\n第二段（记者 王政）。"
        let result = Boilerplate(data: data).run(scalars(text))
        #expect(result.string == "标题\n第一段。\n第二段（记者 王政）。")
        #expect(result.repairs.count == 3)
        #expect(result.repairs[0].offset == 3)
    }

    @Test(
        "pinyin: annotations that read the character before go; real parentheses stay",
        arguments: [
            ("45個(gè)國家級(jí)集群", "45個國家級集群"),
            ("19個省(自治區、直轄市)", "19個省(自治區、直轄市)"),
            ("報道(记者 王政)", "報道(记者 王政)"),
            ("人工智能(AI)", "人工智能(AI)"),
            ("個(hǎo)", "個(hǎo)"),
            ("的(de)集群", "的集群"),
            ("(gè)開頭", "(gè)開頭"),
            ("環(huán)球（qiú）", "環球"),
        ])
    func pinyin(input: String, expected: String) {
        let result = PinyinAnnotations(data: data).run(scalars(input))
        #expect(result.string == expected)
        #expect(result.repairs.count == (input == expected ? 0 : input.filter { $0 == "(" || $0 == "（" }.count))
    }

    @Test("mojibake: the lost lead byte of 省 is realigned and restored from the phrase lexicon")
    func mojibakeExample() {
        let damaged = "45個國家級集群涉及19個?。ㄗ灾螀^、直轄市)"
        let result = Mojibake(data: data).run(scalars(damaged))
        #expect(result.string == "45個國家級集群涉及19個省（自治區、直轄市)")
        #expect(result.repairs.count == 1)
        #expect(result.repairs[0].offset == 13)
        #expect(result.repairs[0].original == "?。ㄗ灾螀^")
        #expect(result.repairs[0].reason.contains("restored"))
    }

    @Test("mojibake: without evidence the lost character is marked □ and reported as uncertain")
    func mojibakeUncertain() {
        // 各地可設立 with the lead byte of 可 (0xBF of BFC9) lost: 可, 煽, 汕 … all complete some word.
        let result = Mojibake(data: data).run(scalars("各地?稍O立集羣"))
        #expect(result.string == "各地□設立集羣")
        #expect(result.repairs.first?.reason.contains("uncertain") == true)
    }

    @Test("mojibake: a lost lead byte whose second byte is ASCII is restored from its pinyin or phrase")
    func mojibakeASCIITrail() {
        // 發 is 0xB06C in GBK: losing 0xB0 leaves "?l".
        let withReading = Mojibake(data: data).run(scalars("集羣?l(fā)展"))
        #expect(withReading.string == "集羣發(fā)展")
        let withPhrase = Mojibake(data: data).run(scalars("合作協?h，涉及"))
        #expect(withPhrase.string.hasPrefix("合作協"))
        #expect(withPhrase.repairs.count == 1)
    }

    @Test("mojibake: a real question mark before ordinary text is left alone")
    func mojibakeRealQuestion() {
        let text = "这是为什么?我们认为集群发展很快。"
        let result = Mojibake(data: data).run(scalars(text))
        #expect(result.string == text)
        #expect(result.repairs.isEmpty)
    }

    @Test(
        "Traditional to Simplified: phrases before characters",
        arguments: [
            ("國家級集群", "国家级集群"),
            ("乾隆皇帝", "乾隆皇帝"),
            ("乾燥的天氣", "干燥的天气"),
            ("著名的一目瞭然", "著名的一目了然"),
            ("已是简体", "已是简体"),
        ])
    func simplify(input: String, expected: String) {
        #expect(Simplifier(data: data).run(scalars(input)).string == expected)
    }

    @Test("Traditional to Simplified: consecutive changes are one repair with its offset")
    func simplifyRepairs() {
        let result = Simplifier(data: data).run(scalars("工業和信息化部"))
        #expect(
            result.repairs == [
                Repair(step: .simplify, offset: 1, original: "業", replacement: "业", reason: "character table")
            ])
    }

    @Test(
        "clickbait prefixes go from the headline only",
        arguments: [
            ("天天短讯!工信部公布名单\n正文", "工信部公布名单\n正文"),
            ("环球资讯:工信部公布名单", "工信部公布名单"),
            ("热头条丨全球信息：名单", "名单"),
            ("今日快看！名单", "名单"),
            ("工业和信息化部：名单", "工业和信息化部：名单"),
            ("名单\n天天短讯!正文", "名单\n天天短讯!正文"),
        ])
    func clickbait(input: String, expected: String) {
        #expect(ClickbaitPrefixes(data: data).run(scalars(input)).string == expected)
    }

    @Test(
        "punctuation: ASCII marks in Chinese text become full width; numbers and English keep theirs",
        arguments: [
            ("集群,推动发展:加快;好!对吗?", "集群，推动发展：加快；好！对吗？"),
            ("报道(记者 王政)", "报道（记者 王政）"),
            ("1,700余家,10:30开会", "1,700余家，10:30开会"),
            ("Hello, world (test)", "Hello, world (test)"),
            ("占2/3(约67%)", "占2/3（约67%）"),
        ])
    func punctuation(input: String, expected: String) {
        #expect(Punctuation().run(scalars(input)).string == expected)
    }

    @Test("the whole pipeline on the damaged example from the issue")
    func pipeline() {
        let damaged = "天天短訊!45個(gè)國家級(jí)集群涉及19個(gè)?。ㄗ灾螀^(qū)、直轄市)、3個(gè)計(jì)劃單列市"
        let result = RepairPipeline(data: data).repair(damaged)
        #expect(result.text == "45个国家级集群涉及19个省（自治区、直辖市）、3个计划单列市")
        let steps = Set(result.repairs.map(\.step))
        #expect(steps == [.pinyin, .mojibake, .simplify, .clickbait, .punctuation])
    }
}
