import Testing

@testable import ClusterDomain

@Suite struct MonitoringTests {
    static let shipped: IndicatorSet = {
        do { return try DataFiles.indicatorSet() } catch { preconditionFailure("\(error)") }
    }()

    @Test func returnValuesAreCheckedAndJumpsFlagged() {
        let outcome = ReturnCheck.check(
            [
                "output": 2.4e12, "rd_intensity": 1.4, "champions": 12.5, "above_size_firms": 3400, "colour": 1,
                "body_staff": 40,
            ],
            previous: ["output": 1.5e12, "above_size_firms": 3300, "body_staff": 10],
            set: Self.shipped, rules: MonitoringRules())
        #expect(outcome.errors.keys.sorted() == ["champions", "colour", "rd_intensity"])
        #expect(outcome.errors["rd_intensity"]?.english.hasPrefix("a share between 0 and 1") == true)
        #expect(outcome.errors["champions"]?.english.hasPrefix("a whole number") == true)
        // +60% output and +300% staff are flagged; +3% firms is not.
        #expect(outcome.warnings.keys.sorted() == ["body_staff", "output"])
        #expect(outcome.warnings["output"]?.english.hasPrefix("+60%") == true)
        // Every error and warning has its Chinese wording.
        #expect(outcome.errors["rd_intensity"]?.chinese == "应为 0 到 1 之间的小数（4.5% 填 0.045）")
        #expect(outcome.warnings["output"]?.chinese.hasPrefix("较上年 +60%（1500000000000 → 2400000000000 元）") == true)
        #expect(outcome.fieldErrors.messages(chinese: true)["champions"] == "应为整数（单位：家）")
        #expect(outcome.fieldErrors.messages(chinese: false) == outcome.errors.mapValues(\.english))
    }

    @Test func lateness() {
        let rules = MonitoringRules()
        #expect(rules.dueDate(dataYear: 2025) == Day("2026-04-30"))
        #expect(!rules.isLate(dataYear: 2025, submittedOn: Day("2026-04-30"), today: Day("2026-11-25")!))
        #expect(rules.isLate(dataYear: 2025, submittedOn: Day("2026-05-01"), today: Day("2026-11-25")!))
        #expect(rules.isLate(dataYear: 2025, submittedOn: nil, today: Day("2026-05-01")!))
        #expect(!rules.isLate(dataYear: 2025, submittedOn: nil, today: Day("2026-04-01")!))
        #expect(MonitoringRules(dueMonth: 6, dueDay: 30).dueDate(dataYear: 2025) == Day("2026-06-30"))
    }

    @Test(
        "rating, by hand: a1 (60%, higher) 10/20/30 → 0/50/100; b1 (40%, lower) 5/15/10 → 100/0/50; scores 40, 30, 80")
    func rating() {
        let set = IndicatorSet(
            id: "t", version: 1,
            dimensions: [
                IndicatorDimension(code: "A", nameZh: "甲", nameEn: "A", weight: 60, assumed: true),
                IndicatorDimension(code: "B", nameZh: "乙", nameEn: "B", weight: 40, assumed: true),
            ],
            indicators: [
                IndicatorDefinition(
                    code: "a1", dimension: "A", nameZh: "a1", nameEn: "a1", kind: .count, unit: "个",
                    direction: .higher, normalisation: .minMax),
                IndicatorDefinition(
                    code: "b1", dimension: "B", nameZh: "b1", nameEn: "b1", kind: .count, unit: "个",
                    direction: .lower, normalisation: .minMax),
            ],
            note: "")
        let ratings = CompetitivenessRating.rate(
            year: 2025,
            returns: [
                "C1": ["a1": 10, "b1": 5], "C2": ["a1": 20, "b1": 15],
                "C3": ["a1": 30, "b1": 10],
            ], set: set)
        #expect(ratings.map(\.clusterID) == ["C3", "C1", "C2"])
        #expect(ratings.map(\.score) == [80, 40, 30])
        #expect(ratings.map(\.decile) == [1, 4, 7])
        #expect(ratings[1].contributions.map(\.points) == [0, 40])
    }

    @Test func tenClustersFillTheDeciles() {
        let returns = Dictionary(uniqueKeysWithValues: (1...10).map { ("C\($0)", ["output": Double($0) * 1e11]) })
        let ratings = CompetitivenessRating.rate(year: 2025, returns: returns, set: Self.shipped)
        #expect(ratings.first?.clusterID == "C10" && ratings.first?.decile == 1)
        #expect(ratings.last?.clusterID == "C1" && ratings.last?.decile == 10)
    }

    static let national = LadderStatus(state: .national, since: Day("2020-12-01")!, nationalSince: Day("2020-12-01")!)

    @Test("proposals follow the configured rules; an admin decides")
    func proposals() {
        #expect(
            Adjustment.propose(
                clusterID: "C", deciles: [2024: 10, 2025: 10], status: Self.national, benchmark: false,
                latestYear: 2025)?.event == .exit)
        #expect(
            Adjustment.propose(
                clusterID: "C", deciles: [2024: 3, 2025: 10], status: Self.national, benchmark: false,
                latestYear: 2025)?.event == .warn)
        let warned = LadderStatus(state: .warned, since: Day("2025-06-01")!, nationalSince: Day("2020-12-01")!)
        #expect(
            Adjustment.propose(
                clusterID: "C", deciles: [2024: 10, 2025: 6], status: warned, benchmark: false,
                latestYear: 2025)?.event == .clearWarning)
        let top: [Int: Int] = [2023: 1, 2024: 1, 2025: 1]
        #expect(
            Adjustment.propose(clusterID: "C", deciles: top, status: Self.national, benchmark: true, latestYear: 2025)?
                .event == .promote)
        #expect(
            Adjustment.propose(clusterID: "C", deciles: top, status: Self.national, benchmark: false, latestYear: 2025)
                == nil)
        #expect(
            Adjustment.propose(
                clusterID: "C", deciles: [2024: 1, 2025: 1], status: Self.national, benchmark: true, latestYear: 2025)
                == nil)
        // Stricter rules: a warning needs two bottom years.
        let strict = AdjustmentRules(warnAfterBottomYears: 2, exitAfterBottomYears: 3)
        #expect(
            Adjustment.propose(
                clusterID: "C", deciles: [2025: 10], status: Self.national, benchmark: false, latestYear: 2025,
                rules: strict) == nil)
        #expect(
            Adjustment.propose(
                clusterID: "C", deciles: [2025: 10],
                status: LadderStatus(state: .provincialDesignated, since: Day("2020-01-01")!),
                benchmark: false, latestYear: 2025) == nil)
    }
}
