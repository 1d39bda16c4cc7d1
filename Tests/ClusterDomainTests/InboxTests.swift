import Testing

@testable import ClusterDomain

/// The inbox as a pure function of grants and facts.
@Suite struct InboxTests {
    /// R2026: recommendations 2026-03-01…03-31, dossiers 04-01…04-30, first stage 05-01…05-31, final
    /// stage 06-01…06-15, notice 06-20…06-26.
    static let round = CompetitionRound(
        id: "R2026", year: 2026, format: .groupOverall, tracks: ["new_materials"], noticeNumber: nil,
        stages: [
            RoundStage(kind: .recommendation, opensOn: day("2026-03-01"), closesOn: day("2026-03-31")),
            RoundStage(kind: .dossier, opensOn: day("2026-04-01"), closesOn: day("2026-04-30")),
            RoundStage(kind: .firstStage, opensOn: day("2026-05-01"), closesOn: day("2026-05-31")),
            RoundStage(kind: .finalStage, opensOn: day("2026-06-01"), closesOn: day("2026-06-15")),
            RoundStage(kind: .notice, opensOn: day("2026-06-20"), closesOn: day("2026-06-26")),
        ],
        quotaPerProvince: 2, indicatorSetID: "cluster-competitiveness", indicatorSetVersion: 1)
    static let suzhou = makeCluster(
        id: "PC0001", cities: ["苏州", "常州"],
        history: [TierEvent(date: day("2025-01-01"), tier: .provincial, status: .active, document: nil, note: nil)])

    static func facts(_ edit: (inout InboxFacts) -> Void = { _ in }) -> InboxFacts {
        var f = InboxFacts()
        f.clusters = [suzhou]
        f.rounds = [round]
        f.entries = [
            "R2026": [
                Recommendation(
                    roundID: "R2026", clusterID: "PC0001", provinceCode: "32", track: "new_materials",
                    recommendedOn: day("2026-03-10"))
            ]
        ]
        f.indicatorCounts = ["R2026": 30]
        f.ladderStates = ["PC0001": .nationalEntrant]
        // No returns unless a test asks for them.
        f.returnYear = 0
        edit(&f)
        return f
    }

    static func kinds(_ grants: [Grant], _ facts: InboxFacts, on date: String) -> [InboxItem.Kind] {
        Inbox.items(grants: grants, userID: "me", facts: facts, today: day(date), rules: .assumed).map(\.kind)
    }

