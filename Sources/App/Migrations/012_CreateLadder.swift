import Fluent
import Foundation

struct CreateLadder: AsyncMigration {
    var name: String { "2026-11-25-create-ladder" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ladder_events")
            .field("id", .int, .identifier(auto: true))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("day", .string, .required)
            .field("evidence", .array(of: .string), .required)
            .field("document_number", .string)
            .field("failures", .int, .required)
            .field("before_entry", .string)
            .field("national_since", .string)
            .field("actor", .string)
            .field("role", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("ladder_signoffs")
            .field("id", .int, .identifier(auto: true))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("reviewer", .string, .required)
            .field("department", .string, .required)
            .field("comment", .string, .required)
            .field("signed_at", .datetime, .required)
            .field("used", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ladder_signoffs").delete()
        try await database.schema("ladder_events").delete()
    }
}
