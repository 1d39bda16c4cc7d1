import Fluent
import Foundation

/// A row of `clusters`. Member cities and provinces are ordered arrays; the dated tier history
/// lives in `cluster_events`.
final class ClusterModel: Model, @unchecked Sendable {
    static let schema = "clusters"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "domain_code") var domainCode: String
    @Field(key: "city_names") var cityNames: [String]
    @Field(key: "province_codes") var provinceCodes: [String]
    @Field(key: "batch_code") var batchCode: String
    @Field(key: "confidence") var confidence: String
    @Field(key: "sources") var sources: [String]
    @Field(key: "notes") var notes: String
    @OptionalField(key: "promotion_org") var promotionOrg: String?
    /// `YYYY-MM-DD` from which the record is withdrawn from every list and figure.
    @OptionalField(key: "retired_on") var retiredOn: String?
    /// Bumped on every update, for optimistic locking.
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$cluster) var events: [ClusterEventModel]

    init() {}
}

/// A row of `cluster_events`: one dated step of a cluster's tier history.
final class ClusterEventModel: Model, @unchecked Sendable {
    static let schema = "cluster_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "cluster_id") var cluster: ClusterModel
    /// `YYYY-MM-DD`; with `date_precision` month or year it is the last day of that period.
    @Field(key: "occurred_on") var occurredOn: String
    @Field(key: "date_precision") var datePrecision: String
    @OptionalField(key: "tier") var tier: String?
    @Field(key: "status") var status: String
    @OptionalField(key: "document") var document: String?
    @OptionalField(key: "note") var note: String?

    init() {}
}

/// A row of `published_figures`, with its source inline.
final class PublishedFigureModel: Model, @unchecked Sendable {
    static let schema = "published_figures"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @OptionalField(key: "metric") var metric: String?
    @Field(key: "label_zh") var labelZh: String
    @Field(key: "label_en") var labelEn: String
    @Field(key: "value") var value: Double
    @OptionalField(key: "display") var display: String?
    @Field(key: "qualifier") var qualifier: String
    @Field(key: "unit") var unit: String
    @Field(key: "scope") var scope: String
    @OptionalField(key: "data_year") var dataYear: Int?
    @Field(key: "reference_date") var referenceDate: String
    @Field(key: "source_id") var sourceID: String
    @Field(key: "source_title_zh") var sourceTitleZh: String
    @Field(key: "source_title_en") var sourceTitleEn: String
    @Field(key: "source_publisher") var sourcePublisher: String
    @Field(key: "published_on") var publishedOn: String
    @OptionalField(key: "source_url") var sourceURL: String?
    @OptionalField(key: "source_note") var sourceNote: String?
    @OptionalField(key: "note") var note: String?
    @Field(key: "position") var position: Int

    init() {}
}
