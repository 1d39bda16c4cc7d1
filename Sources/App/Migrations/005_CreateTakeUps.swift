import ClusterDomain
import Fluent
import Foundation

struct CreateTakeUps: AsyncMigration {
    var name: String { "2026-11-25-create-policy-takeups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("policy_takeups")
            .field("id", .int, .identifier(auto: true))
            .field("policy_id", .string, .required)
            .field("cluster_id", .string, .required, .references("clusters", "id"))
            .field("amount", .double)
            .field("granted_on", .string, .required)
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("policy_takeups").delete()
    }
}
