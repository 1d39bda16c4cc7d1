import Foundation

/// A user-facing message: a key of the catalogue and the values its wording names (`{n}`, `{value}`).
/// The words themselves live in `MessageCatalogue`, in Chinese and English.
public struct Message: Hashable, Sendable, Error, CustomStringConvertible {
    public let key: String
    public let arguments: [String: String]
    /// Arguments that are themselves worded in the catalogue (a unit, a state), shown in the same language.
    public let worded: [String: Message]

    public init(_ key: String, _ arguments: [String: String] = [:], worded: [String: Message] = [:]) {
        self.key = key
        self.arguments = arguments
        self.worded = worded
    }

    /// The wording in Chinese or English, its placeholders filled in.
    public func text(chinese: Bool) -> String {
        MessageCatalogue.text(self, chinese: chinese)
    }

    public var english: String { text(chinese: false) }
    public var chinese: String { text(chinese: true) }
    public var description: String { english }
}

/// The one catalogue of messages, looked up by key. A key missing from it shows as the key itself,
/// which the page language test catches.
public enum MessageCatalogue {
    public static func text(_ message: Message, chinese: Bool) -> String {
        if message.key == "list" {
            return message.worded.keys.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
                .compactMap { message.worded[$0]?.text(chinese: chinese) }.joined(separator: chinese ? "；" : "; ")
        }
        guard let entry = entries[message.key] else { return message.key }
        var text = chinese ? entry.zh : entry.en
        for (name, value) in message.arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        for (name, value) in message.worded {
            text = text.replacingOccurrences(of: "{\(name)}", with: value.text(chinese: chinese))
        }
        return text
    }

    /// Every key with its Chinese and English wording.
    public static let entries: [String: (zh: String, en: String)] = {
        var all: [String: (zh: String, en: String)] = [:]
        for table in [fieldMessages, accessMessages, workflowMessages, valueNames] {
            for (key, zh, en) in table { all[key] = (zh, en) }
        }
        return all
    }()

    /// The keys defined more than once (a test keeps this empty).
    public static var duplicateKeys: [String] {
        let keys = [fieldMessages, accessMessages, workflowMessages, valueNames].flatMap { $0.map(\.0) }
        return Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.map(\.key).sorted()
    }
}

extension Message {
    /// Field messages used across forms.
    public static let required = Message("field.required")
    public static func tooLong(_ n: Int) -> Message { Message("field.too_long", ["n": "\(n)"]) }
    public static func lengthBetween(_ min: Int, _ max: Int) -> Message {
        Message("field.length_between", ["min": "\(min)", "max": "\(max)"])
    }
    public static let date = Message("field.date")
    public static let month = Message("field.month")
    public static let number = Message("field.number")
    public static let amount = Message("field.amount")
    public static let wholeNumber = Message("field.whole_number")
    public static func tooMany(_ n: Int) -> Message { Message("field.too_many", ["n": "\(n)"]) }
    public static func oneOf(_ allowed: [String]) -> Message {
        Message("field.one_of", ["allowed": allowed.joined(separator: "、")])
    }
    public static let webAddress = Message("field.web_address")
    public static func staleVersion(_ now: Int) -> Message { Message("field.stale_version", ["now": "\(now)"]) }
    public static let versionRequired = Message("field.version_required")
    public static let unknownCluster = Message("field.unknown_cluster")
    public static let year = Message("field.year")
    public static func dataYear(through last: Int) -> Message { Message("field.data_year", ["last": "\(last)"]) }

    /// Several messages as one, separated by semicolons.
    public static func list(_ messages: [Message]) -> Message {
        var worded: [String: Message] = [:]
        for (i, m) in messages.enumerated() { worded["m\(i)"] = m }
        return Message("list", [:], worded: worded)
    }

    /// Text that is the same in both languages (a name, a number).
    public static func verbatim(_ text: String) -> Message { Message("verbatim", ["text": text]) }

    /// The unit of an indicator as people write it (`CNY` → 元 / yuan); a unit the catalogue does not
    /// know is shown as written.
    public static func unit(code: String) -> Message {
        MessageCatalogue.entries["unit." + code] != nil ? Message("unit." + code) : .verbatim(code)
    }
}
