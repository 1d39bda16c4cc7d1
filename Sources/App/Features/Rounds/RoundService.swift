import ClusterDomain
import Fluent
import Vapor

/// A round's recommendations: the provincial authority of a cluster's lead province (or an admin)
/// recommends it into a track within the province's quota, while the stage is open. Recommendations of
/// one round take the round's lock, so concurrent ones cannot pass the quota.
struct RoundService: Sendable {
    let context: ServiceContext

    func recommend(_ input: RoundController.RecommendationInput, round id: String) async throws
        -> RoundController.RoundDTO
    {
        let caller = try context.requireCaller()
        let round = try await CompetitionStore.round(id, on: context.db)
        let registry = try await context.store.registry()
        guard let cluster = input.cluster.flatMap({ c in registry.clusters.first { $0.id == c } }) else {
            throw FieldErrors(["cluster": .unknownCluster])
        }
        let lead = cluster.provinceCodes.first ?? ""
        guard
            let grant = caller.grants.first(where: { $0.role == .admin || ($0.role == .provincial && $0.scope == lead) }
            )
                ?? caller.grants.first(where: {
                    $0.role == .provincial && cluster.provinceCodes.contains($0.scope ?? "")
                })
        else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: caller, grant: nil, action: "recommend",
                outcome: .refused,
                entity: "round", entityID: round.id, scope: ClusterScope(cluster))
            throw AuthError.forbidden(Message("access.recommend_lead_province"))
        }
        let province = grant.role == .admin ? lead : (grant.scope ?? "")
        let ladder = try await LadderStore.status(of: cluster, today: context.today, on: context.db)?.state
        let today = context.today
        try await context.db.writeTransaction { tx in
            // Serialise recommendations of one round so the quota holds under concurrency.
            try await RoundModel.lock(round.id, on: tx)
            let existing = try await RecommendationModel.query(on: tx).filter(\.$roundID == round.id).all().map {
                try $0.recommendation()
            }
            let problems = Recommendation.problems(
                round: round, cluster: cluster, province: province, track: input.track ?? "",
                ladder: ladder, existing: existing, on: today)
            guard problems.isEmpty else { throw FieldErrors(problems) }
            let row = RecommendationModel()
            row.roundID = round.id
            row.clusterID = cluster.id
            row.province = province
            row.track = input.track ?? ""
            row.recommendedOn = today.iso
            row.recommendedBy = caller.userID.uuidString
            try await row.create(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "recommend",
                outcome: .done,
                entity: "round", entityID: round.id, after: "\(cluster.id) for track \(row.track) by \(province)",
                scope: ClusterScope(cluster))
        }
        return RoundController.RoundDTO(
            round, recommendations: try await CompetitionStore.recommendations(context.db, round: round.id))
    }

    /// Checks and opens a round (admin, or the command line); it is scored with the current
    /// indicator-set version.
    func open(_ input: RoundController.RoundInput) async throws -> CompetitionRound {
        let grant = try await context.adminGrant(
            action: "open_round", entity: "round", entityID: nil, refusal: Message("access.open_round"))
        let (reference, rules, db) = (context.reference, context.rules, context.db)
        var stages: [RoundStage] = []
        var stageError: Message?
        for s in input.stages ?? [] {
            guard let kind = s.kind.flatMap(RoundStageKind.init(rawValue:)), let opens = s.opensOn.flatMap({ Day($0) }),
                let closes = s.closesOn.flatMap({ Day($0) }), opens.precision == .day, closes.precision == .day
            else {
                stageError = Message("round.stage_dates")
                continue
            }
            stages.append(RoundStage(kind: kind, opensOn: opens, closesOn: closes))
        }
        var errors = CompetitionRound.validate(
            year: input.year, format: input.format, tracks: input.tracks ?? [],
            noticeNumber: input.noticeNumber?.nilIfBlank, stages: stages, quota: input.quotaPerProvince,
            reference: reference, noticeDays: rules.noticeDays)
        if let stageError { errors["stages"] = stageError }
        let overrides = input.quotaOverrides ?? [:]
        if overrides.contains(where: { reference.province(code: $0.key) == nil || !(0...20).contains($0.value) }) {
            errors["quota_overrides"] = Message("round.quota_overrides")
        }
        guard errors.isEmpty, let year = input.year, let format = input.format.flatMap(RoundFormat.init(rawValue:))
        else {
            throw FieldErrors(errors)
        }
        let set = try await IndicatorSets.current(db)
        // R<year>, then R<year>-2, … (example rounds, EX<year>, are another series).
        let plannedStages = stages
        return try await db.writeTransaction { tx in
            let round = CompetitionRound(
                id: try await IdAllocator.next(.round(year: year), on: tx), year: year, format: format,
                tracks: input.tracks ?? [], noticeNumber: input.noticeNumber?.nilIfBlank, stages: plannedStages,
                quotaPerProvince: input.quotaPerProvince ?? 3, quotaOverrides: overrides,
                indicatorSetID: set.id, indicatorSetVersion: set.version)
            try await RoundModel(round).create(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: context.caller, grant: grant, action: "open_round",
                outcome: .done,
                entity: "round", entityID: round.id, after: AuditLog.json(RoundController.RoundDTO(round)))
            return round
        }
    }

    /// Closes a stage of a round from today on (admin, or the command line).
    func closeStage(round id: String, stage: String) async throws -> CompetitionRound {
        let round = try await CompetitionStore.round(id, on: context.db)
        let grant = try await context.adminGrant(
            action: "close_stage", entity: "round", entityID: round.id, refusal: Message("access.close_stage"))
        let (today, db) = (context.today, context.db)
        guard let kind = RoundStageKind(rawValue: stage) else {
            throw FieldErrors([
                "stage": Message(
                    "round.stage", ["codes": RoundStageKind.allCases.map(\.rawValue).joined(separator: ", ")])
            ])
        }
        let closed: CompetitionRound
        switch round.closing(kind, on: today) {
        case .failure(let error):
            throw FieldErrors(["stage": Message("round.cannot_close", ["reason": error.description])])
        case .success(let r): closed = r
        }
        try await db.writeTransaction { tx in
            try await RoundModel.lock(round.id, on: tx)
            guard let row = try await RoundModel.find(round.id, on: tx) else {
                throw APIError.notFound("no such round", parameter: "id")
            }
            row.stages = try RoundModel(closed).stages
            try await row.save(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: context.caller, grant: grant, action: "close_stage",
                outcome: .done,
                entity: "round", entityID: round.id,
                before: "\(kind.rawValue) until \(round.stage(kind)?.closesOn.description ?? "?")",
                after: "\(kind.rawValue) until \(closed.stage(kind)?.closesOn.description ?? "?")")
        }
        return closed
    }
}
