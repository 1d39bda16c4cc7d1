import Fluent
import Foundation
import SQLKit

struct CreateDossiers: AsyncMigration {
    var name: String { "2026-11-26-create-dossiers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("round_dossiers")
            .field("id", .string, .identifier(auto: false))
            .field("round_id", .string, .required, .references("competition_rounds", "id", onDelete: .cascade))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("promotion_body", .string, .required)
            .field("plan", .string, .required)
            .field("highlights", .string, .required)
            .field("values", .string, .required)
            .field("version", .int, .required)
            .field("submitted_at", .datetime)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "round_id", "cluster_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("round_dossiers").delete()
    }
}
