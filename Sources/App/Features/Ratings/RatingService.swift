import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// Ratings and adjustment proposals as use cases: rating a data year from the accepted returns,
/// running the adjustment rules into proposals, listing them, and entering a global benchmark.
/// The API, the ratings page and `ladder ratings` call these methods; deciding a proposal is
/// `AdjustmentService`.
struct RatingService: Sendable {
    let context: ServiceContext

    /// The ratings of `year` for clusters of `tier` at the end of the year, from their accepted returns,
    /// on the current indicator set. Example clusters (`ladder seed --examples`) are rated apart from
    /// the real ones, like the statistics leave them out.
    func rate(year: Int, tier: Tier, examples: Bool = false) async throws -> RatingController.RatingsDTO {
        let db = context.db
        let registry = try await context.store.registry()
        let set = try await IndicatorSets.current(db)
        guard let end = Day(year: year, month: 12, day: 31) else {
            throw APIError(.badRequest, "no such year", parameter: "year")
        }
        let members = registry.clusters.filter { c in
            guard c.isExample == examples, let e = c.state(asOf: end) else { return false }
            return e.tier == tier && (e.status == .active || e.status == .warned)
        }
        let ids = Set(members.map(\.id))
        let rows = try await ReturnModel.query(on: db).filter(\.$dataYear == year)
            .filter(\.$state == ReturnState.accepted.rawValue).all()
        var returns: [String: [String: Double]] = [:]
        for row in rows where ids.contains(row.clusterID) { returns[row.clusterID] = try row.valueMap() }
        let rated = CompetitivenessRating.rate(year: year, returns: returns, set: set)
        let byID = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
        return RatingController.RatingsDTO(
            year: year, tier: tier.rawValue, examples: examples, indicatorSet: set.id, indicatorSetVersion: set.version,
            clusters: members.count,
            rated: rated.count,
            method: "each indicator min-max normalised to 0–100 across the rated clusters (log10 where the set says), "
                + "dimensions averaged and weighted; deciles by rank (1 = top tenth)",
            ratings: rated.enumerated().map { i, r in
                RatingController.RatingRow(
                    rank: i + 1, cluster: r.clusterID, nameZh: byID[r.clusterID]?.nameZh ?? r.clusterID,
                    nameEn: byID[r.clusterID]?.nameEn ?? r.clusterID, score: (r.score * 100).rounded() / 100,
                    decile: r.decile,
                    contributions: r.contributions.map {
                        .init(
                            dimension: $0.dimension, score: ($0.score * 100).rounded() / 100, weight: $0.weight,
                            points: ($0.points * 100).rounded() / 100)
                    })
            })
    }

    func proposals(year: Int?) async throws -> [RatingController.ProposalDTO] {
        var query = ProposalModel.query(on: context.db)
        if let year { query = query.filter(\.$year == year) }
        let clusters = Dictionary(uniqueKeysWithValues: try await context.store.registry().clusters.map { ($0.id, $0) })
        return try await query.sort(\.$id).all().map { Self.dto($0, clusters: clusters) }
    }

    /// Rates `year` and every earlier year, and proposes for each national (or warned) cluster what the
    /// adjustment rules say. A proposal already made for the same year, cluster and event is not made
    /// again (the table's unique key decides, so two runs at once cannot make it twice).
    func propose(year: Int, examples: Bool = false, caller: Caller) async throws -> [RatingController.ProposalDTO] {
        let grant = try await AuditLog.adminGrant(
            caller, on: context.db, origin: context.origin, action: "propose_adjustments",
            entity: "adjustment_proposal",
            entityID: String(year), refusal: Message("access.run_adjustments"))
        let registry = try await context.store.registry()
        let rows = try await proposals(year: year, examples: examples, registry: registry)
        let created = try await context.db.writeTransaction { tx -> [ProposalModel] in
            var created: [ProposalModel] = []
            guard let sql = tx as? any SQLDatabase else { throw Abort(.internalServerError) }
            for row in rows {
                // A proposal made before (or by a run at the same moment) for the same year, cluster and event is kept as it is.
                let inserted = try await sql.insert(into: ProposalModel.schema)
                    .columns("year", "cluster_id", "event", "reason_zh", "reason_en", "proposed_at", "decision")
                    .values(
                        row.year, row.clusterID, row.event, row.reasonZh, row.reasonEn, row.proposedAt, row.decision
                    )
                    .ignoringConflicts(with: ["year", "cluster_id", "event"])
                    .returning("id").all()
                guard let id = try inserted.first?.decode(column: "id", as: Int.self) else { continue }
                row.id = id
                row.$id.exists = true
                created.append(row)
                try await AuditLog.record(
                    on: tx, origin: context.origin, caller: caller, grant: grant.description,
                    action: "propose_adjustment",
                    outcome: .done, entity: "cluster", entityID: row.clusterID,
                    after: "\(row.event) after \(year): \(row.reasonEn)",
                    scope: registry.clusters.first { $0.id == row.clusterID }.map(ClusterScope.init))
            }
            return created
        }
        let clusters = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        return created.map { Self.dto($0, clusters: clusters) }
    }

