import Foundation
import Testing

@testable import ClusterDomain

@Suite struct PolicyTests {
    let registry = Shipped.registry
    let catalogue: PolicyCatalogue = {
        do { return try DataFiles.policyCatalogue(reference: Shipped.reference) } catch {
            preconditionFailure("\(error)")
        }
    }()

    func cluster(_ id: String) -> Cluster {
        guard let c = Shipped.clusters.first(where: { $0.id == id }) else { preconditionFailure(id) }
        return c
    }

    func policy(_ rule: EligibilityRule, effective: String? = nil, expires: String? = nil) -> Policy {
        Policy(
            id: "T", categoryCode: "industry", level: .central, issuerCodes: ["miit"], ownerCodes: ["miit"],
            documentNumber: nil,
            titleZh: "测试", titleEn: "Test", summaryZh: nil, summaryEn: nil, issuedOn: nil,
            effectiveOn: effective.map(day), expiresOn: expires.map(day), url: nil, source: "test", rule: rule)
    }

    @Test func theShippedCatalogueHasSixCategoriesAndKnownCodes() {
        #expect(
            catalogue.categories.map(\.code) == [
                "industry", "innovation", "fiscal", "finance", "regional", "public_service",
            ])
        #expect(catalogue.categories.map(\.nameZh) == ["产业", "创新", "财政", "金融", "区域", "公共服务"])
        #expect(catalogue.problems(reference: Shipped.reference).isEmpty)
        #expect(catalogue.policies.count >= 5)
        #expect(catalogue.policies.allSatisfy { !$0.source.isEmpty })
    }

    @Test(arguments: [
        // (rule, cluster, qualifies, a reason that must appear, in English)
        (EligibilityRule.tier([.national]), "NC011", true, "tier is national"),
        (.tier([.provincial]), "NC011", false, "tier is national (needs provincial)"),
        (.domain(["new_materials"]), "NC011", true, "domain is New materials"),
        (.domain(["biomedicine"]), "NC011", false, "(needs Biomedicine and high-end medical devices)"),
        (.region([.central]), "NC026", true, "region is Central"),
        (.keyRegion(["yangtze_river_delta"]), "NC011", true, "lies in Yangtze River Delta"),
        (.keyRegion(["yangtze_river_delta"]), "NC068", false, "does not lie wholly in Yangtze River Delta"),
        (.province(["36"]), "NC068", true, "member provinces include Jiangxi"),
        (.city(["苏州"]), "NC031", true, "member cities include Suzhou"),
        (.city(["深圳"]), "NC011", false, "no member city among Shenzhen"),
        (.indicator(name: "output", atLeast: 1e11), "NC011", false, "no monitoring value for output"),
        (.all([.tier([.national]), .province(["37"])]), "NC009", true, "member provinces include Shandong"),
        (.all([.tier([.national]), .province(["37"])]), "NC011", false, "no member province among Shandong"),
        (.any([.province(["44"]), .domain(["new_materials"])]), "NC011", true, "domain is New materials"),
        (.any([.province(["44"]), .domain(["consumer_goods"])]), "NC011", false, "no member province among Guangdong"),
    ])
    func rulesExplainThemselves(rule: EligibilityRule, id: String, qualifies: Bool, reason: String) {
        let e = Eligibility.evaluate(policy(rule), for: cluster(id), on: day("2026-11-24"), registry: registry)
        #expect(e.qualifies == qualifies)
        #expect(e.reasons.contains { $0.en.contains(reason) }, "\(e.reasons.map(\.en))")
        #expect(e.reasons.allSatisfy { !$0.zh.isEmpty })
    }

    @Test func indicatorsUseMonitoringValuesWhenThereAreSome() {
        let p = policy(.indicator(name: "output", atLeast: 1e11))
        let yes = Eligibility.evaluate(
            p, for: cluster("NC011"), on: day("2026-11-24"), registry: registry, indicators: ["output": 1.5e11])
        #expect(yes.qualifies && yes.reasons.last?.zh == "output 为 1500亿（要求 ≥ 1000亿）")
        let no = Eligibility.evaluate(
            p, for: cluster("NC011"), on: day("2026-11-24"), registry: registry, indicators: ["output": 5e10])
        #expect(!no.qualifies)
    }

    @Test func matchingBothWaysAsOfADay() throws {
        let national = policy(.tier([.national]), effective: "2023-01-01", expires: "2025-01-01")
        // Before it takes effect nothing qualifies; while in force, every national cluster of that day.
        #expect(registry.clusters(reachedBy: national, on: day("2022-12-01")).isEmpty)
        #expect(registry.clusters(reachedBy: national, on: day("2023-06-01")).count == 45)
        #expect(registry.clusters(reachedBy: national, on: day("2024-12-31")).count == 78)
        #expect(registry.clusters(reachedBy: national, on: day("2025-01-01")).isEmpty)
        let out = Eligibility.evaluate(national, for: cluster("NC011"), on: day("2025-06-01"), registry: registry)
        #expect(!out.qualifies && out.reasons.first?.en == "the policy is not in force on 2025-06-01")

        let shandong = try #require(catalogue.policy(id: "POL005"))
        #expect(
            registry.clusters(reachedBy: shandong, on: day("2022-11-30")).map(\.0.id) == ["NC009", "NC019", "NC037"])
        let forQingdao = registry.policies(for: cluster("NC009"), among: catalogue.policies, on: day("2026-11-24")).map(
            \.0.id)
        #expect(forQingdao.contains("POL005") && forQingdao.contains("POL001") && !forQingdao.contains("POL006"))
        // A cluster designated in 2024 is not reached on a day before its designation.
        #expect(registry.policies(for: cluster("NC053"), among: catalogue.policies, on: day("2023-06-01")).isEmpty)
        #expect(
            registry.policies(for: cluster("NC053"), among: catalogue.policies, on: day("2025-01-01")).map(\.0.id)
                .contains("POL005"))
    }

    @Test func rulesRoundTripThroughJSON() throws {
        let rule = EligibilityRule.all([
            .tier([.national]), .any([.keyRegion(["pearl_river_delta"]), .indicator(name: "output", atLeast: 1e11)]),
        ])
        let data = try JSONEncoder().encode(rule)
        #expect(try JSONDecoder().decode(EligibilityRule.self, from: data) == rule)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(EligibilityRule.self, from: Data(#"{"tier":["national"],"city":["苏州"]}"#.utf8))
        }
    }
}

