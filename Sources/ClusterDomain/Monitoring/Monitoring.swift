import Foundation

/// The monitoring rules that are assumptions (cluster-domain.md §6), as configuration.
public struct MonitoringRules: Codable, Hashable, Sendable {
    /// Returns for data year Y are due on this month and day of Y + 1 (SME-cluster precedent: 30 April).
    public var dueMonth: Int
    public var dueDay: Int
    /// A value that moved by more than this share against the previous year is flagged.
    public var jumpThreshold: Double

    public init(dueMonth: Int = 4, dueDay: Int = 30, jumpThreshold: Double = 0.5) {
        self.dueMonth = dueMonth
        self.dueDay = dueDay
        self.jumpThreshold = jumpThreshold
    }

    public func dueDate(dataYear: Int) -> Day? { Day(year: dataYear + 1, month: dueMonth, day: dueDay) }

    public func isLate(dataYear: Int, submittedOn: Day?, today: Day) -> Bool {
        guard let due = dueDate(dataYear: dataYear) else { return false }
        return (submittedOn ?? today) > due
    }
}

/// The checks of a yearly return's values against the indicator set and the previous year.
public enum ReturnCheck {
    public struct Outcome: Equatable, Sendable {
        /// Values refused: unknown indicator, outside the plausible range, a share outside 0–1, a
        /// count that is not whole.
        public var errors: [String: Message] = [:]
        /// Values kept but flagged: an implausible jump against last year.
        public var warnings: [String: Message] = [:]

        public var fieldErrors: FieldErrors { FieldErrors(errors) }
    }

    public static func check(
        _ values: [String: Double], previous: [String: Double]?, set: IndicatorSet,
        rules: MonitoringRules
    ) -> Outcome {
        var outcome = Outcome()
        func refuse(_ code: String, _ key: String, _ arguments: [String: String] = [:]) {
            outcome.errors[code] = Message(key, arguments, worded: ["unit": Message.unit(code: unitOf(code))])
        }
        func unitOf(_ code: String) -> String { set.indicator(code: code)?.unit ?? "" }
        for (code, value) in values {
            guard let indicator = set.indicator(code: code) else {
                refuse(code, "return.not_an_indicator", ["set": set.id, "version": "\(set.version)"])
                continue
            }
            guard value.isFinite else {
                refuse(code, "field.number")
                continue
            }
            if indicator.kind == .share, !(0...1).contains(value) {
                refuse(code, "return.share_range")
                continue
            }
            if indicator.kind == .count, value != value.rounded() || value < 0 {
                refuse(code, "return.whole_count")
                continue
            }
            if let lo = indicator.minimum, value < lo {
                refuse(code, "return.below_minimum", ["limit": Self.plain(lo)])
                continue
            }
            if let hi = indicator.maximum, value > hi {
                refuse(code, "return.above_maximum", ["limit": Self.plain(hi)])
                continue
            }
            if let last = previous?[code], last != 0 {
                let change = value / last - 1
                if abs(change) > rules.jumpThreshold {
                    outcome.warnings[code] = Message(
                        "return.jump",
                        [
                            "change": String(format: "%+.0f%%", change * 100), "last": Self.plain(last),
                            "value": Self.plain(value),
                        ], worded: ["unit": Message.unit(code: indicator.unit)])
                }
            }
        }
        return outcome
    }

    /// A value without a needless decimal part (3 not 3.0; 0.045 as it is).
    static func plain(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}

/// A cluster's competitiveness rating for a year: its score from the returns of all clusters rated
/// together, each dimension's points, and its decile (1 = top tenth, 10 = bottom tenth).
public struct CompetitivenessRating: Hashable, Sendable {
    public let clusterID: String
    public let year: Int
    public let score: Double
    public let contributions: [ScoredEntry.Contribution]
    public let decile: Int

