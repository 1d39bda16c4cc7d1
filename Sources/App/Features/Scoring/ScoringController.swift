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
        let caller = try req.tokenCaller()
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
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ScoreInput.self)
        return try await Self.score(input, round: req.parameters.get("id") ?? "", caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// One expert's scores of one entry.
    struct ScoresDTO: Content {
        struct Item: Content {
            let indicator: String
            let score: Double
            let comment: String
        }
        let round: String
        let cluster: String
        let scores: [Item]
    }

    /// An assigned expert's scores of an entry (`ScoringService.score`).
    static func score(_ input: ScoreInput, round id: String, caller: Caller, req: Request) async throws -> ScoresDTO {
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
        /// Per track, the entries no expert has scored yet: not ranked.
        let unscoredEntries: [String: [String]]
    }

    /// `GET /rounds/{id}/ranking`, as JSON or (`format=csv`) one row per entry and dimension.
    func ranking(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .roundRanking(""))
        let csv = try params.wantsCSV()
        let round = try await CompetitionStore.round(req.parameters.get("id") ?? "", on: req.db)
        if !RankingReport.readable(round, by: req.caller, on: req.application.today()) {
            throw req.caller == nil ? AuthError.signInRequired : RankingReport.unpublished(round)
        }
        let ranking = try await RankingReport.ranking(round, db: req.db, rules: req.application.rules)
        if csv { return .csv(RankingReport.csv(ranking), filename: "\(ranking.round)-ranking.csv") }
        return try await ranking.encodeResponse(for: req)
    }

}
