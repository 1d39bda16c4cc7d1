import Fluent
import Foundation
import Vapor

/// Failed sign-ins are counted per account and per client address over a window. From the
/// `maxFailures`-th failure on, each further attempt must wait twice as long as the one before
/// (1 s, 2 s, 4 s, … up to `maxBackoff`) after the last failure. Kept in the database so that
/// every app instance sees the same counts.
struct LoginThrottle {
    let db: any Database
    let settings: AuthSettings
    let now: Date

    static func keys(email: String, address: String?) -> [String] {
        ["account:" + email] + (address.map { ["address:" + $0] } ?? [])
    }

    /// Seconds to wait before another attempt is looked at, or nil when one may try now.
    func wait(for keys: [String]) async throws -> Int? {
        let since = now.addingTimeInterval(-settings.failureWindow)
        var longest: TimeInterval = 0
        for key in keys {
            let failures = try await LoginFailureModel.query(on: db).filter(\.$key == key).filter(\.$failedAt >= since)
                .sort(\.$failedAt, .descending).all()
            guard failures.count >= settings.maxFailures, let last = failures.first?.failedAt else { continue }
            let backoff = min(pow(2, Double(failures.count - settings.maxFailures)), settings.maxBackoff)
            let remaining = last.addingTimeInterval(backoff).timeIntervalSince(now)
            longest = max(longest, remaining)
        }
        return longest > 0 ? Int(longest.rounded(.up)) : nil
    }

    func recordFailure(_ keys: [String]) async throws {
        for key in keys {
            let row = LoginFailureModel()
            row.key = key
            row.failedAt = now
            try await row.create(on: db)
        }
        // Old rows are of no further use.
        try await LoginFailureModel.query(on: db).filter(\.$failedAt < now.addingTimeInterval(-settings.failureWindow))
            .delete()
    }

    func clear(account email: String) async throws {
        try await LoginFailureModel.query(on: db).filter(\.$key == "account:" + email).delete()
    }
}
