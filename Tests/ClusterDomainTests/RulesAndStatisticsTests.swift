import Testing

@testable import ClusterDomain

@Suite struct RulesTests {
    let registry = Shipped.registry

    @Test(arguments: [
        (["深圳"], Region.east),
        (["武汉", "襄阳"], .central),
        (["榆林", "鄂尔多斯", "银川"], .west),
        (["沈阳", "大连"], .northeast),
        // The first member decides: a Jiangxi-led cluster with eastern members is Central.
        (["南昌", "上海"], .central),
        (["上海", "南昌"], .east),
    ])
    func regionIsTheFirstMembersProvinces(cities: [String], expected: Region) {
        #expect(registry.region(of: makeCluster(cities: cities)) == expected)
    }

    @Test(arguments: [
        (["广州", "佛山", "惠州"], ["pearl_river_delta"]),
        (["广州", "深圳", "佛山", "惠州", "东莞", "中山"], ["pearl_river_delta"]),
        (["成都", "重庆"], ["chengdu_chongqing"]),
        (["成都", "德阳", "绵阳", "自贡", "凉山彝族自治州"], []),
        (["北京", "天津", "保定"], ["jing_jin_ji"]),
        (["上海", "无锡", "杭州", "六安"], ["yangtze_river_delta"]),
        (["上海", "无锡", "杭州", "六安", "南昌"], []),
        (["泉州"], []),
        (["武汉"], []),
    ])
    func keyRegionNeedsEveryMemberCityInside(cities: [String], expected: [String]) {
        #expect(registry.keyRegions(of: makeCluster(cities: cities)).map(\.code) == expected)
    }

    @Test func unknownCityPlacesNowhere() {
        let cluster = makeCluster(cities: ["广州", "火星市"], provinces: ["44"])
        #expect(registry.keyRegions(of: cluster).isEmpty)
        #expect(Registry(reference: Shipped.reference, clusters: [cluster]).problems() == ["T001: unknown city 火星市"])
    }
}

@Suite struct StatisticsTests {
    let registry = Shipped.registry

    @Test func reproducesThe2022Announcement() {
        let s = registry.statistics(asOf: day("2022-11-30"))
        #expect(s.clusters == 45)
        #expect(s.provinces == 19)
        #expect(s.plannedCities == 3)
        #expect(Set(s.plannedCityNames) == ["深圳", "青岛", "宁波"])
        #expect(s.byRegion == [.east: 30, .central: 8, .west: 5, .northeast: 2])
        #expect(s.keyRegionsTotal == 30)
        #expect(abs(s.keyRegionsShare - 2.0 / 3.0) < 1e-9)
        #expect(
            s.byKeyRegion == [
                "yangtze_river_delta": 18, "pearl_river_delta": 7, "jing_jin_ji": 2, "chengdu_chongqing": 3,
            ])
        // The registry's own domain classification: one cluster off MIIT's 13/13.
        #expect(
            s.byDomain == [
                "next_gen_it": 12, "high_end_equipment": 14, "new_materials": 7, "biomedicine": 5,
                "consumer_goods": 4, "nev_icv": 3,
            ])
        #expect(s.byBatch == ["round1": 15, "round2": 10, "round3": 20])
        #expect(s.crossProvince == 2)
        #expect(s.byProvince["32"] == 10)
        #expect(s.byProvince["44"] == 7)
        #expect(s.byProvince.values.reduce(0, +) + s.crossProvince == 45)
    }

    @Test func theDayBeforeThereWereNoNationalClusters() {
        let before = registry.statistics(asOf: day("2022-11-29"))
        #expect(before.clusters == 0)
        #expect(before.provinces == 0)
        #expect(before.byRegion.values.allSatisfy { $0 == 0 })
        #expect(before.keyRegionsShare == 0)
    }

    @Test func todayCountsEveryClusterInTheData() {
        let s = registry.statistics(asOf: day("2026-11-24"))
        #expect(s.clusters == 78)
        #expect(s.byBatch["2024"] == 33)
        #expect(s.provinces == 25)
        #expect(Set(s.plannedCityNames) == ["深圳", "青岛", "宁波", "大连"])
        #expect(s.byRegion.values.reduce(0, +) == 78)
    }

    @Test func exitedAndOtherTiersAreNotCounted() {
        let exited = makeCluster(
            id: "T1", cities: ["泉州"],
            history: [
                TierEvent(date: day("2022-11-30"), tier: .national, status: .active, document: nil, note: nil),
                TierEvent(date: day("2025-01-01"), tier: .national, status: .exited, document: nil, note: nil),
            ])
        let provincial = makeCluster(
            id: "T2", cities: ["厦门"],
            history: [
                TierEvent(date: day("2023-01-01"), tier: .provincial, status: .active, document: nil, note: nil)
            ])
        let r = Registry(reference: Shipped.reference, clusters: [exited, provincial])
        #expect(r.statistics(asOf: day("2024-06-01")).clusters == 1)
        #expect(r.statistics(asOf: day("2025-06-01")).clusters == 0)
        let prov = r.statistics(asOf: day("2025-06-01"), tier: .provincial)
        #expect(prov.clusters == 1)
        #expect(prov.plannedCityNames == ["厦门"])
    }

    @Test func metricsNameDerivableValues() {
        let s = registry.statistics(asOf: day("2022-11-30"))
        #expect(s.value(of: "clusters") == 45)
        #expect(s.value(of: "region.northeast") == 2)
        #expect(s.value(of: "domain.next_gen_it") == 12)
        #expect(s.value(of: "key_regions.pearl_river_delta") == 7)
        #expect(s.value(of: "region.south") == nil)
        #expect(s.value(of: "output") == nil)
        for metric in Statistics.metrics(reference: Shipped.reference) {
            #expect(s.value(of: metric) != nil, "\(metric)")
        }
    }
}

