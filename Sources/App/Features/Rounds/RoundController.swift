import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// Competition rounds: admins open them; provincial authorities recommend entries within their
/// quota while the recommendation stage is open; anyone reads them.
struct RoundController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.rounds, use: list)
        app.register(.POST, APIRoute.rounds, use: create)
        app.register(.GET, APIRoute.round(":id"), use: one)
        app.register(.POST, APIRoute.roundRecommendations(":id"), use: recommend)
        app.register(.POST, APIRoute.closeStage(":id", ":stage"), use: closeStage)
    }

    struct RoundDTO: Content {
        let id: String
        let year: Int
        let format: String
        let tracks: [String]
        let noticeNumber: String?
        let stages: [RoundStage]
        let quotaPerProvince: Int
        let quotaOverrides: [String: Int]
        let indicatorSet: String
        let indicatorSetVersion: Int
        var recommendations: [RecommendationDTO]?

        init(_ r: CompetitionRound, recommendations: [Recommendation]? = nil) {
            id = r.id
            year = r.year
            format = r.format.rawValue
            tracks = r.tracks
            noticeNumber = r.noticeNumber
            stages = r.stages
            quotaPerProvince = r.quotaPerProvince
            quotaOverrides = r.quotaOverrides
            indicatorSet = r.indicatorSetID
            indicatorSetVersion = r.indicatorSetVersion
            self.recommendations = recommendations?.map(RecommendationDTO.init)
        }
    }

    struct RecommendationDTO: Content {
        let cluster: String
        let province: String
        let track: String
        let recommendedOn: String

        init(_ r: Recommendation) {
            cluster = r.clusterID
            province = r.provinceCode
            track = r.track
            recommendedOn = r.recommendedOn.iso
        }
    }

    func list(req: Request) async throws -> [RoundDTO] {
        _ = try req.queryParameters(for: .rounds)
        return try await CompetitionStore.rounds(req.db).map { RoundDTO($0) }
    }

    func one(req: Request) async throws -> RoundDTO {
        _ = try req.queryParameters(for: .round(""))
        let id = req.parameters.get("id") ?? ""
        guard let round = try await RoundModel.find(id, on: req.db)?.round() else {
            throw APIError.notFound("no round with id '\(id.prefix(40))'", parameter: "id")
        }
        return RoundDTO(round, recommendations: try await CompetitionStore.recommendations(req.db, round: id))
    }

    struct RoundInput: Content {
        var year: Int?
        var format: String?
        var tracks: [String]?
        var noticeNumber: String?
        var stages: [StageInput]?
        var quotaPerProvince: Int?
        var quotaOverrides: [String: Int]?
    }

    struct StageInput: Content {
        var kind: String?
        var opensOn: String?
        var closesOn: String?
    }

    /// `POST /api/v1/rounds` (admin): the round is scored with the current indicator-set version.
    func create(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(RoundInput.self)
        let round = try await RoundService(context: req.services(caller: caller)).open(input)
        return try await RoundDTO(round).encodeResponse(status: .created, for: req)
    }

    /// `POST /api/v1/rounds/{id}/stages/{stage}/close` (admin): the stage ends before today.
    func closeStage(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let closed = try await RoundService(context: req.services(caller: caller))
            .closeStage(round: req.parameters.get("id") ?? "", stage: req.parameters.get("stage") ?? "")
        return try await RoundDTO(closed).encodeResponse(for: req)
    }

    struct RecommendationInput: Content {
        var cluster: String?
        var track: String?
    }

    /// `POST /api/v1/rounds/{id}/recommendations`: a provincial authority (or an admin, for any
    /// province) recommends one of its clusters; the quota is counted under a lock on the round row.
    func recommend(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(RecommendationInput.self)
        return try await RoundService(context: req.services(caller: caller))
            .recommend(input, round: req.parameters.get("id") ?? "")
            .encodeResponse(status: .created, for: req)
    }

}
