import ClusterDomain
import Fluent
import Vapor

/// Expert scoring of a round: admins assign experts to recommended entries (never an entry from the
/// expert's own province); assigned experts score every indicator with a comment while the first
/// stage is open; the ranking per track shows each total's make-up.
struct ScoringController: Sendable {
    func register(on app: Application) {
        app.register(.POST, APIRoute.roundAssignments(":id"), use: assign)
        app.register(.POST, APIRoute.roundScores(":id"), use: score)
        app.register(.GET, APIRoute.roundRanking(":id"), use: ranking)
    }

    static func round(_ req: Request, id: String? = nil) async throws -> CompetitionRound {
        try await CompetitionStore.round(id ?? req.parameters.get("id") ?? "", on: req.db)
    }

    static func set(for round: CompetitionRound, db: any Database) async throws -> IndicatorSet {
        try await CompetitionStore.set(for: round, db: db)
    }

    struct AssignmentInput: Content {
        var cluster: String?
        var expert: String?
        var expertProvince: String?
    }

    struct AssignmentDTO: Content {
        let cluster: String
        let expert: String
        let expertProvince: String
    }

    func assign(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(AssignmentInput.self)
        return try await Self.assign(input, round: req.parameters.get("id") ?? "", caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// Assigns an expert to an entry (admin; `ScoringService.assign`).
    static func assign(_ input: AssignmentInput, round id: String, caller: Caller, req: Request) async throws
        -> AssignmentDTO
    {
        try await ScoringService(context: req.services(caller: caller)).assign(input, round: id)
    }

    struct ScoreInput: Content {
        struct Item: Content {
            var indicator: String?
            var score: Double?
            var comment: String?
        }
        var cluster: String?
        var scores: [Item]?
    }

    func score(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(ScoreInput.self)
        return try await Self.score(input, round: req.parameters.get("id") ?? "", caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// An assigned expert's scores of an entry (`ScoringService.score`).
    static func score(_ input: ScoreInput, round id: String, caller: Caller, req: Request) async throws -> RankingDTO {
        try await ScoringService(context: req.services(caller: caller)).score(input, round: id)
    }

    struct RankingDTO: Content {
        struct Row: Content {
            let rank: Int
            let tied: Bool
            let cluster: String
            let total: Double
            let decidedBy: String
            let contributions: [Contribution]
            let unscored: [String]
        }
        struct Contribution: Content {
            let dimension: String
            let score: Double
            let weight: Double
            let points: Double
        }
        let round: String
        let aggregation: String
        let tieBreak: [String]
        let tracks: [String: [Row]]
    }

    /// `GET /rounds/{id}/ranking`, as JSON or (`format=csv`) one row per entry and dimension.
    func ranking(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .roundRanking(""))
        let csv = try params.wantsCSV()
        let ranking = try await Self.ranking(try await Self.round(req), db: req.db, rules: req.application.rules)
        if csv { return .csv(Self.csv(ranking), filename: "\(ranking.round)-ranking.csv") }
        return try await ranking.encodeResponse(for: req)
    }

    static func csv(_ r: RankingDTO) -> String {
        var text = CSV.line([
            "round", "track", "rank", "tied", "cluster", "total", "decided_by", "dimension", "dimension_score",
            "weight", "points", "unscored",
        ])
        for (track, rows) in r.tracks.sorted(by: { $0.key < $1.key }) {
            for row in rows {
                for c in row.contributions {
                    text += CSV.line([
                        r.round, track, String(row.rank), row.tied ? "yes" : "no", row.cluster, String(row.total),
                        row.decidedBy,
                        c.dimension, String(c.score), String(c.weight), String(c.points),
                        row.unscored.joined(separator: ";"),
                    ])
                }
            }
        }
        return text
    }

    static func ranking(_ round: CompetitionRound, db: any Database, rules: ProgrammeRules) async throws -> RankingDTO {
        let rule = rules.scoring
        let set = try await Self.set(for: round, db: db)
        // The order was checked against the current set at start; a round scored with an older version
        // that lacks a dimension of it is refused rather than compared 0 against 0.
        if let problem = rule.tieBreakProblem(dimensions: set.dimensions.map(\.code)) {
            throw Abort(
                .internalServerError, reason: "round \(round.id) (indicator set version \(set.version)): \(problem)")
        }
        let scoring = RoundScoring(
            set: set, aggregation: rule.method ?? .trimmedMean(trim: 1),
            tieBreak: rule.tieBreakOrder(dimensions: set.dimensions.map(\.code)))
        let scores = try await ScoreModel.query(on: db).filter(\.$roundID == round.id).all().map {
            ExpertScore(
                entryID: $0.clusterID, expertID: $0.expertID, indicator: $0.indicator, score: $0.score,
                comment: $0.comment)
        }
        let entries = try await RoundController.recommendations(db, round: round.id)
        var tracks: [String: [RankingDTO.Row]] = [:]
        for track in round.tracks {
            let scored = entries.filter { $0.track == track }.map { scoring.score(entryID: $0.clusterID, scores) }
            tracks[track] = scoring.rank(scored).map { r in
                RankingDTO.Row(
                    rank: r.rank, tied: r.tied, cluster: r.entry.entryID, total: (r.entry.total * 100).rounded() / 100,
                    decidedBy: r.decidedBy,
                    contributions: r.entry.contributions.map {
                        .init(
                            dimension: $0.dimension, score: ($0.score * 100).rounded() / 100,
                            weight: $0.weight, points: ($0.points * 100).rounded() / 100)
                    },
                    unscored: r.entry.unscored)
            }
        }
        return RankingDTO(round: round.id, aggregation: rule.label, tieBreak: scoring.tieBreak, tracks: tracks)
    }
}
