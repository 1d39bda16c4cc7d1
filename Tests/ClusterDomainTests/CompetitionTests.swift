import Testing

@testable import ClusterDomain

@Suite struct CompetitionTests {
    static func stages(_ start: String = "2026-03-01") -> [RoundStage] {
        let d = { (s: String) in Day(s)! }
        _ = start
        return [
            RoundStage(kind: .recommendation, opensOn: d("2026-03-01"), closesOn: d("2026-03-31")),
            RoundStage(kind: .dossier, opensOn: d("2026-04-01"), closesOn: d("2026-04-30")),
            RoundStage(kind: .firstStage, opensOn: d("2026-05-10"), closesOn: d("2026-05-31")),
            RoundStage(kind: .finalStage, opensOn: d("2026-06-10"), closesOn: d("2026-06-20")),
            RoundStage(kind: .notice, opensOn: d("2026-07-01"), closesOn: d("2026-07-07")),
        ]
    }

    static let round = CompetitionRound(
        id: "R2026", year: 2026, format: .groupOverall, tracks: ["new_materials", "high_end_equipment"],
        noticeNumber: "工信厅规函〔2026〕1号", stages: stages(), quotaPerProvince: 2,
        quotaOverrides: ["44": 3], indicatorSetID: "cluster-competitiveness", indicatorSetVersion: 1)

    /// Results are public from the day the public notice opens, not during scoring.
    @Test(arguments: [
        ("2026-05-20", false), ("2026-06-21", false), ("2026-06-30", false), ("2026-07-01", true),
        ("2026-08-01", true),
    ])
    func resultsArePublishedWithTheNotice(day: String, published: Bool) {
        #expect(Self.round.resultsPublished(on: Day(day)!) == published)
    }

