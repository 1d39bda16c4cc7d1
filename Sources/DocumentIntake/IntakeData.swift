import Foundation

/// The tables the intake pipeline reads, loaded once from the module's resource files.
///
/// Code tables (GBK, Big5) come from Python's codecs, the Traditional→Simplified tables from OpenCC,
/// the pinyin readings and the general word list from pypinyin; `scripts/intake_data.py` regenerates
/// them and `Resources/LICENSES.md` records their licences. The clickbait, furniture and domain
/// lexicon files are the project's own.
public final class IntakeData: Sendable {
    /// GBK: `(lead - 0x81) * 190 + trailIndex` → scalar value, 0 where the pair is unmapped.
    let gbkDecode: [UInt32]
    /// GBK: scalar value → the two bytes (lead << 8 | trail).
    let gbkEncode: [UInt32: UInt16]
    /// Big5: `(lead - 0x81) * 157 + trailIndex` → scalar value, 0 where unmapped.
    let big5Decode: [UInt32]
    /// Traditional → Simplified for each BMP scalar (0 = unchanged).
    let simplifyBMP: [UInt32]
    /// Traditional → Simplified outside the BMP.
    let simplifyOther: [UInt32: UInt32]
    /// Traditional phrases whose conversion differs from character by character, as a trie: edge
    /// `node << 32 | scalar` → child node; `phraseTargets[node]` is the conversion of a phrase ending there.
    let phraseEdges: [UInt64: Int32]
    let phraseTargets: [Int32: String]
    /// Whether a BMP scalar starts one of `phrases`.
    let phraseStart: [Bool]
    let longestPhrase: Int
    /// Readings per character, tone-marked (neutral tone unmarked), for telling pinyin annotations
    /// from real parentheses.
    let readings: [UInt32: [String]]
    /// How usual a BMP scalar is in Chinese running text: 0 improbable … 3 most common.
    let commonness: [UInt8]
    /// Words (Simplified) with their corpus frequencies, which may decide which character a damaged
    /// byte pair stood for. The project's domain phrases count as very frequent.
    let lexicon: [String: Int]
    let longestLexiconEntry: Int
    /// The lexicon's entries longer than four characters (the domain phrases), as scalar values.
    let longLexiconPhrases: [[UInt32]]
    /// The lexicon's words of two to four characters with one character left out: the known
    /// characters (and where the gap is) → the characters that fill the gap, with the word's frequency.
    let holes: [HoleKey: [(UInt32, Int32)]]
    /// Per GBK second byte: the Han characters with that byte, and their Simplified forms.
    let candidatesByTrail: [[(original: Unicode.Scalar, simplified: UInt32)]]
    /// The same, keyed by Simplified form (the first candidate of each form).
    let simplifiedCandidatesByTrail: [[UInt32: Unicode.Scalar]]
    /// Headline prefixes that content farms add, and the words such prefixes are made of.
    let clickbaitPrefixes: [String]
    let clickbaitWords: Set<String>
    /// Lines of page furniture: headings that start a block to drop, and lines dropped alone.
    let furnitureBlockHeadings: [String]
    let furnitureLines: [String]
    let furnitureBlockScalars: [[Unicode.Scalar]]
    let furnitureLineScalars: [[Unicode.Scalar]]

    /// The frequency given to the project's own phrases and to names added at run time.
    static let domainFrequency = 1_000_000

    public static let shared: IntakeData = {
        do { return try IntakeData(bundle: Bundle.module) } catch {
            fatalError("DocumentIntake resources are unreadable: \(error)")
        }
    }()

    struct ResourceError: Error, CustomStringConvertible {
        let description: String
    }

    static let gbkTrails: [UInt8] = (0x40...0xFE).filter { $0 != 0x7F }.map { UInt8($0) }
    static let big5Trails: [UInt8] = (Array(0x40...0x7E) + Array(0xA1...0xFE)).map { UInt8($0) }

