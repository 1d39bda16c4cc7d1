import Fluent
import Foundation
import SQLKit

/// The audit trail becomes a hash chain (`AuditChain`): a `hash` column, filled for the entries already
/// there in the order they were written, and triggers that refuse UPDATE and DELETE on the table, so
/// that the application cannot rewrite history even by mistake (a database owner can still drop them;
/// `ladder audit verify` is what notices).
struct ChainAuditEntries: AsyncMigration {
    var name: String { "2026-12-08-chain-audit-entries" }

    /// The chained columns as the table holds them.
    struct Row: Decodable {
        let id: Int
        let at: Date
        let actorId: UUID?
        let actorEmail: String?
        let grant: String?
        let via: String?
        let action: String
        let outcome: String
        let entity: String
        let entityId: String?
        let before: String?
        let after: String?
        let scopeProvinces: [String]
        let scopeCities: [String]
        let requestId: String?
        let clientAddress: String?
    }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_entries").field("hash", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        var previous = AuditChain.genesis
        let rows = try await sql.raw("SELECT * FROM audit_entries ORDER BY id").all(
            decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        for row in rows {
            let content = AuditChain.Content(
                atMilliseconds: AuditChain.milliseconds(row.at), actorID: row.actorId?.uuidString,
                actorEmail: row.actorEmail, grant: row.grant, via: row.via, action: row.action, outcome: row.outcome,
                entity: row.entity, entityID: row.entityId, before: row.before, after: row.after,
                scopeProvinces: row.scopeProvinces, scopeCities: row.scopeCities, requestID: row.requestId,
                clientAddress: row.clientAddress)
            previous = AuditChain.hash(previous: previous, content)
            try await sql.raw("UPDATE audit_entries SET hash = \(bind: previous) WHERE id = \(bind: row.id)").run()
        }
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
                FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()
                """
            ).run()
        } else {
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER audit_entries_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event)
                    ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END
                    """
                ).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER audit_entries_append_only ON audit_entries").run()
            try await sql.raw("DROP FUNCTION audit_entries_append_only()").run()
        } else {
            try await sql.raw("DROP TRIGGER audit_entries_no_update").run()
            try await sql.raw("DROP TRIGGER audit_entries_no_delete").run()
        }
        try await database.schema("audit_entries").deleteField("hash").update()
    }
}
