import Fluent
import SQLKit

struct CreateRegistryState: AsyncMigration {
    var name: String { "2026-11-25-create-registry-state" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registry_state")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("INSERT INTO registry_state (id, version) VALUES (1, 1)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registry_state").delete()
    }
}
