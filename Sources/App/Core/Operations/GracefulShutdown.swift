import NIOConcurrencyHelpers
import Vapor

/// On SIGTERM (or Ctrl-C) the server stops accepting connections, lets the requests in flight finish
/// (up to `SHUTDOWN_GRACE_SECONDS`), and only then does the database pool close. Vapor shuts its
/// lifecycle handlers down in reverse order and the HTTP server after them, so this handler — the last
/// one registered — stops the server first; the later call Vapor makes finds it already stopped.
struct GracefulShutdown: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        application.drain.set()
        // Only a serving app has a server to stop; a command's output stays its own.
        guard application.http.server.shared.localAddress != nil else { return }
        let grace = application.operations.shutdownGraceSeconds
        application.logger.info("stopping: finishing requests in flight (up to \(grace) s)")
        await application.http.server.shared.shutdown()
        application.logger.info("stopped accepting requests; closing the database connections")
    }
}

/// Whether the server has begun to stop, safe to read from any request.
final class DrainFlag: Sendable {
    private let value = NIOLockedValueBox(false)
    var isSet: Bool { value.withLockedValue { $0 } }
    func set() { value.withLockedValue { $0 = true } }
}

extension Application {
    private struct DrainKey: StorageKey { typealias Value = DrainFlag }

    /// Set once the server has begun to stop: readiness answers 503 so a load balancer sends no more.
    var drain: DrainFlag {
        get { configured(DrainKey.self, "drain") }
        set { storage[DrainKey.self] = newValue }
    }
}
