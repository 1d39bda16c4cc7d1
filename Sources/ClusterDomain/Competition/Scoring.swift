import Foundation

/// One expert's score of one indicator of one entry, 0–100, with a comment.
public struct ExpertScore: Hashable, Sendable, Codable {
    public let entryID: String
    public let expertID: String
    public let indicator: String
    public let score: Double
    public let comment: String

    public init(entryID: String, expertID: String, indicator: String, score: Double, comment: String) {
        self.entryID = entryID
        self.expertID = expertID
        self.indicator = indicator
        self.score = score
        self.comment = comment
    }
}

/// How experts' scores of an indicator are combined (configurable per round).
public enum ScoreAggregation: Codable, Hashable, Sendable {
    case mean
    /// Drops the `trim` highest and `trim` lowest scores when more than 2 × trim experts scored;
    /// otherwise the plain mean.
    case trimmedMean(trim: Int)

    public func combine(_ scores: [Double]) -> Double? {
        guard !scores.isEmpty else { return nil }
        switch self {
        case .mean:
            return scores.reduce(0, +) / Double(scores.count)
        case .trimmedMean(let trim):
            guard trim > 0, scores.count > 2 * trim else { return scores.reduce(0, +) / Double(scores.count) }
            let kept = scores.sorted().dropFirst(trim).dropLast(trim)
            return kept.reduce(0, +) / Double(kept.count)
        }
    }
}

/// An entry's total, and how each dimension made it up.
public struct ScoredEntry: Hashable, Sendable {
    public struct Contribution: Hashable, Sendable {
        public let dimension: String
        /// The dimension's score, 0–100: the mean of its indicators' combined scores.
        public let score: Double
        public let weight: Double
        /// weight × score / 100: the points it adds to the total.
        public let points: Double
    }

    public let entryID: String
    public let total: Double
    public let contributions: [Contribution]
    /// Indicators no expert scored (they count as 0, and are listed so that nobody is surprised).
    public let unscored: [String]
}

/// A place in a track's ranking.
public struct RankedEntry: Hashable, Sendable {
    public let rank: Int
    /// True when the tie rules could not separate it from the entry ranked with it.
    public let tied: Bool
    public let entry: ScoredEntry
    /// Which rule decided its place against the entry just above it.
    public let decidedBy: String
}

/// Totals and rankings from expert scores under a versioned indicator set.
public struct RoundScoring: Sendable {
    public let set: IndicatorSet
    public let aggregation: ScoreAggregation
    /// Dimensions compared, in order, when totals are equal (to two decimals) [A].
    public let tieBreak: [String]

    public init(set: IndicatorSet, aggregation: ScoreAggregation, tieBreak: [String]) {
        self.set = set
        self.aggregation = aggregation
        self.tieBreak = tieBreak
    }

    /// The total of one entry, explained by dimension.
    public func score(entryID: String, _ scores: [ExpertScore]) -> ScoredEntry {
        let mine = scores.filter { $0.entryID == entryID }
        var unscored: [String] = []
        var contributions: [ScoredEntry.Contribution] = []
        for dimension in set.dimensions {
            let combined = set.indicators(in: dimension.code).map { indicator -> Double in
                let values = mine.filter { $0.indicator == indicator.code }.map(\.score)
                guard let value = aggregation.combine(values) else {
                    unscored.append(indicator.code)
                    return 0
                }
                return value
            }
            let score = combined.isEmpty ? 0 : combined.reduce(0, +) / Double(combined.count)
            contributions.append(
                .init(
                    dimension: dimension.code, score: score, weight: dimension.weight,
                    points: dimension.weight * score / 100))
        }
        return ScoredEntry(
            entryID: entryID, total: contributions.reduce(0) { $0 + $1.points }, contributions: contributions,
            unscored: unscored)
    }

    /// Ranks entries: higher total first (compared to two decimals); equal totals go by the
    /// tie-break dimensions in order; entries still equal share a rank.
    public func rank(_ entries: [ScoredEntry]) -> [RankedEntry] {
        func rounded(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        func dimensionScore(_ e: ScoredEntry, _ code: String) -> Double {
            rounded(e.contributions.first { $0.dimension == code }?.score ?? 0)
        }
        /// Which rule orders a before b, or nil when none does.
        func decider(_ a: ScoredEntry, _ b: ScoredEntry) -> (String, Bool)? {
            if rounded(a.total) != rounded(b.total) { return ("total", rounded(a.total) > rounded(b.total)) }
            for code in tieBreak where dimensionScore(a, code) != dimensionScore(b, code) {
                return ("tie-break: \(code)", dimensionScore(a, code) > dimensionScore(b, code))
            }
            return nil
        }
        let sorted = entries.sorted { a, b in
            if let (_, aFirst) = decider(a, b) { return aFirst }
            return a.entryID < b.entryID
        }
        var ranked: [RankedEntry] = []
        for (index, entry) in sorted.enumerated() {
            guard let previous = ranked.last else {
                ranked.append(RankedEntry(rank: 1, tied: false, entry: entry, decidedBy: "total"))
                continue
            }
            if let (rule, _) = decider(previous.entry, entry) {
                ranked.append(RankedEntry(rank: index + 1, tied: false, entry: entry, decidedBy: rule))
            } else {
                if !previous.tied {
                    ranked[ranked.count - 1] = RankedEntry(
                        rank: previous.rank, tied: true, entry: previous.entry, decidedBy: previous.decidedBy)
                }
                ranked.append(
                    RankedEntry(
                        rank: previous.rank, tied: true, entry: entry,
                        decidedBy: "tied on the total and every tie-break"))
            }
        }
        return ranked
    }
}