    /// What the adjustment rules propose after `year` for each cluster rated that year, from its
    /// deciles in every year up to it (not yet stored).
    func proposals(year: Int, examples: Bool, registry: Registry) async throws -> [ProposalModel] {
        var deciles: [String: [Int: Int]] = [:]
        for y in 2019...year {
            for r in try await rate(year: y, tier: .national, examples: examples).ratings {
                deciles[r.cluster, default: [:]][y] = r.decile
            }
        }
        let benchmarked = Set(try await BenchmarkModel.query(on: context.db).all().map(\.clusterID))
        var made: [ProposalModel] = []
        for cluster in registry.clusters where deciles[cluster.id]?[year] != nil {
            guard let status = try await LadderStore.status(of: cluster, today: context.today, on: context.db),
                let proposal = Adjustment.propose(
                    clusterID: cluster.id, deciles: deciles[cluster.id] ?? [:], status: status,
                    benchmark: benchmarked.contains(cluster.id), latestYear: year, rules: context.rules.adjustment)
            else { continue }
            let row = ProposalModel()
            row.year = year
            row.clusterID = cluster.id
            row.event = proposal.event.rawValue
            row.reasonZh = proposal.reason.zh
            row.reasonEn = proposal.reason.en
            row.proposedAt = context.now
            row.decision = "pending"
            made.append(row)
        }
        return made
    }

    /// An admin's global benchmark for a cluster, checked and audited (a refusal too).
    func enterBenchmark(cluster: Cluster, _ input: RatingController.BenchmarkInput, caller: Caller) async throws
        -> RatingController.BenchmarkDTO
    {
        let grant = try await AuditLog.adminGrant(
            caller, on: context.db, origin: context.origin, action: "enter_benchmark", entity: "cluster",
            entityID: cluster.id,
            scope: ClusterScope(cluster), refusal: Message("access.enter_benchmark"))
        let description = (input.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let source = (input.source ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: Message] = [:]
        if description.isEmpty { errors["description"] = .required }
        if description.count > 2000 { errors["description"] = .tooLong(2000) }
        if source.isEmpty { errors["source"] = .required }
        if source.count > 500 { errors["source"] = .tooLong(500) }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        let row = BenchmarkModel()
        row.clusterID = cluster.id
        row.description = description
        row.source = source
        row.enteredBy = caller.userID.uuidString
        row.enteredAt = context.now
        try await context.db.writeTransaction { tx in
            try await row.create(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "enter_benchmark",
                outcome: .done,
                entity: "cluster", entityID: cluster.id, after: description + " (" + source + ")",
                scope: ClusterScope(cluster))
        }
        return RatingController.BenchmarkDTO(
            id: row.id ?? 0, cluster: cluster.id, description: description, source: source, enteredAt: row.enteredAt)
    }

    // MARK: shapes

    static func dto(_ row: ProposalModel, clusters: [String: Cluster]) -> RatingController.ProposalDTO {
        RatingController.ProposalDTO(
            id: row.id ?? 0, year: row.year, cluster: row.clusterID,
            clusterName: clusters[row.clusterID]?.nameZh ?? row.clusterID,
            event: row.event, reasonZh: row.reasonZh, reasonEn: row.reasonEn, proposedAt: row.proposedAt,
            decision: row.decision,
            decidedAt: row.decidedAt, decisionNote: row.decisionNote)
    }

    /// One row per rated cluster and dimension.
    static func csv(_ dto: RatingController.RatingsDTO) -> String {
        var text = CSV.line([
            "year", "tier", "rank", "cluster", "name_zh", "score", "decile", "dimension", "dimension_score", "weight",
            "points",
        ])
        for r in dto.ratings {
            for c in r.contributions {
                text += CSV.line([
                    String(dto.year), dto.tier, String(r.rank), r.cluster, r.nameZh, String(r.score), String(r.decile),
                    c.dimension,
                    String(c.score), String(c.weight), String(c.points),
                ])
            }
        }
        return text
    }
}
