import Fluent
import SQLKit

struct CreateWriteLock: AsyncMigration {
    var name: String { "2026-11-26-create-write-lock" }

    func prepare(on database: any Database) async throws {
        try await database.schema("write_lock").field("id", .int, .identifier(auto: false)).field("n", .int, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("INSERT INTO write_lock (id, n) VALUES (1, 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("write_lock").delete()
    }
}
