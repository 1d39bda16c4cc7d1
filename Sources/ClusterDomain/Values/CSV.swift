import Foundation

/// RFC 4180 comma-separated values: the reader for the project's data files and the writer
/// for downloads.
public enum CSV {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Splits text into rows of fields. Quoted fields may hold commas, quotes (doubled) and newlines.
    public static func parse(_ text: String) throws(ParseError) -> [[String]] {
        var reader = Reader(text)
        while let c = reader.next() {
            if reader.inQuotes {
                reader.quoted(c)
            } else {
                try reader.unquoted(c)
            }
        }
        return try reader.finish()
    }

    /// The parser's state: the rows so far, the row and field being read, and one character of
    /// look-ahead (a quote inside a quoted field is either doubled or its end).
    struct Reader {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldStarted = false
        var line = 1
        var iterator: String.UnicodeScalarView.Iterator
        var pending: Unicode.Scalar?

        init(_ text: String) { iterator = text.unicodeScalars.makeIterator() }

        mutating func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }

        mutating func quoted(_ c: Unicode.Scalar) {
            guard c == "\"" else {
                if c == "\n" { line += 1 }
                field.unicodeScalars.append(c)
                return
            }
            let following = next()
            if following == "\"" {
                field.unicodeScalars.append("\"")
            } else {
                inQuotes = false
                pending = following
            }
        }

        mutating func unquoted(_ c: Unicode.Scalar) throws(ParseError) {
            switch c {
            case "\"":
                guard field.isEmpty else { throw ParseError(line: line, reason: "a quote inside an unquoted field") }
                inQuotes = true
                fieldStarted = true
            case ",":
                row.append(field)
                field = ""
                fieldStarted = true
            case "\r":
                return
            case "\n":
                row.append(field)
                field = ""
                rows.append(row)
                row = []
                fieldStarted = false
                line += 1
            default:
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
        }

        mutating func finish() throws(ParseError) -> [[String]] {
            if inQuotes { throw ParseError(line: line, reason: "a quoted field is not closed") }
            if fieldStarted || !field.isEmpty || !row.isEmpty {
                row.append(field)
                rows.append(row)
            }
            return rows
        }
    }

    /// Parses a file whose first row names the columns; each later row becomes a dictionary.
    /// Every row must have as many fields as the header.
    public static func records(_ text: String) throws(ParseError) -> [[String: String]] {
        let rows = try parse(text)
        guard let header = rows.first else { return [] }
        var result: [[String: String]] = []
        for (index, row) in rows.dropFirst().enumerated() {
            if row == [""] { continue }
            guard row.count == header.count else {
                throw ParseError(
                    line: index + 2,
                    reason: "\(row.count) fields where the header has \(header.count)")
            }
            result.append(Dictionary(uniqueKeysWithValues: zip(header, row)))
        }
        return result
    }

    /// One field, quoted when needed. A value that a spreadsheet would run as a formula
    /// (starting with = + - @ or a tab) is prefixed with an apostrophe; a plain number such as
    /// -4.5e8 is not a formula and stays as it is.
    public static func escape(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first), Double(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }
}
