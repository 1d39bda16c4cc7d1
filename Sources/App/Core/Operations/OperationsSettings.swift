import Foundation
import Vapor

/// How the server is run, read with the rest of the configuration: its public address, the proxies
/// in front of it, how long a restart waits for requests, the log format and who may read the metrics.
struct OperationsSettings: Sendable, Equatable {
    enum LogFormat: String, Sendable, Equatable { case text, json }

    /// `PUBLIC_URL`: the scheme, host and port people reach the server at, for every absolute link.
    var publicURL: String?
    /// `TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` names the client.
    var trustedProxies: [AddressRange] = []
    /// `SHUTDOWN_GRACE_SECONDS`: how long a stopping server lets requests in flight finish.
    var shutdownGraceSeconds = 20
    /// `LOG_FORMAT`: one plain line, or one JSON object, per log entry.
    var logFormat = LogFormat.text
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for; without one the metrics are not served.
    var metricsToken: String?

    /// The address absolute links start with: `PUBLIC_URL`, or the address the server listens on.
    func base(listening configuration: HTTPServer.Configuration) -> String {
        if let publicURL { return publicURL }
        let host = configuration.hostname == "0.0.0.0" ? "127.0.0.1" : configuration.hostname
        return "http://\(host):\(configuration.port)"
    }

    static func publicURL(_ value: String?) throws(AppConfig.Error) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard let parts = URLComponents(string: value), let scheme = parts.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = parts.host, !host.isEmpty,
            parts.query == nil, parts.fragment == nil, parts.user == nil, parts.path.isEmpty || parts.path == "/"
        else {
            throw AppConfig.Error(
                variable: "PUBLIC_URL", reason: "'\(value)' is not an address such as https://ladder.example.gov.cn")
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    static func trustedProxies(_ value: String?) throws(AppConfig.Error) -> [AddressRange] {
        guard let value, !value.isEmpty else { return [] }
        var ranges: [AddressRange] = []
        for item in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let range = AddressRange(item) else {
                throw AppConfig.Error(
                    variable: "TRUSTED_PROXIES", reason: "'\(item)' is not an address or a range such as 10.0.0.0/8")
            }
            ranges.append(range)
        }
        return ranges
    }

    static func logFormat(_ value: String?) throws(AppConfig.Error) -> LogFormat {
        guard let value, !value.isEmpty else { return .text }
        guard let format = LogFormat(rawValue: value.lowercased()) else {
            throw AppConfig.Error(variable: "LOG_FORMAT", reason: "'\(value)' is neither text nor json")
        }
        return format
    }

    static func metricsToken(_ value: String?) throws(AppConfig.Error) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard value.count >= 24, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AppConfig.Error(variable: "METRICS_TOKEN", reason: "at least 24 printable characters, no spaces")
        }
        return value
    }
}

/// An IPv4 or IPv6 address, or a range of them in CIDR notation (`10.0.0.0/8`, `fd00::/8`).
struct AddressRange: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let bytes = Self.bytes(parts[0]) else { return nil }
        let bits = bytes.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            self.prefix = bits
        }
        self.bytes = bytes
    }

    func contains(_ address: String) -> Bool {
        guard let other = Self.bytes(address), other.count == bytes.count else { return false }
        var left = prefix
        for (a, b) in zip(bytes, other) where left > 0 {
            let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
            if a & mask != b & mask { return false }
            left -= 8
        }
        return true
    }

    /// The address's bytes: four for IPv4, sixteen for IPv6.
    static func bytes(_ text: String) -> [UInt8]? {
        let text = text.trimmingCharacters(in: .whitespaces)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}

extension Request {
    /// The client's address (see `OperationsSettings.clientAddress`).
    var clientAddress: String? {
        OperationsSettings.clientAddress(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
            trusted: application.operations.trustedProxies)
    }
}

extension OperationsSettings {
    /// The connection's peer, or — when the peer is a trusted proxy — the last address in
    /// `X-Forwarded-For` that is not a trusted proxy (addresses before it could be made up by the client).
    static func clientAddress(peer: String?, forwardedFor: [String], trusted: [AddressRange]) -> String? {
        guard let peer, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for address in chain.reversed() {
            guard AddressRange.bytes(address) != nil else { return peer }
            if !trusted.contains(where: { $0.contains(address) }) { return address }
        }
        return peer
    }
}

extension Application {
    private struct OperationsKey: StorageKey { typealias Value = OperationsSettings }

    var operations: OperationsSettings {
        get { configured(OperationsKey.self, "operations") }
        set { storage[OperationsKey.self] = newValue }
    }
}
