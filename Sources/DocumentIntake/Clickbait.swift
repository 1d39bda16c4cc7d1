/// Step 5: removes the clickbait prefixes content farms put before a headline (`天天短讯!`,
/// `环球资讯:`, `热头条丨`): the prefixes listed in `clickbait.txt`, and any opening of two to eight
/// characters made only of that file's prefix words, when a separator follows.
public struct ClickbaitPrefixes: Sendable {
    public let data: IntakeData

    public init(data: IntakeData = .shared) { self.data = data }

    static let separators: Set<Unicode.Scalar> = ["!", "！", ":", "：", "丨", "|", "｜", " ", "\u{3000}"]

    public func run(_ s: [Unicode.Scalar]) -> StepResult {
        var start = 0
        while start < s.count, s[start] == "\n" || s[start] == " " { start += 1 }
        var position = start
        var removed: [Repair] = []
        for _ in 0..<3 {
            guard let length = prefixLength(s, at: position) else { break }
            var end = position + length + 1
            while end < s.count, s[end] == " " || s[end] == "\u{3000}" { end += 1 }
            let prefix = s[position..<end].string
            removed.append(
                Repair(
                    step: .clickbait, offset: position, original: prefix, replacement: "",
                    reason: "clickbait prefix before the headline"))
            position = end
        }
        guard !removed.isEmpty else { return StepResult(text: s, repairs: []) }
        return StepResult(text: Array(s[..<start]) + Array(s[position...]), repairs: removed)
    }

    /// Length of a clickbait prefix at `i` (excluding its separator), if one is there.
    func prefixLength(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        for prefix in data.clickbaitPrefixes {
            let scalars = Array(prefix.unicodeScalars)
            let end = i + scalars.count
            if end < s.count, Array(s[i..<end]) == scalars, Self.separators.contains(s[end]) { return scalars.count }
        }
        var j = i
        while j < s.count, j - i < 8, s[j].isHan { j += 1 }
        guard j < s.count, j - i >= 2, Self.separators.contains(s[j]), s[j] != " " else { return nil }
        return segments(Array(s[i..<j])) ? j - i : nil
    }

    /// Whether the characters split wholly into clickbait words.
    func segments(_ run: [Unicode.Scalar]) -> Bool {
        var reachable = [Bool](repeating: false, count: run.count + 1)
        reachable[0] = true
        for start in 0..<run.count where reachable[start] {
            for end in (start + 1)...min(run.count, start + 4)
            where data.clickbaitWords.contains(run[start..<end].string) {
                reachable[end] = true
            }
        }
        return reachable[run.count]
    }
}

/// Step 6: ASCII `, : ; ! ? ( )` standing in Chinese text go back to full width; the same marks
/// between digits (1,700 or 10:30), in English text or in addresses stay as they are.
public struct Punctuation: Sendable {
    public init() {}

    static let fullWidth: [Unicode.Scalar: Unicode.Scalar] = [
        ",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）",
    ]

    @inline(__always) static func chinese(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c.isHan || c.isCJKPunctuation
    }

    public func run(_ s: [Unicode.Scalar]) -> StepResult {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var repairs: [Repair] = []
        var open: [Bool] = []
        for i in 0..<s.count {
            let c = s[i]
            switch c.value {
            case 0x21, 0x28, 0x29, 0x2C, 0x3A, 0x3B, 0x3F: break
            default:
                out.append(c)
                continue
            }
            guard let wide = Self.fullWidth[c] else {
                out.append(c)
                continue
            }
            let previous = out.last(where: { $0 != " " })
            var k = i + 1
            while k < s.count, s[k] == " " { k += 1 }
            let next: Unicode.Scalar? = k < s.count ? s[k] : nil
            let convert: Bool
            switch c {
            case ",", ":":
                if previous?.isASCIIDigit == true && next?.isASCIIDigit == true {
                    convert = false
                } else {
                    convert = Self.chinese(previous) || (c == "," && Self.chinese(next))
                }
            case ";":
                convert = Self.chinese(previous) || Self.chinese(next)
            case "!", "?":
                convert = Self.chinese(previous)
            case "(":
                convert = Self.chinese(previous) || Self.chinese(next)
                open.append(convert)
            default:
                if let opened = open.popLast() { convert = opened } else { convert = Self.chinese(previous) }
            }
            if convert {
                out.append(wide)
                repairs.append(
                    Repair(
                        step: .punctuation, offset: i, original: String(Character(c)),
                        replacement: String(Character(wide)), reason: "ASCII mark in Chinese text"))
            } else {
                out.append(c)
            }
        }
        return StepResult(text: out, repairs: repairs)
    }
}
