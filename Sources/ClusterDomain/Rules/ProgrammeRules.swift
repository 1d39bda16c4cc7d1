import Foundation

/// Every rule of the programme that the domain brief marks as an assumption [A], in one place:
/// read from `programme-rules.json` (shipped) or from the file `RULES_FILE` names, checked at start.
public struct ProgrammeRules: Codable, Equatable, Sendable {
    /// The ladder: failed assessments before a drop, years national before world-class, co-review.
    public var ladder: LadderRules
    /// How experts' scores of an indicator are combined.
    public var scoring: Scoring
    /// How long a public notice lasts, counting both ends (the brief: 5–7 days).
    public var noticeDays: DayRange
    /// When returns are due and which year-on-year change is flagged.
    public var monitoring: MonitoringRules
    /// When the system proposes a warning, an exit or world-class status.
    public var adjustment: AdjustmentRules
    public var note: String

    public struct Scoring: Codable, Hashable, Sendable {
        /// `mean` or `trimmed_mean`.
        public var aggregation: String
        /// For `trimmed_mean`: how many of the highest and of the lowest scores are dropped.
        public var trim: Int
        /// Experts each entry should have before scoring (the admin's inbox says when fewer are assigned).
        public var expertsPerEntry: Int
        /// The dimensions compared, in order, when two entries' totals are equal (to two decimals). It must
        /// name every dimension of the indicator set in force; a code the set does not have is passed over
        /// (so a dimension about to be renamed can be listed under both names while the set changes).
        public var tieBreak: [String]

        /// The order assumed when no rules file says otherwise.
        public static let assumedTieBreak = [
            "innovation", "scale", "quality_firms", "ecosystem", "openness", "governance",
        ]

        public init(
            aggregation: String, trim: Int, expertsPerEntry: Int = 3, tieBreak: [String] = Scoring.assumedTieBreak
        ) {
            self.aggregation = aggregation
            self.trim = trim
            self.expertsPerEntry = expertsPerEntry
            self.tieBreak = tieBreak
        }

        /// What is wrong with the tie-break order for an indicator set with these dimension codes: a
        /// dimension it leaves out (two entries equal on the rest would stay tied, or worse, a renamed
        /// dimension would be compared as 0 against 0).
        public func tieBreakProblem(dimensions: [String]) -> String? {
            let missing = dimensions.filter { !tieBreak.contains($0) }
            guard !missing.isEmpty else { return nil }
            return "scoring.tie_break must name every dimension of the indicator set; missing "
                + missing.joined(separator: ", ") + " (tie_break: " + tieBreak.joined(separator: ", ") + ")"
        }

        /// The order applied to a set with these dimension codes: the listed codes the set has.
        public func tieBreakOrder(dimensions: [String]) -> [String] { tieBreak.filter(dimensions.contains) }

        public var method: ScoreAggregation? {
            switch aggregation {
            case "mean": .mean
            case "trimmed_mean": .trimmedMean(trim: trim)
            default: nil
            }
        }

        /// How the ranking names its method: `mean` or `trimmed_mean(1)`.
        public var label: String { aggregation == "mean" ? "mean" : "trimmed_mean(\(trim))" }
    }

    public struct DayRange: Codable, Hashable, Sendable {
        public var min: Int
        public var max: Int

        public init(min: Int, max: Int) {
            self.min = min
            self.max = max
        }
    }

    public init(
        ladder: LadderRules = .assumed, scoring: Scoring = Scoring(aggregation: "trimmed_mean", trim: 1),
        noticeDays: DayRange = DayRange(min: 5, max: 7), monitoring: MonitoringRules = MonitoringRules(),
        adjustment: AdjustmentRules = .assumed, note: String = ""
    ) {
        self.ladder = ladder
        self.scoring = scoring
        self.noticeDays = noticeDays
        self.monitoring = monitoring
        self.adjustment = adjustment
        self.note = note
    }

    /// The rules as shipped, in code: used by tests and when nothing else is given.
    public static let assumed = ProgrammeRules()

    /// Everything wrong with the rules, one message each, naming the field.
    public func problems() -> [String] {
        var found: [String] = []
        if !(1...10).contains(ladder.failuresBeforeDrop) { found.append("ladder.failures_before_drop: 1 to 10") }
        if !(1...30).contains(ladder.yearsNationalBeforeWorldClass) {
            found.append("ladder.years_national_before_world_class: 1 to 30")
        }
        if scoring.method == nil { found.append("scoring.aggregation: mean or trimmed_mean") }
        if !(0...5).contains(scoring.trim) { found.append("scoring.trim: 0 to 5") }
        if !(1...20).contains(scoring.expertsPerEntry) { found.append("scoring.experts_per_entry: 1 to 20") }
        if scoring.tieBreak.isEmpty || scoring.tieBreak.count > 20 {
            found.append("scoring.tie_break: 1 to 20 dimension codes")
        } else if Set(scoring.tieBreak).count != scoring.tieBreak.count {
            found.append("scoring.tie_break: a dimension is listed twice")
        }
        if !(1...60).contains(noticeDays.min) || noticeDays.max < noticeDays.min || noticeDays.max > 60 {
            found.append("notice_days: 1 ≤ min ≤ max ≤ 60")
        }
        if Day(year: 2001, month: monitoring.dueMonth, day: monitoring.dueDay) == nil {
            found.append("monitoring.due_month / due_day: a day of the year (29 February is not)")
        }
        if !(monitoring.jumpThreshold > 0 && monitoring.jumpThreshold <= 100) {
            found.append("monitoring.jump_threshold: above 0, at most 100")
        }
        let a = adjustment
        if !(1...10).contains(a.warnAfterBottomYears) { found.append("adjustment.warn_after_bottom_years: 1 to 10") }
        if !(a.warnAfterBottomYears...10).contains(a.exitAfterBottomYears) {
            found.append("adjustment.exit_after_bottom_years: from warn_after_bottom_years to 10")
        }
        // A proposal the ladder would refuse is no help: the system proposes world-class no earlier
        // than the state machine allows it.
        if !(ladder.yearsNationalBeforeWorldClass...30).contains(a.worldClassNationalYears) {
            found.append("adjustment.world_class_national_years: from ladder.years_national_before_world_class to 30")
        }
        if !(1...30).contains(a.worldClassTopYears) { found.append("adjustment.world_class_top_years: 1 to 30") }
        return found
    }

    /// A coding path as the file writes it: `adjustment.exit_after_bottom_years`.
    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in
            key.stringValue.reduce(into: "") { out, c in
                if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
            }
        }.joined(separator: ".")
    }

    /// Reads and checks a rules file (keys in snake_case, as in `programme-rules.json`).
    public static func decode(_ data: Data, file: String) throws(DataError) -> ProgrammeRules {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let rules: ProgrammeRules
        do {
            rules = try decoder.decode(ProgrammeRules.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DataError(file: file, reason: "missing '" + path(context.codingPath + [key]) + "'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            throw DataError(file: file, reason: "'" + path(context.codingPath) + "': " + context.debugDescription)
        } catch {
            throw DataError(file: file, reason: "\(error)")
        }
        let problems = rules.problems()
        guard problems.isEmpty else { throw DataError(file: file, reason: problems.joined(separator: "; ")) }
        return rules
    }
}
