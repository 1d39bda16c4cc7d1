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
            refusal: "only an admin assigns experts")
        var errors: [String: String] = [:]
        let entries = try await CompetitionStore.recommendations(context.db, round: round.id)
        let cluster = try await context.store.registry().clusters.first { $0.id == input.cluster }
        if cluster == nil || !entries.contains(where: { $0.clusterID == input.cluster }) {
            errors["cluster"] = "not an entry of this round"
        }
        let expert = try await UserModel.query(on: context.db).filter(\.$email == (input.expert ?? "").lowercased())
            .with(
                \.$grants
            ).first()
        if expert == nil
            || !(expert?.grants.contains { $0.role == Role.expert.rawValue && $0.revokedAt == nil } ?? false)
        {
            errors["expert"] = "the e-mail of a user holding the expert role"
        }
        let province = input.expertProvince ?? ""
        if context.reference.province(code: province) == nil {
            errors["expert_province"] = "the expert's home province code"
        } else if let cluster, AccessRules.expertHasConflict(expertProvince: province, on: ClusterScope(cluster)) {
            errors["expert_province"] = "an expert never scores an entry from their own province"
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
            throw FieldErrors(["expert": "already assigned to this entry"])
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
            throw AuthError.forbidden("only an expert assigned to this entry scores it")
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
        var en: [String: String] = [:]
        var zh: [String: String] = [:]
        func refuse(_ key: String, _ english: String, _ chinese: String) {
            en[key] = english
            zh[key] = chinese
        }
        if let closed = round.scoringWindowProblem(on: today) {
            refuse(
                "round", closed,
                "评分仅在\(round.format.firstStage.zh)和\(round.format.finalStage.zh)阶段开放")
        }
        if items.isEmpty || items.count > set.indicators.count {
            refuse(
                "scores", "1 to \(set.indicators.count) indicator scores", "请为 1 到 \(set.indicators.count) 项指标打分")
        }
        if Set(items.compactMap(\.indicator)).count != items.count {
            refuse("scores", "each indicator once", "每项指标只能打一次分")
        }
        for item in items {
            guard let code = item.indicator, set.indicator(code: code) != nil else {
                let name = (item.indicator ?? "").prefix(40)
                refuse(
                    "scores", "unknown indicator '\(name)' for \(set.id) v\(set.version)",
                    "指标体系 \(set.id) v\(set.version) 中没有指标“\(name)”")
                continue
            }
            if !(0...100).contains(item.score ?? -1) {
                refuse("scores.\(code).score", "\(code): a score from 0 to 100", "请打 0 到 100 分")
            }
            let comment = (item.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if comment.isEmpty || comment.count > 500 {
                refuse("scores.\(code).comment", "\(code): a comment of 1 to 500 characters", "请写明理由（1 到 500 字）")
            }
        }
        return FieldErrors(en, zh: zh)
    }
}
