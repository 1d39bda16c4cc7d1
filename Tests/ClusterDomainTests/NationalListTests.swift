import Testing

@testable import ClusterDomain

@Suite struct NationalListTests {
    @Test func seventyEightRowsWithStableIds() {
        let clusters = Shipped.clusters
        #expect(clusters.count == 78)
        #expect(
            clusters.map(\.id) == (1...78).map { "NC" + String(repeating: "0", count: $0 < 10 ? 2 : 1) + String($0) })
        #expect(Shipped.registry.problems().isEmpty)
    }

    @Test func batchesSplit15_10_20_33() {
        var counts: [String: Int] = [:]
        for c in Shipped.clusters { counts[c.batchCode, default: 0] += 1 }
        #expect(counts == ["round1": 15, "round2": 10, "round3": 20, "2024": 33])
    }

    @Test func provenanceIsKept() throws {
        let nc074 = try #require(Shipped.clusters.first { $0.id == "NC074" })
        #expect(nc074.confidence == .low)
        #expect(nc074.notes.isEmpty == false)
        let nc001 = try #require(Shipped.clusters.first { $0.id == "NC001" })
        #expect(nc001.sources.count == 3)
        #expect(nc001.sources.allSatisfy { $0.hasPrefix("http") })
        #expect(nc001.nameZh == "深圳市新一代信息通信集群")
    }

    @Test func roundOneAndTwoWereNamedIn2021AndConfirmedIn2022() throws {
        let nc016 = try #require(Shipped.clusters.first { $0.id == "NC016" })
        #expect(nc016.history.map(\.status) == [.winner, .active])
        #expect(nc016.history[0].date.description == "2021-03")
        #expect(nc016.history[0].tier == nil)
        #expect(nc016.history[1].date == day("2022-11-30"))
        #expect(nc016.history[1].tier == .national)
        #expect(nc016.state(asOf: day("2021-06-01"))?.status == .winner)
        #expect(nc016.state(asOf: day("2021-01-01")) == nil)
        let nc026 = try #require(Shipped.clusters.first { $0.id == "NC026" })
        #expect(nc026.history.count == 1)
        #expect(nc026.designatedOn == day("2022-11-30"))
    }

    @Test func orderedCitiesAndProvinces() throws {
        let nc068 = try #require(Shipped.clusters.first { $0.id == "NC068" })
        #expect(nc068.cityNames == ["上海", "无锡", "杭州", "六安", "南昌"])
        #expect(nc068.provinceCodes == ["31", "32", "33", "34", "36"])
        let nc038 = try #require(Shipped.clusters.first { $0.id == "NC038" })
        #expect(nc038.provinceCodes == ["11", "12", "13"])
        #expect(nc038.isCrossProvince)
    }

    @Test func aRowWithAnUnknownCityIsRejected() {
        let text = """
            id,name_zh,name_en,batch,year_designated,domain,cities,provinces,confidence,source_urls,notes
            X1,某集群,Some cluster,round1,2021,新材料,火星市,广东,high,,
            """
        #expect(throws: DataError.self) { try DataFiles.parseClusters(text, reference: Shipped.reference) }
    }
}
