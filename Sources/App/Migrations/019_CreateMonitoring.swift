import Fluent
import Foundation

struct CreateMonitoring: AsyncMigration {
    var name: String { "2026-11-30-create-monitoring" }

    func prepare(on database: any Database) async throws {
        try await database.schema("monitoring_returns")
            .field("id", .string, .identifier(auto: false))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("data_year", .int, .required)
            .field("indicator_set_id", .string, .required)
            .field("indicator_set_version", .int, .required)
            .field("values", .string, .required)
            .field("comment", .string, .required)
            .field("review_comment", .string)
            .field("state", .string, .required)
            .field("version", .int, .required)
            .field("submitted_on", .string)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "cluster_id", "data_year")
            .create()
        try await database.schema("adjustment_proposals")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("reason_zh", .string, .required)
            .field("reason_en", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("decision", .string, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .unique(on: "year", "cluster_id", "event")
            .create()
        try await database.schema("cluster_benchmarks")
            .field("id", .int, .identifier(auto: true))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("description", .string, .required)
            .field("source", .string, .required)
            .field("entered_by", .string, .required)
            .field("entered_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cluster_benchmarks").delete()
        try await database.schema("adjustment_proposals").delete()
        try await database.schema("monitoring_returns").delete()
    }
}
