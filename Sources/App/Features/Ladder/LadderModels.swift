import ClusterDomain
import Fluent
import Foundation

/// One applied ladder transition: the event, the states, the evidence and who did it.
final class LadderEventModel: Model, @unchecked Sendable {
    static let schema = "ladder_events"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "event") var event: String
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @Field(key: "day") var day: String
    @Field(key: "evidence") var evidence: [String]
    @OptionalField(key: "document_number") var documentNumber: String?
    @Field(key: "failures") var failures: Int
    @OptionalField(key: "before_entry") var beforeEntry: String?
    @OptionalField(key: "national_since") var nationalSince: String?
    @OptionalField(key: "actor") var actor: String?
    @Field(key: "role") var role: String
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    func status() throws -> LadderStatus {
        guard let state = LadderState(rawValue: toState) else {
            throw StoredValueError(table: Self.schema, id: id, column: "to_state", value: toState)
        }
        guard let since = Day(day) else {
            throw StoredValueError(table: Self.schema, id: id, column: "day", value: day)
        }
        return LadderStatus(
            state: state, since: since, beforeEntry: beforeEntry.flatMap(LadderState.init(rawValue:)),
            failures: failures,
            nationalSince: nationalSince.flatMap { Day($0) }, documentNumber: documentNumber)
    }
}

/// A ministry reviewer's sign-off of a decision on a cluster, used up by the decision it allows.
final class LadderSignOffModel: Model, @unchecked Sendable {
    static let schema = "ladder_signoffs"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "cluster_id") var clusterID: String
    @Field(key: "event") var event: String
    @Field(key: "reviewer") var reviewer: String
    @Field(key: "department") var department: String
    @Field(key: "comment") var comment: String
    @Field(key: "signed_at") var signedAt: Date
    @Field(key: "used") var used: Bool

    init() {}
}

enum LadderStore {
    /// The sign-off of `event` on `cluster` that no decision has used yet.
    static func openSignOff(_ cluster: String, _ event: LadderEvent, on db: any Database) async throws
        -> LadderSignOffModel?
    {
        try await LadderSignOffModel.query(on: db).filter(\.$clusterID == cluster).filter(\.$event == event.rawValue)
            .filter(\.$used == false).first()
    }

    /// A cluster's place on the ladder: its latest applied transition, or, for clusters that came
    /// with the registry, what their tier history says as of `today`.
    static func status(of cluster: Cluster, today: Day, on db: any Database) async throws -> LadderStatus? {
        if let last = try await LadderEventModel.query(on: db).filter(\.$clusterID == cluster.id).sort(
            \.$id, .descending
        ).first() {
            return try last.status()
        }
        return LadderStatus.fromHistory(of: cluster, asOf: today)
    }

    /// The place of every cluster in one query over the applied transitions (the inbox's facts).
    static func statuses(of clusters: [Cluster], today: Day, on db: any Database) async throws -> [String: LadderStatus]
    {
        var latest: [String: LadderEventModel] = [:]
        for row in try await LadderEventModel.query(on: db).sort(\.$id).all() { latest[row.clusterID] = row }
        var found: [String: LadderStatus] = [:]
        for cluster in clusters {
            if let row = latest[cluster.id] {
                found[cluster.id] = try row.status()
            } else if let derived = LadderStatus.fromHistory(of: cluster, asOf: today) {
                found[cluster.id] = derived
            }
        }
        return found
    }
}
