import Fluent
import SQLKit
import Vapor

/// Optimistic locking for rows with a `version` column: inside a transaction, bumps the row's
/// version only if it is still the one the editor read. Of two edits of one version the second
/// claims nothing, and the first statement writes, so concurrent writers queue on the row.
enum VersionClaim {
    /// True when the row `id` of `table` was at `version` and is now at `version + 1`.
    static func claim(_ table: String, id: String, version: Int, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.update(table)
            .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
            .where(SQLIdentifier("id"), .equal, SQLBind(id))
            .where(SQLIdentifier("version"), .equal, SQLBind(version))
            .returning(SQLIdentifier("id"))
            .all()
        return !rows.isEmpty
    }
}
