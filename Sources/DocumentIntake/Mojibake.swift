/// Step 3: repairs GBK byte misalignment.
///
/// When a page's GBK bytes lose the first byte of a character (content farms leave a `?` in its
/// place), every following byte pairs with the wrong neighbour until an ASCII byte realigns the
/// decoder: `省（自治區` becomes `?。ㄗ灾螀^`. The step looks at the run after each `?` (or U+FFFD):
/// when the run holds improbable characters and re-encoding it as GBK, dropping the orphaned byte
/// and decoding again gives only usual characters, the run is replaced. The lost character is known
/// only by its second byte; it is restored when exactly one character with that byte completes a
/// phrase of the lexicon with its neighbours, and is otherwise marked `□` and reported.
public struct Mojibake: Sendable {
    public let data: IntakeData
    public let extraLexicon: Set<String>
    /// Phrases longer than four characters, as Simplified scalar values, matched around the lost character.
    let longPhrases: [[UInt32]]
    /// Where each character occurs in `longPhrases`: scalar → (phrase index, position).
    let longPhrasePositions: [UInt32: [(Int, Int)]]
    /// `extraLexicon`'s short entries, indexed like `IntakeData.holes`.
    let extraHoles: [HoleKey: [(UInt32, Int32)]]

    public static let lostMark: Unicode.Scalar = "□"
    static let maximumRun = 400

    public init(data: IntakeData = .shared, extraLexicon: Set<String> = []) {
        self.data = data
        self.extraLexicon = extraLexicon
        var long = data.longLexiconPhrases
        var short: [String: Int] = [:]
        for word in extraLexicon {
            if word.unicodeScalars.count > 4 {
                long.append(word.unicodeScalars.map(\.value))
            } else {
                short[word] = IntakeData.domainFrequency
            }
        }
        longPhrases = long
        var positions: [UInt32: [(Int, Int)]] = [:]
        for (index, phrase) in long.enumerated() {
            for (k, c) in phrase.enumerated() { positions[c, default: []].append((index, k)) }
        }
        longPhrasePositions = positions
        extraHoles = HoleKey.index(short)
    }

