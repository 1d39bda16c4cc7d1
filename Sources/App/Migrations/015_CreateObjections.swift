import Fluent
import Foundation
import SQLKit

struct CreateObjections: AsyncMigration {
    var name: String { "2026-11-25-create-objections" }

    func prepare(on database: any Database) async throws {
        try await database.schema("round_objections")
            .field("id", .int, .identifier(auto: true))
            .field("round_id", .string, .required, .references("competition_rounds", "id", onDelete: .cascade))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("lodged_by", .string, .required)
            .field("text", .string, .required)
            .field("lodged_at", .datetime, .required)
            .field("resolution", .string)
            .field("resolved_by", .string)
            .field("resolved_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("round_objections").delete()
    }
}
