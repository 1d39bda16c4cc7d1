import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The audit trail is a hash chain: `ladder audit verify` finds an entry changed by hand.
@Suite struct AuditChainTests {
    static func record(_ app: Application, _ n: Int) async throws {
        try await AuditLog.record(
            on: app.db, origin: AuditLog.Origin(commandLine: app), caller: nil, grant: nil, action: "update",
            outcome: .done, entity: "cluster", entityID: "NC0\(10 + n)", after: #"{"notes":"第\#(n)次"}"#)
    }

    @Test(arguments: TestDatabase.enabled)
    func anEntryChangedByHandIsNamedAndTheTableRefusesUpdates(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            // Concurrent appends still make one chain.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...12 { group.addTask { try await Self.record(app, n) } }
                try await group.waitForAll()
            }
            let intact = try await AuditChain.verify(on: app.db, pageSize: 5)
            #expect(intact.firstMismatch == nil)
            #expect(intact.checked == (try await AuditEntryModel.query(on: app.db).count()))
            #expect(intact.checked >= 12)
            let sql = try app.db.sql()
            let rows = try await AuditEntryModel.query(on: app.db).sort(\.$id).all()
            let target = try #require(rows[rows.count / 2].id)
            // The application's own database user cannot change an entry.
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_entries SET after = 'x' WHERE id = \(bind: target)").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_entries WHERE id = \(bind: target)").run()
            }
            // Someone who can drop the guard rewrites one entry: verify names it.
            switch db {
            case .sqlite: try await sql.raw("DROP TRIGGER audit_entries_no_update").run()
            case .postgres:
                try await sql.raw("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only").run()
            }
            try await sql.raw(
                "UPDATE audit_entries SET after = '{\"notes\":\"改过\"}' WHERE id = \(bind: target)"
            ).run()
            let tampered = try await AuditChain.verify(on: app.db, pageSize: 5)
            #expect(tampered.firstMismatch == target)
        }
    }

    @Test func aRemovedEntryBreaksTheNextLink() async throws {
        try await withLadder(.sqlite) { app in
            for n in 1...4 { try await Self.record(app, n) }
            let sql = try app.db.sql()
            let rows = try await AuditEntryModel.query(on: app.db).sort(\.$id).all()
            try await sql.raw("DROP TRIGGER audit_entries_no_delete").run()
            let removed = try #require(rows[rows.count - 3].id)
            try await sql.raw("DELETE FROM audit_entries WHERE id = \(bind: removed)").run()
            #expect(try await AuditChain.verify(on: app.db).firstMismatch == rows[rows.count - 2].id)
        }
    }

    @Test func theHashCoversEveryFieldAndTellsNilFromEmpty() {
        let content = AuditChain.Content(
            atMilliseconds: 1_795_492_800_000, actorID: nil, actorEmail: "a@example.org", grant: "admin", via: nil,
            action: "update", outcome: "done", entity: "cluster", entityID: "NC011", before: nil, after: "{}",
            scopeProvinces: ["32"], scopeCities: [], requestID: nil, clientAddress: nil)
        let base = AuditChain.hash(previous: AuditChain.genesis, content)
        var emptyVia = content
        emptyVia.via = ""
        var otherProvince = content
        otherProvince.scopeProvinces = ["33"]
        #expect(AuditChain.hash(previous: AuditChain.genesis, emptyVia) != base)
        #expect(AuditChain.hash(previous: AuditChain.genesis, otherProvince) != base)
        #expect(AuditChain.hash(previous: base, content) != base)
        #expect(base.count == 64)
    }
}
