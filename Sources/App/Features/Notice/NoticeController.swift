import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// The public notice of a round's results: anyone signed in may object to an entry while the notice
/// runs; an admin resolves each objection with a written reason. Designation (`designate` on the
/// ladder) checks the notice and the objections itself, under the same lock on the round row.
struct NoticeController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.roundObjections(":id"), use: list)
        app.register(.POST, APIRoute.roundObjections(":id"), use: lodge)
        app.register(.POST, APIRoute.objectionResolution(":id", ":objection"), use: resolve)
    }

    struct ObjectionDTO: Content {
        let id: Int
        let cluster: String
        let text: String
        let lodgedAt: Date
        let resolution: String?
        let resolvedAt: Date?

        init(_ m: ObjectionModel) {
            id = m.id ?? 0
            cluster = m.clusterID
            text = m.text
            lodgedAt = m.lodgedAt
            resolution = m.resolution
            resolvedAt = m.resolvedAt
        }
    }

    func list(req: Request) async throws -> [ObjectionDTO] {
        _ = try Request.parseQuery(req.url.query, allowed: [])
        let round = try await CompetitionStore.round(req.parameters.get("id") ?? "", on: req.db)
        return try await ObjectionModel.query(on: req.db).filter(\.$roundID == round.id).sort(\.$id).all().map(
            ObjectionDTO.init)
    }

    struct ObjectionInput: Content {
        var cluster: String?
        var text: String?
    }

    func lodge(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ObjectionInput.self)
        return try await Self.lodge(input, round: req.parameters.get("id") ?? "", caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// Lodges an objection to an entry while the round's notice runs (`NoticeService.lodge`).
    static func lodge(_ input: ObjectionInput, round id: String, caller: Caller, req: Request) async throws
        -> ObjectionDTO
    {
        try await NoticeService(context: req.services(caller: caller)).lodge(input, round: id)
    }

    struct ResolutionInput: Content {
        var resolution: String?
    }

    func resolve(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ResolutionInput.self)
        return try await Self.resolve(
            input, round: req.parameters.get("id") ?? "", objection: req.parameters.get("objection") ?? "",
            caller: caller, req: req
        ).encodeResponse(for: req)
    }

    /// Resolves an objection with a written reason (admin; `NoticeService.resolve`).
    static func resolve(
        _ input: ResolutionInput, round roundID: String, objection: String, caller: Caller,
        req: Request
    ) async throws -> ObjectionDTO {
        try await NoticeService(context: req.services(caller: caller)).resolve(
            input, round: roundID, objection: objection)
    }
}
