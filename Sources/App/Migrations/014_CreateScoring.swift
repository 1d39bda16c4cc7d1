import Fluent
import Foundation
import SQLKit

struct CreateScoring: AsyncMigration {
    var name: String { "2026-11-25-create-scoring" }

    func prepare(on database: any Database) async throws {
        try await database.schema("round_assignments")
            .field("id", .int, .identifier(auto: true))
            .field("round_id", .string, .required, .references("competition_rounds", "id", onDelete: .cascade))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("expert_id", .string, .required)
            .field("expert_province", .string, .required)
            .unique(on: "round_id", "cluster_id", "expert_id")
            .create()
        try await database.schema("round_scores")
            .field("id", .int, .identifier(auto: true))
            .field("round_id", .string, .required, .references("competition_rounds", "id", onDelete: .cascade))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("expert_id", .string, .required)
            .field("indicator", .string, .required)
            .field("score", .double, .required)
            .field("comment", .string, .required)
            .field("submitted_at", .datetime, .required)
            .unique(on: "round_id", "cluster_id", "expert_id", "indicator")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("round_scores").delete()
        try await database.schema("round_assignments").delete()
    }
}
