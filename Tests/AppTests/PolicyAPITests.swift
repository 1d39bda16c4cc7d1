import ClusterDomain
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct PolicyAPITests {
    @Test(arguments: TestDatabase.enabled)
    func catalogueAndMatchingBothWays(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let count = app.policies.policies.count
            try await app.testing().test(.GET, "/api/v1/policies?as_of=2022-11-30") { res in
                #expect(res.status == .ok)
                let list = try res.jsonArray()
                #expect(list.count == count)
                let shandong = try #require(list.first { $0.string("id") == "POL005" })
                #expect(shandong.int("clusters_reached") == 3)
                #expect(shandong.object("category")?.string("code") == "fiscal")
                #expect(shandong["in_force"] as? Bool == true)
            }
            try await app.testing().test(.GET, "/api/v1/policies?category=fiscal&format=csv") { res in
                let rows = try CSV.parse(res.body.string)
                #expect(rows.first?.first == "id")
                #expect(rows.dropFirst().allSatisfy { $0[1] == "fiscal" })
                #expect(rows.count >= 2)
            }
            try await app.testing().test(.GET, "/api/v1/policies/POL005?as_of=2022-11-30") { res in
                let json = try res.json()
                let clusters = try #require(json.array("clusters"))
                #expect(clusters.compactMap { $0.string("cluster_id") } == ["NC009", "NC019", "NC037"])
                let reasons = try #require(clusters.first?["reasons"] as? [[String: Any]])
                #expect(
                    reasons.contains { ($0["en"] as? String)?.contains("member provinces include Shandong") == true })
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC011/policies") { res in
                let decisions = try res.jsonArray()
                #expect(decisions.count == count)
                let flags = decisions.map { $0["qualifies"] as? Bool ?? false }
                #expect(flags == flags.sorted { $0 && !$1 })  // qualifying first
                let guangdong = try #require(
                    decisions.first { ($0["policy"] as? [String: Any])?.string("id") == "POL006" })
                #expect(guangdong["qualifies"] as? Bool == false)
            }
            for (url, status, parameter) in [
                ("/api/v1/policies?category=tax", 400, "category"), ("/api/v1/policies?level=world", 400, "level"),
                ("/api/v1/policies/POL999", 404, "id"), ("/api/v1/clusters/NC999/policies", 404, "id"),
                ("/api/v1/policies?as_of=2022-02-30", 400, "as_of"),
            ] as [(String, UInt, String)] {
                try await app.testing().test(.GET, url) { res in
                    #expect(res.status.code == status, "\(url)")
                    let json = try res.json()
                    #expect(json.string("parameter") == parameter, "\(url)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func pagesShowPoliciesWithReasons(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/policies") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("集群政策支持体系"))
                for name in ["产业", "创新", "财政", "金融", "区域", "公共服务"] { #expect(html.contains("<h2>\(name) (")) }
            }
            try await app.testing().test(.GET, "/policies/POL005?lang=en&as_of=2022-11-30") { res in
                let html = res.body.string
                #expect(html.contains("Clusters that qualify as of 2022-11-30 (3)"))
                #expect(html.contains("✓ member provinces include Shandong"))
            }
            try await app.testing().test(.GET, "/clusters/NC009") { res in
                let html = res.body.string
                #expect(html.contains("可享受的政策"))
                #expect(html.contains("href=\"/policies/POL005\""))
                #expect(html.contains("✓ 成员省份含山东省"))
                #expect(!html.contains("href=\"/policies/POL006\""))
            }
            try await app.testing().test(.GET, "/policies/POL999") { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType == .html)
            }
        }
    }
}