    @Test(arguments: [("2026-03-15", 1), ("2026-04-01", 0)])
    func aProvinceRecommendsWhileTheStageIsOpenAndQuotaIsLeft(date: String, expected: Int) throws {
        let items = Inbox.items(
            grants: [Grant(role: .provincial, scope: "32")], userID: "me", facts: Self.facts(), today: day(date),
            rules: .assumed
        ).filter { $0.kind == .recommend }
        #expect(items.count == expected)
        if expected == 1 { #expect(items[0].zh == "向 R2026 推荐集群（已用 1/2）") }
        var full = Self.facts()
        full.entries["R2026"]?.append(
            Recommendation(
                roundID: "R2026", clusterID: "PC0002", provinceCode: "32", track: "new_materials",
                recommendedOn: day("2026-03-11")))
        #expect(!Self.kinds([Grant(role: .provincial, scope: "32")], full, on: "2026-03-15").contains(.recommend))
    }

    @Test func theLeadCityFilesTheDossierUntilItIsHandedIn() {
        let lead = [Grant(role: .city, scope: "苏州")]
        #expect(Self.kinds(lead, Self.facts(), on: "2026-04-10") == [.dossier])
        #expect(Self.kinds([Grant(role: .city, scope: "常州")], Self.facts(), on: "2026-04-10").isEmpty)
        let handedIn = Self.facts { $0.submittedDossiers = ["R2026|PC0001"] }
        #expect(Self.kinds(lead, handedIn, on: "2026-04-10").isEmpty)
        #expect(Self.kinds(lead, Self.facts(), on: "2026-05-01").isEmpty)
    }

    @Test func anExpertScoresAssignedEntriesWhileScoringIsOpen() throws {
        let expert = [Grant(role: .expert, scope: nil)]
        let assigned = Self.facts {
            $0.myAssignments = ["R2026": ["PC0001"]]
            $0.myScores = ["R2026": ["PC0001": 12]]
        }
        let items = Inbox.items(
            grants: expert, userID: "me", facts: assigned, today: day("2026-05-10"), rules: .assumed)
        #expect(items.map(\.kind) == [.score])
        #expect(items.first?.zh == "评分：测试集群 PC0001（已评 12/30 项）")
        #expect(items.first?.due == day("2026-05-31"))
        #expect(Self.kinds(expert, assigned, on: "2026-06-16").isEmpty)
        let done = Self.facts {
            $0.myAssignments = ["R2026": ["PC0001"]]
            $0.myScores = ["R2026": ["PC0001": 30]]
        }
        #expect(Self.kinds(expert, done, on: "2026-05-10").isEmpty)
    }

    @Test func anAdminAssignsExpertsDecidesStepsAndResolvesObjections() {
        let admin = [Grant(role: .admin, scope: nil)]
        #expect(Self.kinds(admin, Self.facts(), on: "2026-05-10") == [.assign])
        let staffed = Self.facts { $0.assignments = ["R2026": ["PC0001": 3]] }
        // After the first stage the entrant's qualification is due.
        #expect(Self.kinds(admin, staffed, on: "2026-06-02") == [.decide])
        let objected = Self.facts {
            $0.assignments = ["R2026": ["PC0001": 3]]
            $0.openObjections = [InboxFacts.Objection(id: 4, round: "R2026", cluster: "PC0001")]
            $0.ladderStates = ["PC0001": .winner]
        }
        #expect(Self.kinds(admin, objected, on: "2026-06-22") == [.object, .resolve])
        #expect(Self.kinds(admin, objected, on: "2026-06-27") == [.resolve, .decide])
    }

    @Test func aReviewerSignsOffADesignationOnce() {
        let reviewer = [Grant(role: .ministryReviewer, scope: "miit")]
        let winner = Self.facts { $0.ladderStates = ["PC0001": .winner] }
        #expect(Self.kinds(reviewer, winner, on: "2026-06-27") == [.signOff])
        let signed = Self.facts {
            $0.ladderStates = ["PC0001": .winner]
            $0.openSignOffs = ["PC0001|designate"]
        }
        #expect(Self.kinds(reviewer, signed, on: "2026-06-27").isEmpty)
    }

    @Test(arguments: [
        (ReturnState?.none, [InboxItem.Kind.fileReturn], [InboxItem.Kind](), [InboxItem.Kind]()),
        (.draft, [.fileReturn], [], []), (.returned, [.fileReturn], [], []),
        (.submitted, [], [.reviewReturn], []), (.provinceReviewed, [], [], [.reviewReturn]), (.accepted, [], [], []),
    ])
    func returnsGoFromTheFilerToTheProvinceToTheAdmin(
        state: ReturnState?, filer: [InboxItem.Kind], province: [InboxItem.Kind], admin: [InboxItem.Kind]
    ) {
        let national = makeCluster(id: "NC011", cities: ["苏州"])
        let facts = Self.facts {
            $0.rounds = []
            $0.clusters = [national]
            $0.returnYear = 2025
            if let state { $0.returnStates = ["NC011": state] }
        }
        #expect(Self.kinds([Grant(role: .promotionOrg, scope: "NC011")], facts, on: "2026-03-01") == filer)
        #expect(Self.kinds([Grant(role: .provincial, scope: "32")], facts, on: "2026-03-01") == province)
        #expect(Self.kinds([Grant(role: .admin, scope: nil)], facts, on: "2026-03-01") == admin)
    }
}
