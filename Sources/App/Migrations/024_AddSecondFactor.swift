import Fluent

/// A second factor per user: the TOTP secret (Base32), when it was turned on, the last step used (a code
/// counts once), and the SHA-256 of the recovery codes not yet used (a JSON array).
struct AddSecondFactor: AsyncMigration {
    var name: String { "2026-12-08-add-second-factor" }

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds one at a time.
        try await database.schema("users").field("totp_secret", .string).update()
        try await database.schema("users").field("totp_enabled_at", .datetime).update()
        try await database.schema("users").field("totp_last_step", .int64).update()
        try await database.schema("users").field("recovery_codes", .string).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["recovery_codes", "totp_last_step", "totp_enabled_at", "totp_secret"] {
            try await database.schema("users").deleteField(.key(.string(field))).update()
        }
    }
}
