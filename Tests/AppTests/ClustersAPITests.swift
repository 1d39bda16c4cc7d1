import ClusterDomain
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct ClustersAPITests {
    @Test(arguments: TestDatabase.enabled)
    func listPagesWithLinks(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/clusters") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.int("total") == 78)
                #expect(json.int("per_page") == 50)
                #expect(json.int("pages") == 2)
                let items = try #require(json.array("items"))
                #expect(items.count == 50)
                let first = items[0]
                #expect(first.string("id") == "NC001")
                #expect(first.string("name_zh") == "深圳市新一代信息通信集群")
                #expect(first.object("domain")?.string("code") == "next_gen_it")
                #expect(first.string("region") == "east")
                #expect(first.strings("key_regions") == ["pearl_river_delta"])
                #expect(first.string("tier") == "national")
                #expect(first.string("confidence") == "high")
                #expect(json.object("links")?.string("next") == "/api/v1/clusters?page=2")
                #expect(json.object("links")?.string("csv") == "/api/v1/clusters?format=csv")
            }
            try await app.testing().test(.GET, "/api/v1/clusters?page=2") { res in
                let json = try res.json()
                #expect(json.array("items")?.count == 28)
                #expect(json.array("items")?.last?.string("id") == "NC078")
                #expect(json.object("links")?.string("prev") == "/api/v1/clusters")
                #expect(json.object("links")?["next"] == nil)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func filtersAndFacets(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let url = "/api/v1/clusters?as_of=2022-11-30&province=44&facet=domain,key_region&sort=-id"
            try await app.testing().test(.GET, url) { res in
                let json = try res.json()
                #expect(json.int("total") == 7)
                #expect(
                    json.array("items")?.map { $0.string("id") ?? "" } == [
                        "NC032", "NC021", "NC012", "NC006", "NC005", "NC003", "NC001",
                    ])
                let facets = try #require(json.object("facets"))
                let domains = try #require(facets["domain"] as? [[String: Any]])
                #expect(domains.first?.string("value") == "next_gen_it")
                #expect(domains.first?.int("count") == 3)
                let keys = try #require(facets["key_region"] as? [[String: Any]])
                #expect(keys.count == 1)
                #expect(keys.first?.int("count") == 7)
                let csv = try #require(json.object("links")?.string("csv"))
                #expect(
                    csv.contains("format=csv") && csv.contains("province=44") && csv.contains("facet=domain,key_region")
                )
            }
            try await app.testing().test(.GET, "/api/v1/clusters?q=%E6%AD%A6%E6%B1%89&key_region=chengdu_chongqing") {
                res in
                let json = try res.json()
                #expect(json.int("total") == 0)
            }
            try await app.testing().test(.GET, "/api/v1/clusters?q=%E6%AD%A6%E6%B1%89") { res in
                let json = try res.json()
                #expect(json.array("items")?.map { $0.string("id") ?? "" } == ["NC026", "NC027"])
            }
            try await app.testing().test(.GET, "/api/v1/clusters?facet=tier&facet=batch&per_page=1") { res in
                let json = try res.json()
                let facets = try #require(json.object("facets"))
                #expect(Set(facets.keys) == ["tier", "batch"])
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func csvHasTheSameRows(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            var jsonIDs: [String] = []
            try await app.testing().test(.GET, "/api/v1/clusters?region=west&per_page=200") { res in
                jsonIDs = try #require(try res.json().array("items")).compactMap { $0.string("id") }
            }
            try await app.testing().test(.GET, "/api/v1/clusters?region=west&per_page=200&format=csv") { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentType) == "text/csv; charset=utf-8")
                #expect(res.headers.first(name: .contentDisposition)?.contains("clusters-2026-11-24.csv") == true)
                let rows = try CSV.parse(res.body.string)
                #expect(rows.first == ClusterCSV.columns)
                #expect(rows.dropFirst().map { $0[0] } == jsonIDs)
                #expect(jsonIDs.count == 13)
                let nc046 = try #require(rows.first { $0[0] == "NC046" })
                #expect(nc046[9] == "榆林;鄂尔多斯;银川")
                #expect(nc046[8] == "61;15;64")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func oneClusterWithHistoryAndProvenance(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/clusters/NC038") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("name_en") == "Beijing-Tianjin-Hebei life and health cluster")
                #expect(json.array("provinces")?.map { $0.string("code") ?? "" } == ["11", "12", "13"])
                #expect(json.array("cities")?.map { $0.string("name_zh") ?? "" } == ["北京", "天津"])
                #expect(json["cross_province"] as? Bool == true)
                #expect(json.string("region") == "east")
                #expect(json.strings("key_regions") == ["jing_jin_ji"])
                #expect(json.string("designated_on") == "2022-11-30")
                #expect(json.object("batch")?.string("code") == "round3")
                #expect(json.array("history")?.count == 1)
                #expect(json.string("notes")?.contains("Hebei") == true)
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC001?as_of=2021-06-01") { res in
                let json = try res.json()
                #expect(json.string("status") == "winner")
                #expect(json["tier"] == nil)
                #expect(json.array("history")?.first?.string("date") == "2021-03")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func badInputGets400Or404NamingTheParameter(db: TestDatabase) async throws {
        let cases: [(String, UInt, String?)] = [
            ("/api/v1/clusters?tier=gold", 400, "tier"),
            ("/api/v1/clusters?domain=steel", 400, "domain"),
            ("/api/v1/clusters?region=south", 400, "region"),
            ("/api/v1/clusters?key_region=bohai", 400, "key_region"),
            ("/api/v1/clusters?province=Guangdong", 400, "province"),
            ("/api/v1/clusters?batch=9", 400, "batch"),
            ("/api/v1/clusters?as_of=2022-02-30", 400, "as_of"),
            ("/api/v1/clusters?as_of=yesterday", 400, "as_of"),
            ("/api/v1/clusters?per_page=500", 400, "per_page"),
            ("/api/v1/clusters?page=0", 400, "page"),
            ("/api/v1/clusters?sort=size", 400, "sort"),
            ("/api/v1/clusters?facet=colour", 400, "facet"),
            ("/api/v1/clusters?format=xml", 400, "format"),
            ("/api/v1/clusters?colour=red", 400, "colour"),
            ("/api/v1/clusters?tier=national&tier=provincial", 400, "tier"),
            ("/api/v1/clusters?q=%FF", 400, nil),
            ("/api/v1/clusters/NC999", 404, "id"),
            ("/api/v1/clusters/NC001?as_of=2022-1-1", 400, "as_of"),
            ("/api/v1/stats?as_of=2022-13-01", 400, "as_of"),
            ("/api/v1/stats?tier=gold", 400, "tier"),
            ("/api/v1/provinces?as_of=x", 400, "as_of"),
            ("/api/v1/domains?limit=1", 400, "limit"),
            ("/api/v1/reconciliation?as_of=2022", 400, "as_of"),
            ("/api/v1/figures?x=1", 400, "x"),
            ("/api/v1/nothing-here", 404, nil),
        ]
        try await withLadder(db) { app in
            for (url, status, parameter) in cases {
                try await app.testing().test(.GET, url) { res in
                    #expect(res.status.code == status, "\(url)")
                    #expect(res.headers.contentType == .json, "\(url)")
                    let json = try res.json()
                    #expect(json["error"] as? Bool == true, "\(url)")
                    let reason = try #require(json.string("reason"), "\(url)")
                    #expect(!reason.isEmpty)
                    if let parameter {
                        #expect(json.string("parameter") == parameter, "\(url)")
                        #expect(reason.contains(parameter), "\(url): \(reason)")
                    }
                }
            }
            try await app.testing().test(.GET, "/api/v1/clusters?domain=steel") { res in
                let json = try res.json()
                #expect(json.strings("allowed")?.contains("high_end_equipment") == true)
            }
        }
    }
}
