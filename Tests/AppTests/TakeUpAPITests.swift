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
}
