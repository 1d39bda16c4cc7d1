import Fluent

struct CreateIndicatorSets: AsyncMigration {
    var name: String { "2026-11-26-create-indicator-sets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("indicator_sets")
            .field("id", .string, .identifier(auto: false))
            .field("set_id", .string, .required)
            .field("version", .int, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string)
            .unique(on: "set_id", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("indicator_sets").delete()
    }
}
