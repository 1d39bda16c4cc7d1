import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// Competitiveness ratings made from the accepted returns of a data year, the dynamic-adjustment
/// proposals the configured rules draw from them, and the admin's decisions on those proposals
/// (an accepted proposal becomes a ladder transition). Global benchmarks, which world-class
/// proposals need, are entered here by admins.
struct RatingController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.ratings, use: ratings)
        app.register(.GET, APIRoute.adjustments, use: list)
        app.register(.POST, APIRoute.adjustments, use: propose)
        app.register(.POST, APIRoute.adjustmentDecision(":id"), use: decide)
        app.register(.POST, APIRoute.benchmarks(":id"), use: addBenchmark)
    }

    struct RatingRow: Content {
        let rank: Int
        let cluster: String
        let nameZh: String
        let nameEn: String
        let score: Double
        let decile: Int
        let contributions: [ScoringController.RankingDTO.Contribution]
    }

    struct RatingsDTO: Content {
        let year: Int
        let tier: String
        /// True for the rating of the example clusters.
        let examples: Bool
        let indicatorSet: String
        let indicatorSetVersion: Int
        /// Clusters of the tier at the end of the year, and how many of them had an accepted return.
        let clusters: Int
        let rated: Int
        let method: String
        let ratings: [RatingRow]
    }

    /// The ratings of `year` for clusters of `tier` at the end of the year, from their accepted returns,
    /// on the current indicator set. Example clusters (`ladder seed --examples`) are rated apart from
    /// the real ones, like the statistics leave them out.
    static func rate(year: Int, tier: Tier, examples: Bool = false, req: Request) async throws -> RatingsDTO {
        try await rate(year: year, tier: tier, examples: examples, db: req.db, registry: try await req.store.registry())
    }

    static func rate(year: Int, tier: Tier, examples: Bool, db: any Database, registry: Registry) async throws
        -> RatingsDTO
    {
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
        return RatingsDTO(
            year: year, tier: tier.rawValue, examples: examples, indicatorSet: set.id, indicatorSetVersion: set.version,
            clusters: members.count,
            rated: rated.count,
            method: "each indicator min-max normalised to 0–100 across the rated clusters (log10 where the set says), "
                + "dimensions averaged and weighted; deciles by rank (1 = top tenth)",
            ratings: rated.enumerated().map { i, r in
                RatingRow(
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

    static func year(_ text: String?, today: Day) throws -> Int {
        guard let text, !text.isEmpty else { return today.year - 1 }
        guard let y = Int(text), (2019..<today.year).contains(y) else {
            throw APIError(
                .badRequest, "parameter 'year': a data year from 2019 to \(today.year - 1)", parameter: "year")
        }
        return y
    }

    /// The `tier` parameter: national when not given.
    static func tier(_ text: String?) throws -> Tier {
        let name = text?.nilIfBlank ?? Tier.national.rawValue
        guard let tier = Tier(rawValue: name) else {
            throw APIError(
                .badRequest, "parameter 'tier': unknown tier '\(name.prefix(40))'", parameter: "tier",
                allowed: Tier.allCases.map(\.rawValue))
        }
        return tier
    }

    func ratings(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .ratings)
        let year = try Self.year(params["year"], today: req.application.today())
        let tier = try Self.tier(params["tier"])
        let examples: Bool
        switch params["examples"] ?? "" {
        case "", "false": examples = false
        case "true": examples = true
        default:
            throw APIError(
                .badRequest, "parameter 'examples': true or false", parameter: "examples", allowed: ["true", "false"])
        }
        let dto = try await Self.rate(year: year, tier: tier, examples: examples, req: req)
        return try params.wantsCSV()
            ? .csv(Self.csv(dto), filename: "ratings-\(year).csv") : try await dto.encodeResponse(for: req)
    }

    /// One row per rated cluster and dimension.
    static func csv(_ dto: RatingsDTO) -> String {
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

    // MARK: proposals

    struct ProposalDTO: Content {
        let id: Int
        let year: Int
        let cluster: String
        let clusterName: String
        let event: String
        let reasonZh: String
        let reasonEn: String
        let proposedAt: Date
        let decision: String
        let decidedAt: Date?
        let decisionNote: String?
    }

    static func dto(_ row: ProposalModel, clusters: [String: Cluster]) -> ProposalDTO {
        ProposalDTO(
            id: row.id ?? 0, year: row.year, cluster: row.clusterID,
            clusterName: clusters[row.clusterID]?.nameZh ?? row.clusterID,
            event: row.event, reasonZh: row.reasonZh, reasonEn: row.reasonEn, proposedAt: row.proposedAt,
            decision: row.decision,
            decidedAt: row.decidedAt, decisionNote: row.decisionNote)
    }

    static func proposals(year: Int?, req: Request) async throws -> [ProposalDTO] {
        var query = ProposalModel.query(on: req.db)
        if let year { query = query.filter(\.$year == year) }
        let clusters = Dictionary(uniqueKeysWithValues: try await req.store.registry().clusters.map { ($0.id, $0) })
        return try await query.sort(\.$id).all().map { dto($0, clusters: clusters) }
    }

    func list(req: Request) async throws -> [ProposalDTO] {
        let params = try req.queryParameters(for: .adjustments)
        guard req.caller != nil else { throw AuthError.signInRequired }
        let year = try params["year"].flatMap { $0.isEmpty ? nil : $0 }.map {
            try Self.year($0, today: req.application.today())
        }
        return try await Self.proposals(year: year, req: req)
    }

    struct ProposeInput: Content {
        var year: Int?
        /// Run the rules on the example clusters' ratings instead of the real ones.
        var examples: Bool?
    }

    /// Rates `year` and every earlier year, and proposes for each national (or warned) cluster what the
    /// adjustment rules say. A proposal already made for the same year, cluster and event is not made
    /// again (the table's unique key decides, so two runs at once cannot make it twice).
    static func propose(year: Int, examples: Bool = false, caller: Caller, req: Request) async throws -> [ProposalDTO] {
        let grant = try await AuditLog.adminGrant(
            caller, request: req, action: "propose_adjustments", entity: "adjustment_proposal",
            entityID: String(year), refusal: "only an admin runs the adjustment rules")
        let today = req.application.today()
        var deciles: [String: [Int: Int]] = [:]
        for y in 2019...year {
            for r in try await rate(year: y, tier: .national, examples: examples, req: req).ratings {
                deciles[r.cluster, default: [:]][y] = r.decile
            }
        }
        let benchmarked = Set(try await BenchmarkModel.query(on: req.db).all().map(\.clusterID))
        let registry = try await req.store.registry()
        let rules = req.application.rules.adjustment
        var made: [ProposalModel] = []
        for cluster in registry.clusters where deciles[cluster.id]?[year] != nil {
            guard let status = try await LadderStore.status(of: cluster, today: today, on: req.db),
                let proposal = Adjustment.propose(
                    clusterID: cluster.id, deciles: deciles[cluster.id] ?? [:], status: status,
                    benchmark: benchmarked.contains(cluster.id), latestYear: year, rules: rules)
            else { continue }
            let row = ProposalModel()
            row.year = year
            row.clusterID = cluster.id
            row.event = proposal.event.rawValue
            row.reasonZh = proposal.reason.zh
            row.reasonEn = proposal.reason.en
            row.proposedAt = req.application.clock()
            row.decision = "pending"
            made.append(row)
        }
        let rows = made
        let created = try await req.db.writeTransaction { tx -> [ProposalModel] in
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
                    on: tx, request: req, caller: caller, grant: grant.description, action: "propose_adjustment",
                    outcome: .done, entity: "cluster", entityID: row.clusterID,
                    after: "\(row.event) after \(year): \(row.reasonEn)",
                    scope: registry.clusters.first { $0.id == row.clusterID }.map(ClusterScope.init))
            }
            return created
        }
        let clusters = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        return created.map { dto($0, clusters: clusters) }
    }

    func propose(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(ProposeInput.self)
        let today = req.application.today()
        guard let year = input.year, (2019..<today.year).contains(year) else {
            throw FieldErrors(["year": "a data year from 2019 to \(today.year - 1)"])
        }
        return try await Self.propose(year: year, examples: input.examples ?? false, caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    struct DecisionInput: Content {
        /// `accept` or `reject`.
        var decision: String?
        var note: String?
        /// The document that announces the decision, where there is one.
        var documentNumber: String?
    }

    /// An admin's decision on a proposal, in one transaction with its ladder transition
    /// (`AdjustmentService`).
    static func decide(id: Int, _ input: DecisionInput, caller: Caller, req: Request) async throws -> ProposalDTO {
        try await AdjustmentService(context: req.services(caller: caller)).decide(id: id, input)
    }

    func decide(req: Request) async throws -> ProposalDTO {
        let caller = try WriteController.tokenCaller(req)
        guard let id = req.parameters.get("id").flatMap(Int.init) else {
            throw APIError.notFound("no such proposal", parameter: "id")
        }
        return try await Self.decide(id: id, try req.content.decode(DecisionInput.self), caller: caller, req: req)
    }

    // MARK: benchmarks

    struct BenchmarkInput: Content {
        var description: String?
        var source: String?
    }

    struct BenchmarkDTO: Content {
        let id: Int
        let cluster: String
        let description: String
        let source: String
        let enteredAt: Date
    }

    /// An admin's global benchmark for a cluster, checked and audited (a refusal too).
    static func enterBenchmark(cluster: Cluster, _ input: BenchmarkInput, caller: Caller, req: Request) async throws
        -> BenchmarkDTO
    {
        let grant = try await AuditLog.adminGrant(
            caller, request: req, action: "enter_benchmark", entity: "cluster", entityID: cluster.id,
            scope: ClusterScope(cluster), refusal: "only an admin enters a global benchmark")
        let description = (input.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let source = (input.source ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        if description.isEmpty || description.count > 2000 {
            errors["description"] = "the benchmark, 1 to 2000 characters"
        }
        if source.isEmpty || source.count > 500 { errors["source"] = "where it comes from, 1 to 500 characters" }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        let row = BenchmarkModel()
        row.clusterID = cluster.id
        row.description = description
        row.source = source
        row.enteredBy = caller.userID.uuidString
        row.enteredAt = req.application.clock()
        try await req.db.writeTransaction { tx in
            try await row.create(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "enter_benchmark",
                outcome: .done,
                entity: "cluster", entityID: cluster.id, after: description + " (" + source + ")",
                scope: ClusterScope(cluster))
        }
        return BenchmarkDTO(
            id: row.id ?? 0, cluster: cluster.id, description: description, source: source, enteredAt: row.enteredAt)
    }

    func addBenchmark(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(BenchmarkInput.self)
        let id = req.parameters.get("id") ?? ""
        guard let cluster = try await req.store.registry().clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(40))'", parameter: "id")
        }
        return try await Self.enterBenchmark(cluster: cluster, input, caller: caller, req: req).encodeResponse(
            status: .created, for: req)
    }
}
