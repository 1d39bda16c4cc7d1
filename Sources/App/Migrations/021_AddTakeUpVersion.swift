import Fluent

/// Support records become versioned like the other editable records: a change names the version it
/// was made from.
struct AddTakeUpVersion: AsyncMigration {
    var name: String { "2026-12-07-add-takeup-version" }

    func prepare(on database: any Database) async throws {
        try await database.schema("policy_takeups").field("version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("policy_takeups").deleteField("version").update()
    }
}
