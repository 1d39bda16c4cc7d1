import ClusterDomain
import Foundation
import Vapor

/// Text as it enters the system: a control character (NUL and the other C0 controls except tab, line
/// feed and carriage return, and DEL) is refused naming the field it was in, and text is stored in
/// Unicode normalisation form C, so that the same name typed on two keyboards is the same bytes.
/// Forms and JSON bodies are checked by the content decoders below, query strings by `parseQuery`;
/// both databases then see the same clean text (PostgreSQL cannot store a NUL; SQLite would store
/// it and every reader would stop at it).
enum CleanInput {
    static func controlCharacter(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { s in
            (s.value < 0x20 && s != "\t" && s != "\n" && s != "\r") || s.value == 0x7F
        }
    }

    /// The text in NFC, or nil when it already is.
    static func normalised(_ text: String) -> String? {
        guard !text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        let nfc = text.precomposedStringWithCanonicalMapping
        return nfc.utf8.elementsEqual(text.utf8) ? nil : nfc
    }

    /// Checks one named value; the value in NFC.
    static func checked(_ value: String, field: String, inQuery: Bool = false) throws -> String {
        if let scalar = controlCharacter(in: value) {
            throw ControlCharacterError(field: field, scalar: scalar, inQuery: inQuery)
        }
        return normalised(value) ?? value
    }
}

/// A control character in a field or a query parameter: 422 (400 in a query) naming the field.
struct ControlCharacterError: Error, CustomStringConvertible {
    let field: String
    let scalar: Unicode.Scalar
    let inQuery: Bool

    var code: String { "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) }
    var description: String { "'\(field)' contains the control character \(code), which no text may hold" }

    /// The message, naming the field by `fieldName` (its label on a page, its name in the API).
    func message(fieldName: String) -> Message {
        Message("input.control_character", ["field": fieldName, "code": code])
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A decoder that checks a body before its base decoder reads it; the call without `userInfo` is the one with.
protocol CheckingContentDecoder: ContentDecoder {}

extension CheckingContentDecoder {
    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers, userInfo: [:])
    }
}

/// The JSON decoder of every API body, after the check: a `\u0000`-style escape of a control character
/// in a string is found by walking the parsed document, so the error names its path (`partners[1].name`).
struct CleanJSONDecoder: CheckingContentDecoder {
    let base: JSONDecoder

    func decode<D: Decodable>(
        _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> D {
        let text = String(buffer: body)
        if text.range(of: #"\\u00[01][0-9a-f]|\\u007f"#, options: [.regularExpression, .caseInsensitive]) != nil,
            let document = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        {
            try Self.check(document, path: "")
        }
        var buffer = body
        if let nfc = CleanInput.normalised(text) { buffer = ByteBuffer(string: nfc) }
        return try base.decode(D.self, from: buffer, headers: headers, userInfo: userInfo)
    }

    private static func check(_ value: Any, path: String) throws {
        switch value {
        case let text as String:
            _ = try CleanInput.checked(text, field: path.isEmpty ? "body" : path)
        case let object as [String: Any]:
            for (key, inner) in object.sorted(by: { $0.key < $1.key }) {
                _ = try CleanInput.checked(key, field: path.isEmpty ? "body" : path)
                try check(inner, path: path.isEmpty ? key : path + "." + key)
            }
        case let array as [Any]:
            for (i, inner) in array.enumerated() { try check(inner, path: path + "[\(i)]") }
        default:
            return
        }
    }
}

/// The form decoder of every page, after the check: each name and value is percent-decoded, checked and
/// put in NFC before the form is read.
struct CleanFormDecoder: CheckingContentDecoder {
    let base = URLEncodedFormDecoder()

    func decode<D: Decodable>(
        _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> D {
        let text = String(buffer: body)
        var changed = false
        var pairs: [String] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decoded(parts[0]), let value = Self.decoded(parts.count > 1 ? parts[1] : "") else {
                // Not percent-encoded UTF-8: the form decoder reports it.
                return try base.decode(D.self, from: body, headers: headers, userInfo: userInfo)
            }
            let field = CleanInput.normalised(name) ?? name
            try Self.refuseControl(in: name)
            let clean = try CleanInput.checked(value, field: field)
            changed = changed || field != name || !clean.utf8.elementsEqual(value.utf8)
            pairs.append(Self.encoded(field) + (parts.count > 1 ? "=" + Self.encoded(clean) : ""))
        }
        guard changed else { return try base.decode(D.self, from: body, headers: headers, userInfo: userInfo) }
        return try base.decode(
            D.self, from: ByteBuffer(string: pairs.joined(separator: "&")), headers: headers, userInfo: userInfo)
    }

    /// A control character in a field's name: the error names the field without it.
    private static func refuseControl(in name: String) throws {
        if let scalar = CleanInput.controlCharacter(in: name) {
            let shown = String(
                String.UnicodeScalarView(
                    name.unicodeScalars.filter { CleanInput.controlCharacter(in: String($0)) == nil }))
            throw ControlCharacterError(field: shown, scalar: scalar, inQuery: false)
        }
    }

    private static func decoded(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~[]")

    private static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// The multipart decoder of uploads, after the check: the decoded value's text fields (not its files)
/// are walked, and a control character is refused naming the field.
struct CleanMultipartDecoder: CheckingContentDecoder {
    let base = FormDataDecoder()

    func decode<D: Decodable>(
        _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]
    ) throws -> D {
        let value = try base.decode(D.self, from: body, headers: headers, userInfo: userInfo)
        try Self.check(value, field: "body")
        return value
    }

    private static func check(_ value: Any, field: String) throws {
        if let text = value as? String {
            _ = try CleanInput.checked(text, field: field)
            return
        }
        if value is File || value is ByteBuffer || value is Data { return }
        for child in Mirror(reflecting: value).children {
            // Property wrappers and optionals show as `_name` and `some`; the field keeps its own name.
            let label = child.label.map { $0.hasPrefix("_") ? String($0.dropFirst()) : $0 }
            try check(child.value, field: label == nil || label == "some" ? field : label!)
        }
    }
}
