/// Each indicator over the years, from accepted returns: counts and amounts summed over the clusters
/// that returned them, shares averaged; with how many clusters each year's figure rests on.
public struct IndicatorTrend: Equatable, Sendable {
    public let years: [Int]
    /// Returns accepted per year.
    public let clusters: [Int: Int]
    /// Indicator code → year → value.
    public let values: [String: [Int: Double]]

    public init(returns: [(year: Int, values: [String: Double])], set: IndicatorSet) {
        years = Array(Set(returns.map(\.year))).sorted()
        var clusters: [Int: Int] = [:]
        var sums: [String: [Int: Double]] = [:]
        var counts: [String: [Int: Int]] = [:]
        for r in returns {
            clusters[r.year, default: 0] += 1
            for (code, value) in r.values where set.indicator(code: code) != nil && value.isFinite {
                sums[code, default: [:]][r.year, default: 0] += value
                counts[code, default: [:]][r.year, default: 0] += 1
            }
        }
        var values: [String: [Int: Double]] = [:]
        for indicator in set.indicators {
            guard let byYear = sums[indicator.code] else { continue }
            values[indicator.code] = Dictionary(
                uniqueKeysWithValues: byYear.map { year, sum in
                    let n = Double(counts[indicator.code]?[year] ?? 1)
                    return (year, indicator.kind == .share ? sum / n : sum)
                })
        }
        self.clusters = clusters
        self.values = values
    }

    public var isEmpty: Bool { years.isEmpty }
}
