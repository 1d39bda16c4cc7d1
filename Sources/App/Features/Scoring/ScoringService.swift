import ClusterDomain
import Fluent
import Vapor

/// Expert scoring: an admin assigns experts to entries (never from the entry's own province), and an
/// assigned expert scores every indicator with a comment while a scoring stage is open. Refusals are
/// audited. The API and the work forms call these methods.
struct ScoringService: Sendable {
    let context: ServiceContext

    /// Assigns an expert to an entry (admin); refusals are audited.
    func assign(_ input: ScoringController.AssignmentInput, round id: String) async throws
        -> ScoringController.AssignmentDTO
    {
        let caller = try context.requireCaller()
        let round = try await CompetitionStore.round(id, on: context.db)
        let grant = try await AuditLog.adminGrant(
            caller, on: context.db, origin: context.origin, action: "assign_expert", entity: "round",
            entityID: round.id,
            refusal: Message("access.assign_experts"))
        var errors: [String: Message] = [:]
        let entries = try await CompetitionStore.recommendations(context.db, round: round.id)
        let cluster = try await context.store.registry().clusters.first { $0.id == input.cluster }
        if cluster == nil || !entries.contains(where: { $0.clusterID == input.cluster }) {
            errors["cluster"] = Message("round.not_an_entry")
        }
        let expert = try await UserModel.query(on: context.db).filter(\.$email == (input.expert ?? "").lowercased())
            .with(
                \.$grants
            ).first()
        if expert == nil
            || !(expert?.grants.contains { $0.role == Role.expert.rawValue && $0.revokedAt == nil } ?? false)
        {
            errors["expert"] = Message("scoring.expert")
        }
        let province = input.expertProvince ?? ""
        if context.reference.province(code: province) == nil {
            errors["expert_province"] = Message("scoring.expert_province")
        } else if let cluster, AccessRules.expertHasConflict(expertProvince: province, on: ClusterScope(cluster)) {
            errors["expert_province"] = Message("scoring.own_province")
        }
        guard errors.isEmpty, let cluster, let expertID = try expert?.requireID().uuidString else {
            throw FieldErrors(errors)
        }
        let row = AssignmentModel()
        row.roundID = round.id
        row.clusterID = cluster.id
        row.expertID = expertID
        row.expertProvince = province
        do {
            try await context.db.writeTransaction { tx in
                try await row.create(on: tx)
                try await AuditLog.record(
                    on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "assign_expert",
                    outcome: .done,
                    entity: "round", entityID: round.id, after: "\(input.expert ?? "") → \(cluster.id)",
                    scope: ClusterScope(cluster))
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw FieldErrors(["expert": Message("scoring.already_assigned")])
        }
        return ScoringController.AssignmentDTO(
            cluster: cluster.id, expert: input.expert ?? "", expertProvince: province)
    }

    /// An assigned expert's scores of an entry during a scoring stage; answered with that expert's
    /// scores of the entry (never the ranking, which waits for the public notice).
    func score(_ input: ScoringController.ScoreInput, round id: String) async throws -> ScoringController.ScoresDTO {
        let caller = try context.requireCaller()
        let round = try await CompetitionStore.round(id, on: context.db)
        let set = try await CompetitionStore.set(for: round, db: context.db)
        let clusterID = input.cluster ?? ""
        let assigned = try await AssignmentModel.query(on: context.db).filter(\.$roundID == round.id).filter(
            \.$clusterID == clusterID
        )
        .filter(\.$expertID == caller.userID.uuidString).first()
        guard caller.grants.contains(where: { $0.role == .expert }), assigned != nil else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: caller, grant: nil, action: "score_entry",
                outcome: .refused,
                entity: "round", entityID: round.id)
            throw AuthError.forbidden(Message("access.score_assigned_only"))
        }
        let items = input.scores ?? []
        let problems = Self.problems(items, round: round, set: set, today: context.today)
        guard problems.fields.isEmpty else { throw problems }
        let now = context.now
        try await context.db.writeTransaction { tx in
            try await ScoreModel.query(on: tx).filter(\.$roundID == round.id).filter(\.$clusterID == clusterID)
                .filter(\.$expertID == caller.userID.uuidString).filter(\.$indicator ~~ items.compactMap(\.indicator))
                .delete()
            for item in items {
                let row = ScoreModel()
                row.roundID = round.id
                row.clusterID = clusterID
                row.expertID = caller.userID.uuidString
                row.indicator = item.indicator ?? ""
                row.score = item.score ?? 0
                row.comment = (item.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                row.submittedAt = now
                try await row.create(on: tx)
            }
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: Grant(role: .expert, scope: nil).description,
                action: "score_entry", outcome: .done, entity: "round", entityID: round.id,
                after: "\(clusterID): " + items.map { "\($0.indicator ?? "")=\($0.score ?? 0)" }.joined(separator: ", ")
            )
        }
        let mine = try await ScoreModel.query(on: context.db).filter(\.$roundID == round.id)
            .filter(\.$clusterID == clusterID).filter(\.$expertID == caller.userID.uuidString).sort(\.$indicator).all()
        return ScoringController.ScoresDTO(
            round: round.id, cluster: clusterID,
            scores: mine.map { .init(indicator: $0.indicator, score: $0.score, comment: $0.comment) })
    }

    /// What is wrong with a set of scores, every problem at once, in both languages: the scoring
    /// window (`round`), the set of indicators (`scores`: each of the round's set, once), and per
    /// indicator its score from 0 to 100 (`scores.<code>.score`) and its comment
    /// (`scores.<code>.comment`).
    static func problems(
        _ items: [ScoringController.ScoreInput.Item], round: CompetitionRound, set: IndicatorSet, today: Day
    ) -> FieldErrors {
        var errors: [String: Message] = [:]
        if let closed = round.scoringWindowProblem(on: today) { errors["round"] = closed }
        if items.isEmpty || items.count > set.indicators.count {
            errors["scores"] = Message("scoring.count", ["n": "\(set.indicators.count)"])
        }
        if Set(items.compactMap(\.indicator)).count != items.count {
            errors["scores"] = Message("scoring.each_once")
        }
        for item in items {
            guard let code = item.indicator, set.indicator(code: code) != nil else {
                errors["scores"] = Message(
                    "scoring.unknown_indicator",
                    ["name": String((item.indicator ?? "").prefix(40)), "set": set.id, "version": "\(set.version)"])
                continue
            }
            if !(0...100).contains(item.score ?? -1) {
                errors["scores.\(code).score"] = Message("scoring.score_range", ["code": code])
            }
            let comment = (item.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if comment.isEmpty || comment.count > 500 {
                errors["scores.\(code).comment"] = Message("scoring.comment", ["code": code])
            }
        }
        return FieldErrors(errors)
    }
}
