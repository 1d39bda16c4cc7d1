import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 30-second steps), the
/// second factor authenticator apps (Microsoft/Google Authenticator, 腾讯身份验证器…) compute; and
/// recovery codes for a lost phone.
enum TOTP {
    static let step: TimeInterval = 30
    static let digits = 6
    /// How many steps either side of now a code is accepted for (clock drift, typing time).
    static let window: Int64 = 1

    static func counter(at time: Date) -> Int64 { Int64((time.timeIntervalSince1970 / step).rounded(.down)) }

    /// HOTP of `counter` with the secret: dynamic truncation of HMAC-SHA1, `digits` decimal digits.
    static func code(secret: [UInt8], counter: Int64, digits: Int = digits) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step the typed code belongs to, when it is one of the window around `now` and later than
    /// `after` (a code is used once); nil otherwise. Spaces in the typed code are ignored.
    static func verify(_ typed: String, secret: [UInt8], now: Date, after: Int64?) -> Int64? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let current = counter(at: now)
        for candidate in (current - window)...(current + window) where candidate > (after ?? Int64.min) {
            if CSRF.constantTimeEqual(Self.code(secret: secret, counter: candidate), code) { return candidate }
        }
        return nil
    }

    static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The `otpauth://` address an authenticator app reads (typed in, or from a QR code elsewhere).
    static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        var parts = URLComponents()
        parts.scheme = "otpauth"
        parts.host = "totp"
        parts.path = "/" + issuer + ":" + account
        parts.queryItems = [
            URLQueryItem(name: "secret", value: Base32.encode(secret)), URLQueryItem(name: "issuer", value: issuer),
            URLQueryItem(name: "digits", value: String(digits)), URLQueryItem(name: "period", value: "30"),
        ]
        return parts.string ?? ""
    }

    /// Ten recovery codes, each usable once instead of a code (`abcde-fghij`, Base32 letters and digits).
    static func recoveryCodes() -> [String] {
        (0..<10).map { _ in
            let text = Base32.encode(newSecret()).lowercased().prefix(10)
            return text.prefix(5) + "-" + text.suffix(5)
        }
    }

    /// How a recovery code is stored: SHA-256 of its letters without the dash or spaces, lower case.
    static func recoveryHash(_ code: String) -> String {
        let plain = code.lowercased().filter { $0.isLetter || $0.isNumber }
        return SHA256.hash(data: Data(plain.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// RFC 4648 Base32 (A–Z, 2–7), as authenticator apps take secrets; decoding ignores case, spaces and padding.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(_ bytes: [UInt8], padded: Bool = false) -> String {
        var result = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { result.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        if padded { while result.count % 8 != 0 { result.append("=") } }
        return result
    }

    static func decode(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased() where character != "=" && !character.isWhitespace {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                result.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return result
    }
}
