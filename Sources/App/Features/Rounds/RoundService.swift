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
            throw FieldErrors(["cluster": "unknown cluster id"])
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
            throw AuthError.forbidden("only the provincial authority of the cluster's lead province recommends it")
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
}
