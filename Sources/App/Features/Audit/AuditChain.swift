import Crypto
import Fluent
import Foundation
import SQLKit

/// The audit trail as a hash chain: each entry stores the SHA-256 of its own content and of the entry
/// before it, so changing, removing or inserting an entry anywhere but at the end breaks every later
/// link. Entries are appended one at a time (the write transaction's lock on SQLite, a transaction-level
/// advisory lock per schema on PostgreSQL), so two instances never chain to the same predecessor.
/// `ladder audit verify` walks the chain. Triggers (migration 022) refuse UPDATE and DELETE.
enum AuditChain {
    /// The predecessor of the first entry.
    static let genesis = String(repeating: "0", count: 64)

    /// The chain's format; a different one would need a new name and a new migration.
    static let format = "ladder-audit-v1"

    /// The fields that are chained, in order; nil is written apart from an empty text.
    struct Content: Sendable, Equatable {
        var atMilliseconds: Int64
        var actorID: String?
        var actorEmail: String?
        var grant: String?
        var via: String?
        var action: String
        var outcome: String
        var entity: String
        var entityID: String?
        var before: String?
        var after: String?
        var scopeProvinces: [String]
        var scopeCities: [String]
        var requestID: String?
        var clientAddress: String?

        var fields: [String?] {
            [
                String(atMilliseconds), actorID, actorEmail, grant, via, action, outcome, entity, entityID, before,
                after, scopeProvinces.joined(separator: ","), scopeCities.joined(separator: ","), requestID,
                clientAddress,
            ]
        }
    }

    /// A moment as the trail keeps it: whole milliseconds, which both databases store exactly.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func hash(previous: String, _ content: Content) -> String {
        var text = format + "\n" + previous
        for field in content.fields {
            // Length-prefixed, so no field's text can pass for a field boundary.
            text += field.map { "\n\($0.utf8.count):\($0)" } ?? "\n-"
        }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func content(_ m: AuditEntryModel) -> Content {
        Content(
            atMilliseconds: milliseconds(m.at), actorID: m.actorID?.uuidString, actorEmail: m.actorEmail,
            grant: m.grant, via: m.via, action: m.action, outcome: m.outcome, entity: m.entity, entityID: m.entityID,
            before: m.before, after: m.after, scopeProvinces: m.scopeProvinces, scopeCities: m.scopeCities,
            requestID: m.requestID, clientAddress: m.clientAddress)
    }

    /// Appends `row` after the last entry, in the transaction `db` is.
    static func append(_ row: AuditEntryModel, on db: any Database) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit'))").run()
        }
        let last = try await AuditEntryModel.query(on: db).sort(\.$id, .descending).first()
        row.at = Date(timeIntervalSince1970: Double(milliseconds(row.at)) / 1000)
        row.hash = hash(previous: last?.hash ?? genesis, content(row))
        try await row.create(on: db)
    }

    /// What a walk of the chain found.
    struct Report: Sendable, Equatable {
        var checked = 0
        /// The first entry whose stored hash is not the hash of its content and its predecessor.
        var firstMismatch: Int?
    }

    /// Walks the whole chain in order, a page at a time; stops at the first entry that does not match.
    static func verify(on db: any Database, pageSize: Int = 1000) async throws -> Report {
        var report = Report()
        var previous = genesis
        var after = 0
        while true {
            let page = try await AuditEntryModel.query(on: db).filter(\.$id > after).sort(\.$id, .ascending)
                .limit(pageSize).all()
            for row in page {
                report.checked += 1
                guard let stored = row.hash, stored == hash(previous: previous, content(row)) else {
                    report.firstMismatch = row.id
                    return report
                }
                previous = stored
            }
            guard let last = page.last?.id, page.count == pageSize else { return report }
            after = last
        }
    }
}
