import Fluent
import Foundation
import SQLKit

struct CreateRounds: AsyncMigration {
    var name: String { "2026-11-25-create-rounds" }

    func prepare(on database: any Database) async throws {
        try await database.schema("competition_rounds")
            .field("id", .string, .identifier(auto: false))
            .field("year", .int, .required)
            .field("format", .string, .required)
            .field("tracks", .array(of: .string), .required)
            .field("notice_number", .string)
            .field("stages", .string, .required)
            .field("quota_per_province", .int, .required)
            .field("quota_overrides", .string, .required)
            .field("indicator_set_id", .string, .required)
            .field("indicator_set_version", .int, .required)
            .create()
        try await database.schema("round_recommendations")
            .field("id", .int, .identifier(auto: true))
            .field("round_id", .string, .required, .references("competition_rounds", "id", onDelete: .cascade))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("province", .string, .required)
            .field("track", .string, .required)
            .field("recommended_on", .string, .required)
            .field("recommended_by", .string)
            .unique(on: "round_id", "cluster_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("round_recommendations").delete()
        try await database.schema("competition_rounds").delete()
    }
}
