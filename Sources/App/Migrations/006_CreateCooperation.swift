import Fluent
import Foundation

struct CreateCooperation: AsyncMigration {
    var name: String { "2026-11-25-create-cooperation" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cooperation_activities")
            .field("id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("title_zh", .string, .required)
            .field("title_en", .string, .required)
            .field("started_on", .string, .required)
            .field("date_precision", .string, .required)
            .field("ended_on", .string)
            .field("cluster_ids", .array(of: .string), .required)
            .field("organisations", .array(of: .string), .required)
            .field("outcomes", .string, .required)
            .field("source", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cooperation_activities").delete()
    }
}