    /// Rates every cluster that returned data for `year`: each indicator normalised to 0–100 across
    /// them (min-max, on log10 where the set says so; reversed where lower is better; missing = 0),
    /// dimensions averaged, weighted into a score, then ranked into deciles.
    public static func rate(year: Int, returns: [String: [String: Double]], set: IndicatorSet)
        -> [CompetitivenessRating]
    {
        var normalised: [String: [String: Double]] = [:]
        for indicator in set.indicators {
            func transform(_ v: Double) -> Double? {
                switch indicator.normalisation {
                case .minMax: return v
                case .logMinMax: return v > 0 ? log10(v) : nil
                }
            }
            let values = returns.compactMapValues { $0[indicator.code].flatMap(transform) }
            guard let lo = values.values.min(), let hi = values.values.max() else { continue }
            for (cluster, v) in values {
                var x = hi > lo ? (v - lo) / (hi - lo) * 100 : 100
                if indicator.direction == .lower { x = 100 - x }
                normalised[cluster, default: [:]][indicator.code] = x
            }
        }
        let scored = returns.keys.sorted().map { cluster -> (String, Double, [ScoredEntry.Contribution]) in
            let contributions = set.dimensions.map { d -> ScoredEntry.Contribution in
                let xs = set.indicators(in: d.code).map { normalised[cluster]?[$0.code] ?? 0 }
                let score = xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
                return .init(dimension: d.code, score: score, weight: d.weight, points: d.weight * score / 100)
            }
            return (cluster, contributions.reduce(0) { $0 + $1.points }, contributions)
        }
        let ordered = scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let n = ordered.count
        return ordered.enumerated().map { index, item in
            CompetitivenessRating(
                clusterID: item.0, year: year, score: item.1, contributions: item.2, decile: index * 10 / max(n, 1) + 1)
        }
    }
}

/// The dynamic-adjustment rules (cluster-domain.md §4 and §9 mark them [A]), as configuration.
public struct AdjustmentRules: Codable, Hashable, Sendable {
    /// Bottom-decile years in a row that bring a warning, and an exit.
    public var warnAfterBottomYears: Int
    public var exitAfterBottomYears: Int
    /// World-class: years of national standing, top-decile years in a row, and a benchmark entered by an admin.
    public var worldClassNationalYears: Int
    public var worldClassTopYears: Int
    public var worldClassNeedsBenchmark: Bool

    public init(
        warnAfterBottomYears: Int = 1, exitAfterBottomYears: Int = 2, worldClassNationalYears: Int = 3,
        worldClassTopYears: Int = 3, worldClassNeedsBenchmark: Bool = true
    ) {
        self.warnAfterBottomYears = warnAfterBottomYears
        self.exitAfterBottomYears = exitAfterBottomYears
        self.worldClassNationalYears = worldClassNationalYears
        self.worldClassTopYears = worldClassTopYears
        self.worldClassNeedsBenchmark = worldClassNeedsBenchmark
    }

    public static let assumed = AdjustmentRules()
}

/// What the system proposes for a cluster after a year's ratings. An admin decides.
public struct AdjustmentProposal: Hashable, Sendable {
    public let clusterID: String
    public let event: LadderEvent
    public let reason: Reason
}

public enum Adjustment {
    /// The proposal for one cluster, from its deciles by year (the latest year last counts), its
    /// ladder status and whether an admin has entered a global benchmark; nil when nothing changes.
    public static func propose(
        clusterID: String, deciles: [Int: Int], status: LadderStatus, benchmark: Bool, latestYear: Int,
        rules: AdjustmentRules = .assumed
    ) -> AdjustmentProposal? {
        func run(_ matches: (Int) -> Bool) -> Int {
            var years = 0
            var year = latestYear
            while let d = deciles[year], matches(d) {
                years += 1
                year -= 1
            }
            return years
        }
        let bottom = run { $0 == 10 }
        let top = run { $0 == 1 }
        switch status.state {
        case .national, .warned:
            if bottom >= rules.exitAfterBottomYears {
                return .init(
                    clusterID: clusterID, event: .exit,
                    reason: Reason(
                        met: true, zh: "连续 \(bottom) 年评级处于末位 10%（规则：\(rules.exitAfterBottomYears) 年调出）",
                        en: "bottom decile \(bottom) years running (rule: exit after \(rules.exitAfterBottomYears))"))
            }
            if status.state == .national, bottom >= rules.warnAfterBottomYears {
                return .init(
                    clusterID: clusterID, event: .warn,
                    reason: Reason(met: true, zh: "评级处于末位 10%（\(latestYear) 年）", en: "bottom decile in \(latestYear)"))
            }
            if status.state == .warned, bottom == 0, deciles[latestYear] != nil {
                return .init(
                    clusterID: clusterID, event: .clearWarning,
                    reason: Reason(
                        met: true, zh: "\(latestYear) 年评级已离开末位 10%", en: "out of the bottom decile in \(latestYear)"))
            }
            guard status.state == .national, let since = status.nationalSince,
                latestYear - since.year >= rules.worldClassNationalYears, top >= rules.worldClassTopYears,
                benchmark || !rules.worldClassNeedsBenchmark
            else { return nil }
            return .init(
                clusterID: clusterID, event: .promote,
                reason: Reason(
                    met: true, zh: "国家级 \(latestYear - since.year) 年，连续 \(top) 年评级前 10%，已录入国际对标",
                    en:
                        "national for \(latestYear - since.year) years, top decile \(top) years running, global benchmark entered"
                ))
        default:
            return nil
        }
    }
}
