import ClusterDomain
import Crypto
import Fluent
import Foundation
import Vapor

/// Who is asking: a signed-in person (session) or a program (API token), with the grants in force.
struct Caller: Sendable {
    let userID: UUID
    let email: String
    let displayName: String
    let grants: [Grant]
    /// `session` or `token:<prefix>`.
    let via: String
    /// Signed in with a session, holding a role that must use a second factor, without one on yet.
    var needsSecondFactor = false

    var isAdmin: Bool { grants.contains { $0.role == .admin } }
}

/// Authentication failures: 401 means "say who you are", 403 "you may not".
struct AuthError: Error, AbortError {
    let status: HTTPResponseStatus
    let message: Message
    var reason: String { message.english }

    static let signInRequired = AuthError(status: .unauthorized, message: Message("auth.sign_in_required"))
    static let badToken = AuthError(status: .unauthorized, message: Message("auth.bad_token"))
    static func forbidden(_ message: Message) -> AuthError { AuthError(status: .forbidden, message: message) }
    static func forbidden(_ key: String, _ arguments: [String: String] = [:]) -> AuthError {
        AuthError(status: .forbidden, message: Message(key, arguments))
    }
}

extension Request {
    private struct CallerKey: StorageKey { typealias Value = Caller }

    /// The caller, when the request is signed in or carries a valid token.
    var caller: Caller? {
        get { storage[CallerKey.self] }
        set { storage[CallerKey.self] = newValue }
    }

    func requireCaller() throws -> Caller {
        guard let caller else { throw AuthError.signInRequired }
        return caller
    }
}

/// Settings for sign-in, read with the rest of the configuration.
struct AuthSettings: Sendable, Equatable {
    var sessionLifetime: TimeInterval = 8 * 3600
    var secureCookies = false
    var bcryptCost = 12
    var maxFailures = 5
    var failureWindow: TimeInterval = 15 * 60
    var maxBackoff: TimeInterval = 15 * 60
    /// `SECOND_FACTOR_ROLES`: holders of these roles must turn the second factor on before they work.
    var secondFactorRoles: Set<Role> = []
}

/// Tokens: `cl_` + 32 random bytes (base64url). Only the SHA-256 is stored.
enum TokenCodec {
    static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        return "cl_"
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A random string for CSRF tokens and the like.
    static func random(bytes count: Int = 24) -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// Resolves the caller of every request: an `Authorization: Bearer` token first, else the session.
/// A token that is present but not valid is a 401, never a silent fall back to the public.
struct CallerMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The metrics carry a token of their own (METRICS_TOKEN), not a person's.
        if request.url.path == WebRoute.metrics.path { return try await next.respond(to: request) }
        if let bearer = request.headers.bearerAuthorization?.token {
            do {
                request.caller = try await Self.caller(forToken: bearer, request: request)
            } catch let error as AuthError {
                // A method the path does not have is answered by the router (405), whatever the token.
                let methods = allowedMethods(for: request.url.path, in: request.application.routes)
                guard methods.contains(request.method.rawValue) else { return try await next.respond(to: request) }
                throw error
            }
        } else if let header = request.headers.first(name: .authorization), !header.isEmpty {
            throw AuthError(status: .unauthorized, message: Message("auth.bearer_only"))
        } else if request.hasSession, let caller = try await Self.caller(forSession: request) {
            request.caller = caller
        }
        return try await next.respond(to: request)
    }

    static func caller(forToken token: String, request: Request) async throws -> Caller {
        guard token.count <= 128,
            let row = try await APITokenModel.query(on: request.db).filter(\.$tokenHash == TokenCodec.hash(token))
                .with(\.$user).first(),
            row.revokedAt == nil, row.expiresAt > request.application.clock(), !row.user.disabled
        else {
            throw AuthError.badToken
        }
        let reference = request.application.reference
        // A token never carries more than its owner still holds.
        let held = try await activeGrants(of: try row.user.requireID(), on: request.db, reference: reference)
        let carried = try row.grants.map { text in
            guard case .success(let grant) = Grant.parse(text, reference: reference) else {
                throw StoredValueError(table: APITokenModel.schema, id: row.id, column: "grants", value: text)
            }
            return grant
        }.filter { AccessRules.covers(held, $0) }
        return Caller(
            userID: try row.user.requireID(), email: row.user.email, displayName: row.user.displayName,
            grants: carried, via: "token:" + row.prefix)
    }

    static func caller(forSession request: Request) async throws -> Caller? {
        guard let idText = request.session.data["uid"], let id = UUID(uuidString: idText),
            let started = request.session.data["signed_in_at"].flatMap(Double.init)
        else { return nil }
        let now = request.application.clock().timeIntervalSince1970
        guard now - started <= request.application.authSettings.sessionLifetime else {
            request.session.destroy()
            return nil
        }
        guard let user = try await UserModel.find(id, on: request.db), !user.disabled else {
            request.session.destroy()
            return nil
        }
        let grants = try await activeGrants(of: id, on: request.db, reference: request.application.reference)
        let required = request.application.authSettings.secondFactorRoles
        return Caller(
            userID: id, email: user.email, displayName: user.displayName, grants: grants, via: "session",
            needsSecondFactor: user.totpEnabledAt == nil && grants.contains { required.contains($0.role) })
    }

    static func activeGrants(of userID: UUID, on db: any Database, reference: ReferenceData) async throws -> [Grant] {
        try await RoleGrantModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).all()
            .map { row in
                // A grant that no longer reads (an unknown role, a scope gone from the reference data)
                // is a fault to see, not a permission to drop quietly.
                guard let role = Role(rawValue: row.role),
                    case .success(let grant) = Grant.make(role: role, scope: row.scope, reference: reference)
                else {
                    throw StoredValueError(
                        table: RoleGrantModel.schema, id: row.id, column: "role, scope",
                        value: row.role + ":" + (row.scope ?? ""))
                }
                return grant
            }
    }
}

extension Application {
    private struct AuthSettingsKey: StorageKey { typealias Value = AuthSettings }
    private struct DummyHashKey: StorageKey { typealias Value = String }

    /// A hash of a random string at the configured cost, checked for unknown accounts so that they
    /// take as long to refuse as a wrong password.
    var dummyPasswordHash: String {
        get { configured(DummyHashKey.self, "dummyPasswordHash") }
        set { storage[DummyHashKey.self] = newValue }
    }

    var authSettings: AuthSettings {
        get { configured(AuthSettingsKey.self, "authSettings") }
        set { storage[AuthSettingsKey.self] = newValue }
    }
}
