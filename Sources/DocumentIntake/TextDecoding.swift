import Foundation

/// Turns uploaded bytes into text: UTF-8 (with or without a byte-order mark), GBK or Big5. Binary
/// files and bytes that fit none of these are refused with a reason that says which.
public struct TextDecoding: Sendable {
    public enum Encoding: String, Codable, Sendable {
        case utf8 = "utf-8"
        case gbk
        case big5
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case empty
        case binary(offset: Int)
        case undecodable(declared: String?)
        case unknownCharset(String)

        public var description: String {
            switch self {
            case .empty: return "the file is empty"
            case .binary(let offset):
                return "the file looks binary (a control byte at offset \(offset)); upload a .txt or .html file"
            case .undecodable(let declared):
                if let declared { return "the bytes are not valid \(declared), as the file declares" }
                return "the bytes are neither UTF-8 nor GBK nor Big5"
            case .unknownCharset(let name):
                return "unsupported charset '\(name)'; use UTF-8, GBK, GB2312, GB18030 or Big5"
            }
        }
    }

    public let data: IntakeData

    public init(data: IntakeData = .shared) { self.data = data }

    /// Decodes `bytes`. `declared` is a charset named by the caller (an HTTP header or form field);
    /// without it, an HTML `<meta charset>` in the first 2 KB is honoured, and otherwise UTF-8, GBK and
    /// Big5 are tried in turn, the better-scoring of GBK and Big5 winning when both fit.
    public func decode(_ bytes: [UInt8], declared: String? = nil) throws -> (text: String, encoding: Encoding) {
        guard !bytes.isEmpty else { throw Failure.empty }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let offset = body.firstIndex(where: {
            $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B
        }) {
            throw Failure.binary(offset: offset)
        }
        let named = declared ?? Self.metaCharset(body.prefix(2048))
        if let named {
            guard let encoding = Self.encoding(named: named) else { throw Failure.unknownCharset(named) }
            guard let text = decode(body, as: encoding) else { throw Failure.undecodable(declared: named) }
            return (text, encoding)
        }
        if let text = decode(body, as: .utf8) { return (text, .utf8) }
        let gbk = decode(body, as: .gbk)
        let big5 = decode(body, as: .big5)
        switch (gbk, big5) {
        case (let g?, let b?): return score(g) >= score(b) ? (g, .gbk) : (b, .big5)
        case (let g?, nil): return (g, .gbk)
        case (nil, let b?): return (b, .big5)
        default: throw Failure.undecodable(declared: nil)
        }
    }

    public static func encoding(named name: String) -> Encoding? {
        switch name.lowercased().trimmingCharacters(in: .whitespaces) {
        case "utf-8", "utf8": return .utf8
        case "gbk", "gb2312", "gb18030", "cp936", "x-gbk", "euc-cn": return .gbk
        case "big5", "big-5", "cp950", "big5-hkscs": return .big5
        default: return nil
        }
    }

    static func metaCharset(_ head: ArraySlice<UInt8>) -> String? {
        let ascii = String(decoding: head.map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        guard let range = ascii.range(of: "charset=") else { return nil }
        var name = ascii[range.upperBound...].drop(while: { $0 == "\"" || $0 == "'" || $0 == " " })
        name = name.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        return name.isEmpty ? nil : String(name)
    }

    func decode(_ bytes: ArraySlice<UInt8>, as encoding: Encoding) -> String? {
        switch encoding {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .gbk, .big5:
            var scalars = String.UnicodeScalarView()
            var k = bytes.startIndex
            while k < bytes.endIndex {
                let b = bytes[k]
                if b < 0x80 {
                    scalars.append(Unicode.Scalar(b))
                    k += 1
                    continue
                }
                guard k + 1 < bytes.endIndex else { return nil }
                let scalar =
                    encoding == .gbk ? data.gbk(lead: b, trail: bytes[k + 1]) : data.big5(lead: b, trail: bytes[k + 1])
                guard let scalar else { return nil }
                scalars.append(scalar)
                k += 2
            }
            return String(scalars)
        }
    }

    func score(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + Int(data.commonness(of: $1)) }
    }
}
