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
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    func takeUp() -> TakeUp? {
        guard let id, let day = Day(grantedOn), let status = TakeUp.Status(rawValue: status) else { return nil }
        return TakeUp(
            id: id, policyID: policyID, clusterID: $cluster.id, amount: amount, grantedOn: day, status: status,
            note: note)
    }
}