@Suite struct TakeUpTotalsTests {
    @Test func grantedAndPaidSupportIsSummedByCategoryDepartmentAndProvince() throws {
        let catalogue = try DataFiles.policyCatalogue(reference: Shipped.reference)
        let takeUps = [
            TakeUp(
                id: 1, policyID: "POL003", clusterID: "NC011", amount: 2e6, grantedOn: day("2026-01-01"),
                status: .granted, note: ""),
            TakeUp(
                id: 2, policyID: "POL003", clusterID: "NC068", amount: 1e6, grantedOn: day("2026-02-01"), status: .paid,
                note: ""),
            TakeUp(
                id: 3, policyID: "POL005", clusterID: "NC009", amount: 5e5, grantedOn: day("2026-03-01"),
                status: .granted, note: ""),
            TakeUp(
                id: 4, policyID: "POL005", clusterID: "NC009", amount: 9e9, grantedOn: day("2026-03-01"),
                status: .applied, note: ""),
            TakeUp(
                id: 5, policyID: "POL005", clusterID: "NC037", amount: nil, grantedOn: day("2026-03-01"),
                status: .withdrawn, note: ""),
        ]
        let t = TakeUp.totals(takeUps, catalogue: catalogue, registry: Shipped.registry)
        #expect(t.byCategory["finance"] == .init(count: 2, amount: 3e6))
        #expect(t.byCategory["fiscal"] == .init(count: 1, amount: 5e5))
        #expect(t.byDepartment["pboc"] == .init(count: 2, amount: 3e6))
        #expect(t.byDepartment["provincial_iit"] == .init(count: 1, amount: 5e5))
        // NC068 spans five provinces and counts under each; applied and withdrawn support is not counted.
        #expect(t.byProvince["32"] == .init(count: 2, amount: 3e6))
        #expect(t.byProvince["36"] == .init(count: 1, amount: 1e6))
        #expect(t.byProvince["37"] == .init(count: 1, amount: 5e5))
    }
}
