import ClusterDomain
import Fluent
import Vapor

/// Reading the competition's records: rounds, their entries and the indicator set a round is scored
/// with. Shared by the round, dossier, scoring and notice features, the inbox and the commands.
enum CompetitionStore {
    static func rounds(_ db: any Database) async throws -> [CompetitionRound] {
        try await RoundModel.query(on: db).sort(\.$id).all().map { try $0.round() }
    }

    static func round(_ id: String, on db: any Database) async throws -> CompetitionRound {
        guard let round = try await RoundModel.find(id, on: db)?.round() else {
            throw APIError.notFound("no round with id '\(id.prefix(40))'", parameter: "id")
        }
        return round
    }

    static func recommendations(_ db: any Database, round: String) async throws -> [Recommendation] {
        try await RecommendationModel.query(on: db).filter(\.$roundID == round).sort(\.$id).all().map {
            try $0.recommendation()
        }
    }

    /// The indicator set a round is scored with (the version it was opened with).
    static func set(for round: CompetitionRound, db: any Database) async throws -> IndicatorSet {
        guard let set = try await IndicatorSets.version(round.indicatorSetID, round.indicatorSetVersion, on: db) else {
            throw Abort(
                .internalServerError,
                reason: "indicator set \(round.indicatorSetID) v\(round.indicatorSetVersion) is not stored")
        }
        return set
    }
}
