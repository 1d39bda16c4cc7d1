import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct CooperationAPITests {
    @Test(arguments: TestDatabase.enabled)
    func ledgerPartnersAndNetwork(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/cooperation?cluster=NC011") { res in
                let list = try res.jsonArray()
                #expect(list.count == 1)
                #expect(list.first?.string("kind") == "alliance")
            }
            try await app.testing().test(.GET, "/api/v1/cooperation?as_of=2024-01-01") { res in
                let list = try res.jsonArray()
                #expect(list.isEmpty)
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC011/partners") { res in
                let json = try res.json()
                #expect(json.array("partners")?.isEmpty == true)
                let suggestions = try #require(json.array("suggestions"))
                #expect(!suggestions.isEmpty)
                let reasons = try #require(suggestions.first?["reasons"] as? [[String: Any]])
                #expect(
                    (reasons.first?["en"] as? String)?.contains(
                        "Yangtze River Delta advanced manufacturing cluster alliance") == true)
            }
            for (url, status) in [("/api/v1/cooperation?kind=party", 400), ("/api/v1/clusters/NC999/partners", 404)]
                as [(String, UInt)]
            {
                try await app.testing().test(.GET, url) { res in #expect(res.status.code == status, "\(url)") }
            }
            try await app.testing().test(.GET, "/cooperation?lang=en&region=east") { res in
                let html = res.body.string
                #expect(res.status == .ok)
                #expect(html.contains("<svg class=\"network\""))
                #expect(html.contains("Yangtze River Delta advanced manufacturing cluster alliance"))
                #expect(html.contains("class=\"edge spoke\""))
                #expect(html.contains("links through shared activities"))
            }
            // In Chinese: the alliance is one hub with a spoke to each of its members, which are labelled by
            // short name (no city, no 集群), not by id.
            try await app.testing().test(.GET, "/cooperation?lang=zh") { res in
                let html = res.body.string
                #expect(html.components(separatedBy: "class=\"hub-node\"").count == 2)
                #expect(html.components(separatedBy: "class=\"edge spoke\"").count - 1 == 26)
                #expect(html.contains(">物联网</text>"))
                #expect(!html.contains(">NC002</text>"))
            }
            try await app.testing().test(.GET, "/cooperation?domain=steel") { res in #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/clusters/NC011") { res in
                let html = res.body.string
                #expect(html.contains("建议的合作伙伴"))
                #expect(html.contains("同属长三角先进制造业集群联盟"))
            }
        }
    }
}

@Suite struct CooperationWriteTests {
    @Test(arguments: TestDatabase.enabled)
    func recordingAnActivityMakesPartners(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let user = try await makeUser(app, "org@example.org", [Grant(role: .promotionOrg, scope: "NC011")])
            let token = try await makeToken(app, for: user, [Grant(role: .promotionOrg, scope: "NC011")])
            let headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            try await app.testing().test(
                .POST, "/api/v1/cooperation", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "kind": "joint_project", "title_zh": "纳米材料用于动力电池",
                            "title_en": "Nano materials for power batteries",
                            "started_on": "2026-03-01", "clusters": AnyCodable(["NC011", "NC044"]),
                            "outcomes": "A joint pilot line.",
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                let json = try res.json()
                #expect(json.string("id") == "COOP002")
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC011/partners") { res in
                let json = try res.json()
                #expect(json.array("partners")?.map { $0.string("cluster_id") ?? "" } == ["NC044"])
                #expect(json.array("suggestions")?.contains { $0.string("cluster_id") == "NC044" } == false)
            }
            try await app.testing().test(.GET, "/clusters/NC044?lang=en") { res in
                #expect(res.body.string.contains("Nano materials for power batteries"))
            }
            // Not one of theirs: refused and audited.
            try await app.testing().test(
                .POST, "/api/v1/cooperation", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "kind": "agreement", "title_zh": "x", "title_en": "x", "started_on": "2026-03-01",
                            "clusters": AnyCodable(["NC001", "NC044"]),
                        ], as: .json)
                }
            ) { res in #expect(res.status == .forbidden) }
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "record_activity").count() == 2)
            try await app.testing().test(
                .POST, "/api/v1/cooperation", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "kind": "party", "title_zh": "", "title_en": "x", "started_on": "soon",
                            "clusters": AnyCodable(["NC011"]),
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try #require(try res.json().object("fields"))
                #expect(Set(fields.keys) == ["kind", "title_zh", "started_on", "clusters"])
            }
        }
    }
}
