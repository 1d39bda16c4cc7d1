import Testing

@testable import ClusterDomain

@Suite struct TrendTests {
    @Test func nationalClustersOverTheYears() throws {
        let day = try #require(Day("2026-06-30"))
        let trend = Shipped.registry.nationalTrend(asOf: day)
        #expect(trend.map(\.year) == Array(2019...2026))
        let byYear = Dictionary(uniqueKeysWithValues: trend.map { ($0.year, $0.count) })
        // None before the first list; the 45 of 30 Nov 2022; the 78 of the 80 of 2024 that the data holds.
        #expect(byYear[2021] == 0)
        #expect(byYear[2022] == 45)
        #expect(byYear[2024] == 78)
        // Jiangsu: its own clusters and the cross-province ones it takes part in.
        let jiangsu = Shipped.registry.nationalTrend(asOf: day, province: "32")
        let js2022 = Shipped.registry.clusters(in: .national, asOf: Day("2022-12-31")!).filter {
            $0.provinceCodes.contains("32")
        }.count
        #expect(jiangsu.first { $0.year == 2022 }?.count == js2022)
        #expect(js2022 > 0)
        #expect(Shipped.registry.nationalTrend(from: 2030, asOf: day).isEmpty)
    }
}

@Suite struct IndicatorTrendTests {
    @Test func countsAndAmountsAreSummedSharesAveraged() throws {
        let set = try DataFiles.indicatorSet()
        let trend = IndicatorTrend(
            returns: [
                (2024, ["output": 1e11, "champions": 3, "rd_intensity": 0.02]),
                (2024, ["output": 2e11, "champions": 1, "rd_intensity": 0.04]),
                (2025, ["output": 4e11, "not_an_indicator": 9]),
            ], set: set)
        #expect(trend.years == [2024, 2025])
        #expect(trend.clusters == [2024: 2, 2025: 1])
        #expect(trend.values["output"] == [2024: 3e11, 2025: 4e11])
        #expect(trend.values["champions"] == [2024: 4])
        #expect(abs((trend.values["rd_intensity"]?[2024] ?? 0) - 0.03) < 1e-12)
        #expect(trend.values["not_an_indicator"] == nil)
        #expect(IndicatorTrend(returns: [], set: set).isEmpty)
    }
}
