import ClusterDomain
import Fluent
import NIOConcurrencyHelpers
import SQLKit

struct CreateRegistryState: AsyncMigration {
    var name: String { "2026-11-25-create-registry-state" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registry_state")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int, .required)
            .create()
        let row = RegistryStateModel()
        row.id = 1
        row.version = 1
        try await row.create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registry_state").delete()
    }
}
