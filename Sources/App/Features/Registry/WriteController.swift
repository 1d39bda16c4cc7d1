import ClusterDomain
import Fluent
import Vapor

/// Writes through the API: clusters (create, update, retire), the audit trail, and API tokens.
/// Every write needs an API token (`Authorization: Bearer …`); the session cookie is for the web forms.
struct WriteController: Sendable {
    func register(on app: Application) {
        app.register(.POST, APIRoute.clusters, use: create)
        app.register(.PUT, APIRoute.cluster(":id"), use: update)
        app.register(.POST, APIRoute.retireCluster(":id"), use: retire)
        app.register(.GET, APIRoute.audit, use: audit)
        app.register(.GET, APIRoute.tokens, use: tokens)
        app.register(.POST, APIRoute.tokens, use: createToken)
        app.register(.DELETE, APIRoute.token(":id"), use: revokeToken)
    }

    func create(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ClusterInput.self)
        let cluster = try await ClusterWriter(request: req, caller: caller)
            .create(input.newCluster(today: req.application.today(), reference: req.application.reference))
        let dto = ClusterDTO(
            cluster, registry: Registry(reference: req.application.reference, clusters: [cluster]),
            asOf: req.application.today())
        let response = try await dto.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIRoute.cluster(cluster.id).path)
        return response
    }

    func update(req: Request) async throws -> ClusterDTO {
        let caller = try req.tokenCaller()
        let id = req.parameters.get("id") ?? ""
        let input = try req.content.decode(ClusterInput.self)
        let cluster = try await ClusterWriter(request: req, caller: caller)
            .update(id: id, draft: input.draft, expectedVersion: try input.requireVersion())
        return ClusterDTO(
            cluster, registry: Registry(reference: req.application.reference, clusters: [cluster]),
            asOf: req.application.today())
    }

    func retire(req: Request) async throws -> ClusterDTO {
        let caller = try req.tokenCaller()
        let id = req.parameters.get("id") ?? ""
        let input = try req.content.decode(ClusterInput.self)
        let cluster = try await ClusterWriter(request: req, caller: caller).retire(
            id: id, expectedVersion: try input.requireVersion())
        return ClusterDTO(
            cluster, registry: Registry(reference: req.application.reference, clusters: [cluster]),
            asOf: req.application.today())
    }

    struct AuditPage: Content {
        let total: Int
        let page: Int
        let perPage: Int
        let items: [AuditEntryDTO]
    }

    func audit(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        let params = try req.queryParameters(for: .audit)
        let page = try QueryValue.positive(params["page"], "page", default: 1, max: 1_000_000)
        let perPage = try QueryValue.positive(params["per_page"], "per_page", default: 50, max: 500)
        let csv = try params.wantsCSV()
        let result = try await AuditLog.visibleEntries(
            on: req.db, caller: caller, entityID: params["entity_id"]?.nilIfBlank,
            limit: csv ? 100_000 : perPage,
            offset: csv ? 0 : (page - 1) * perPage)
        let items = result.rows.map(AuditEntryDTO.init)
        if csv {
            return AuditEntryDTO.csvResponse(items)
        }
        return try await AuditPage(total: result.total, page: page, perPage: perPage, items: items).encodeResponse(
            for: req)
    }

    struct TokenDTO: Content {
        let id: String
        let name: String
        let prefix: String
        let grants: [String]
        let expiresAt: String
        let revoked: Bool
        /// Only in the answer to the request that created it.
        var token: String?
    }

    func tokens(req: Request) async throws -> [TokenDTO] {
        let caller = try req.tokenCaller()
        return try await APITokenModel.query(on: req.db).filter(\.$user.$id == caller.userID).sort(
            \.$createdAt, .descending
        ).all()
            .map {
                TokenDTO(
                    id: $0.id?.uuidString ?? "", name: $0.name, prefix: $0.prefix, grants: $0.grants,
                    expiresAt: ISO8601DateFormatter().string(from: $0.expiresAt), revoked: $0.revokedAt != nil)
            }
    }

    struct TokenRequest: Content {
        let name: String
        let grants: [String]
        let days: Int?
    }

    func createToken(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let body = try req.content.decode(TokenRequest.self)
        let token = try await TokenIssuer(req: req, caller: caller).issue(
            name: body.name, grants: body.grants, days: body.days ?? 90)
        guard let row = try await APITokenModel.query(on: req.db).filter(\.$tokenHash == TokenCodec.hash(token)).first()
        else {
            throw Abort(.internalServerError)
        }
        var dto = TokenDTO(
            id: row.id?.uuidString ?? "", name: row.name, prefix: row.prefix, grants: row.grants,
            expiresAt: ISO8601DateFormatter().string(from: row.expiresAt), revoked: false)
        dto.token = token
        return try await dto.encodeResponse(status: .created, for: req)
    }

    func revokeToken(req: Request) async throws -> HTTPStatus {
        let caller = try req.tokenCaller()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw APIError.notFound("no such token of yours", parameter: "id")
        }
        try await TokenIssuer(req: req, caller: caller).revoke(id: id)
        return .noContent
    }
}

extension ClusterWriter {
    /// The writer for a request's caller, on the request's database, audited with its origin.
    init(request: Request, caller: Caller) {
        self.init(context: request.services(caller: caller), caller: caller)
    }
}