    init(bundle: Bundle) throws {
        func text(_ name: String) throws -> String {
            guard
                let url = bundle.url(forResource: name, withExtension: "txt", subdirectory: "Resources")
                    ?? bundle.url(forResource: name, withExtension: "txt")
            else {
                throw ResourceError(description: "missing resource \(name).txt")
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
        func lines(_ name: String) throws -> [Substring] {
            try text(name).split(separator: "\n", omittingEmptySubsequences: true)
                .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
                .filter { !$0.hasPrefix("#") }
        }
        func codeTable(_ name: String, trails: Int) throws -> [UInt32] {
            var table = [UInt32](repeating: 0, count: 126 * trails)
            for line in try lines(name) {
                let parts = line.split(separator: "\t", maxSplits: 1)
                guard parts.count == 2, let lead = UInt8(parts[0], radix: 16), lead >= 0x81 else {
                    throw ResourceError(description: "\(name).txt: bad line \(line.prefix(8))")
                }
                let scalars = Array(parts[1].unicodeScalars)
                guard scalars.count == trails else {
                    throw ResourceError(
                        description: "\(name).txt: lead \(parts[0]) has \(scalars.count) cells, expected \(trails)")
                }
                for (i, scalar) in scalars.enumerated() where scalar.value != 0xFFFD {
                    table[Int(lead - 0x81) * trails + i] = scalar.value
                }
            }
            return table
        }

        gbkDecode = try codeTable("gbk", trails: Self.gbkTrails.count)
        big5Decode = try codeTable("big5", trails: Self.big5Trails.count)
        var encode: [UInt32: UInt16] = [:]
        encode.reserveCapacity(22_000)
        for (index, value) in gbkDecode.enumerated() where value != 0 {
            let lead = UInt16(index / Self.gbkTrails.count + 0x81)
            let trail = UInt16(Self.gbkTrails[index % Self.gbkTrails.count])
            if encode[value] == nil { encode[value] = lead << 8 | trail }
        }
        gbkEncode = encode

        var bmp = [UInt32](repeating: 0, count: 0x10000)
        var other: [UInt32: UInt32] = [:]
        for line in try lines("ts-characters") {
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let from = parts[0].unicodeScalars.first,
                let to = parts[1].split(separator: " ").first?.unicodeScalars.first
            else { continue }
            guard parts[0].unicodeScalars.count == 1, from != to else { continue }
            if from.value < 0x10000 { bmp[Int(from.value)] = to.value } else { other[from.value] = to.value }
        }
        simplifyBMP = bmp
        simplifyOther = other

        var edges: [UInt64: Int32] = [:]
        var targets: [Int32: String] = [:]
        var nodes: Int32 = 1
        var starts = [Bool](repeating: false, count: 0x10000)
        var longest = 0
        for name in ["ts-phrases", "ts-phrases-extra"] {
            for line in try lines(name) {
                let parts = line.split(separator: "\t")
                guard parts.count == 2, let target = parts[1].split(separator: " ").first else { continue }
                let key = Array(parts[0].unicodeScalars)
                guard key.count >= 2 else { continue }
                var node: Int32 = 0
                for scalar in key {
                    let edge = UInt64(UInt32(node)) << 32 | UInt64(scalar.value)
                    if let next = edges[edge] {
                        node = next
                    } else {
                        edges[edge] = nodes
                        node = nodes
                        nodes += 1
                    }
                }
                targets[node] = String(target)
                if key[0].value < 0x10000 { starts[Int(key[0].value)] = true }
                longest = max(longest, key.count)
            }
        }
        phraseEdges = edges
        phraseTargets = targets
        phraseStart = starts
        longestPhrase = longest

        var readingTable: [UInt32: [String]] = [:]
        readingTable.reserveCapacity(21_000)
        for line in try lines("pinyin") {
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let scalar = parts[0].unicodeScalars.first else { continue }
            readingTable[scalar.value] = parts[1].split(separator: ",").map(String.init)
        }
        readings = readingTable

        var words: [String: Int] = [:]
        words.reserveCapacity(72_000)
        var longestWord = 0
        for line in try lines("lexicon") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let frequency = Int(parts[1]) else { continue }
            words[String(parts[0])] = frequency
        }
        for line in try lines("domain-lexicon") {
            let word = line.trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else { continue }
            words[word] = Self.domainFrequency
            longestWord = max(longestWord, word.unicodeScalars.count)
        }
        lexicon = words
        longestLexiconEntry = longestWord
        longLexiconPhrases = words.keys.filter { $0.unicodeScalars.count > 4 }.sorted().map {
            $0.unicodeScalars.map(\.value)
        }
        holes = HoleKey.index(words)

        var prefixes: [String] = []
        var prefixWords = Set<String>()
        for line in try lines("clickbait") {
            if line.hasPrefix("word ") {
                prefixWords.insert(String(line.dropFirst(5)))
            } else if line.hasPrefix("prefix ") {
                prefixes.append(String(line.dropFirst(7)))
            }
        }
        clickbaitPrefixes = prefixes.sorted { $0.count > $1.count }
        clickbaitWords = prefixWords

        var blocks: [String] = []
        var singles: [String] = []
        for line in try lines("furniture") {
            if line.hasPrefix("block ") {
                blocks.append(String(line.dropFirst(6)))
            } else if line.hasPrefix("line ") {
                singles.append(String(line.dropFirst(5)))
            }
        }
        furnitureBlockHeadings = blocks
        furnitureLines = singles
        furnitureBlockScalars = blocks.map { Array($0.unicodeScalars) }
        furnitureLineScalars = singles.map { Array($0.unicodeScalars) }

        // Commonness: GB 2312 level-1 hanzi 3, level-2 hanzi and CJK punctuation 2, Traditional forms
        // take the level of their Simplified form, ASCII letters and digits 1, everything else 0.
        var common = [UInt8](repeating: 0, count: 0x10000)
        for (index, value) in gbkDecode.enumerated() where value != 0 && value < 0x10000 {
            let lead = index / Self.gbkTrails.count + 0x81
            let trail = Int(Self.gbkTrails[index % Self.gbkTrails.count])
            guard trail >= 0xA1 else { continue }
            switch lead {
            case 0xB0...0xD7: common[Int(value)] = 3
            case 0xD8...0xF7: common[Int(value)] = 2
            case 0xA1, 0xA3: common[Int(value)] = 2
            default: break
            }
        }
        for (index, simplified) in bmp.enumerated() where simplified != 0 && simplified < 0x10000 {
            common[index] = max(common[index], common[Int(simplified)])
        }
        for value in 0x30...0x39 { common[value] = 1 }
        for value in 0x41...0x5A { common[value] = 1 }
        for value in 0x61...0x7A { common[value] = 1 }
        for punct in "，。、；：？！（）《》“”‘’—…·【】％".unicodeScalars { common[Int(punct.value)] = 2 }
        commonness = common

        var byTrail = [[(original: Unicode.Scalar, simplified: UInt32)]](repeating: [], count: 256)
        for (index, value) in gbkDecode.enumerated() where value != 0 {
            guard let scalar = Unicode.Scalar(value), scalar.isHan else { continue }
            let trail = Int(Self.gbkTrails[index % Self.gbkTrails.count])
            let simple = value < 0x10000 ? bmp[Int(value)] : (other[value] ?? 0)
            byTrail[trail].append((scalar, simple == 0 ? value : simple))
        }
        candidatesByTrail = byTrail
        simplifiedCandidatesByTrail = byTrail.map { list in
            var map: [UInt32: Unicode.Scalar] = [:]
            for candidate in list where map[candidate.simplified] == nil {
                map[candidate.simplified] = candidate.original
            }
            return map
        }
    }

    // MARK: - Lookups

    @inline(__always) func simplified(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        let target = value < 0x10000 ? simplifyBMP[Int(value)] : (simplifyOther[value] ?? 0)
        return target == 0 ? nil : Unicode.Scalar(target)
    }

    @inline(__always) func commonness(of scalar: Unicode.Scalar) -> UInt8 {
        scalar.value < 0x10000 ? commonness[Int(scalar.value)] : 0
    }

    func gbk(lead: UInt8, trail: UInt8) -> Unicode.Scalar? {
        guard lead >= 0x81, lead <= 0xFE, let trailIndex = Self.gbkTrailIndex(trail) else { return nil }
        let value = gbkDecode[Int(lead - 0x81) * Self.gbkTrails.count + trailIndex]
        return value == 0 ? nil : Unicode.Scalar(value)
    }

    func big5(lead: UInt8, trail: UInt8) -> Unicode.Scalar? {
        guard lead >= 0x81, lead <= 0xFE else { return nil }
        let trailIndex: Int
        switch trail {
        case 0x40...0x7E: trailIndex = Int(trail - 0x40)
        case 0xA1...0xFE: trailIndex = Int(trail - 0xA1) + 63
        default: return nil
        }
        let value = big5Decode[Int(lead - 0x81) * Self.big5Trails.count + trailIndex]
        return value == 0 ? nil : Unicode.Scalar(value)
    }

    @inline(__always) static func gbkTrailIndex(_ trail: UInt8) -> Int? {
        switch trail {
        case 0x40...0x7E: return Int(trail - 0x40)
        case 0x80...0xFE: return Int(trail - 0x41)
        default: return nil
        }
    }

    /// The GBK bytes of a scalar: one byte for ASCII, two for a mapped character, nil otherwise.
    func gbkBytes(_ scalar: Unicode.Scalar) -> [UInt8]? {
        if scalar.value < 0x80 { return [UInt8(scalar.value)] }
        guard let code = gbkEncode[scalar.value] else { return nil }
        return [UInt8(code >> 8), UInt8(code & 0xFF)]
    }

    func isReading(_ syllable: ArraySlice<Unicode.Scalar>, of scalar: Unicode.Scalar) -> Bool {
        guard let list = readings[scalar.value] else { return false }
        return list.contains { $0.unicodeScalars.elementsEqual(syllable) }
    }

    func isReading(_ syllable: String, of scalar: Unicode.Scalar) -> Bool {
        readings[scalar.value]?.contains(syllable) ?? false
    }
}

/// A lexicon word with one character left out: its length, the gap's position and the other
/// characters in order (unused slots zero).
struct HoleKey: Hashable, Sendable {
    let shape: UInt8
    let a: UInt32
    let b: UInt32
    let c: UInt32

