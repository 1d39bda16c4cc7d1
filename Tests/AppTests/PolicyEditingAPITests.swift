import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct PolicyEditingAPITests {
    static func bearer(_ token: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        return headers
    }

    @Test(arguments: TestDatabase.enabled)
    func createReadUpdateAndStale(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let jiangsu = Grant(role: .provincial, scope: "32")
            let user = try await makeUser(app, "js@example.org", [jiangsu])
            let headers = Self.bearer(try await makeToken(app, for: user, [jiangsu]))
            var body = AccessMatrixTests.policyBody(
                level: "provincial", jurisdiction: "32", owner: "provincial_finance", version: nil)
            // A bad rule and an unknown department are named.
            var bad = body
            bad["rule"] = .json(#"{"colour": ["red"]}"#)
            bad["owners"] = AnyCodable(["nobody"])
            try await app.testing().test(
                .POST, "/api/v1/policies", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(bad, as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try res.json().object("fields") ?? [:]
                #expect(Set(fields.keys) == ["rule", "owners"])
            }
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/policies", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(body, as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                let json = try res.json()
                id = json.string("id") ?? ""
                #expect(id == "POL007")
                #expect(json.string("jurisdiction") == "32")
                #expect(json["version"] as? Int == 1)
                #expect(res.headers.first(name: .location) == "/api/v1/policies/POL007")
            }
            // It is in the catalogue at once, and reaches Jiangsu's national clusters.
            try await app.testing().test(.GET, "/api/v1/policies/\(id)") { res in
                #expect(res.status == .ok)
                let clusters = try res.json().array("clusters") ?? []
                #expect(clusters.count == 14)
            }
            // Update with the version read; then the same version again is stale.
            body["title_zh"] = "江苏省集群贷款贴息（修订）"
            body["version"] = AnyCodable(1)
            try await app.testing().test(
                .PUT, "/api/v1/policies/\(id)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(body, as: .json)
                }
            ) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("title_zh") == "江苏省集群贷款贴息（修订）")
                #expect(json["version"] as? Int == 2)
            }
            try await app.testing().test(
                .PUT, "/api/v1/policies/\(id)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(body, as: .json)
                }
            ) { res in
                #expect(res.status == .conflict)
            }
            // Moving it to Guangdong would take it out of Jiangsu's reach: refused.
            var moved = body
            moved["jurisdiction"] = "44"
            moved["rule"] = .json(#"{"province": ["44"]}"#)
            moved["version"] = AnyCodable(2)
            try await app.testing().test(
                .PUT, "/api/v1/policies/\(id)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(moved, as: .json)
                }
            ) { res in
                #expect(res.status == .forbidden)
            }
            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "policy").all()
                .map { "\($0.action):\($0.outcome)" }.sorted()
            #expect(actions == ["create_policy:done", "update_policy:done", "update_policy:refused"])
        }
    }

    @Test func matchingBothWaysAsCSV() async throws {
        try await withLadder(.sqlite) { app in
            try await app.testing().test(.GET, "/api/v1/policies/POL006?format=csv&as_of=2026-01-01") { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description.hasPrefix("text/csv") == true)
                let lines = res.body.string.split(whereSeparator: \.isNewline)
                #expect(
                    lines.first
                        == "as_of,policy_id,policy_title_zh,cluster_id,cluster_name_zh,qualifies,reasons_zh,reasons_en")
                #expect(lines.count == 1 + 8)
                #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("2026-01-01,POL006,") && $0.contains(",yes,") })
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC001/policies?format=csv&as_of=2026-01-01") { res in
                #expect(res.status == .ok)
                let lines = res.body.string.split(whereSeparator: \.isNewline).dropFirst()
                #expect(lines.count == 6)
                #expect(lines.contains { $0.contains(",POL006,") && $0.contains(",NC001,") && $0.contains(",yes,") })
                #expect(lines.contains { $0.contains(",POL005,") && $0.contains(",no,") })
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC001/policies?format=xml") { res in
                #expect(res.status == .badRequest)
            }
        }
    }

    @Test func theFormShowsEachRejectedFieldAndSaves() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "gd@example.org", [Grant(role: .provincial, scope: "44")])
            let browser = try await signIn(app, "gd@example.org")
            try await app.testing().test(.GET, "/policies/POL006/edit", headers: ["Cookie": browser.cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("name=\"version\" value=\"1\""))
                #expect(
                    html.contains("{&quot;province&quot;:[&quot;44&quot;]}") || html.contains("{\"province\":[\"44\"]}")
                )
            }
            var form = AccessMatrixTests.policyForm(jurisdiction: "44", owner: "provincial_iit", version: 1)
            form["_csrf"] = browser.csrf
            form["rule"] = "{broken"
            try await app.testing().test(
                .POST, "/policies/POL006/edit", headers: ["Cookie": browser.cookie],
                beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("id=\"error-rule\""))
            }
            form["rule"] = #"{"province": ["44"]}"#
            try await app.testing().test(
                .POST, "/policies/POL006/edit", headers: ["Cookie": browser.cookie],
                beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/policies/POL006")
            }
            #expect(try await PolicyModel.find("POL006", on: app.db)?.titleZh == "省级集群贷款贴息（表单）")
            try await app.testing().test(.GET, "/policies/POL006", headers: ["Cookie": browser.cookie]) { res in
                #expect(res.body.string.contains("href=\"/policies/POL006/edit\""))
            }
            // Not someone else's province.
            try await app.testing().test(.GET, "/policies/POL005", headers: ["Cookie": browser.cookie]) { res in
                #expect(!res.body.string.contains("/policies/POL005/edit"))
            }
        }
    }
}
