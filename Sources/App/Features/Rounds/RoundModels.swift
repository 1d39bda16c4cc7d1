import ClusterDomain
import Fluent
import Foundation
import SQLKit

/// A row of `competition_rounds`; stages and quota overrides as JSON.
final class RoundModel: Model, @unchecked Sendable {
    static let schema = "competition_rounds"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "year") var year: Int
    @Field(key: "format") var format: String
    @Field(key: "tracks") var tracks: [String]
    @OptionalField(key: "notice_number") var noticeNumber: String?
    @Field(key: "stages") var stages: String
    @Field(key: "quota_per_province") var quotaPerProvince: Int
    @Field(key: "quota_overrides") var quotaOverrides: String
    @Field(key: "indicator_set_id") var indicatorSetID: String
    @Field(key: "indicator_set_version") var indicatorSetVersion: Int

    init() {}

    convenience init(_ r: CompetitionRound) throws {
        self.init()
        id = r.id
        year = r.year
        format = r.format.rawValue
        tracks = r.tracks
        noticeNumber = r.noticeNumber
        stages = try StoredJSON.encode(r.stages)
        quotaPerProvince = r.quotaPerProvince
        quotaOverrides = try StoredJSON.encode(r.quotaOverrides)
        indicatorSetID = r.indicatorSetID
        indicatorSetVersion = r.indicatorSetVersion
    }

    /// Takes the round's row for this transaction (PostgreSQL), so that recommendations,
    /// objections and designations of one round happen one after the other.
    static func lock(_ id: String, on db: any Database) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM competition_rounds WHERE id = \(bind: id) FOR UPDATE").run()
        }
    }

    func round() throws -> CompetitionRound {
        guard let id else { throw StoredValueError(table: Self.schema, id: nil, column: "id", value: "") }
        guard let format = RoundFormat(rawValue: format) else {
            throw StoredValueError(table: Self.schema, id: id, column: "format", value: format)
        }
        let stages = try StoredJSON.decode(
            [RoundStage].self, from: stages, table: Self.schema, id: id, column: "stages")
        let overrides = try StoredJSON.decode(
            [String: Int].self, from: quotaOverrides, table: Self.schema, id: id, column: "quota_overrides")
        return CompetitionRound(
            id: id, year: year, format: format, tracks: tracks, noticeNumber: noticeNumber, stages: stages,
            quotaPerProvince: quotaPerProvince, quotaOverrides: overrides, indicatorSetID: indicatorSetID,
            indicatorSetVersion: indicatorSetVersion)
    }
}

/// A row of `round_recommendations`. One per round and cluster (unique).
final class RecommendationModel: Model, @unchecked Sendable {
    static let schema = "round_recommendations"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "round_id") var roundID: String
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "province") var province: String
    @Field(key: "track") var track: String
    @Field(key: "recommended_on") var recommendedOn: String
    @OptionalField(key: "recommended_by") var recommendedBy: String?

    init() {}

    func recommendation() throws -> Recommendation {
        guard let day = Day(recommendedOn) else {
            throw StoredValueError(table: Self.schema, id: id, column: "recommended_on", value: recommendedOn)
        }
        return Recommendation(
            roundID: roundID, clusterID: clusterID, provinceCode: province, track: track, recommendedOn: day)
    }
}

/// An expert assigned to score an entry, with the province the expert comes from.
final class AssignmentModel: Model, @unchecked Sendable {
    static let schema = "round_assignments"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "round_id") var roundID: String
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "expert_id") var expertID: String
    @Field(key: "expert_province") var expertProvince: String

    init() {}
}

/// One expert's score of one indicator of one entry. Submitting again replaces it.
final class ScoreModel: Model, @unchecked Sendable {
    static let schema = "round_scores"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "round_id") var roundID: String
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "expert_id") var expertID: String
    @Field(key: "indicator") var indicator: String
    @Field(key: "score") var score: Double
    @Field(key: "comment") var comment: String
    @Field(key: "submitted_at") var submittedAt: Date

    init() {}
}

/// An objection lodged against an entry during a round's public notice, and its resolution.
final class ObjectionModel: Model, @unchecked Sendable {
    static let schema = "round_objections"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "round_id") var roundID: String
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "lodged_by") var lodgedBy: String
    @Field(key: "text") var text: String
    @Field(key: "lodged_at") var lodgedAt: Date
    @OptionalField(key: "resolution") var resolution: String?
    @OptionalField(key: "resolved_by") var resolvedBy: String?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?

    init() {}
}

/// A row of `round_dossiers`: one per entry, `id` = "round|cluster"; values as JSON; `version` for
/// optimistic locking; `submitted_at` once the lead city hands it in.
final class DossierModel: Model, @unchecked Sendable {
    static let schema = "round_dossiers"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "round_id") var roundID: String
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "promotion_body") var promotionBody: String
    @Field(key: "plan") var plan: String
    @Field(key: "highlights") var highlights: String
    @Field(key: "values") var values: String
    @Field(key: "version") var version: Int
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    static func key(round: String, cluster: String) -> String { round + "|" + cluster }

    /// The round and the cluster of a key made by `key(round:cluster:)`.
    static func parts(ofKey key: String) -> (round: String, cluster: String)? {
        let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    func dossier() throws -> Dossier {
        Dossier(
            promotionBody: promotionBody, plan: plan, highlights: highlights,
            values: try StoredJSON.decode(
                [String: Double].self, from: values, table: Self.schema, id: id, column: "values"))
    }

    func set(_ d: Dossier) throws {
        promotionBody = d.promotionBody
        plan = d.plan
        highlights = d.highlights
        values = try StoredJSON.encode(d.values)
    }
}
