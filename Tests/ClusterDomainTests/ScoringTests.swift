import Testing

@testable import ClusterDomain

@Suite struct IndicatorSetTests {
    @Test func theShippedSetIsValidAndMarksItsWeightsAsAssumptions() throws {
        let set = try DataFiles.indicatorSet()
        #expect(set.problems().isEmpty)
        #expect(set.version == 1)
        #expect(
            set.dimensions.map(\.code) == [
                "scale", "innovation", "quality_firms", "ecosystem", "openness", "governance",
            ])
        #expect(set.dimensions.map(\.weight) == [20, 25, 15, 15, 10, 15])
        #expect(set.dimensions.allSatisfy { $0.assumed })
    }

    @Test func editingMakesANewVersionAndWeightsMustTotal100() throws {
        let set = try DataFiles.indicatorSet()
        var dimensions = set.dimensions
        dimensions[0] = IndicatorDimension(code: "scale", nameZh: "规模实力", nameEn: "Scale", weight: 25, assumed: true)
        guard case .failure(let errors) = set.revised(dimensions: dimensions, note: "scale up") else {
            Issue.record("accepted weights totalling 105%")
            return
        }
        #expect(errors.fields["indicator_set"]?.contains("total 105.0%") == true)
        dimensions[1] = IndicatorDimension(
            code: "innovation", nameZh: "创新水平", nameEn: "Innovation", weight: 20, assumed: true)
        let next = try set.revised(dimensions: dimensions, note: "scale up, innovation down").get()
        #expect(next.version == 2)
        #expect(set.version == 1 && set.dimensions[0].weight == 20)
    }

    @Test func problemsAreNamed() {
        let set = IndicatorSet(
            id: "t", version: 1,
            dimensions: [
                IndicatorDimension(code: "a", nameZh: "甲", nameEn: "A", weight: 100, assumed: true),
                IndicatorDimension(code: "b", nameZh: "乙", nameEn: "B", weight: 0, assumed: true),
            ],
            indicators: [
                IndicatorDefinition(
                    code: "x", dimension: "c", nameZh: "x", nameEn: "x", kind: .count, unit: "",
                    direction: .higher, normalisation: .minMax, minimum: 5, maximum: 1)
            ],
            note: "")
        let problems = set.problems()
        #expect(problems.contains("dimension b has no positive weight"))
        #expect(problems.contains("indicator x: unknown dimension c"))
        #expect(problems.contains("dimension a has no indicator"))
        #expect(problems.contains("indicator x has no unit"))
        #expect(problems.contains("indicator x: minimum above maximum"))
    }
}

@Suite struct ScoringTests {
    /// Two dimensions: A (60%: a1, a2) and B (40%: b1).
    static let set = IndicatorSet(
        id: "test", version: 1,
        dimensions: [
            IndicatorDimension(code: "A", nameZh: "甲", nameEn: "A", weight: 60, assumed: true),
            IndicatorDimension(code: "B", nameZh: "乙", nameEn: "B", weight: 40, assumed: true),
        ],
        indicators: ["a1", "a2", "b1"].map {
            IndicatorDefinition(
                code: $0, dimension: $0.hasPrefix("a") ? "A" : "B", nameZh: $0, nameEn: $0, kind: .count, unit: "个",
                direction: .higher, normalisation: .minMax)
        },
        note: "")

    static func scores(_ entry: String, _ table: [String: [Double]]) -> [ExpertScore] {
        table.flatMap { indicator, values in
            values.enumerated().map {
                ExpertScore(
                    entryID: entry, expertID: "x\($0.offset)", indicator: indicator, score: $0.element, comment: "")
            }
        }
    }

    static let e1 = scores("E1", ["a1": [80, 90, 70], "a2": [60, 100, 50], "b1": [90, 90, 30]])

    @Test("mean: A = (80 + 70) / 2 = 75 → 45 points; B = 70 → 28 points; total 73")
    func mean() {
        let scored = RoundScoring(set: Self.set, aggregation: .mean, tieBreak: ["A", "B"]).score(entryID: "E1", Self.e1)
        #expect(scored.contributions.map(\.score) == [75, 70])
        #expect(scored.contributions.map(\.points) == [45, 28])
        #expect(scored.total == 73)
        #expect(scored.unscored.isEmpty)
    }

    @Test("trimmed mean drops the highest and lowest: a1 80, a2 60, b1 90 → A 70 (42), B 90 (36), total 78")
    func trimmed() {
        let scored = RoundScoring(set: Self.set, aggregation: .trimmedMean(trim: 1), tieBreak: ["A", "B"]).score(
            entryID: "E1", Self.e1)
        #expect(scored.contributions.map(\.score) == [70, 90])
        #expect(scored.total == 78)
        // With two experts nothing is trimmed.
        #expect(ScoreAggregation.trimmedMean(trim: 1).combine([40, 60]) == 50)
        #expect(ScoreAggregation.trimmedMean(trim: 1).combine([]) == nil)
    }

    @Test func unscoredIndicatorsCountAsZeroAndAreListed() {
        let scored = RoundScoring(set: Self.set, aggregation: .mean, tieBreak: ["A", "B"]).score(
            entryID: "E9", Self.scores("E9", ["a1": [100]]))
        #expect(scored.unscored == ["a2", "b1"])
        #expect(scored.total == 30)
    }

    @Test("ranking: total first; equal totals by the tie-break dimensions; still equal → the same rank")
    func ranking() {
        let scoring = RoundScoring(set: Self.set, aggregation: .mean, tieBreak: ["B", "A"])
        let all =
            Self.e1 + Self.scores("E2", ["a1": [50], "a2": [50], "b1": [80]])  // A 50 → 30, B 80 → 32: 62
            + Self.scores("E3", ["a1": [60], "a2": [60], "b1": [65]])  // A 60 → 36, B 65 → 26: 62
            + Self.scores("E4", ["a1": [60], "a2": [60], "b1": [65]])  // same as E3
        let ranked = scoring.rank(["E4", "E3", "E2", "E1"].map { scoring.score(entryID: $0, all) })
        #expect(ranked.map(\.entry.entryID) == ["E1", "E2", "E3", "E4"])
        #expect(ranked.map(\.rank) == [1, 2, 3, 3])
        #expect(ranked.map(\.tied) == [false, false, true, true])
        #expect(ranked[1].decidedBy == "total")
        #expect(ranked[2].decidedBy == "tie-break: B")
        #expect(ranked[3].decidedBy == "tied on the total and every tie-break")
    }
}
