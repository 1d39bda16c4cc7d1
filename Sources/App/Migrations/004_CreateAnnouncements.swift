import Fluent
import Foundation
import SQLKit

struct CreateAnnouncements: AsyncMigration {
    var name: String { "2026-11-25-create-announcements" }

    func prepare(on database: any Database) async throws {
        try await database.schema("announcements")
            .field("id", .string, .identifier(auto: false))
            .field("title_zh", .string, .required)
            .field("title_en", .string, .required)
            .field("body_zh", .string, .required)
            .field("body_en", .string, .required)
            .field("source", .string, .required)
            .field("source_url", .string)
            .field("published_on", .string, .required)
            .field("date_precision", .string, .required)
            .field("tags", .array(of: .string), .required)
            .field("cluster_ids", .array(of: .string), .required)
            .create()
        try await database.schema("announcement_views")
            .field("id", .int, .identifier(auto: true))
            .field("announcement_id", .string, .required, .references("announcements", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("views", .int, .required)
            .unique(on: "announcement_id", "day")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("announcement_views").delete()
        try await database.schema("announcements").delete()
    }
}
