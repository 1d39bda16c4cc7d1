import Foundation

/// Finding clusters the way people type: by name, id, member city or province, several terms at
/// once (each must match), in pinyin — full syllables or initials, mixed (`wuxi wulianwang`,
/// `wxwlw`) — and, when nothing matches, with a term one edit away from a name (`深川` → `深圳`).
public struct ClusterSearch: Sendable {
    /// A character's readings in toneless pinyin (`长` → `chang`, `zhang`); empty for none.
    public typealias Readings = @Sendable (Character) -> [String]

    let readings: Readings?

    public init(readings: Readings? = nil) { self.readings = readings }

    /// The terms of a search: separated by spaces (full-width too) or commas, lower-cased.
    public static func terms(_ text: String) -> [String] {
        text.lowercased().split { $0.isWhitespace || $0 == "," || $0 == "，" || $0 == "、" }.map(String.init)
    }

    /// The texts a cluster is found by: id, names, member cities and provinces in both languages.
    static func texts(_ cluster: Cluster, _ reference: ReferenceData) -> [String] {
        var texts = [cluster.id, cluster.nameZh, cluster.nameEn] + cluster.cityNames
        texts += cluster.cityNames.compactMap { name in reference.cities.first { $0.nameZh == name }?.nameEn }
        for code in cluster.provinceCodes {
            guard let p = reference.province(code: code) else { continue }
            texts += [p.nameZh, p.shortNameZh, p.nameEn]
        }
        return texts.map { $0.lowercased() }
    }

    /// Whether every term matches one of the texts, literally or in pinyin.
    func matches(_ texts: [String], terms: [String]) -> Bool {
        terms.allSatisfy { term in texts.contains { $0.contains(term) || pinyin(term, in: $0) } }
    }

    /// Characters passed over in a pinyin match: the administrative suffixes and list marks people
    /// leave out when they type a name's initials (`wxwlw` for 无锡市物联网).
    static let skippable: Set<Character> = ["市", "省", "、", "（", "）", "·"]

    /// Whether `term` (three ASCII letters or more) spells a run of `text`'s characters in pinyin:
    /// each character by a whole syllable, or by its initial; a last syllable may be typed in part.
    func pinyin(_ term: String, in text: String) -> Bool {
        // Two letters would find half the list by initials; pinyin starts at three.
        guard let readings, (3...40).contains(term.count), term.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        let chars = Array(text)
        guard chars.contains(where: { !$0.isASCII }) else { return false }
        let letters = Array(term)
        let table = chars.map { readings($0) }
        var failed: Set<Int> = []  // (t, c) pairs known not to lead to a match
        func consume(_ t: Int, _ c: Int) -> Bool {
            if t == letters.count { return true }
            guard c < chars.count, !failed.contains(t * 1024 + c) else { return false }
            defer { failed.insert(t * 1024 + c) }
            if Self.skippable.contains(chars[c]), c > 0, consume(t, c + 1) { return true }
            for reading in table[c] where reading.first == letters[t] {
                let rest = letters[t...]
                if rest.starts(with: reading), consume(t + reading.count, c + 1) { return true }
                if reading.starts(with: rest) { return true }
                if consume(t + 1, c + 1) { return true }
            }
            return false
        }
        return chars.indices.contains { !table[$0].isEmpty && consume(0, $0) }
    }

    /// For terms that match no cluster at all, the closest name one edit away that does — the
    /// corrected terms, or nil when there is nothing to correct or no correction found.
    func corrected(_ terms: [String], texts all: [[String]]) -> [String]? {
        var changed = false
        let fixed = terms.map { term -> String in
            guard !all.contains(where: { matches($0, terms: [term]) }), term.count >= 2 else { return term }
            // A substitution (same length) reads most like a slip of the hand; the most clusters found wins.
            // Ranked by: a substitution (same length) over an insertion or deletion, the first character
            // kept (a slip comes later in a word more often than at its start), then the most clusters found.
            var best: (word: String, rank: [Int])?
            for word in Self.candidates(for: term, in: all) where word.count >= 2 {
                let hits = all.filter { matches($0, terms: [word]) }.count
                let rank = [word.count == term.count ? 1 : 0, word.first == term.first ? 1 : 0, hits]
                guard let current = best else {
                    best = (word, rank)
                    continue
                }
                if rank.lexicographicallyPrecedes(current.rank) { continue }
                if rank != current.rank || word < current.word { best = (word, rank) }
            }
            guard let best, best.rank[2] > 0 else { return term }
            changed = true
            return best.word
        }
        return changed && fixed != terms ? fixed : nil
    }

    /// Words of the texts one edit (substitution, insertion, deletion) away from `term`: runs of
    /// the same length give substitutions; runs one shorter or longer, the rest. ASCII terms are
    /// compared with whole words only, and only from four letters on.
    static func candidates(for term: String, in all: [[String]]) -> Set<String> {
        let t = Array(term)
        let ascii = term.allSatisfy(\.isASCII)
        if ascii && t.count < 4 { return [] }
        var found: Set<String> = []
        for texts in all {
            for text in texts {
                let words: [[Character]]
                if ascii {
                    words = text.split { !$0.isLetter && !$0.isNumber }.map(Array.init)
                } else {
                    let c = Array(text)
                    words = (max(1, t.count - 1)...(t.count + 1)).flatMap { n in
                        c.count < n ? [] : (0...(c.count - n)).map { Array(c[$0..<($0 + n)]) }
                    }
                }
                for w in words where w != t && editDistanceIsOne(w, t) { found.insert(String(w)) }
            }
        }
        return found
    }

    static func editDistanceIsOne(_ a: [Character], _ b: [Character]) -> Bool {
        if a.count == b.count { return zip(a, b).filter { $0 != $1 }.count == 1 }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        guard long.count - short.count == 1 else { return false }
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        return short[i...] == long[(i + 1)...]
    }
}
