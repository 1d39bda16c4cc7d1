import Foundation
import NIOCore
import Vapor

/// Adds `Server-Timing: app;dur=<ms>` to every response: the time from the request entering the
/// middleware chain to the response leaving it, as measured by the server itself. The benchmark
/// script reads it; browsers show it in their developer tools.
struct ServerTimingMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = NIODeadline.now()
        let response = try await next.respond(to: request)
        let elapsed = Double((NIODeadline.now() - start).nanoseconds) / 1_000_000
        response.headers.replaceOrAdd(name: "Server-Timing", value: String(format: "app;dur=%.2f", elapsed))
        return response
    }
}
