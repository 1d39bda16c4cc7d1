import Testing

@testable import ClusterDomain

@Suite struct CooperationTests {
    let registry = Shipped.registry
    let shipped: CooperationLedger = {
        do { return try DataFiles.cooperation(reference: Shipped.reference, clusters: Shipped.clusters) } catch {
            preconditionFailure("\(error)")
        }
    }()

    func cluster(_ id: String) -> Cluster {
        guard let c = Shipped.clusters.first(where: { $0.id == id }) else { preconditionFailure(id) }
        return c
    }

    func activity(_ id: String, _ kind: ActivityKind, _ clusters: [String], from: String = "2025-01-01")
        -> CooperationActivity
    {
        CooperationActivity(
            id: id, kind: kind, titleZh: "活动\(id)", titleEn: "Activity \(id)", startedOn: day(from), endedOn: nil,
            clusterIDs: clusters, organisations: [], outcomes: "", source: "test")
    }

    @Test func theYangtzeDeltaAllianceGroups26Clusters13_7_5_1() throws {
        let alliance = try #require(shipped.activities.first { $0.kind == .alliance })
        #expect(alliance.clusterIDs.count == 26)
        var byProvince: [String: Int] = [:]
        for id in alliance.clusterIDs { byProvince[cluster(id).provinceCodes[0], default: 0] += 1 }
        #expect(byProvince == ["32": 13, "33": 7, "31": 5, "34": 1])
        #expect(alliance.startedOn.description == "2025-06")
    }

    @Test func partnersShareAnActivityOtherThanAnAlliance() {
        let ledger = CooperationLedger(
            activities: [
                activity("A1", .agreement, ["NC011", "NC003"]),
                activity("A2", .alliance, ["NC011", "NC024", "NC003"]),
                activity("A3", .jointProject, ["NC011", "NC003"], from: "2030-01-01"),
            ], valueChains: shipped.valueChains)
        let partners = ledger.partners(of: "NC011", on: day("2026-01-01"))
        #expect(Array(partners.keys) == ["NC003"])
        #expect(partners["NC003"]?.map(\.id) == ["A1"])  // A3 has not started yet
        #expect(ledger.partners(of: "NC011", on: day("2024-01-01")).isEmpty)
        #expect(
            ledger.edges(on: day("2026-01-01"), among: ["NC011", "NC003", "NC024"]).map { "\($0.0)-\($0.1):\($0.2)" }
                == ["NC003-NC011:2", "NC003-NC024:1", "NC011-NC024:1"])
    }

    @Test func suggestionsGiveReasonsAndLeaveOutExistingPartners() throws {
        let ledger = CooperationLedger(
            activities: [
                activity("A1", .agreement, ["NC011", "NC003"]),
                activity("A2", .alliance, ["NC011", "NC024"]),
            ], valueChains: shipped.valueChains)
        let suggestions = ledger.suggestions(
            for: cluster("NC011"), registry: registry, on: day("2026-01-01"), limit: 80)
        let ids = suggestions.map(\.cluster.id)
        #expect(!ids.contains("NC003"))  // already a partner
        #expect(!ids.contains("NC011"))
        let changzhou = try #require(suggestions.first { $0.cluster.id == "NC024" })
        #expect(changzhou.reasons.contains { $0.en == "both belong to the Activity A2" })
        #expect(ids.first == "NC024")  // the shared alliance ranks first
        // Same domain in another region: Ganzhou rare earths (Central) for Suzhou nano materials (East).
        let ganzhou = try #require(suggestions.first { $0.cluster.id == "NC042" })
        #expect(ganzhou.reasons.contains { $0.en.hasPrefix("same domain (New materials) in the Central") })
        // Complementary domains along a value chain: materials → new energy vehicles.
        let changchun = try #require(suggestions.first { $0.cluster.id == "NC041" })
        #expect(changchun.reasons.contains { $0.en.contains("battery and lightweight materials") })
        // Neighbours: another Suzhou cluster.
        let suzhouBio = try #require(suggestions.first { $0.cluster.id == "NC029" })
        #expect(suzhouBio.reasons.contains { $0.en == "both in Suzhou" })
        #expect(suggestions.allSatisfy { !$0.reasons.isEmpty && $0.reasons.allSatisfy { !$0.zh.isEmpty } })
    }

    @Test func badLedgerDataIsRejected() {
        #expect(throws: DataError.self) {
            try DataFiles.parseCooperation(
                activities:
                    #"[{"id":"X","kind":"agreement","title_zh":"x","title_en":"x","started_on":"2025-01-01","ended_on":null,"clusters":["NC011","NC999"],"organisations":[],"outcomes":"","source":"s"}]"#,
                valueChains: "from,to,reason_zh,reason_en\n", reference: Shipped.reference,
                clusterIDs: Set(Shipped.clusters.map(\.id)))
        }
        #expect(throws: DataError.self) {
            try DataFiles.parseCooperation(
                activities: "[]", valueChains: "from,to,reason_zh,reason_en\nsteel,nev_icv,x,y\n",
                reference: Shipped.reference, clusterIDs: [])
        }
    }

    @Test func outputsAreCheckedByTheirUnit() {
        func problem(_ value: Double, _ unit: String) -> String? {
            ActivityDetails.validate(outputs: [ActivityOutput(name: "联合专利", value: value, unit: unit)], documents: [])[
                "outputs"]?.key
        }
        #expect(problem(12, "项") == nil)
        #expect(problem(2.5, "项") == "cooperation.output_whole")
        #expect(problem(45.5, "%") == nil)
        #expect(problem(120, "%") == "cooperation.output_percent")
        #expect(problem(-5, "项") == "cooperation.output_range")
        #expect(problem(1e308, "元") == "cooperation.output_range")
        #expect(problem(3.5, "亿元") == nil)
    }
}
