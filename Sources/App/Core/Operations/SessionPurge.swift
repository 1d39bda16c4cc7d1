import Fluent
import Foundation
import Vapor

/// Deletes the sessions that can no longer be used: signed in longer ago than SESSION_HOURS, or opened
/// (a sign-in form shown) that long ago and never signed into, or without either time (made before
/// sessions carried one). A serving instance runs it at start and then every hour; with several
/// instances each does, which is harmless.
enum SessionPurge {
    static func run(on db: any Database, now: Date, lifetime: TimeInterval) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - lifetime
        var expired: [UUID] = []
        for session in try await SessionRecord.query(on: db).all() {
            let data = session.data
            let started = (data["signed_in_at"] ?? data["opened_at"]).flatMap(Double.init)
            if started.map({ $0 < cutoff }) ?? true, let id = session.id { expired.append(id) }
        }
        for chunk in stride(from: 0, to: expired.count, by: 500) {
            let ids = Array(expired[chunk..<min(chunk + 500, expired.count)])
            try await SessionRecord.query(on: db).filter(\.$id ~~ ids).delete()
        }
        return expired.count
    }
}

/// Schedules the purge when the app serves.
struct SessionPurgeSchedule: LifecycleHandler {
    func didBoot(_ app: Application) throws {
        guard app.environment.arguments.dropFirst().first == "serve" else { return }
        app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(30), delay: .hours(1)) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                do {
                    let purged = try await SessionPurge.run(
                        on: app.db, now: app.clock(), lifetime: app.authSettings.sessionLifetime)
                    if purged > 0 { app.logger.info("purged \(purged) expired sessions") }
                    try await IdempotencyMiddleware.purge(on: app.db, now: app.clock())
                } catch {
                    app.logger.warning("session purge: \(String(describing: error))")
                }
            }
        }
    }
}
