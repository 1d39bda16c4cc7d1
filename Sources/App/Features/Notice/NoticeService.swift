import ClusterDomain
import Fluent
import Vapor

/// The public notice of a round: objections lodged while it runs (never once the entry is designated)
/// and resolved by an admin with a written reason; and the checks a designation makes. Objections and
/// designations of a round take the round's lock, so one that races the other waits and is refused.
struct NoticeService: Sendable {
    let context: ServiceContext

    /// Lodges an objection to an entry while the round's notice runs.
    func lodge(_ input: NoticeController.ObjectionInput, round id: String) async throws -> NoticeController.ObjectionDTO
    {
        let caller = try context.requireCaller()
        let round = try await CompetitionStore.round(id, on: context.db)
        var errors: [String: Message] = [:]
        let today = context.today
        if !round.isOpen(.notice, on: today) {
            let s = round.stage(.notice)
            errors["round"] = Message(
                "notice.objection_window",
                ["from": s?.opensOn.description ?? "?", "to": s?.closesOn.description ?? "?"])
        }
        let text = (input.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors["text"] = .required } else if text.count > 5000 { errors["text"] = .tooLong(5000) }
        let entries = try await CompetitionStore.recommendations(context.db, round: round.id)
        if !entries.contains(where: { $0.clusterID == input.cluster }) {
            errors["cluster"] = Message("round.not_an_entry")
        }
        guard errors.isEmpty, let clusterID = input.cluster else { throw FieldErrors(errors) }
        let row = ObjectionModel()
        row.roundID = round.id
        row.clusterID = clusterID
        row.lodgedBy = caller.userID.uuidString
        row.text = text
        row.lodgedAt = context.now
        try await context.db.writeTransaction { tx in
            try await Self.insertUnlessDesignated(row, on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: caller.grants.first?.description,
                action: "lodge_objection",
                outcome: .done, entity: "round", entityID: round.id, after: "\(clusterID): \(text.prefix(200))")
        }
        return NoticeController.ObjectionDTO(row)
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

    /// Resolves an objection with a written reason (admin).
    func resolve(_ input: NoticeController.ResolutionInput, round roundID: String, objection: String) async throws
        -> NoticeController.ObjectionDTO
    {
        let caller = try context.requireCaller()
        let round = try await CompetitionStore.round(roundID, on: context.db)
        guard let id = Int(objection),
            let row = try await ObjectionModel.query(on: context.db).filter(\.$id == id).filter(\.$roundID == round.id)
                .first()
        else {
            throw APIError.notFound("no such objection in this round", parameter: "objection")
        }
        let grant = try await AuditLog.adminGrant(
            caller, on: context.db, origin: context.origin, action: "resolve_objection", entity: "round",
            entityID: round.id,
            refusal: Message("access.resolve_objections"))
        let reason = (input.resolution ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 5000 else {
            throw FieldErrors(["resolution": Message("notice.resolution")])
        }
        guard row.resolvedAt == nil else {
            throw APIError(.conflict, "the objection is resolved already", parameter: "objection")
        }
        row.resolution = reason
        row.resolvedBy = caller.userID.uuidString
        row.resolvedAt = context.now
        try await context.db.writeTransaction { tx in
            try await row.save(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "resolve_objection",
                outcome: .done,
                entity: "round", entityID: round.id, after: "objection \(id) on \(row.clusterID): \(reason.prefix(200))"
            )
        }
        return NoticeController.ObjectionDTO(row)
    }

    /// For a designation: whether the round's notice has ended by `day` and every objection to the
    /// entry is resolved, checked inside the caller's transaction after taking the round's lock.
    static func designationEvidence(round: CompetitionRound, cluster: String, day: Day, on db: any Database)
        async throws -> [String: Message]
    {
        try await RoundModel.lock(round.id, on: db)
        var problems: [String: Message] = [:]
        guard let notice = round.stage(.notice), day > notice.closesOn else {
            return ["round": Message("notice.not_ended", ["day": round.stage(.notice)?.closesOn.description ?? "?"])]
        }
        let entries = try await RecommendationModel.query(on: db).filter(\.$roundID == round.id).filter(
            \.$clusterID == cluster
        ).count()
        if entries == 0 { problems["round"] = Message("round.not_an_entry") }
        let open = try await ObjectionModel.query(on: db).filter(\.$roundID == round.id).filter(\.$clusterID == cluster)
            .filter(\.$resolvedAt == nil).count()
        if open > 0 { problems["evidence"] = Message("notice.open_objections", ["n": "\(open)"]) }
        return problems
    }
}
