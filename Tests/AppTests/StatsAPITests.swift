import Testing
import VaporTesting

@testable import App

@Suite struct StatsAPITests {
    @Test(arguments: TestDatabase.enabled)
    func statsAsOfTheAnnouncementReproduceMIITsFigures(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/stats?as_of=2022-11-30") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("as_of") == "2022-11-30")
                #expect(json.string("tier") == "national")
                #expect(json.int("clusters") == 45)
                #expect(json.int("provinces") == 19)
                #expect(json.int("planned_cities") == 3)
                let regions = try #require(json.object("by_region"))
                #expect(regions.int("east") == 30)
                #expect(regions.int("central") == 8)
                #expect(regions.int("west") == 5)
                #expect(regions.int("northeast") == 2)
                let keys = try #require(json.object("key_regions"))
                #expect(keys.int("total") == 30)
                #expect(keys.double("share") == 0.6667)
                #expect(keys.int("jing_jin_ji") == 2)
                #expect(keys.int("yangtze_river_delta") == 18)
                #expect(keys.int("pearl_river_delta") == 7)
                #expect(keys.int("chengdu_chongqing") == 3)
                let domains = try #require(json.object("by_domain"))
                #expect(domains.int("next_gen_it") == 12)
                #expect(domains.int("high_end_equipment") == 14)
                let provinces = try #require(json.object("by_province"))
                #expect(provinces.int("32") == 10)
                #expect(json.int("cross_province") == 2)
                #expect(json.object("by_batch")?.int("round3") == 20)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func withoutAsOfItCountsEveryNationalClusterInTheData(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/stats") { res in
                let json = try res.json()
                #expect(json.string("as_of") == "2026-11-24")
                #expect(json.int("clusters") == 78)
                #expect(json.int("provinces") == 25)
                #expect(json.int("planned_cities") == 4)
            }
            try await app.testing().test(.GET, "/api/v1/stats?tier=provincial") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.int("clusters") == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func reconciliationShowsTheDomainSplitAsADisagreement(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/reconciliation?as_of=2022-11-30") { res in
                let json = try res.json()
                #expect(json.int("agrees") == 13)
                #expect(json.int("disagrees") == 2)
                #expect(json.int("not_derivable") == 6)
                let rows = try #require(json.array("rows"))
                let it = try #require(rows.first { ($0["figure"] as? [String: Any])?.string("id") == "2022-domain-it" })
                #expect(it.double("published") == 13)
                #expect(it.double("derived") == 12)
                #expect(it.string("outcome") == "disagrees")
                let provinces = try #require(
                    rows.first { ($0["figure"] as? [String: Any])?.string("id") == "2022-provinces" })
                #expect(provinces.string("outcome") == "agrees")
            }
            try await app.testing().test(.GET, "/api/v1/reconciliation") { res in
                let json = try res.json()
                let rows = try #require(json.array("rows"))
                #expect(rows.count == 22)
                let total = try #require(
                    rows.first { ($0["figure"] as? [String: Any])?.string("id") == "2024-clusters" })
                #expect(total.double("derived") == 78)
                #expect(total.string("outcome") == "disagrees")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func figuresCarryTheirSources(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/figures") { res in
                let figures = try res.jsonArray()
                #expect(figures.count == 22)
                let output = try #require(figures.first { $0.string("id") == "2022-output" })
                #expect(output.double("value") == 19_000_000_000_000)
                #expect(output.string("unit") == "CNY")
                #expect(output.int("data_year") == 2021)
                #expect(output["derivable"] as? Bool == false)
                #expect(output.object("source")?.string("published_on") == "2022-11-30")
                let carriers = try #require(figures.first { $0.string("id") == "2022-innovation-carriers" })
                #expect(carriers.string("qualifier") == "at_least")
                let total = try #require(figures.first { $0.string("id") == "2024-clusters" })
                #expect(total["derivable"] as? Bool == true)
                #expect(total.object("source")?.string("url")?.hasPrefix("http") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func referenceResourcesCountAsOfADay(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/provinces?as_of=2022-11-30") { res in
                let provinces = try res.jsonArray()
                #expect(provinces.count == 31)
                let hebei = try #require(provinces.first { $0.string("code") == "13" })
                #expect(hebei.string("name_zh") == "河北省")
                #expect(hebei.string("region") == "east")
                #expect(hebei.strings("key_regions") == ["jing_jin_ji"])
                #expect(hebei.int("clusters") == 2)
                #expect(hebei.int("single_province_clusters") == 1)
                #expect(provinces.filter { ($0.int("clusters") ?? 0) > 0 }.count == 19)
            }
            try await app.testing().test(.GET, "/api/v1/domains?as_of=2022-11-30") { res in
                let domains = try res.jsonArray()
                #expect(
                    domains.map { $0.string("code") ?? "" } == [
                        "next_gen_it", "high_end_equipment", "new_materials",
                        "biomedicine", "consumer_goods", "nev_icv",
                    ])
                #expect(domains.map { $0.int("clusters") ?? -1 } == [12, 14, 7, 5, 4, 3])
            }
            try await app.testing().test(.GET, "/api/v1/key-regions") { res in
                let regions = try res.jsonArray()
                #expect(regions.count == 4)
                let prd = try #require(regions.first { $0.string("code") == "pearl_river_delta" })
                #expect(prd.strings("cities")?.count == 9)
                #expect(prd.string("name_zh") == "珠三角")
            }
        }
    }
}
