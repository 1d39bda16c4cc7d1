import ClusterDomain
import Vapor

/// Per-session tokens for every form that changes something. Forms carry `_csrf`; a POST without
/// the session's token is refused with 403 before anything else runs.
enum CSRF {
    static let field = "_csrf"

    /// The session's token, made on first use.
    static func token(for request: Request) -> String {
        if let existing = request.session.data["csrf"] { return existing }
        let fresh = TokenCodec.random()
        request.session.data["csrf"] = fresh
        // When the session began, so that one never signed into is purged in time (SessionPurge).
        if request.session.data["opened_at"] == nil {
            request.session.data["opened_at"] = String(request.application.clock().timeIntervalSince1970)
        }
        return fresh
    }

    static func verify(_ request: Request) throws {
        let sent: String?
        do { sent = try request.content.get(String.self, at: field) } catch let error as ControlCharacterError {
            // The form holds text no field may: that is what to report, not an expired form.
            throw error
        } catch { sent = nil }
        guard let expected = request.hasSession ? request.session.data["csrf"] : nil, let sent,
            constantTimeEqual(sent, expected)
        else {
            throw AuthError.forbidden(Message("access.form_expired"))
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// Security headers on every response.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let h = response.headers
        var headers = h
        headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        if request.caller != nil || request.url.path.hasPrefix("/account") || request.url.path.hasPrefix("/admin") {
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        response.headers = headers
        return response
    }
}
