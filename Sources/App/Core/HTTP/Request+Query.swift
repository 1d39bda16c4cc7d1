import ClusterDomain
import Vapor

extension Request {
    /// The query string as name → value, checked against the names a resource accepts.
    /// A name given twice is an error, except `facet`, whose values are joined with commas.
    func queryParameters(for route: APIRoute) throws -> [String: String] {
        try Self.parseQuery(url.query, allowed: route.parameters)
    }

    static let maxQueryLength = 2048

    /// `ignoringUnknown` is for pages: a shared link gains parameters the page never asked for
    /// (WeChat's `from=singlemessage&isappinstalled=0`, `utm_*` tags), and the page opens all the same.
    /// The API stays strict: an unknown parameter there is a 400 that names it.
    static func parseQuery(_ query: String?, allowed: [String], ignoringUnknown: Bool = false) throws -> [String:
        String]
    {
        guard let query, !query.isEmpty else { return [:] }
        guard query.utf8.count <= maxQueryLength else {
            throw APIError(.badRequest, "query string longer than \(maxQueryLength) bytes")
        }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let raw = decode(parts.count > 1 ? parts[1] : "") else {
                throw APIError(.badRequest, "query string is not valid percent-encoded UTF-8")
            }
            guard allowed.contains(name) else {
                if ignoringUnknown { continue }
                _ = try CleanInput.checked(name, field: "query", inQuery: true)
                throw APIError(
                    .badRequest,
                    "parameter '\(name)': unknown parameter; allowed: "
                        + (allowed.isEmpty ? "none" : allowed.joined(separator: ", ")),
                    parameter: name, allowed: allowed)
            }
            let value = try CleanInput.checked(raw, field: name, inQuery: true)
            if let existing = result[name] {
                guard name == "facet" else {
                    throw APIError(.badRequest, "parameter '\(name)': given more than once", parameter: name)
                }
                result[name] = existing + "," + value
            } else {
                result[name] = value
            }
        }
        return result
    }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// `as_of` as a day, today (Beijing time) when absent.
    func asOf(_ params: [String: String]) throws -> Day {
        do { return try ClusterQuery.parseAsOf(params["as_of"], today: application.today()) } catch {
            throw APIError(error)
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The `format` parameter of a resource that also comes as CSV: true for `csv`, false for `json` or
    /// none; anything else is a 400 that names the parameter.
    func wantsCSV() throws -> Bool {
        switch self["format"]?.trimmingCharacters(in: .whitespaces) ?? "" {
        case "", "json": return false
        case "csv": return true
        case let other:
            throw APIError(
                .badRequest, "parameter 'format': unknown format '\(other.prefix(40))'; allowed: json, csv",
                parameter: "format", allowed: ["json", "csv"])
        }
    }
}
