import Testing

@testable import ClusterDomain

@Suite struct RuleBuilderTests {
    @Test func fieldsMakeTheRulePeopleChose() throws {
        var fields = RuleFields()
        fields.tiers = ["national"]
        fields.provinces = "江苏"
        let rule = try fields.rule(reference: Shipped.reference, indicators: ["output"]).get()
        #expect(rule == .all([.tier([.national]), .province(["32"])]))
        // Back to the fields, with the province by name.
        let built = try #require(rule)
        let back = try #require(RuleFields(built, reference: Shipped.reference))
        #expect(back.tiers == ["national"] && back.provinces == "江苏")
        // Any of them; an indicator threshold as people write it.
        fields.join = "any"
        fields.indicator = "output"
        fields.atLeast = "1000亿"
        #expect(
            try fields.rule(reference: Shipped.reference, indicators: ["output"]).get()
                == .any([.tier([.national]), .province(["32"]), .indicator(name: "output", atLeast: 1e11)]))
        // Nothing chosen: no rule from the fields (the JSON is used).
        #expect(try RuleFields().rule(reference: Shipped.reference, indicators: []).get() == nil)
    }

    @Test func whatDoesNotReadIsNamed() {
        var fields = RuleFields()
        fields.provinces = "火星"
        #expect(
            fields.rule(reference: Shipped.reference, indicators: [])
                == .failure(Message("rule.unknown_province", ["value": "火星"])))
        fields = RuleFields()
        fields.indicator = "output"
        fields.atLeast = "很多"
        #expect(
            fields.rule(reference: Shipped.reference, indicators: ["output"]) == .failure(Message("rule.threshold")))
        fields = RuleFields()
        fields.tiers = ["gold"]
        #expect(fields.rule(reference: Shipped.reference, indicators: []) == .failure(Message("rule.unknown_value")))
    }

    @Test func nestedRulesStayInTheJSON() {
        let nested = EligibilityRule.all([.any([.tier([.national]), .tier([.provincial])]), .region([.east])])
        #expect(RuleFields(nested, reference: Shipped.reference) == nil)
    }
}

@Suite struct NamesPeopleTypeTests {
    @Test func aProvinceScopeByName() {
        for typed in ["32", "江苏", "江苏省"] {
            #expect(
                Grant.make(role: .provincial, scope: typed, reference: Shipped.reference)
                    == .success(Grant(role: .provincial, scope: "32")), "\(typed)")
        }
        #expect((try? Grant.make(role: .provincial, scope: "火星", reference: Shipped.reference).get()) == nil)
    }

    @Test(arguments: [
        ("工业和信息化部", "miit"), ("工信部", "miit"), ("miit", "miit"), ("发改委", "ndrc"),
        ("江苏省工信厅", "provincial_iit"), ("广东省工业和信息化厅", "provincial_iit"),
        ("浙江省经济和信息化厅", "provincial_iit"), ("广东省财政厅", "provincial_finance"),
    ])
    func departmentsByName(typed: String, code: String) throws {
        let catalogue = try DataFiles.policyCatalogue(reference: Shipped.reference)
        #expect(catalogue.department(named: typed)?.code == code)
    }

    @Test func unknownDepartmentsAreNot() throws {
        let catalogue = try DataFiles.policyCatalogue(reference: Shipped.reference)
        #expect(catalogue.department(named: "某某公司") == nil)
        #expect(catalogue.department(named: "财政厅") == nil)
    }
}
