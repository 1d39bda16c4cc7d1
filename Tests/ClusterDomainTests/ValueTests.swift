import Foundation
import Testing

@testable import ClusterDomain

@Suite struct DayTests {
    @Test(arguments: ["2022-11-30", "2024-02-29", "2000-02-29"])
    func parsesValidDays(text: String) {
        #expect(Day(text)?.iso == text)
        #expect(Day(text)?.precision == .day)
    }

    @Test(arguments: [
        "", "2022-13-01", "2022-02-30", "2023-02-29", "1900-02-29", "22-11-30", "2022/11/30",
        "2022-11-30T00:00", "２０２２-11-30", "2022-1-30", "-2022-11-30", "2022-11-",
    ])
    func rejectsInvalidText(text: String) {
        #expect(Day(text) == nil)
    }

    @Test func monthPrecisionStandsForTheLastDay() throws {
        let march = try #require(Day("2021-03"))
        #expect(march.precision == .month)
        #expect(march.description == "2021-03")
        #expect(march.iso == "2021-03-31")
        #expect(march > day("2021-03-30"))
        #expect(try #require(Day("2024-02")).iso == "2024-02-29")
    }

    @Test func beijingDayOfAnInstant() {
        // 2022-11-29T17:00:00Z is 2022-11-30 01:00 in Beijing.
        let instant = Foundation.Date(timeIntervalSince1970: 1_669_741_200)
        #expect(Day(instant).iso == "2022-11-30")
    }
}

@Suite struct CSVTests {
    @Test func parsesQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let rows = try CSV.parse("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\nthere\"\n")
        #expect(rows == [["a", "b", "c"], ["1", "x, y", "say \"hi\"\nthere"]])
    }

    @Test func reportsTheLineOfAnUnclosedQuote() {
        #expect(throws: CSV.ParseError(line: 2, reason: "a quoted field is not closed")) {
            try CSV.parse("a\n\"open")
        }
    }

    @Test func recordsNeedAsManyFieldsAsTheHeader() {
        #expect(throws: CSV.ParseError(line: 3, reason: "1 fields where the header has 2")) {
            try CSV.records("a,b\n1,2\n3\n")
        }
    }

    @Test func escapesForSpreadsheets() {
        #expect(CSV.escape("plain") == "plain")
        #expect(CSV.escape("a,b") == "\"a,b\"")
        #expect(CSV.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.escape("@cmd") == "'@cmd")
        #expect(CSV.escape("-450000000.0") == "-450000000.0")
        #expect(CSV.escape("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0")
        #expect(CSV.line(["深圳", "x\"y"]) == "深圳,\"x\"\"y\"\r\n")
    }

    @Test func roundTrips() throws {
        let fields = ["id", "名称, 含逗号", "line\nbreak", "\"quoted\""]
        #expect(try CSV.parse(CSV.line(fields)) == [fields])
    }
}

@Suite struct TypedDayTests {
    @Test(arguments: [
        ("2026-04-30", "2026-04-30"), ("2026/4/30", "2026-04-30"), ("2026.4.30", "2026-04-30"),
        ("2026年4月30日", "2026-04-30"), ("２０２６年４月３０日", "2026-04-30"), (" 2026 年 1 月 1 日 ", "2026-01-01"),
        ("2026年4月31日", nil), ("2026-4", nil), ("30/4/2026", nil), ("2026/4-30", nil), ("明天", nil),
    ])
    func daysAsPeopleTypeThem(text: String, expected: String?) {
        #expect(Day(typed: text)?.iso == expected)
    }

    @Test func aDayStartsAtMidnightInBeijing() {
        #expect(Day(typed: "2026-04-30")?.start().timeIntervalSince1970 == 1_777_478_400)
    }
}
