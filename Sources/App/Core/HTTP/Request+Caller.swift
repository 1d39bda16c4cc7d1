import ClusterDomain
import Vapor

extension Request {
    /// The caller of an API write: only an API token counts; the session cookie is for the web forms.
    func tokenCaller() throws -> Caller {
        guard let caller, caller.via.hasPrefix("token:") else { throw AuthError.signInRequired }
        return caller
    }
}

/// Query parameters with bounds: whole numbers (`page`, `per_page`, `limit`), a data year, a tier.
enum QueryValue {
    static func positive(_ text: String?, _ name: String, default fallback: Int, max: Int) throws -> Int {
        guard let text, !text.isEmpty else { return fallback }
        guard let n = Int(text), n >= 1, n <= max else {
            throw APIError(.badRequest, "parameter '\(name)': a whole number from 1 to \(max)", parameter: name)
        }
        return n
    }

    /// A data year from 2019 to last year; last year when not given.
    static func dataYear(_ text: String?, today: Day) throws -> Int {
        guard let text, !text.isEmpty else { return today.year - 1 }
        guard let y = Int(text), (2019..<today.year).contains(y) else {
            throw APIError(
                .badRequest, "parameter 'year': a data year from 2019 to \(today.year - 1)", parameter: "year")
        }
        return y
    }

    /// The `tier` parameter: national when not given.
    static func tier(_ text: String?) throws -> Tier {
        let name = text?.nilIfBlank ?? Tier.national.rawValue
        guard let tier = Tier(rawValue: name) else {
            throw APIError(
                .badRequest, "parameter 'tier': unknown tier '\(name.prefix(40))'", parameter: "tier",
                allowed: Tier.allCases.map(\.rawValue))
        }
        return tier
    }

}
