import FluentPostgresDriver
import Vapor

/// Whether an error means the database cannot be reached right now (down, restarting, refusing
/// connections, every pooled connection busy past the pool's timeout, or the pool closing while the
/// server stops): such a request is answered 503 with a
/// page that asks to try again, not 500.
enum DatabaseAvailability {
    /// SQLSTATEs of a server that is shutting down, starting, or full.
    private static let unavailableStates: Set<String> = ["57P01", "57P02", "57P03", "53300", "08000", "08003", "08006"]

    static func isUnavailable(_ error: any Error) -> Bool {
        if let e = error as? PSQLError {
            switch e.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return true
            case .server:
                return e.serverInfo?[.sqlState].map(unavailableStates.contains) ?? false
            default:
                return false
            }
        }
        let type = String(reflecting: Swift.type(of: error))
        // A pool that stays exhausted past its timeout is an overload: 503 with Retry-After, not a 500.
        return type.contains("ConnectionPoolError") || type.contains("ConnectionPoolTimeoutError")
            || type.contains("NIOConnectionError")
            || type.hasPrefix("NIOCore.ChannelError")
    }
}
