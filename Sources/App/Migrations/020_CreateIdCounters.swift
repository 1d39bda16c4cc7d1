import Fluent

/// The last number handed out in each series of server-chosen ids (`IdAllocator`).
struct CreateIdCounters: AsyncMigration {
    var name: String { "2026-12-07-create-id-counters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("id_counters")
            .field("series", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("id_counters").delete()
    }
}
