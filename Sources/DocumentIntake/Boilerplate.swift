/// Step 1: strips HTML markup, scripts and page furniture, keeping the headline and the article body.
///
/// HTML input (anything with tags) is reduced to one line per block element; elements that never hold
/// the article (scripts, styles, navigation, headers, footers, asides, forms) go whole. Then, for HTML
/// and plain text alike, lines of page furniture listed in `furniture.txt` are dropped: "related news"
/// and ranking lists with their items, tag lines, copyright lines, navigation trails.
public struct Boilerplate: Sendable {
    public let data: IntakeData

    public init(data: IntakeData = .shared) { self.data = data }

    static let droppedElements: Set<String> = [
        "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "select",
        "button", "template", "svg",
    ]
    static let blockElements: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
        "article", "main", "blockquote", "dd", "dt", "dl", "hr", "body", "html", "figure", "figcaption", "pre",
    ]
    static let entities: [String: Unicode.Scalar] = [
        "nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "ldquo": "“",
        "rdquo": "”", "lsquo": "‘", "rsquo": "’", "mdash": "—", "ndash": "–", "hellip": "…",
        "middot": "·", "ensp": " ", "emsp": " ", "copy": "©", "reg": "®", "times": "×", "yen": "¥",
    ]

    public func run(_ input: [Unicode.Scalar]) -> StepResult {
        var repairs: [Repair] = []
        var lines: [(offset: Int, text: [Unicode.Scalar])]
        if Self.looksLikeHTML(input) {
            lines = html(input, repairs: &repairs)
        } else {
            lines = []
            var start = 0
            for i in 0...input.count where i == input.count || input[i] == "\n" {
                var line = Array(input[start..<i])
                Self.trim(&line)
                if !line.isEmpty { lines.append((start, line)) }
                start = i + 1
            }
        }
        let kept = dropFurniture(lines, repairs: &repairs)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(input.count)
        for (index, line) in kept.enumerated() {
            if index > 0 { out.append("\n") }
            out.append(contentsOf: line)
        }
        return StepResult(text: out, repairs: repairs)
    }

    static func looksLikeHTML(_ s: [Unicode.Scalar]) -> Bool {
        var i = 0
        var tags = 0
        while i + 1 < s.count, i < 200_000 {
            if s[i] == "<", s[i + 1] == "/" || s[i + 1] == "!" || Self.isLetter(s[i + 1]) {
                tags += 1
                if tags >= 2 { return true }
            }
            i += 1
        }
        return false
    }

    @inline(__always) static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\u{3000}" || c == "\u{00A0}" || c == "\u{FEFF}"
    }

    static func trim(_ line: inout [Unicode.Scalar]) {
        while let last = line.last, isSpace(last) { line.removeLast() }
        var lead = 0
        while lead < line.count, isSpace(line[lead]) { lead += 1 }
        if lead > 0 { line.removeFirst(lead) }
    }

    /// Lower-cased tag name starting at `i` (just after `<` or `</`).
    static func tagName(_ s: [Unicode.Scalar], from i: Int) -> String {
        var j = i
        var name = String.UnicodeScalarView()
        while j < s.count, isLetter(s[j]) || s[j].isASCIIDigit {
            let v = s[j].value
            name.append(Unicode.Scalar(v >= 0x41 && v <= 0x5A ? v + 0x20 : v)!)
            j += 1
        }
        return String(name)
    }

    /// Index just past the `>` that closes the tag starting at `i`, skipping quoted attribute values.
    static func tagEnd(_ s: [Unicode.Scalar], from i: Int) -> Int {
        var j = i
        var quote: Unicode.Scalar?
        while j < s.count {
            let c = s[j]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return j + 1
            }
            j += 1
        }
        return s.count
    }

    /// Index of `</name` (case-insensitive) at or after `i`, or the end.
    static func closing(_ name: String, in s: [Unicode.Scalar], from i: Int) -> Int {
        let target = Array(name.unicodeScalars)
        var j = i
        while j + 1 + target.count < s.count {
            if s[j] == "<", s[j + 1] == "/" {
                var match = true
                for (k, t) in target.enumerated() {
                    var v = s[j + 2 + k].value
                    if v >= 0x41 && v <= 0x5A { v += 0x20 }
                    if v != t.value {
                        match = false
                        break
                    }
                }
                if match { return j }
            }
            j += 1
        }
        return s.count
    }

    func html(_ s: [Unicode.Scalar], repairs: inout [Repair]) -> [(offset: Int, text: [Unicode.Scalar])] {
        var page = HTMLPage(s)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "<", i + 1 < s.count {
                i = page.markup(at: i)
                continue
            }
            if c == "&", let (decoded, next) = Self.entity(s, at: i) {
                page.append(decoded, at: i)
                i = next
                continue
            }
            if c == "\n" || c == "\r" || c == "\t" {
                page.space()
            } else {
                page.append(c, at: i)
            }
            i += 1
        }
        repairs += page.repairs
        return page.finish()
    }

    /// An HTML page read into article lines: the text of block elements a line each, page furniture
    /// left out (each removal a repair), and the headline — the first `<h1>`, else the `<title>` up to
    /// its site suffix — first.
    struct HTMLPage {
        let s: [Unicode.Scalar]
        var lines: [(offset: Int, text: [Unicode.Scalar])] = []
        var current: [Unicode.Scalar] = []
        var currentOffset = 0
        var title: [Unicode.Scalar] = []
        var headline: [Unicode.Scalar]?
        var headlineLine: Int?
        var inHeadline = false
        var repairs: [Repair] = []

        init(_ s: [Unicode.Scalar]) { self.s = s }

        mutating func append(_ c: Unicode.Scalar, at i: Int) {
            if current.isEmpty { currentOffset = i }
            current.append(c)
        }

        mutating func space() {
            if !current.isEmpty { current.append(" ") }
        }

        mutating func flush() {
            Boilerplate.collapse(&current)
            if !current.isEmpty {
                if inHeadline && headlineLine == nil { headlineLine = lines.count }
                lines.append((currentOffset, current))
            }
            current = []
        }

        /// Reads the markup that starts at `i` (a `<`); returns where reading goes on.
        mutating func markup(at i: Int) -> Int {
            if s[i + 1] == "!" {
                // Comment, doctype or CDATA.
                guard i + 3 < s.count, s[i + 2] == "-", s[i + 3] == "-" else {
                    return Boilerplate.tagEnd(s, from: i + 1)
                }
                var j = i + 4
                while j + 2 < s.count, !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                return min(s.count, j + 3)
            }
            let closingTag = s[i + 1] == "/"
            let nameStart = closingTag ? i + 2 : i + 1
            guard nameStart < s.count, Boilerplate.isLetter(s[nameStart]) else {
                append(s[i], at: i)
                return i + 1
            }
            let name = Boilerplate.tagName(s, from: nameStart)
            let end = Boilerplate.tagEnd(s, from: nameStart)
            if !closingTag && (Boilerplate.droppedElements.contains(name) || name == "title") {
                return element(name, at: i, contentStart: end)
            }
            if Boilerplate.blockElements.contains(name) {
                flush()
                if name == "h1" {
                    if closingTag, inHeadline {
                        inHeadline = false
                        if let index = headlineLine { headline = lines[index].text }
                    } else if !closingTag, headline == nil {
                        inHeadline = true
                    }
                }
            }
            return end
        }

        /// A `<title>` (kept aside) or a furniture element (dropped, as a repair); returns where it ends.
        mutating func element(_ name: String, at i: Int, contentStart end: Int) -> Int {
            let selfClosing = end >= 2 && s[end - 2] == "/"
            let close = selfClosing ? end : Boilerplate.closing(name, in: s, from: end)
            let after = close < s.count ? Boilerplate.tagEnd(s, from: close + 2) : s.count
            if name == "title" {
                title = Array(s[end..<close])
                Boilerplate.collapse(&title)
                return after
            }
            flush()
            var shown = Boilerplate.textOf(Array(s[end..<close]))
            if name == "script" || name == "style" || shown.isEmpty {
                shown = Array(s[i..<min(after, i + 60)])
            }
            repairs.append(
                Repair(
                    step: .boilerplate, offset: i, original: Array(shown.prefix(60)).string,
                    replacement: "", reason: "<\(name)> element is page furniture"))
            return after
        }

        mutating func finish() -> [(offset: Int, text: [Unicode.Scalar])] {
            flush()
            if let index = headlineLine, index > 0 {
                // The headline leads, even when navigation text came before it in the page.
                let line = lines.remove(at: index)
                lines.insert(line, at: 0)
            } else if headline == nil, !title.isEmpty {
                var cut = title.count
                for (k, c) in title.enumerated()
                where c == "_" || c == "|" || c == "｜" || (c == "-" && k > 0 && title[k - 1] == " ") {
                    cut = k
                    break
                }
                var head = Array(title[..<cut])
                Boilerplate.trim(&head)
                if !head.isEmpty, lines.first?.text != head { lines.insert((0, head), at: 0) }
            }
            return lines
        }
    }

    static func textOf(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < s.count {
            if s[i] == "<" {
                i = tagEnd(s, from: i + 1)
                out.append(" ")
                continue
            }
            out.append(s[i] == "\n" ? " " : s[i])
            i += 1
        }
        collapse(&out)
        return out
    }

    /// Collapses runs of white space into one space and trims both ends.
    static func collapse(_ line: inout [Unicode.Scalar]) {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(line.count)
        var pendingSpace = false
        for c in line {
            if isSpace(c) || c == "\n" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(c)
            }
        }
        line = out
    }

    static func entity(_ s: [Unicode.Scalar], at i: Int) -> (Unicode.Scalar, Int)? {
        var j = i + 1
        while j < s.count, j - i <= 10, s[j] != ";" { j += 1 }
        guard j < s.count, s[j] == ";", j > i + 1 else { return nil }
        let body = s[(i + 1)..<j].string
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, j + 1)
        }
        guard let scalar = entities[body.lowercased()] else { return nil }
        return (scalar, j + 1)
    }

    /// A line reduced for comparison with the furniture lists: pinyin annotations out, Simplified.
    func normalised(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(24)
        var i = 0
        while i < line.count, out.count < 16 {
            let c = line[i]
            if c == "(" {
                var j = i + 1
                while j < line.count, j - i <= 8, line[j] != ")", line[j].value > 0x60, !line[j].isHan { j += 1 }
                if j < line.count, line[j] == ")", j > i + 1 {
                    i = j + 1
                    continue
                }
            }
            out.append(data.simplified(c) ?? c)
            i += 1
        }
        return out
    }

    func dropFurniture(_ lines: [(offset: Int, text: [Unicode.Scalar])], repairs: inout [Repair]) -> [[Unicode.Scalar]]
    {
        var kept: [[Unicode.Scalar]] = []
        var inBlock: String?
        for (offset, line) in lines {
            let plain = normalised(line)
            if let index = data.furnitureLineScalars.firstIndex(where: { plain.starts(with: $0) }) {
                let pattern = data.furnitureLines[index]
                inBlock = nil
                repairs.append(
                    Repair(
                        step: .boilerplate, offset: offset, original: line.string, replacement: "",
                        reason: "page furniture line (\(pattern))"))
                continue
            }
            if let heading = inBlock {
                let endsSentence = line.last.map { "。！？!?".unicodeScalars.contains($0) } ?? false
                if line.count < 40 && !endsSentence {
                    repairs.append(
                        Repair(
                            step: .boilerplate, offset: offset, original: line.string, replacement: "",
                            reason: "item of a \"\(heading)\" list"))
                    continue
                }
                inBlock = nil
            }
            if let index = data.furnitureBlockScalars.firstIndex(where: { plain.starts(with: $0) }) {
                let heading = data.furnitureBlockHeadings[index]
                inBlock = heading
                repairs.append(
                    Repair(
                        step: .boilerplate, offset: offset, original: line.string, replacement: "",
                        reason: "\"\(heading)\" list heading"))
                continue
            }
            if line.count < 60,
                line.reduce(0, { $0 + ($1 == "|" || $1 == ">" || $1 == "｜" || $1 == "»" ? 1 : 0) }) >= 2,
                !line.contains("。")
            {
                repairs.append(
                    Repair(
                        step: .boilerplate, offset: offset, original: line.string, replacement: "",
                        reason: "navigation trail"))
                continue
            }
            kept.append(line)
        }
        return kept
    }
}
