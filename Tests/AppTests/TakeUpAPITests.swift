import ClusterDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct TakeUpAPITests {
    @Test(arguments: TestDatabase.enabled)
    func recordListAndTotal(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let user = try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let token = try await makeToken(app, for: user, [Grant(role: .provincial, scope: "32")])
            let headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            let before = try await auditCount(app)
            try await app.testing().test(
                .POST, "/api/v1/takeups", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "policy": "POL003", "cluster": "NC011", "amount": AnyCodable(2_000_000),
                            "granted_on": "2026-03-01", "status": "granted",
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                let json = try res.json()
                #expect(json.string("cluster") == "NC011")
            }
            #expect(try await auditCount(app) == before + 1)
            try await app.testing().test(
                .POST, "/api/v1/takeups", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "policy": "POL999", "cluster": "NC011", "amount": AnyCodable(-1),
                            "granted_on": "2026-13-01",
                            "status": "lost",
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try #require(try res.json().object("fields"))
                #expect(Set(fields.keys) == ["policy", "amount", "granted_on", "status"])
            }
            try await app.testing().test(.GET, "/api/v1/takeups?cluster=NC011") { res in
                let list = try res.jsonArray()
                #expect(list.count == 1)
            }
            try await app.testing().test(.GET, "/api/v1/takeups/totals") { res in
                let json = try res.json()
                #expect(json.object("by_category")?.object("finance")?.double("amount") == 2_000_000)
                #expect(json.object("by_province")?.object("32")?.int("count") == 1)
            }
            try await app.testing().test(.GET, "/policies/POL003?lang=en") { res in
                #expect(res.body.string.contains("Support recorded"))
                #expect(res.body.string.contains("2026-03-01"))
            }
        }
    }

    /// A status change follows applied → granted → paid from the version read: a skipped step and a
    /// change of a final record are 422 naming the status, a stale version is 409, and none of them
    /// changes the record.
    @Test(arguments: TestDatabase.enabled)
    func statusFollowsTheMachineFromTheVersionRead(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let headers = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            let (created, record) = try await postJSON(
                app, "/api/v1/takeups", headers,
                ["policy": "POL003", "cluster": "NC011", "granted_on": "2026-03-01", "status": "applied"])
            #expect(created == 201)
            #expect(record.int("version") == 1)
            let id = try #require(record.int("id"))
            let path = "/api/v1/takeups/\(id)"
            func put(_ body: [String: AnyCodable]) async throws -> (UInt, [String: Any]) {
                try await postJSON(app, path, headers, body, method: .PUT)
            }
            let (skipped, skip) = try await put(["status": "paid", "version": 1])
            #expect(skipped == 422)
            #expect(skip.object("fields")?.string("status") == "from applied only to granted or withdrawn")
            let (noVersion, missing) = try await put(["status": "granted"])
            #expect(noVersion == 422)
            #expect(missing.object("fields")?.string("version")?.hasPrefix("the version you read") == true)
            let (granted, afterGrant) = try await put(["status": "granted", "version": 1])
            #expect(granted == 200)
            #expect(afterGrant.string("status") == "granted" && afterGrant.int("version") == 2)
            let (stale, conflict) = try await put(["status": "paid", "version": 1])
            #expect(stale == 409)
            #expect(conflict.string("parameter") == "version")
            let (paid, afterPay) = try await put(["status": "paid", "amount": 500_000, "version": 2])
            #expect(paid == 200 && afterPay.int("version") == 3)
            let (reopened, reopen) = try await put(["status": "applied", "version": 3])
            #expect(reopened == 422)
            #expect(reopen.object("fields")?.string("status") == "a paid record is final; it cannot become applied")
            let row = try #require(try await TakeUpModel.find(id, on: app.db))
            #expect(row.status == "paid" && row.version == 3 && row.amount == 500_000)
            let changes = try await AuditEntryModel.query(on: app.db).filter(\.$action == "update_takeup")
                .filter(\.$outcome == "done").count()
            #expect(changes == 2)
        }
    }

    /// A stored status the domain does not know is an error naming the row and column, not a record
    /// that silently disappears from the list.
    @Test(arguments: TestDatabase.enabled)
    func anUnknownStoredStatusIsAnErrorNotAMissingRow(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let row = TakeUpModel()
            row.policyID = "POL003"
            row.$cluster.id = "NC011"
            row.grantedOn = "2026-01-01"
            row.status = "approved"
            row.note = ""
            row.version = 1
            try await row.create(on: app.db)
            #expect(throws: StoredValueError.self) { try row.takeUp() }
            try await app.testing().test(.GET, "/api/v1/takeups") { res in
                #expect(res.status == .internalServerError)
            }
        }
    }
}
