@testable import App
import Foundation
import Testing
import VaporTesting

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
                #expect((reasons.first?["en"] as? String)?.contains("Yangtze River Delta advanced manufacturing cluster alliance") == true)
            }
            for (url, status) in [("/api/v1/cooperation?kind=party", 400), ("/api/v1/clusters/NC999/partners", 404)] as [(String, UInt)] {
                try await app.testing().test(.GET, url) { res in #expect(res.status.code == status, "\(url)") }
            }
            try await app.testing().test(.GET, "/cooperation?lang=en&region=east") { res in
                let html = res.body.string
                #expect(res.status == .ok)
                #expect(html.contains("<svg class=\"network\""))
                #expect(html.contains("Yangtze River Delta advanced manufacturing cluster alliance"))
                #expect(html.contains("class=\"edge\""))
                #expect(html.contains("links through shared activities"))
            }
            try await app.testing().test(.GET, "/cooperation?domain=steel") { res in #expect(res.status == .badRequest) }
            try await app.testing().test(.GET, "/clusters/NC011") { res in
                let html = res.body.string
                #expect(html.contains("建议的合作伙伴"))
                #expect(html.contains("同属长三角先进制造业集群联盟"))
            }
        }
    }
}