    init(length: Int, hole: Int, known: [UInt32]) {
        shape = UInt8(length * 4 + hole)
        a = known.count > 0 ? known[0] : 0
        b = known.count > 1 ? known[1] : 0
        c = known.count > 2 ? known[2] : 0
    }

    static func index(_ words: [String: Int]) -> [HoleKey: [(UInt32, Int32)]] {
        var index: [HoleKey: [(UInt32, Int32)]] = [:]
        index.reserveCapacity(200_000)
        for (word, frequency) in words {
            let scalars = word.unicodeScalars.map(\.value)
            guard (2...4).contains(scalars.count) else { continue }
            for hole in 0..<scalars.count {
                var known = scalars
                let gap = known.remove(at: hole)
                index[HoleKey(length: scalars.count, hole: hole, known: known), default: []]
                    .append((gap, Int32(clamping: frequency)))
            }
        }
        return index
    }
}

extension Unicode.Scalar {
    /// CJK unified ideographs (basic block, extension A, compatibility) and the ideographic zero.
    @inline(__always) var isHan: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x3007: return true
        default: return false
        }
    }

    /// Full-width punctuation used in Chinese running text.
    @inline(__always) var isCJKPunctuation: Bool {
        switch value {
        case 0x3000...0x303F, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65, 0x2014, 0x2026,
            0x201C, 0x201D, 0x2018, 0x2019, 0x00B7:
            return true
        default: return false
        }
    }

    @inline(__always) var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
}

extension Collection where Element == Unicode.Scalar {
    /// The scalars as a String, encoded through a stack buffer (short strings then need no heap).
    var string: String {
        let capacity = count * 4
        guard capacity > 0 else { return "" }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var n = 0
            for scalar in self {
                UTF8.encode(scalar) { byte in
                    buffer[n] = byte
                    n += 1
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<n]), as: UTF8.self)
        }
    }
}