    public func run(_ s: [Unicode.Scalar]) -> StepResult {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var repairs: [Repair] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "?" || c == "\u{FFFD}", i + 1 < s.count,
                let fix = s[i + 1].value >= 0x80
                    ? realign(s, marker: i, before: out.suffix(4))
                    : asciiTrail(s, marker: i, before: out.suffix(4))
            {
                out.append(contentsOf: fix.replacement)
                repairs.append(
                    Repair(
                        step: .mojibake, offset: i, original: s[i..<fix.end].string,
                        replacement: fix.replacement.string, reason: fix.reason))
                i = fix.end
                continue
            }
            out.append(c)
            i += 1
        }
        return StepResult(text: out, repairs: repairs)
    }

    struct Fix {
        let replacement: [Unicode.Scalar]
        let end: Int
        let reason: String
    }

    func realign(_ s: [Unicode.Scalar], marker: Int, before: ArraySlice<Unicode.Scalar>) -> Fix? {
        var bytes: [UInt8] = []
        var j = marker + 1
        while j < s.count, j - marker <= Self.maximumRun, s[j].value >= 0x80, let encoded = data.gbkBytes(s[j]) {
            bytes.append(contentsOf: encoded)
            j += 1
        }
        guard bytes.count >= 2 else { return nil }
        let window = s[(marker + 1)..<j]
        guard window.contains(where: { data.commonness(of: $0) == 0 }) || isStrayByte(s, at: j) else { return nil }
        var attempts: [([UInt8], Int)] = [(bytes, j)]
        if j < s.count, (0x40...0x7E).contains(s[j].value) { attempts.append((bytes + [UInt8(s[j].value)], j + 1)) }
        for (candidate, end) in attempts {
            guard let decoded = decode(candidate.dropFirst()), !decoded.isEmpty,
                decoded.allSatisfy({ data.commonness(of: $0) >= 2 || ($0.value >= 0x20 && $0.value < 0x7F) })
            else { continue }
            let trail = candidate[0]
            if let (lost, evidence) = restore(
                trail: trail, before: Array(before), after: Array(decoded.prefix(12)), reading: nil)
            {
                return Fix(
                    replacement: [lost] + decoded, end: end,
                    reason: "GBK misalignment; lost character restored from \(evidence)")
            }
            return Fix(
                replacement: [Self.lostMark] + decoded, end: end,
                reason: String(
                    format: "GBK misalignment; the lost character (second byte 0x%02X) is uncertain and marked", trail))
        }
        return nil
    }

    /// A lone ASCII letter or symbol standing between Chinese characters: in GBK text, the second
    /// byte of a character whose first byte was lost.
    func isStrayByte(_ s: [Unicode.Scalar], at j: Int) -> Bool {
        guard j < s.count, (0x40...0x7E).contains(s[j].value) else { return false }
        guard j + 1 < s.count else { return true }
        let next = s[j + 1]
        return next.value >= 0x80 || !Boilerplate.isLetter(next)
    }

    /// `?` then one stray ASCII byte: the lost character's second byte was itself ASCII (議 is D7 68,
    /// and `協議` loses its lead byte as `協?h`); the text after it is still aligned.
    func asciiTrail(_ s: [Unicode.Scalar], marker: Int, before: ArraySlice<Unicode.Scalar>) -> Fix? {
        guard let previous = before.last, previous.isHan || previous.isCJKPunctuation, isStrayByte(s, at: marker + 1)
        else {
            return nil
        }
        let trail = UInt8(s[marker + 1].value)
        var afterStart = marker + 2
        var reading: String?
        if afterStart < s.count, s[afterStart] == "(" {
            var k = afterStart + 1
            while k < s.count, k - afterStart <= 7, PinyinAnnotations.isPinyinLetter(s[k]) { k += 1 }
            if k < s.count, s[k] == ")", k > afterStart + 1 {
                reading = s[(afterStart + 1)..<k].string
                afterStart = k + 1
            }
        }
        let after = Array(s[afterStart..<min(s.count, afterStart + 12)])
        if let (lost, evidence) = restore(trail: trail, before: Array(before), after: after, reading: reading) {
            return Fix(
                replacement: [lost], end: marker + 2,
                reason: "GBK lead byte lost; character restored from \(evidence)")
        }
        return Fix(
            replacement: [Self.lostMark], end: marker + 2,
            reason: String(
                format: "GBK lead byte lost; the character (second byte 0x%02X) is uncertain and marked", trail))
    }

    /// Greedy GBK decoding that fails on any unmapped pair or dangling lead byte.
    func decode(_ bytes: ArraySlice<UInt8>) -> [Unicode.Scalar]? {
        var out: [Unicode.Scalar] = []
        var k = bytes.startIndex
        while k < bytes.endIndex {
            let b = bytes[k]
            if b < 0x80 {
                out.append(Unicode.Scalar(b))
                k += 1
                continue
            }
            guard k + 1 < bytes.endIndex, let scalar = data.gbk(lead: b, trail: bytes[k + 1]) else { return nil }
            out.append(scalar)
            k += 2
        }
        return out
    }

    /// The character whose GBK second byte is `trail`, when the evidence makes it certain: a pinyin
    /// annotation that only one candidate can be read as, or a phrase of the lexicon that one
    /// candidate completes with its neighbours at least five times as often as any other candidate.
    /// Nil when the evidence is missing or split.
    func restore(trail: UInt8, before: [Unicode.Scalar], after: [Unicode.Scalar], reading: String?) -> (
        Unicode.Scalar, String
    )? {
        let left = before.map { (data.simplified($0) ?? $0).value }
        let right = after.map { (data.simplified($0) ?? $0).value }
        var candidates = data.candidatesByTrail[Int(trail)]
        var bySimplified = data.simplifiedCandidatesByTrail[Int(trail)]
        if let reading {
            candidates = candidates.filter { data.isReading(reading, of: $0.original) }
            bySimplified = [:]
            for candidate in candidates where bySimplified[candidate.simplified] == nil {
                bySimplified[candidate.simplified] = candidate.original
            }
        }
        guard !candidates.isEmpty else { return nil }
        let evidence = evidence(left: left, right: right, candidates: bySimplified)
        let ranked = evidence.sorted { $0.value.0 > $1.value.0 }
        if let reading, candidates.count == 1 {
            return (candidates[0].original, "the pinyin annotation (\(reading)) that follows it")
        }
        guard let best = ranked.first, best.value.0 >= 50, let character = bySimplified[best.key] else { return nil }
        if ranked.count > 1 {
            let second = ranked[1]
            guard best.value.0 >= 5 * second.value.0 else { return nil }
            return (
                character,
                "the phrase \(best.value.1) (frequency \(best.value.0); next best \(second.value.1), \(second.value.0))"
            )
        }
        return (character, "the phrase \(best.value.1)")
    }

    /// The best evidence for each candidate (by its simplified form): a measure word after a digit,
    /// a lexicon phrase with a one-character hole, or a long domain phrase around the gap — as the
    /// phrase's frequency and the phrase.
    func evidence(left: [UInt32], right: [UInt32], candidates bySimplified: [UInt32: Unicode.Scalar]) -> [UInt32: (
        Int, String
    )] {
        var evidence: [UInt32: (Int, String)] = [:]
        func offer(_ c: UInt32, _ frequency: Int, _ phrase: @autoclosure () -> String) {
            guard bySimplified[c] != nil, frequency > (evidence[c]?.0 ?? 0) else { return }
            evidence[c] = (frequency, phrase())
        }
        if let previous = left.last, (0x30...0x39).contains(previous) {
            for c in bySimplified.keys where Self.measures.contains(Unicode.Scalar(c)!) {
                offer(
                    c, IntakeData.domainFrequency,
                    "\(Character(Unicode.Scalar(previous)!))\(Character(Unicode.Scalar(c)!))")
            }
        }
        for length in 2...4 {
            for hole in 0..<length {
                let leftNeeded = hole
                let rightNeeded = length - hole - 1
                guard leftNeeded <= left.count, rightNeeded <= right.count else { continue }
                let known = Array(left.suffix(leftNeeded)) + Array(right.prefix(rightNeeded))
                let key = HoleKey(length: length, hole: hole, known: known)
                for table in [data.holes, extraHoles] {
                    guard let fills = table[key] else { continue }
                    for (c, frequency) in fills {
                        offer(c, Int(frequency), Self.render(known, hole: hole, fill: c))
                    }
                }
            }
        }
        for c in bySimplified.keys {
            for (index, k) in longPhrasePositions[c] ?? [] {
                let phrase = longPhrases[index]
                let p = c
                let tail = phrase.count - k - 1
                guard k <= left.count, tail <= right.count,
                    left.suffix(k).elementsEqual(phrase[..<k]),
                    right.prefix(tail).elementsEqual(phrase[(k + 1)...])
                else { continue }
                offer(p, IntakeData.domainFrequency, Self.render(phrase, hole: nil, fill: 0))
            }
        }
        return evidence
    }

    static func render(_ known: [UInt32], hole: Int?, fill: UInt32) -> String {
        var scalars = known.compactMap(Unicode.Scalar.init)
        if let hole, let c = Unicode.Scalar(fill) { scalars.insert(c, at: hole) }
        return scalars.string
    }

    static let measures: Set<Unicode.Scalar> = Set("年月日号个家项名元万亿次人批届期类条件台天".unicodeScalars)
}
