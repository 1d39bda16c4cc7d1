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

    func ratings(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .ratings)
        let year = try QueryValue.dataYear(params["year"], today: req.application.today())
        let tier = try QueryValue.tier(params["tier"])
        let examples: Bool
        switch params["examples"] ?? "" {
        case "", "false": examples = false
        case "true": examples = true
        default:
            throw APIError(
                .badRequest, "parameter 'examples': true or false", parameter: "examples", allowed: ["true", "false"])
        }
        let dto = try await RatingService(context: req.services()).rate(year: year, tier: tier, examples: examples)
        return try params.wantsCSV()
            ? .csv(RatingService.csv(dto), filename: "ratings-\(year).csv") : try await dto.encodeResponse(for: req)
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

    func list(req: Request) async throws -> [ProposalDTO] {
        let params = try req.queryParameters(for: .adjustments)
        guard req.caller != nil else { throw AuthError.signInRequired }
        let year = try params["year"].flatMap { $0.isEmpty ? nil : $0 }.map {
            try QueryValue.dataYear($0, today: req.application.today())
        }
        return try await RatingService(context: req.services()).proposals(year: year)
    }

    struct ProposeInput: Content {
        var year: Int?
        /// Run the rules on the example clusters' ratings instead of the real ones.
        var examples: Bool?
    }

    func propose(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ProposeInput.self)
        let today = req.application.today()
        guard let year = input.year, (2019..<today.year).contains(year) else {
            throw FieldErrors(["year": .dataYear(through: today.year - 1)])
        }
        return try await RatingService(context: req.services(caller: caller))
            .propose(year: year, examples: input.examples ?? false, caller: caller)
            .encodeResponse(status: .created, for: req)
    }

    struct DecisionInput: Content {
        /// `accept` or `reject`.
        var decision: String?
        var note: String?
        /// The document that announces the decision, where there is one.
        var documentNumber: String?
    }

    func decide(req: Request) async throws -> ProposalDTO {
        let caller = try req.tokenCaller()
        guard let id = req.parameters.get("id").flatMap(Int.init) else {
            throw APIError.notFound("no such proposal", parameter: "id")
        }
        return try await AdjustmentService(context: req.services(caller: caller))
            .decide(id: id, try req.content.decode(DecisionInput.self))
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

    func addBenchmark(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(BenchmarkInput.self)
        let id = req.parameters.get("id") ?? ""
        guard let cluster = try await req.store.registry().clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(40))'", parameter: "id")
        }
        return try await RatingService(context: req.services(caller: caller))
            .enterBenchmark(cluster: cluster, input, caller: caller).encodeResponse(
                status: .created, for: req)
    }
}
