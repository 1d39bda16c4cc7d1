/// Step 2: removes pinyin annotations such as `個(gè)` — but only when the parenthesised text is a
/// reading of the character before it (per the reading table), so that real parentheses such as
/// `(自治區、直轄市)`, `(记者 王政)` or `(AI)` survive.
public struct PinyinAnnotations: Sendable {
    public let data: IntakeData

    public init(data: IntakeData = .shared) { self.data = data }

    static let marked: Set<Unicode.Scalar> = Set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".unicodeScalars)

    @inline(__always) static func isPinyinLetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x61 && c.value <= 0x7A) || marked.contains(c)
    }

    public func run(_ s: [Unicode.Scalar]) -> StepResult {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var repairs: [Repair] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "(" || c == "（", let previous = out.last, previous.isHan {
                let close: Unicode.Scalar = c == "(" ? ")" : "）"
                var j = i + 1
                while j < s.count, j - i <= 7, Self.isPinyinLetter(s[j]) { j += 1 }
                if j < s.count, s[j] == close, j > i + 1 {
                    if data.isReading(s[(i + 1)..<j], of: previous) {
                        repairs.append(
                            Repair(
                                step: .pinyin, offset: i, original: s[i...j].string, replacement: "",
                                reason: "a reading of the character before it"))
                        i = j + 1
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return StepResult(text: out, repairs: repairs)
    }
}
