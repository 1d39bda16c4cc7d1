import Testing

@testable import ClusterDomain

/// Searching the national list as people type: names, member cities and provinces, several terms,
/// pinyin (a small reading table stands in for the intake's), and a one-edit slip corrected.
@Suite struct ClusterSearchTests {
    static let readings: [Character: [String]] = [
        "无": ["wu", "mo"], "锡": ["xi"], "市": ["shi"], "物": ["wu"], "联": ["lian"], "网": ["wang"], "集": ["ji"],
        "群": ["qun"], "长": ["zhang", "chang"], "沙": ["sha"], "绿": ["lu", "lv"], "色": ["se", "shai"],
    ]
    static let search = ClusterSearch(readings: { readings[$0] ?? [] })
    let registry = Shipped.registry

    func ids(_ text: String, correcting: Bool = false) -> ([String], String?) {
        var query = ClusterQuery(asOf: day("2026-11-24"))
        query.search = text
        query.perPage = 100
        let page = registry.run(query, search: Self.search, correcting: correcting)
        return (page.rows.map(\.cluster.id), page.correctedSearch)
    }

    @Test(arguments: [
        ("wuxi wulianwang", "无锡市物联网集群", true), ("wxwlw", "无锡市物联网集群", true),
        ("wuxwlw", "无锡市物联网集群", true), ("wulianw", "无锡市物联网集群", true), ("changsha", "长沙市工程机械集群", true),
        ("lvse", "宁波市绿色石化集群", true), ("lvse", "无锡市物联网集群", false), ("wx", "无锡市物联网集群", false),
        ("xyz", "无锡市物联网集群", false),
    ])
    func pinyinFullInitialsOrMixed(term: String, name: String, found: Bool) {
        let terms = ClusterSearch.terms(term)
        #expect(Self.search.matches([name.lowercased()], terms: terms) == found)
    }

    @Test func memberCitiesAndProvincesFindClusters() {
        // NC060 names Shenzhen among its cities: 广深佛惠莞中….
        #expect(ids("深圳").0.contains("NC060"))
        #expect(ids("shenzhen").0.contains("NC060"))
        #expect(ids("江苏").0.contains("NC011"))
        #expect(ids("nc002").0 == ["NC002"])
    }

    @Test func everyTermMustMatch() {
        #expect(ids("苏州 纳米").0 == ["NC011"])
        #expect(ids("苏州，纳米").0 == ["NC011"])
        #expect(ids("苏州 汽车").0.isEmpty)
    }

    @Test func aSlipOfOneCharacterIsCorrectedWhenNothingMatches() {
        let (found, corrected) = ids("深川", correcting: true)
        #expect(corrected == "深圳")
        #expect(found.contains("NC001") && found.contains("NC060"))
        #expect(ids("深川").0.isEmpty)
        #expect(ids("shenzen", correcting: true).1 == "shenzhen")
        // A search that finds something is never second-guessed.
        #expect(ids("深圳", correcting: true).1 == nil)
        #expect(ids("完全无关的词语", correcting: true).1 == nil)
    }

    @Test(arguments: [("深圳", "深川", true), ("深圳", "深", true), ("深圳", "深圳市", true), ("深圳", "川渝", false)])
    func oneEdit(a: String, b: String, expected: Bool) {
        #expect(ClusterSearch.editDistanceIsOne(Array(a), Array(b)) == expected)
    }
}
