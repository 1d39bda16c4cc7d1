import Fluent

/// The first schema. Frozen: later changes get migrations of their own.
struct CreateRegistry: AsyncMigration {
    var name: String { "2026-11-24-create-registry" }

    func prepare(on database: any Database) async throws {
        try await database.schema("clusters")
            .field("id", .string, .identifier(auto: false))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("domain_code", .string, .required)
            .field("city_names", .array(of: .string), .required)
            .field("province_codes", .array(of: .string), .required)
            .field("batch_code", .string, .required)
            .field("confidence", .string, .required)
            .field("sources", .array(of: .string), .required)
            .field("notes", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("cluster_events")
            .field("id", .int, .identifier(auto: true))
            .field("cluster_id", .string, .required, .references("clusters", "id", onDelete: .cascade))
            .field("occurred_on", .string, .required)
            .field("date_precision", .string, .required)
            .field("tier", .string)
            .field("status", .string, .required)
            .field("document", .string)
            .field("note", .string)
            .create()
        try await database.schema("published_figures")
            .field("id", .string, .identifier(auto: false))
            .field("metric", .string)
            .field("label_zh", .string, .required)
            .field("label_en", .string, .required)
            .field("value", .double, .required)
            .field("display", .string)
            .field("qualifier", .string, .required)
            .field("unit", .string, .required)
            .field("scope", .string, .required)
            .field("data_year", .int)
            .field("reference_date", .string, .required)
            .field("source_id", .string, .required)
            .field("source_title_zh", .string, .required)
            .field("source_title_en", .string, .required)
            .field("source_publisher", .string, .required)
            .field("published_on", .string, .required)
            .field("source_url", .string)
            .field("source_note", .string)
            .field("note", .string)
            .field("position", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("published_figures").delete()
        try await database.schema("cluster_events").delete()
        try await database.schema("clusters").delete()
    }
}
