import Testing

@testable import ClusterDomain

@Suite struct PolicyEditingTests {
    static let catalogue: PolicyCatalogue = {
        do { return try DataFiles.policyCatalogue(reference: Shipped.reference) } catch {
            preconditionFailure("\(error)")
        }
    }()

    static func draft(_ change: (inout PolicyDraft) -> Void = { _ in }) -> PolicyDraft {
        var d = PolicyDraft()
        d.category = "fiscal"
        d.level = "provincial"
        d.jurisdiction = "32"
        d.issuers = ["provincial_finance"]
        d.owners = ["provincial_finance"]
        d.titleZh = "江苏省集群奖励"
        d.titleEn = "Jiangsu cluster award"
        d.source = "test"
        d.issuedOn = "2025-01-01"
        d.ruleJSON = #"{"all": [{"tier": ["national"]}, {"province": ["32"]}]}"#
        change(&d)
        return d
    }

    @Test func aValidDraftBecomesAPolicy() throws {
        let policy = try Self.draft().validate(
            id: "POL100", version: 1, catalogue: Self.catalogue, reference: Shipped.reference
        ).get()
        #expect(policy.jurisdiction == "32")
        #expect(policy.rule == .all([.tier([.national]), .province(["32"])]))
        // The round trip through a draft keeps every field.
        let again = try PolicyDraft(policy).validate(
            id: "POL100", version: 1, catalogue: Self.catalogue, reference: Shipped.reference
        ).get()
        #expect(again == policy)
    }

    /// A draft with one bad value, named by case.
    static func broken(_ name: String) -> PolicyDraft {
        Self.draft { d in
            switch name {
            case "category": d.category = "gold"
            case "level": d.level = "galactic"
            case "jurisdiction": d.jurisdiction = "99"
            case "issuers": d.issuers = []
            case "owners": d.owners = ["nobody"]
            case "title_zh": d.titleZh = "  "
            case "title_en": d.titleEn = String(repeating: "x", count: 301)
            case "expires_on": d.expiresOn = "2024-12-31"
            case "issued_on": d.issuedOn = "2025-02-30"
            case "url": d.url = "javascript:alert(1)"
            case "source": d.source = nil
            case "rule-two-keys": d.ruleJSON = #"{"tier": ["national"], "region": ["east"]}"#
            case "rule-unknown-province": d.ruleJSON = #"{"province": ["99"]}"#
            case "rule-not-json": d.ruleJSON = "not json"
            default: break
            }
        }
    }

    @Test(
        "each bad field is named",
        arguments: [
            "category", "level", "jurisdiction", "issuers", "owners", "title_zh", "title_en", "expires_on", "issued_on",
            "url",
            "source", "rule-two-keys", "rule-unknown-province", "rule-not-json",
        ])
    func badField(name: String) {
        let field = name.hasPrefix("rule") ? "rule" : name
        let result = Self.broken(name).validate(
            id: "POL100", version: 1, catalogue: Self.catalogue, reference: Shipped.reference)
        guard case .failure(let errors) = result else {
            Issue.record("accepted a draft with a bad \(field)")
            return
        }
        #expect(errors.fields.keys.contains(field), "\(errors.fields)")
    }

    @Test func aCentralPolicyHasNoJurisdiction() {
        let result = Self.draft {
            $0.level = "central"
            $0.jurisdiction = "32"
        }
        .validate(id: "POL100", version: 1, catalogue: Self.catalogue, reference: Shipped.reference)
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        #expect(errors.fields["jurisdiction"] == "a central policy has no jurisdiction")
    }

    @Test(
        "who may edit which policy",
        arguments: [
            // (grant, level, jurisdiction, province, owners, allowed)
            (Grant(role: .admin, scope: nil), PolicyLevel.central, nil as String?, nil as String?, ["miit"], true),
            (Grant(role: .ministryReviewer, scope: "miit"), .central, nil, nil, ["miit", "工业和信息化部"], true),
            (Grant(role: .ministryReviewer, scope: "工业和信息化部"), .central, nil, nil, ["miit", "工业和信息化部"], true),
            (Grant(role: .ministryReviewer, scope: "pboc"), .central, nil, nil, ["miit", "工业和信息化部"], false),
            (Grant(role: .ministryReviewer, scope: "miit"), .provincial, "32", "32", ["miit"], false),
            (Grant(role: .provincial, scope: "32"), .provincial, "32", "32", ["provincial_finance"], true),
            (Grant(role: .provincial, scope: "32"), .provincial, "44", "44", ["provincial_finance"], false),
            (Grant(role: .provincial, scope: "32"), .provincial, nil, nil, ["provincial_finance"], false),
            (Grant(role: .provincial, scope: "32"), .municipal, "苏州", "32", ["provincial_finance"], true),
            (Grant(role: .provincial, scope: "32"), .central, nil, nil, ["miit"], false),
            (Grant(role: .city, scope: "苏州"), .municipal, "苏州", "32", ["provincial_finance"], true),
            (Grant(role: .city, scope: "苏州"), .municipal, "无锡", "32", ["provincial_finance"], false),
            (Grant(role: .city, scope: "苏州"), .provincial, "32", "32", ["provincial_finance"], false),
            (Grant(role: .promotionOrg, scope: "NC011"), .municipal, "苏州", "32", ["provincial_finance"], false),
            (Grant(role: .expert, scope: nil), .central, nil, nil, ["miit"], false),
        ])
    func scope(
        grant: Grant, level: PolicyLevel, jurisdiction: String?, province: String?, owners: [String], allowed: Bool
    ) {
        let scope = PolicyScope(level: level, jurisdiction: jurisdiction, provinceCode: province, owners: owners)
        #expect(AccessRules.allowsPolicy(grant, on: scope) == allowed)
    }

    @Test func theScopeOfAShippedPolicy() throws {
        let guangdong = try #require(Self.catalogue.policy(id: "POL006"))
        let scope = PolicyScope(guangdong, catalogue: Self.catalogue, reference: Shipped.reference)
        #expect(scope.level == .provincial && scope.jurisdiction == "44" && scope.provinceCode == "44")
        #expect(AccessRules.allowsPolicy(Grant(role: .provincial, scope: "44"), on: scope))
        #expect(!AccessRules.allowsPolicy(Grant(role: .provincial, scope: "32"), on: scope))
    }
}
