import Testing

@testable import ClusterDomain

@Suite struct AccessRulesTests {
    static let suzhou = ClusterScope(id: "NC011", provinceCodes: ["32"], cityNames: ["苏州"])
    static let shenzhen = ClusterScope(id: "NC001", provinceCodes: ["44"], cityNames: ["深圳"])
    /// 长三角大飞机集群: five provinces, any of whose authorities may edit it.
    static let aircraft = ClusterScope(
        id: "NC068", provinceCodes: ["31", "32", "33", "34", "36"],
        cityNames: ["上海", "无锡", "杭州", "六安", "南昌"])

    static let table: [(Grant, Action, ClusterScope?, Bool)] = [
        (Grant(role: .admin, scope: nil), .edit, shenzhen, true),
        (Grant(role: .admin, scope: nil), .manageUsers, nil, true),
        (Grant(role: .provincial, scope: "32"), .edit, suzhou, true),
        (Grant(role: .provincial, scope: "32"), .retire, suzhou, true),
        (Grant(role: .provincial, scope: "32"), .create, suzhou, true),
        (Grant(role: .provincial, scope: "32"), .edit, shenzhen, false),
        (Grant(role: .provincial, scope: "32"), .manageUsers, nil, false),
        (Grant(role: .provincial, scope: "36"), .edit, aircraft, true),
        (Grant(role: .provincial, scope: "44"), .edit, aircraft, false),
        (Grant(role: .city, scope: "苏州"), .edit, suzhou, true),
        (Grant(role: .city, scope: "苏州"), .create, suzhou, true),
        (Grant(role: .city, scope: "苏州"), .retire, suzhou, false),
        (Grant(role: .city, scope: "无锡"), .edit, suzhou, false),
        (Grant(role: .city, scope: "南昌"), .edit, aircraft, true),
        (Grant(role: .promotionOrg, scope: "NC011"), .edit, suzhou, true),
        (Grant(role: .promotionOrg, scope: "NC011"), .retire, suzhou, false),
        (Grant(role: .promotionOrg, scope: "NC011"), .create, suzhou, false),
        (Grant(role: .promotionOrg, scope: "NC011"), .edit, shenzhen, false),
        (Grant(role: .ministryReviewer, scope: "规划司"), .edit, suzhou, false),
        (Grant(role: .ministryReviewer, scope: "规划司"), .readAudit, nil, true),
        (Grant(role: .expert, scope: nil), .edit, suzhou, false),
        (Grant(role: .expert, scope: nil), .readAudit, nil, false),
        (Grant(role: .provincial, scope: nil), .edit, suzhou, false),
    ]

    @Test(arguments: table)
    func scopeTable(grant: Grant, action: Action, cluster: ClusterScope?, allowed: Bool) {
        #expect(AccessRules.allows(grant, action, on: cluster) == allowed)
    }

    @Test func anEditMustStayWithinReach() {
        let grants = [Grant(role: .provincial, scope: "32")]
        let movedAway = ClusterScope(id: "NC011", provinceCodes: ["44"], cityNames: ["深圳"])
        #expect(AccessRules.grantForEdit(among: grants, before: Self.suzhou, after: Self.suzhou) != nil)
        #expect(AccessRules.grantForEdit(among: grants, before: Self.suzhou, after: movedAway) == nil)
        #expect(AccessRules.grantForEdit(among: grants, before: Self.shenzhen, after: Self.suzhou) == nil)
    }

    @Test func tokensCarryOnlyWhatTheOwnerHolds() {
        let held = [Grant(role: .provincial, scope: "32")]
        #expect(AccessRules.covers(held, Grant(role: .provincial, scope: "32")))
        #expect(!AccessRules.covers(held, Grant(role: .provincial, scope: "44")))
        #expect(!AccessRules.covers(held, Grant(role: .admin, scope: nil)))
        #expect(AccessRules.covers([Grant(role: .admin, scope: nil)], Grant(role: .city, scope: "苏州")))
    }

    @Test func auditEntriesFollowTheTerritory() {
        let js = [Grant(role: .provincial, scope: "32")]
        #expect(AuditScope.visible(to: js, actorID: "u1", entryActor: "u2", cluster: Self.suzhou))
        #expect(!AuditScope.visible(to: js, actorID: "u1", entryActor: "u2", cluster: Self.shenzhen))
        #expect(AuditScope.visible(to: js, actorID: "u1", entryActor: "u1", cluster: Self.shenzhen))
        #expect(!AuditScope.visible(to: js, actorID: "u1", entryActor: "u2", cluster: nil))
        #expect(
            AuditScope.visible(to: [Grant(role: .admin, scope: nil)], actorID: "u1", entryActor: "u2", cluster: nil))
    }

    @Test(arguments: [
        ("admin", true), ("admin:x", false), ("provincial:32", true), ("provincial:99", false), ("provincial", false),
        ("city:苏州", true), ("city:火星", false), ("promotion_org:NC011", true), ("expert", true), ("king", false),
    ])
    func grantsAreCheckedAgainstTheReferenceData(text: String, valid: Bool) {
        let result = Grant.parse(text, reference: Shipped.reference)
        if case .success(let grant) = result { #expect(valid, "\(grant)") } else { #expect(!valid, "\(text)") }
    }
}

@Suite struct ClusterDraftTests {
    let ref = Shipped.reference

    @Test func aGoodDraftGetsItsProvincesFromItsCities() throws {
        let draft = ClusterDraft(
            nameZh: " 苏锡测试集群 ", nameEn: "Su-Xi test", domainCode: "new_materials",
            cityNames: ["苏州", "无锡", "上海"], extraProvinceCodes: ["34"], sources: ["https://example.org/a"])
        let valid = try draft.validate(reference: ref).get()
        #expect(valid.provinceCodes == ["32", "31", "34"])
        #expect(valid.draft.nameZh == "苏锡测试集群")
    }

    @Test func everyBadFieldIsNamed() {
        let draft = ClusterDraft(
            nameZh: "", nameEn: String(repeating: "x", count: 201), domainCode: "steel",
            cityNames: ["火星"], extraProvinceCodes: ["99"], promotionOrg: String(repeating: "o", count: 201),
            sources: ["javascript:alert(1)"], notes: String(repeating: "n", count: 4001))
        guard case .failure(let errors) = draft.validate(reference: ref) else {
            Issue.record("accepted")
            return
        }
        #expect(
            Set(errors.fields.keys) == [
                "name_zh", "name_en", "domain", "cities", "provinces", "promotion_org", "sources", "notes",
            ])
    }

    @Test(arguments: [
        ([] as [String], "at least one member city"), (["苏州", "苏州"], "a city is listed twice"),
        (Array(repeating: "苏州", count: 31), "at most 30 entries"),
    ])
    func cityRules(cities: [String], message: String) {
        let draft = ClusterDraft(nameZh: "x", nameEn: "x", domainCode: "new_materials", cityNames: cities)
        guard case .failure(let errors) = draft.validate(reference: ref) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.fields["cities"] == message)
    }

    @Test(arguments: [
        ("short", "a@b.cn", false), ("correct-horse-battery", "a@b.cn", true), ("password1234", "a@b.cn", false),
        ("aaaaaaaaaaaaaaa", "a@b.cn", false), ("someone@example.org", "someone@example.org", false),
        ("Qwerty123456", "a@b.cn", false),
    ])
    func passwordPolicy(password: String, email: String, accepted: Bool) throws {
        let common = try PasswordPolicy.commonPasswords()
        #expect((PasswordPolicy.problem(with: password, email: email, common: common) == nil) == accepted)
    }
}