    @Test func aValidRoundHasNoProblems() {
        #expect(
            CompetitionRound.validate(
                year: 2026, format: "group_overall", tracks: ["new_materials"], noticeNumber: nil,
                stages: Self.stages(), quota: 3, reference: Shipped.reference
            ).isEmpty)
        #expect(Self.round.isOpen(.recommendation, on: Day("2026-03-31")!))
        #expect(!Self.round.isOpen(.recommendation, on: Day("2026-04-01")!))
        #expect(Self.round.quota(for: "44") == 3 && Self.round.quota(for: "32") == 2)
        #expect(RoundFormat.preliminaryFinal.firstStage.zh == "初赛" && RoundFormat.groupOverall.finalStage.zh == "综合赛")
    }

    @Test func roundProblemsAreNamed() {
        var bad = Self.stages()
        bad.swapAt(0, 1)
        var overlap = Self.stages()
        overlap[2] = RoundStage(kind: .firstStage, opensOn: Day("2026-04-15")!, closesOn: Day("2026-05-31")!)
        var longNotice = Self.stages()
        longNotice[4] = RoundStage(kind: .notice, opensOn: Day("2026-07-01")!, closesOn: Day("2026-07-10")!)
        let errors = CompetitionRound.validate(
            year: 1999, format: "knockout", tracks: ["gold"], noticeNumber: nil, stages: bad, quota: 0,
            reference: Shipped.reference)
        #expect(Set(errors.keys) == ["year", "format", "tracks", "stages", "quota_per_province"])
        #expect(
            CompetitionRound.validate(
                year: 2026, format: "group_overall", tracks: ["new_materials"], noticeNumber: nil, stages: overlap,
                quota: 3, reference: Shipped.reference)["stages"]?.english
                == "each stage opens after the one before it closes")
        #expect(
            CompetitionRound.validate(
                year: 2026, format: "group_overall", tracks: ["new_materials"], noticeNumber: nil, stages: longNotice,
                quota: 3, reference: Shipped.reference)["stages"]?.english
                == "the public notice lasts 5 to 7 days (counting both ends)")
        // The notice length is configuration: 10 days passes when the rules allow 3 to 10.
        #expect(
            CompetitionRound.validate(
                year: 2026, format: "group_overall", tracks: ["new_materials"], noticeNumber: nil, stages: longNotice,
                quota: 3, reference: Shipped.reference,
                noticeDays: ProgrammeRules.DayRange(min: 3, max: 10)
            ).isEmpty)
    }

    @Test("recommendations: stage open, lead province, track, provincial standing, once, within the quota")
    func recommendations() {
        let suzhou = makeCluster(id: "P001", cities: ["苏州"], domain: "new_materials")
        let crossing = makeCluster(id: "P002", cities: ["上海", "苏州"], domain: "new_materials")
        let day = Day("2026-03-10")!
        func problems(
            _ c: Cluster, _ province: String = "32", track: String = "new_materials",
            ladder: LadderState? = .provincialDesignated,
            existing: [Recommendation] = [], on: Day = day
        ) -> [String: String] {
            Recommendation.problems(
                round: Self.round, cluster: c, province: province, track: track, ladder: ladder, existing: existing,
                on: on
            ).mapValues(\.english)
        }
        #expect(problems(suzhou).isEmpty)
        #expect(
            problems(suzhou, on: Day("2026-04-02")!)["round"]
                == "recommendations are open from 2026-03-01 to 2026-03-31")
        #expect(problems(suzhou, "44")["province"] == "the cluster is not in province 44")
        #expect(
            problems(crossing, "32")["province"]?.hasPrefix(
                "a cross-province cluster is recommended by its lead province (31)") == true)
        #expect(problems(crossing, "31").isEmpty)
        #expect(problems(suzhou, track: "biomedicine")["track"]?.hasPrefix("one of the round's tracks") == true)
        #expect(problems(suzhou, track: "high_end_equipment")["track"] == "the cluster's domain is new_materials")
        #expect(problems(suzhou, ladder: .national)["cluster"]?.hasPrefix("only provincial clusters") == true)
        #expect(problems(suzhou, ladder: .provincialCultivating).isEmpty)
        let earlier = [
            Recommendation(
                roundID: "R2026", clusterID: "X1", provinceCode: "32", track: "new_materials", recommendedOn: day),
            Recommendation(
                roundID: "R2026", clusterID: "X2", provinceCode: "32", track: "new_materials", recommendedOn: day),
        ]
        #expect(problems(suzhou, existing: earlier)["quota"] == "province 32 has used its quota of 2")
        #expect(problems(suzhou, existing: Array(earlier.prefix(1))).isEmpty)
        let again = [
            Recommendation(
                roundID: "R2026", clusterID: "P001", provinceCode: "32", track: "new_materials", recommendedOn: day)
        ]
        #expect(problems(suzhou, existing: again)["cluster"] == "already recommended into this round")
    }

    @Test("closing a stage early: it ends the day before; only an open stage; never the notice")
    func closingAStage() throws {
        let round = Self.round
        let closed = try round.closing(.dossier, on: Day("2026-04-10")!).get()
        #expect(closed.stage(.dossier)?.closesOn == Day("2026-04-09"))
        #expect(closed.stage(.dossier)?.opensOn == Day("2026-04-01"))
        #expect(closed.isOpen(.dossier, on: Day("2026-04-10")!) == false)
        #expect(closed.stage(.recommendation) == round.stage(.recommendation))
        #expect(round.closing(.dossier, on: Day("2026-04-01")!) == .failure(.notOpenYet(opensOn: Day("2026-04-01")!)))
        #expect(
            round.closing(.dossier, on: Day("2026-05-01")!) == .failure(.closedAlready(closesOn: Day("2026-04-30")!)))
        #expect(round.closing(.notice, on: Day("2026-07-03")!) == .failure(.noticeRunsInFull))
        #expect(Day("2026-03-01")!.adding(days: -1) == Day("2026-02-28"))
        #expect(Day("2024-12-31")!.adding(days: 1) == Day("2025-01-01"))
    }
}
