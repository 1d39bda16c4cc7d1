import Fluent

/// The answers to API creates sent with an `Idempotency-Key`, so that a retry gets the first answer.
struct CreateIdempotencyKeys: AsyncMigration {
    var name: String { "2026-12-08-create-idempotency-keys" }

    func prepare(on database: any Database) async throws {
        try await database.schema("idempotency_keys")
            .id()
            .field("owner", .string, .required)
            .field("key", .string, .required)
            .field("fingerprint", .string, .required)
            .field("status", .int)
            .field("content_type", .string)
            .field("location", .string)
            .field("body", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "owner", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("idempotency_keys").delete()
    }
}