@Suite struct ReconciliationTests {
    @Test func allOf2022AgreesExceptTheDomainSplit() {
        let rows = Shipped.registry.reconcile(Shipped.figures, publishedBy: day("2022-11-30"))
        #expect(rows.count == 21)
        let disagreeing = rows.filter { $0.outcome == .disagrees }.map(\.figure.id)
        #expect(disagreeing == ["2022-domain-it", "2022-domain-equipment"])
        let it = rows.first { $0.figure.id == "2022-domain-it" }
        #expect(it?.figure.value == 13)
        #expect(it?.derived == 12)
        #expect(rows.filter { $0.outcome == .agrees }.count == 13)
        #expect(
            rows.filter { $0.outcome == .notDerivable }.map(\.figure.id) == [
                "2022-output", "2022-innovation-centres", "2022-innovation-centres-share",
                "2022-innovation-carriers", "2022-champions", "2022-little-giants",
            ])
    }

    @Test func the2024TotalDisagreesBecauseTwoRowsAreMissing() throws {
        let rows = Shipped.registry.reconcile(Shipped.figures)
        let total = try #require(rows.first { $0.figure.id == "2024-clusters" })
        #expect(total.figure.value == 80)
        #expect(total.derived == 78)
        #expect(total.outcome == .disagrees)
        // 2022 figures are still checked on their own date.
        #expect(rows.first { $0.figure.id == "2022-clusters" }?.outcome == .agrees)
    }

    @Test(arguments: [
        (PublishedFigure.Qualifier.exact, 45.0, 45.0, true),
        (.exact, 45, 44, false),
        (.atLeast, 1700, 1700, true),
        (.atLeast, 1700, 1699, false),
        (.moreThan, 20, 20, false),
        (.moreThan, 20, 21, true),
    ])
    func qualifiers(qualifier: PublishedFigure.Qualifier, published: Double, derived: Double, accepted: Bool) {
        let source = FigureSource(
            id: "s", titleZh: "", titleEn: "", publisher: "", publishedOn: day("2022-11-30"),
            url: nil, note: nil)
        let figure = PublishedFigure(
            id: "f", metric: "clusters", labelZh: "", labelEn: "", value: published,
            display: nil, qualifier: qualifier, unit: "clusters", scope: "",
            dataYear: nil, referenceDate: day("2022-11-30"), source: source, note: nil)
        #expect(figure.accepts(derived) == accepted)
    }
}
