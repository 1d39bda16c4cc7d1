import Fluent
import Foundation
import SQLKit

struct CreateAnnouncementSources: AsyncMigration {
    var name: String { "2026-11-25-create-announcement-sources" }

    func prepare(on database: any Database) async throws {
        try await database.schema("announcement_sources")
            .field(
                "announcement_id", .string, .identifier(auto: false),
                .references("announcements", "id", onDelete: .cascade)
            )
            .field("original_text", .string, .required)
            .field("repaired_text", .string, .required)
            .field("encoding", .string)
            .field("repairs", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("announcement_sources").delete()
    }
}
