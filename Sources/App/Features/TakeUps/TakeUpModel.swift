import ClusterDomain
import Fluent
import Foundation

/// A row of `policy_takeups`.
final class TakeUpModel: Model, @unchecked Sendable {
    static let schema = "policy_takeups"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "policy_id") var policyID: String
    @Parent(key: "cluster_id") var cluster: ClusterModel
    @OptionalField(key: "amount") var amount: Double?
    @Field(key: "granted_on") var grantedOn: String
    @Field(key: "status") var status: String
    @Field(key: "note") var note: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    func takeUp() throws -> TakeUp {
        guard let id else { throw StoredValueError(table: Self.schema, id: nil, column: "id", value: "") }
        guard let day = Day(grantedOn) else {
            throw StoredValueError(table: Self.schema, id: id, column: "granted_on", value: grantedOn)
        }
        guard let status = TakeUp.Status(rawValue: status) else {
            throw StoredValueError(table: Self.schema, id: id, column: "status", value: status)
        }
        return TakeUp(
            id: id, policyID: policyID, clusterID: $cluster.id, amount: amount, grantedOn: day, status: status,
            note: note, version: version)
    }
}
