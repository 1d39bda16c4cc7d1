import Testing

@testable import ClusterDomain

/// The programme's access predicates, table by table. The cluster: NC011, led by 苏州, with 常州 too,
/// in Jiangsu (32).
@Suite struct ProgrammeAccessTests {
    static let nano = ClusterScope(id: "NC011", provinceCodes: ["32"], cityNames: ["苏州", "常州"])
    static let crossProvince = ClusterScope(id: "NC099", provinceCodes: ["31", "32"], cityNames: ["上海", "苏州"])

    static let admin = Grant(role: .admin, scope: nil)
    static let jiangsu = Grant(role: .provincial, scope: "32")
    static let zhejiang = Grant(role: .provincial, scope: "33")
    static let suzhou = Grant(role: .city, scope: "苏州")
    static let changzhou = Grant(role: .city, scope: "常州")
    static let body = Grant(role: .promotionOrg, scope: "NC011")
    static let otherBody = Grant(role: .promotionOrg, scope: "NC024")
    static let reviewer = Grant(role: .ministryReviewer, scope: "miit")
    static let expert = Grant(role: .expert, scope: nil)

    @Test(arguments: [
        (body, true), (suzhou, true), (changzhou, false), (otherBody, false), (jiangsu, false), (admin, false),
        (reviewer, false), (expert, false),
    ])
    func theFilerIsThePromotionBodyOrTheLeadCity(grant: Grant, files: Bool) {
        #expect(AccessRules.isFiler(grant, of: Self.nano) == files)
        // Admins file any dossier besides.
        #expect((AccessRules.filingGrant(among: [grant], for: Self.nano) != nil) == (files || grant == Self.admin))
    }

    @Test(arguments: [
        (body, [ReturnActor.filer]), (suzhou, [.filer]), (changzhou, []), (jiangsu, [.province]), (zhejiang, []),
        (admin, [.admin]), (reviewer, []), (expert, []),
    ])
    func returnActors(grant: Grant, actors: [ReturnActor]) {
        #expect(AccessRules.returnActors([grant], on: Self.nano).map(\.0) == actors)
    }

    /// Before acceptance a return is read by its parties and ministry reviewers; once accepted by all.
    @Test(arguments: [
        (body, true), (suzhou, true), (changzhou, false), (jiangsu, true), (zhejiang, false), (admin, true),
        (reviewer, true), (expert, false), (otherBody, false),
    ])
    func whoReadsAReturn(grant: Grant, beforeAcceptance: Bool) {
        for state in [ReturnState?.none, .draft, .submitted, .provinceReviewed, .returned] {
            #expect(AccessRules.mayReadReturn([grant], on: Self.nano, state: state) == beforeAcceptance)
        }
        #expect(AccessRules.mayReadReturn([grant], on: Self.nano, state: .accepted))
    }

    @Test(arguments: [
        (body, false, true), (suzhou, false, true), (changzhou, false, false), (jiangsu, false, true),
        (zhejiang, false, false), (admin, false, true), (reviewer, false, true), (expert, false, false),
        (expert, true, true), (zhejiang, true, false), (otherBody, false, false),
    ])
    func whoReadsADossier(grant: Grant, assigned: Bool, reads: Bool) {
        #expect(AccessRules.mayReadDossier([grant], on: Self.nano, assignedExpert: assigned) == reads)
    }

    @Test(arguments: [("32", true), ("31", true), ("44", false)])
    func anExpertFromAMemberProvinceHasAConflict(province: String, conflict: Bool) {
        #expect(AccessRules.expertHasConflict(expertProvince: province, on: Self.crossProvince) == conflict)
    }

    /// An admin publishes about any clusters or none; others only about clusters that are all theirs.
    @Test func whoPublishesAnAnnouncement() {
        #expect(AccessRules.announcementGrant(among: [Self.admin], clusters: []) == Self.admin)
        #expect(AccessRules.announcementGrant(among: [Self.jiangsu], clusters: []) == nil)
        #expect(AccessRules.announcementGrant(among: [Self.jiangsu], clusters: [Self.nano]) == Self.jiangsu)
        #expect(AccessRules.announcementGrant(among: [Self.jiangsu], clusters: [Self.crossProvince]) == Self.jiangsu)
        let shanghaiOnly = ClusterScope(id: "NC050", provinceCodes: ["31"], cityNames: ["上海"])
        #expect(AccessRules.announcementGrant(among: [Self.jiangsu], clusters: [Self.nano, shanghaiOnly]) == nil)
        #expect(AccessRules.announcementGrant(among: [Self.expert, Self.reviewer], clusters: [Self.nano]) == nil)
        #expect(AccessRules.announcementGrant(among: [Self.body], clusters: [Self.nano]) == Self.body)
    }

    /// Before the public notice only admins and ministry reviewers read a round's scores and ranking;
    /// from it on, everyone (signed out too).
    @Test(arguments: [
        ([admin], true), ([reviewer], true), ([jiangsu], false), ([suzhou], false), ([body], false),
        ([expert], false), ([], false), ([expert, reviewer], true),
    ])
    func theRankingWaitsForThePublicNotice(grants: [Grant], beforeNotice: Bool) {
        #expect(AccessRules.mayReadRanking(grants, published: false) == beforeNotice)
        #expect(AccessRules.mayReadRanking(grants, published: true))
    }
}
