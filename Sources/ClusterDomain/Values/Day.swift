import Foundation

/// A calendar day (no time, no zone), as used for designations, figures and "as of" questions.
///
/// Some source dates are known only to the month or the year. They are kept with their
/// precision; for "as of" comparisons such a date stands for the last day of its period,
/// the first day on which the event is certain to have happened.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public enum Precision: String, Sendable, Codable { case day, month, year }

    public let year: Int
    public let month: Int
    public let day: Int
    public let precision: Precision

    public init?(year: Int, month: Int, day: Int, precision: Precision = .day) {
        guard (1900...2999).contains(year), (1...12).contains(month),
            (1...Day.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.precision = precision
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. Anything else, or an impossible date, gives nil.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
            parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0])
        else { return nil }
        switch parts.count {
        case 1:
            self.init(year: y, month: 12, day: 31, precision: .year)
        case 2:
            guard let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            self.init(year: y, month: m, day: Day.daysIn(month: m, year: y), precision: .month)
        default:
            guard let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
            self.init(year: y, month: m, day: d, precision: .day)
        }
    }

    /// A day as people type it: `2026-04-30`, `2026/4/30`, `2026.4.30` or `2026年4月30日`, digits
    /// half- or full-width, spaces ignored. Nil for anything else or an impossible date.
    public init?(typed text: String) {
        let halfWidth = Self.halfWidthDigits(text)
        let numbers = halfWidth.split { !$0.isASCII || !$0.isNumber }.map(String.init)
        let separators = halfWidth.filter { !($0.isASCII && $0.isNumber) }
        guard numbers.count == 3, numbers[0].count == 4,
            ["--", "//", "..", "年月日", "年月"].contains(separators),
            let y = Int(numbers[0]), let m = Int(numbers[1]), let d = Int(numbers[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// A day or a month as people type it: the forms `init(typed:)` reads, and a month alone
    /// (`2026-04`, `2026/4`, `2026年4月`), kept at month precision.
    public init?(typedDayOrMonth text: String) {
        if let day = Day(typed: text) {
            self = day
            return
        }
        let halfWidth = Self.halfWidthDigits(text)
        let numbers = halfWidth.split { !$0.isASCII || !$0.isNumber }.map(String.init)
        let separators = halfWidth.filter { !($0.isASCII && $0.isNumber) }
        guard numbers.count == 2, numbers[0].count == 4, ["-", "/", ".", "年月", "年"].contains(separators),
            let y = Int(numbers[0]), let m = Int(numbers[1]), (1...12).contains(m)
        else { return nil }
        self.init(year: y, month: m, day: 1, precision: .month)
    }

    /// The text with full-width digits made half-width and white space left out.
    static func halfWidthDigits(_ text: String) -> String {
        String(
            text.unicodeScalars.compactMap { s -> Character? in
                if (0xFF10...0xFF19).contains(s.value) { return Character(Unicode.Scalar(s.value - 0xFF10 + 0x30)!) }
                return s.properties.isWhitespace ? nil : Character(s)
            })
    }

    /// The moment this day starts in `timeZone` (Beijing unless told).
    public func start(in timeZone: TimeZone = Day.beijing) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? .distantPast
    }

    /// The day that `date` falls on in `timeZone` (the programme runs on Beijing time).
    public init(_ date: Date, in timeZone: TimeZone = Day.beijing) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = c.year ?? 1970
        self.month = c.month ?? 1
        self.day = c.day ?? 1
        self.precision = .day
    }

    public static let beijing = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// Full-precision ISO form used for storage and comparison: `YYYY-MM-DD`.
    public var iso: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The date as its source gave it: `2021-03` for a month-precision date.
    public var description: String {
        switch precision {
        case .day: iso
        case .month: String(format: "%04d-%02d", year, month)
        case .year: String(format: "%04d", year)
        }
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func == (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) == (rhs.year, rhs.month, rhs.day)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(month)
        hasher.combine(day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Day(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "not a date (YYYY-MM-DD): \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
