import ClusterDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// A stored value that does not decode is an error naming table, row and column — answered as a 500
/// with the request id it is logged under — never a default and never a row that silently vanishes.
@Suite struct StoredValueTests {
    @Test(arguments: TestDatabase.enabled)
    func anUnknownReturnStateIsAnErrorNotADraft(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await MonitoringAPITests.accepted(app, "NC011", 2024, MonitoringAPITests.values(4))
            let row = try #require(try await ReturnModel.find("NC011|2024", on: app.db))
            row.state = "archived"
            try await row.update(on: app.db)
            #expect {
                _ = try row.returnState()
            } throws: { error in
                let e = try #require(error as? StoredValueError)
                return e.table == "monitoring_returns" && e.id == "NC011|2024" && e.column == "state"
                    && e.value == "archived"
            }
            let headers = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            try await app.testing().test(.GET, "/api/v1/returns?year=2024", headers: headers) { res in
                #expect(res.status == .internalServerError)
                let json = try res.json()
                #expect(json.string("reason") == "internal error")
                #expect(json.string("request_id")?.isEmpty == false)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func roundStagesThatDoNotDecodeAreAnErrorNotAMissingRound(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            _ = try await RoundAPITests.fixture(app)
            try await app.db.sql().raw("UPDATE competition_rounds SET quota_overrides = 'not json'").run()
            let row = try #require(try await RoundModel.query(on: app.db).first())
            #expect(throws: StoredValueError.self) { try row.round() }
            try await app.testing().test(.GET, "/api/v1/rounds") { res in
                #expect(res.status == .internalServerError)
            }
            try await app.testing().test(.GET, "/rounds") { res in
                #expect(res.status == .internalServerError)
                #expect(res.body.string.contains("请求编号"))
            }
        }
    }

    /// A role grant whose scope no longer reads (a city gone from the reference data) is not quietly
    /// dropped from the caller's grants: the request fails, naming the row.
    @Test(arguments: TestDatabase.enabled)
    func aGrantThatNoLongerReadsIsAnErrorNotALostPermission(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let headers = try await bearer(app, "city@example.org", Grant(role: .city, scope: "苏州"))
            try await app.testing().test(.GET, "/api/v1/audit", headers: headers) { res in
                #expect(res.status == .ok)
            }
            try await app.db.sql().raw("UPDATE role_grants SET scope = '消失市'").run()
            let user = try #require(
                try await UserModel.query(on: app.db).filter(\.$email == "city@example.org").first())
            await #expect {
                _ = try await CallerMiddleware.activeGrants(
                    of: try user.requireID(), on: app.db, reference: app.reference)
            } throws: { error in
                let e = try #require(error as? StoredValueError)
                return e.table == "role_grants" && e.value == "city:消失市"
            }
            try await app.testing().test(.GET, "/api/v1/audit", headers: headers) { res in
                #expect(res.status == .internalServerError)
                let json = try res.json()
                #expect(json.string("request_id")?.isEmpty == false)
            }
        }
    }

    @Test func messagesNameTableRowColumnAndValue() {
        let e = StoredValueError(table: "policies", id: "POL001", column: "level", value: "planetary")
        #expect(e.description == "stored value does not decode: policies row POL001, column level: 'planetary'")
    }
}
