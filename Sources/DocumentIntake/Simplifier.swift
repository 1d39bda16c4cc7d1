/// Step 4: Traditional → Simplified, phrase first (OpenCC's phrase table and the project's additions,
/// longest match), then character by character — so that 乾隆 stays 乾隆 while 乾燥 becomes 干燥.
/// Consecutive changed characters are reported as one repair.
public struct Simplifier: Sendable {
    public let data: IntakeData

    public init(data: IntakeData = .shared) { self.data = data }

    public func run(_ s: [Unicode.Scalar]) -> StepResult {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var repairs: [Repair] = []
        var runStart = -1
        var runOut = 0
        func closeRun(at end: Int) {
            guard runStart >= 0 else { return }
            repairs.append(
                Repair(
                    step: .simplify, offset: runStart, original: s[runStart..<end].string,
                    replacement: out[runOut...].string, reason: "character table"))
            runStart = -1
        }
        var i = 0
        let count = s.count
        while i < count {
            let c = s[i]
            if c.value < 0x10000, data.phraseStart[Int(c.value)], let (phrase, length) = matchPhrase(s, at: i) {
                closeRun(at: i)
                let original = s[i..<(i + length)].string
                out.append(contentsOf: phrase.unicodeScalars)
                if original != phrase {
                    repairs.append(
                        Repair(
                            step: .simplify, offset: i, original: original, replacement: phrase,
                            reason: "phrase table"))
                }
                i += length
                continue
            }
            if let target = data.simplified(c) {
                if runStart < 0 {
                    runStart = i
                    runOut = out.count
                }
                out.append(target)
            } else {
                closeRun(at: i)
                out.append(c)
            }
            i += 1
        }
        closeRun(at: count)
        return StepResult(text: out, repairs: repairs)
    }

    /// The longest phrase of the table starting at `i`, walked through the trie.
    func matchPhrase(_ s: [Unicode.Scalar], at i: Int) -> (String, Int)? {
        var node: Int32 = 0
        var found: (String, Int)?
        var k = i
        while k < s.count, k - i < data.longestPhrase {
            guard let next = data.phraseEdges[UInt64(UInt32(node)) << 32 | UInt64(s[k].value)] else { break }
            node = next
            k += 1
            if let target = data.phraseTargets[node] { found = (target, k - i) }
        }
        return found
    }
}
