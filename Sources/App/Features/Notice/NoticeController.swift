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
        let round = try await ScoringController.round(req)
        return try await ObjectionModel.query(on: req.db).filter(\.$roundID == round.id).sort(\.$id).all().map(
            ObjectionDTO.init)
    }

    struct ObjectionInput: Content {
        var cluster: String?
        var text: String?
    }

    func lodge(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(ObjectionInput.self)
        return try await Self.lodge(input, round: req.parameters.get("id") ?? "", caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// Lodges an objection to an entry while the round's notice runs.
    static func lodge(_ input: ObjectionInput, round id: String, caller: Caller, req: Request) async throws
        -> ObjectionDTO
    {
        let round = try await ScoringController.round(req, id: id)
        var errors: [String: String] = [:]
        let today = req.application.today()
        if !round.isOpen(.notice, on: today) {
            let s = round.stage(.notice)
            errors["round"] =
                "objections are lodged during the public notice, \(s?.opensOn.description ?? "?") to \(s?.closesOn.description ?? "?")"
        }
        let text = (input.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.count > 5000 { errors["text"] = "the objection, 1 to 5000 characters" }
        let entries = try await RoundController.recommendations(req.db, round: round.id)
        if !entries.contains(where: { $0.clusterID == input.cluster }) {
            errors["cluster"] = "not an entry of this round"
        }
        guard errors.isEmpty, let clusterID = input.cluster else { throw FieldErrors(errors) }
        let row = ObjectionModel()
        row.roundID = round.id
        row.clusterID = clusterID
        row.lodgedBy = caller.userID.uuidString
        row.text = text
        row.lodgedAt = req.application.clock()
        try await req.db.writeTransaction { tx in
            try await Self.insertUnlessDesignated(row, on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: caller.grants.first?.description,
                action: "lodge_objection",
                outcome: .done, entity: "round", entityID: round.id, after: "\(clusterID): \(text.prefix(200))")
        }
        return ObjectionDTO(row)
    }

    /// Inside the caller's transaction: takes the round's lock, then adds the objection unless the
    /// entry has been designated meanwhile (a 409: the designation came first).
    static func insertUnlessDesignated(_ row: ObjectionModel, on tx: any Database) async throws {
        try await RoundModel.lock(row.roundID, on: tx)
        let designated = try await LadderEventModel.query(on: tx).filter(\.$clusterID == row.clusterID).filter(
            \.$event == "designate"
        ).count()
        guard designated == 0 else {
            throw APIError(.conflict, "the entry has been designated already", parameter: "cluster")
        }
        try await row.create(on: tx)
    }

    struct ResolutionInput: Content {
        var resolution: String?
    }

    func resolve(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(ResolutionInput.self)
        return try await Self.resolve(
            input, round: req.parameters.get("id") ?? "", objection: req.parameters.get("objection") ?? "",
            caller: caller, req: req
        ).encodeResponse(for: req)
    }

    /// Resolves an objection with a written reason (admin).
    static func resolve(
        _ input: ResolutionInput, round roundID: String, objection: String, caller: Caller,
        req: Request
    ) async throws -> ObjectionDTO {
        let round = try await ScoringController.round(req, id: roundID)
        guard let id = Int(objection),
            let row = try await ObjectionModel.query(on: req.db).filter(\.$id == id).filter(\.$roundID == round.id)
                .first()
        else {
            throw APIError.notFound("no such objection in this round", parameter: "objection")
        }
        let grant = try await AuditLog.adminGrant(
            caller, request: req, action: "resolve_objection", entity: "round", entityID: round.id,
            refusal: "only an admin resolves objections")
        let reason = (input.resolution ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 5000 else {
            throw FieldErrors(["resolution": "the written reason, 1 to 5000 characters"])
        }
        guard row.resolvedAt == nil else {
            throw APIError(.conflict, "the objection is resolved already", parameter: "objection")
        }
        row.resolution = reason
        row.resolvedBy = caller.userID.uuidString
        row.resolvedAt = req.application.clock()
        try await req.db.writeTransaction { tx in
            try await row.save(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "resolve_objection",
                outcome: .done,
                entity: "round", entityID: round.id, after: "objection \(id) on \(row.clusterID): \(reason.prefix(200))"
            )
        }
        return ObjectionDTO(row)
    }

    /// For a designation: whether the round's notice has ended by `day` and every objection to the
    /// entry is resolved, checked inside the caller's transaction after taking the round's lock.
    static func designationEvidence(round: CompetitionRound, cluster: String, day: Day, on db: any Database)
        async throws -> [String: String]
    {
        try await RoundModel.lock(round.id, on: db)
        var problems: [String: String] = [:]
        guard let notice = round.stage(.notice), day > notice.closesOn else {
            return [
                "round":
                    "the public notice has not ended (it closes on \(round.stage(.notice)?.closesOn.description ?? "?"))"
            ]
        }
        let entries = try await RecommendationModel.query(on: db).filter(\.$roundID == round.id).filter(
            \.$clusterID == cluster
        ).count()
        if entries == 0 { problems["round"] = "the cluster is not an entry of this round" }
        let open = try await ObjectionModel.query(on: db).filter(\.$roundID == round.id).filter(\.$clusterID == cluster)
            .filter(\.$resolvedAt == nil).count()
        if open > 0 { problems["evidence"] = "\(open) objection(s) to this entry are not resolved" }
        return problems
    }
}
