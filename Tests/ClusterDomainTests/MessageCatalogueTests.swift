import Foundation
import Testing

@testable import ClusterDomain

@Suite struct MessageCatalogueTests {
    @Test func everyKeyOnceWithBothWordings() {
        #expect(MessageCatalogue.duplicateKeys.isEmpty, "\(MessageCatalogue.duplicateKeys)")
        for (key, entry) in MessageCatalogue.entries {
            #expect(!entry.zh.isEmpty && !entry.en.isEmpty, "\(key)")
            // The Chinese wording is Chinese: no English word in it (units and formats aside).
            let shown = entry.zh.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: " ", options: .regularExpression)
            let words: [String] = shown.split(whereSeparator: { !($0.isASCII && $0.isLetter) }).map(String.init)
            let allowed: Set<String> = ["API", "Bearer", "txt", "html", "htm", "http", "https"]
            let english = words.filter { $0.count >= 3 && !allowed.contains($0) }
            #expect(english.isEmpty, "\(key): \(entry.zh)")
        }
    }

    /// Every key the code names with a literal (`Message("…")`, `forbidden("…")`) is in the catalogue.
    @Test func everyKeyTheCodeUsesIsDefined() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        let pattern = try NSRegularExpression(pattern: #"(?:Message|forbidden)\(\s*"([a-z_]+\.[a-z_.]+)""#)
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { used.insert(String(text[range])) }
            }
        }
        #expect(used.count > 100)
        let missing = used.filter { MessageCatalogue.entries[$0] == nil }.sorted()
        #expect(missing.isEmpty, "\(missing)")
    }

    @Test func placeholdersAreFilledInTheLanguageAsked() {
        let m = Message("field.too_long", ["n": "200"])
        #expect(m.chinese == "最多 200 个字符")
        #expect(m.english == "at most 200 characters")
        let unit = Message("return.whole_count", worded: ["unit": .unit(code: "家")])
        #expect(unit.chinese == "应为整数（单位：家）")
        #expect(Message.unit(code: "CNY").chinese == "元")
        #expect(Message.unit(code: "吨").english == "吨")
        let list = Message.list([.required, .tooLong(5)])
        #expect(list.chinese == "必填；最多 5 个字符")
        #expect(list.english == "required; at most 5 characters")
        // A key that is missing shows as itself, which the page language test catches.
        #expect(Message("no.such_key").chinese == "no.such_key")
    }

    @Test(arguments: [
        ("960亿", 96_000_000_000.0), ("960亿元", 96_000_000_000), ("96,000,000,000", 96_000_000_000),
        ("９６０亿", 96_000_000_000), ("5000万", 50_000_000), ("1.2万亿", 1.2e12), ("1,234.5", 1234.5),
        ("42", 42), ("0.045", 0.045), ("-3", -3), ("12 元", 12),
    ])
    func numbersAsPeopleTypeThem(text: String, value: Double) {
        #expect(TypedNumber.parse(text) == value)
    }

    @Test func numbersThatAreNot() {
        for text in ["", "abc", "1,23", "12,3456", "960亿万", "4.5%", "1e400", "亿", "1.2.3"] {
            #expect(TypedNumber.parse(text) == nil, "\(text)")
        }
        #expect(TypedNumber.parse("4.5%", percent: true) == 0.045)
        #expect(TypedNumber.parse("４．５％", percent: true) == 0.045)
    }

    @Test func monthsAsPeopleTypeThem() {
        #expect(Day(typedDayOrMonth: "2026年4月")?.description == "2026-04")
        #expect(Day(typedDayOrMonth: "2026/4")?.description == "2026-04")
        #expect(Day(typedDayOrMonth: "2026-04")?.description == "2026-04")
        #expect(Day(typedDayOrMonth: "2026年4月30日")?.description == "2026-04-30")
        #expect(Day(typedDayOrMonth: "2026年13月") == nil)
        #expect(Day(typedDayOrMonth: "April") == nil)
    }
}
