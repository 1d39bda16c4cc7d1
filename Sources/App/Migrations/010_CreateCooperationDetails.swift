import Fluent
import Foundation

struct CreateCooperationDetails: AsyncMigration {
    var name: String { "2026-11-25-create-cooperation-details" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cooperation_details")
            .field(
                "activity_id", .string, .identifier(auto: false),
                .references("cooperation_activities", "id", onDelete: .cascade)
            )
            .field("outputs", .string, .required)
            .field("documents", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cooperation_details").delete()
    }
}
