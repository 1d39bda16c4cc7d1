import Testing

@testable import ClusterDomain

@Suite struct ClusterQueryTests {
    let ref = Shipped.reference
    let today = day("2026-11-24")

    func parse(_ params: [String: String]) throws(QueryError) -> ClusterQuery {
        try ClusterQuery.parse(params, reference: ref, today: today)
    }

    @Test func defaults() throws {
        let q = try parse([:])
        #expect(q.asOf == today)
        #expect(q.page == 1 && q.perPage == 50 && q.sort == .id && !q.descending && q.facets.isEmpty)
    }

    @Test(arguments: [
        (["tier": "gold"], "tier"),
        (["domain": "steel"], "domain"),
        (["region": "south"], "region"),
        (["key_region": "bohai"], "key_region"),
        (["province": "99"], "province"),
        (["batch": "round9"], "batch"),
        (["as_of": "2022-02-30"], "as_of"),
        (["as_of": "2022-11"], "as_of"),
        (["sort": "size"], "sort"),
        (["page": "0"], "page"),
        (["page": "x"], "page"),
        (["per_page": "201"], "per_page"),
        (["per_page": "-1"], "per_page"),
        (["facet": "domain,colour"], "facet"),
        (["colour": "red"], "colour"),
        (["q": String(repeating: "长", count: 101)], "q"),
    ])
    func badInputNamesTheParameter(params: [String: String], parameter: String) {
        do {
            _ = try parse(params)
            Issue.record("accepted \(params)")
        } catch {
            #expect(error.parameter == parameter)
            #expect(error.description.contains("'\(parameter)'"))
        }
    }

    @Test func unknownValuesListWhatIsAllowed() {
        do {
            _ = try parse(["domain": "steel"])
            Issue.record("accepted")
        } catch {
            #expect(error.allowed == ref.domains.map(\.code))
        }
    }

    @Test func filtersCombine() throws {
        let registry = Shipped.registry
        var q = try parse(["province": "44", "as_of": "2022-11-30", "domain": "next_gen_it"])
        #expect(registry.run(q).rows.map(\.cluster.id) == ["NC001", "NC005", "NC006"])
        q = try parse(["key_region": "chengdu_chongqing"])
        #expect(registry.run(q).rows.map(\.cluster.id) == ["NC017", "NC022", "NC036", "NC051"])
        q = try parse(["region": "northeast", "batch": "2024"])
        #expect(registry.run(q).rows.map(\.cluster.id) == ["NC058", "NC061", "NC070", "NC071", "NC073"])
        q = try parse(["q": "shenzhen"])
        #expect(registry.run(q).rows.map(\.cluster.id) == ["NC001", "NC003", "NC012", "NC021", "NC060"])
        q = try parse(["q": "集成电路"])
        #expect(registry.run(q).rows.map(\.cluster.id) == ["NC004", "NC048"])
    }

    @Test func asOfDecidesWhoIsListedAndTheirTier() throws {
        let registry = Shipped.registry
        let early = registry.run(try parse(["as_of": "2021-06-01", "facet": "tier,status"]))
        #expect(early.total == 25)
        #expect(early.facets.first?.counts == [ClusterPage.Count(value: "none", count: 25)])
        #expect(registry.run(try parse(["as_of": "2021-06-01", "tier": "national"])).total == 0)
        #expect(registry.run(try parse(["as_of": "2020-01-01"])).total == 0)
        #expect(registry.run(try parse(["tier": "national"])).total == 78)
    }

    @Test func sortAndPages() throws {
        let registry = Shipped.registry
        let desc = registry.run(try parse(["sort": "-id", "per_page": "5", "page": "2"]))
        #expect(desc.total == 78)
        #expect(desc.rows.map(\.cluster.id) == ["NC073", "NC072", "NC071", "NC070", "NC069"])
        let beyond = registry.run(try parse(["page": "99"]))
        #expect(beyond.rows.isEmpty && beyond.total == 78)
        let byDate = registry.run(try parse(["sort": "-designated_on", "per_page": "1"]))
        #expect(byDate.rows.first?.cluster.batchCode == "2024")
    }

    @Test func facetsCountTheFilteredSet() throws {
        let page = Shipped.registry.run(
            try parse(["as_of": "2022-11-30", "facet": "region,key_region,province,domain"]))
        let facets = Dictionary(uniqueKeysWithValues: page.facets.map { ($0.facet, $0.counts) })
        #expect(facets[.region]?.first == ClusterPage.Count(value: "east", count: 30))
        #expect(facets[.keyRegion]?.map(\.count).reduce(0, +) == 30)
        // A cluster counts under each of its provinces: Hebei has Baoding plus the BTH life-and-health cluster.
        #expect(facets[.province]?.first { $0.value == "13" }?.count == 2)
        #expect(facets[.domain]?.first == ClusterPage.Count(value: "high_end_equipment", count: 14))
    }
}
