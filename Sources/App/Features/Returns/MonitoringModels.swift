import ClusterDomain
import Fluent
import Foundation
import Vapor

/// A row of `monitoring_returns`: one cluster's yearly return for a data year (id "cluster|year"),
/// its values as JSON, where it stands in the workflow, and the version for optimistic locking.
final class ReturnModel: Model, @unchecked Sendable {
    static let schema = "monitoring_returns"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "data_year") var dataYear: Int
    @Field(key: "indicator_set_id") var indicatorSetID: String
    @Field(key: "indicator_set_version") var indicatorSetVersion: Int
    @Field(key: "values") var values: String
    /// The filer's explanation (of flagged changes, among others).
    @Field(key: "comment") var comment: String
    /// The last reviewer's comment (what to correct, when returned).
    @OptionalField(key: "review_comment") var reviewComment: String?
    @Field(key: "state") var state: String
    @Field(key: "version") var version: Int
    /// The day it was first submitted (ISO); lateness is judged on it.
    @OptionalField(key: "submitted_on") var submittedOn: String?
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    static func key(cluster: String, year: Int) -> String { "\(cluster)|\(year)" }

    func valueMap() throws -> [String: Double] {
        try StoredJSON.decode([String: Double].self, from: values, table: Self.schema, id: id, column: "values")
    }

    func setValues(_ map: [String: Double]) throws {
        values = try StoredJSON.encode(map)
    }

    func returnState() throws -> ReturnState {
        guard let known = ReturnState(rawValue: state) else {
            throw StoredValueError(table: Self.schema, id: id, column: "state", value: state)
        }
        return known
    }
}

/// A row of `adjustment_proposals`: what the system proposed for a cluster after a year's ratings,
/// and the admin's decision on it.
final class ProposalModel: Model, @unchecked Sendable {
    static let schema = "adjustment_proposals"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "year") var year: Int
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "event") var event: String
    @Field(key: "reason_zh") var reasonZh: String
    @Field(key: "reason_en") var reasonEn: String
    @Field(key: "proposed_at") var proposedAt: Date
    /// `pending`, `accepted` or `rejected`.
    @Field(key: "decision") var decision: String
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_note") var decisionNote: String?

    init() {}
}

/// A row of `cluster_benchmarks`: a global benchmark an admin entered for a cluster (share of world
/// output, rank among the world's agglomerations…), which world-class proposals need.
final class BenchmarkModel: Model, @unchecked Sendable {
    static let schema = "cluster_benchmarks"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "description") var description: String
    @Field(key: "source") var source: String
    @Field(key: "entered_by") var enteredBy: String
    @Field(key: "entered_at") var enteredAt: Date

    init() {}
}
