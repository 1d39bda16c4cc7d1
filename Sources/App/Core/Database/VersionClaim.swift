import Fluent
import SQLKit
import Vapor

/// Optimistic locking for rows with a `version` column: inside a transaction, bumps the row's
/// version only if it is still the one the editor read. Of two edits of one version the second
/// claims nothing, and the first statement writes, so concurrent writers queue on the row.
enum VersionClaim {
    /// True when the row `id` of `table` was at `version` and is now at `version + 1`.
    static func claim(
        _ table: String, id: some Encodable & Sendable, version: Int, on db: any Database
    ) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.update(table)
            .set(
                SQLIdentifier("version"),
                to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1"))
            )
            .where(SQLIdentifier("id"), .equal, SQLBind(id))
            .where(SQLIdentifier("version"), .equal, SQLBind(version))
            .returning(SQLIdentifier("id"))
            .all()
        return !rows.isEmpty
    }
}

/// On SQLite, two write transactions must not overlap: one that read before writing fails at once
/// with "database is locked", and a writer left waiting spins on one of the few threads SQLite's
/// calls run on, which can starve the transaction it waits for. Write transactions on SQLite
/// therefore queue here, in the process, without holding a thread, and begin with a write to a
/// one-row table, so that a writer in another process (a `ladder` command) is met at the first
/// statement. PostgreSQL needs none of this; rows are locked where needed.
actor WriteGate {
    static let shared = WriteGate()
    /// Set while a task holds the gate, so that a nested write transaction does not wait for itself.
    @TaskLocal static var held = false

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

extension Database {
    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }

    /// This database's SQL interface; both drivers the app uses have one.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "the database does not speak SQL")
        }
        return sql
    }

    /// A transaction that writes; on SQLite, one at a time (see `WriteGate`).
    func writeTransaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws
        -> T
    {
        guard isSQLite, !WriteGate.held else { return try await transaction(closure) }
        await WriteGate.shared.enter()
        do {
            let result = try await WriteGate.$held.withValue(true) {
                try await transaction { tx in
                    if let sql = tx as? any SQLDatabase {
                        try await sql.raw("UPDATE write_lock SET n = n + 1 WHERE id = 1").run()
                    }
                    return try await closure(tx)
                }
            }
            await WriteGate.shared.leave()
            return result
        } catch {
            await WriteGate.shared.leave()
            throw error
        }
    }
}
