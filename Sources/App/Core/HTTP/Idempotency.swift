import Crypto
import Fluent
import Foundation
import Vapor

/// The first answer to an API create sent with an `Idempotency-Key`, kept for a day.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    @ID(key: .id) var id: UUID?
    /// The caller's user id: the same key from two people is two keys.
    @Field(key: "owner") var owner: String
    @Field(key: "key") var key: String
    /// SHA-256 of method, path and body: a key reused for another request is refused.
    @Field(key: "fingerprint") var fingerprint: String
    /// nil while the first request is still being answered.
    @OptionalField(key: "status") var status: Int?
    @OptionalField(key: "content_type") var contentType: String?
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "body") var body: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// `Idempotency-Key` on the API's POSTs (the creates; intake, which stores nothing, is left out): the
/// first request with a key runs and its answer is stored; a retry with the same key and the same
/// request gets that answer again (`Idempotent-Replayed: true`) and creates nothing. The same key with
/// another request is a 422; a retry while the first is still running is a 409. A refused request
/// (an error: nothing was created) is not kept, so its retry runs again.
struct IdempotencyMiddleware: AsyncMiddleware {
    static let header = "Idempotency-Key"
    static let keepFor: TimeInterval = 24 * 3600

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Only for a known caller: answers kept for "anyone" could be read back by anyone who guesses a key.
        guard request.method == .POST, request.url.path.hasPrefix("/api/"), request.url.path != APIRoute.intake.path,
            let key = request.headers.first(name: Self.header), let caller = request.caller
        else { return try await next.respond(to: request) }
        guard (1...200).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw APIError(
                .badRequest, "header \(Self.header): 1 to 200 visible ASCII characters", parameter: Self.header)
        }
        let record = IdempotencyRecord()
        record.owner = caller.userID.uuidString
        record.key = key
        record.fingerprint = try await fingerprint(request)
        record.createdAt = request.application.clock()
        do {
            try await record.create(on: request.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await replay(request, owner: record.owner, key: key, fingerprint: record.fingerprint)
        }
        let response: Response
        do { response = try await next.respond(to: request) } catch {
            try? await record.delete(on: request.db)
            throw error
        }
        if response.status.code >= 500 {
            try await record.delete(on: request.db)
        } else {
            record.status = Int(response.status.code)
            record.contentType = response.headers.first(name: .contentType)
            record.location = response.headers.first(name: .location)
            record.body = response.body.string
            try await record.update(on: request.db)
        }
        return response
    }

    private func replay(_ request: Request, owner: String, key: String, fingerprint: String) async throws -> Response {
        guard
            let first = try await IdempotencyRecord.query(on: request.db).filter(\.$owner == owner)
                .filter(\.$key == key).first()
        else { throw APIError(.conflict, "header \(Self.header): the first request is still being answered") }
        guard first.fingerprint == fingerprint else {
            throw APIError(
                .unprocessableEntity, "header \(Self.header): this key was used for a different request",
                parameter: Self.header)
        }
        guard let status = first.status else {
            throw APIError(
                .conflict, "header \(Self.header): the first request with this key is still being answered; retry",
                parameter: Self.header, headers: ["Retry-After": "1"])
        }
        var headers: HTTPHeaders = ["Idempotent-Replayed": "true"]
        if let type = first.contentType { headers.replaceOrAdd(name: .contentType, value: type) }
        if let location = first.location { headers.replaceOrAdd(name: .location, value: location) }
        return Response(
            status: HTTPResponseStatus(statusCode: status), headers: headers, body: .init(string: first.body ?? ""))
    }

    /// SHA-256 of the method, the path with its query and the body.
    private func fingerprint(_ request: Request) async throws -> String {
        let app = request.application
        let multipart = request.headers.contentType?.type == "multipart"
        // The body is read here, before its route would, with the same limits as the routes: uploads, an
        // announcement with its intake original, or the default.
        let limit =
            multipart
            ? app.attachments.maxBytes + 65_536
            : request.url.path == APIRoute.announcements.path
                ? app.intakeMaxBytes * 2 + 65_536 : app.routes.defaultMaxBodySize.value
        var hasher = SHA256()
        hasher.update(data: Data((request.method.rawValue + " " + request.url.string + "\n").utf8))
        if let body = try await request.body.collect(max: limit).get() {
            hasher.update(data: Data(buffer: body))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Forgets answers older than a day.
    static func purge(on db: any Database, now: Date) async throws {
        try await IdempotencyRecord.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-keepFor)).delete()
    }
}
