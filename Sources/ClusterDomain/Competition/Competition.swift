import Foundation

/// The two formats MIIT has used for its competition rounds.
public enum RoundFormat: String, CaseIterable, Codable, Sendable {
    /// 初赛 / 决赛 (2019–2021).
    case preliminaryFinal = "preliminary_final"
    /// 小组赛 / 综合赛 (2024).
    case groupOverall = "group_overall"

    public var firstStage: (zh: String, en: String) {
        self == .preliminaryFinal ? ("初赛", "preliminary") : ("小组赛", "group round")
    }
    public var finalStage: (zh: String, en: String) {
        self == .preliminaryFinal ? ("决赛", "final") : ("综合赛", "overall round")
    }
}

/// The stages of a round, in order.
public enum RoundStageKind: String, CaseIterable, Codable, Sendable {
    case recommendation, dossier
    case firstStage = "first_stage"
    case finalStage = "final_stage"
    case notice
}

public struct RoundStage: Codable, Hashable, Sendable {
    public let kind: RoundStageKind
    public let opensOn: Day
    public let closesOn: Day

    public init(kind: RoundStageKind, opensOn: Day, closesOn: Day) {
        self.kind = kind
        self.opensOn = opensOn
        self.closesOn = closesOn
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case opensOn = "opens_on"
        case closesOn = "closes_on"
    }
}

/// A national competition round: year, format, tracks (domains), stages with dates, the notice that
/// opened it, the per-province quota and the indicator-set version it is scored with.
public struct CompetitionRound: Hashable, Sendable {
    public let id: String
    public let year: Int
    public let format: RoundFormat
    public let tracks: [String]
    public let noticeNumber: String?
    public let stages: [RoundStage]
    /// Entries each province may recommend (3 is an assumption); `quotaOverrides` by province code.
    public let quotaPerProvince: Int
    public let quotaOverrides: [String: Int]
    public let indicatorSetID: String
    public let indicatorSetVersion: Int

    public init(
        id: String, year: Int, format: RoundFormat, tracks: [String], noticeNumber: String?, stages: [RoundStage],
        quotaPerProvince: Int, quotaOverrides: [String: Int] = [:], indicatorSetID: String, indicatorSetVersion: Int
    ) {
        self.id = id
        self.year = year
        self.format = format
        self.tracks = tracks
        self.noticeNumber = noticeNumber
        self.stages = stages
        self.quotaPerProvince = quotaPerProvince
        self.quotaOverrides = quotaOverrides
        self.indicatorSetID = indicatorSetID
        self.indicatorSetVersion = indicatorSetVersion
    }

    public func stage(_ kind: RoundStageKind) -> RoundStage? { stages.first { $0.kind == kind } }

    public func isOpen(_ kind: RoundStageKind, on day: Day) -> Bool {
        guard let s = stage(kind) else { return false }
        return s.opensOn <= day && day <= s.closesOn
    }

    public func quota(for province: String) -> Int { quotaOverrides[province] ?? quotaPerProvince }

    /// Experts score while the first or the final stage is open.
    public func isScoringOpen(on day: Day) -> Bool { isOpen(.firstStage, on: day) || isOpen(.finalStage, on: day) }

    /// Whether the round's results (per-entry scores and the ranking) are public on `day`: from the
    /// day its public notice opens; a round without a notice stage, once its final stage has closed.
    public func resultsPublished(on day: Day) -> Bool {
        if let notice = stage(.notice) { return notice.opensOn <= day }
        if let final = stage(.finalStage) { return final.closesOn < day }
        return false
    }

    /// Why scores cannot be given on `day`; nil while scoring is open.
    public func scoringWindowProblem(on day: Day) -> Message? {
        isScoringOpen(on: day)
            ? nil
            : Message(
                "round.scoring_closed",
                [
                    "first_en": format.firstStage.en, "final_en": format.finalStage.en,
                    "first_zh": format.firstStage.zh,
                    "final_zh": format.finalStage.zh,
                ])
    }

    /// The round with `kind` closed from `day` on (its last day becomes the day before), or why not:
    /// the stage must have opened before `day` and still be open; the public notice always runs its
    /// full period.
    public func closing(_ kind: RoundStageKind, on day: Day) -> Result<CompetitionRound, StageClosingError> {
        guard let stage = stage(kind) else { return .failure(.noStage(kind)) }
        guard kind != .notice else { return .failure(.noticeRunsInFull) }
        guard let yesterday = day.adding(days: -1) else { return .failure(.noStage(kind)) }
        guard stage.opensOn <= yesterday else { return .failure(.notOpenYet(opensOn: stage.opensOn)) }
        guard yesterday < stage.closesOn else { return .failure(.closedAlready(closesOn: stage.closesOn)) }
        let stages = self.stages.map {
            $0.kind == kind ? RoundStage(kind: kind, opensOn: $0.opensOn, closesOn: yesterday) : $0
        }
        return .success(
            CompetitionRound(
                id: id, year: year, format: format, tracks: tracks, noticeNumber: noticeNumber, stages: stages,
                quotaPerProvince: quotaPerProvince, quotaOverrides: quotaOverrides,
                indicatorSetID: indicatorSetID, indicatorSetVersion: indicatorSetVersion))
    }

    /// Checks a round's fields, one message per field.
    public static func validate(
        year: Int?, format: String?, tracks: [String], noticeNumber: String?, stages: [RoundStage],
        quota: Int?, reference: ReferenceData,
        noticeDays: ProgrammeRules.DayRange = ProgrammeRules.assumed.noticeDays
    ) -> [String: Message] {
        var errors: [String: Message] = [:]
        if !(2019...2100).contains(year ?? 0) { errors["year"] = Message("round.year") }
        if format.flatMap(RoundFormat.init(rawValue:)) == nil {
            errors["format"] = Message(
                "round.format", ["codes": RoundFormat.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        if tracks.isEmpty || tracks.contains(where: { reference.domain(code: $0) == nil })
            || Set(tracks).count != tracks.count
        {
            errors["tracks"] = Message("round.tracks", ["codes": reference.domains.map(\.code).joined(separator: ", ")])
        }
        if (noticeNumber?.count ?? 0) > 100 { errors["notice_number"] = .tooLong(100) }
        if stages.map(\.kind) != RoundStageKind.allCases {
            errors["stages"] = Message(
                "round.stages_order", ["codes": RoundStageKind.allCases.map(\.rawValue).joined(separator: ", ")])
        } else if stages.contains(where: { $0.closesOn < $0.opensOn }) {
            errors["stages"] = Message("round.stage_closes_before_opening")
        } else if zip(stages, stages.dropFirst()).contains(where: { $1.opensOn <= $0.closesOn }) {
            errors["stages"] = Message("round.stages_overlap")
        } else if let notice = stages.last, let days = notice.opensOn.days(until: notice.closesOn),
            !((noticeDays.min - 1)...(noticeDays.max - 1)).contains(days)
        {
            errors["stages"] = Message("round.notice_days", ["min": "\(noticeDays.min)", "max": "\(noticeDays.max)"])
        }
        if !(1...20).contains(quota ?? 3) { errors["quota_per_province"] = Message("round.quota_range") }
        return errors
    }
}

/// Why a stage cannot be closed early.
public enum StageClosingError: Error, Equatable, Sendable, CustomStringConvertible {
    case noStage(RoundStageKind)
    case noticeRunsInFull
    case notOpenYet(opensOn: Day)
    case closedAlready(closesOn: Day)

    public var description: String {
        switch self {
        case .noStage(let kind): "the round has no stage \(kind.rawValue)"
        case .noticeRunsInFull: "the public notice runs its full period and cannot be closed early"
        case .notOpenYet(let day): "the stage opens on \(day); it can be closed from the day after"
        case .closedAlready(let day): "the stage closed on \(day) already"
        }
    }
}

/// A province's recommendation of a cluster into a round.
public struct Recommendation: Hashable, Sendable {
    public let roundID: String
    public let clusterID: String
    public let provinceCode: String
    public let track: String
    public let recommendedOn: Day

    public init(roundID: String, clusterID: String, provinceCode: String, track: String, recommendedOn: Day) {
        self.roundID = roundID
        self.clusterID = clusterID
        self.provinceCode = provinceCode
        self.track = track
        self.recommendedOn = recommendedOn
    }

    /// Why `province` may not recommend `cluster` into `round` on `day`, by field; empty when it may.
    /// A cross-province cluster is recommended by its lead (first-named) province [A].
    public static func problems(
        round: CompetitionRound, cluster: Cluster, province: String, track: String, ladder: LadderState?,
        existing: [Recommendation], on day: Day
    ) -> [String: Message] {
        var errors: [String: Message] = [:]
        if !round.isOpen(.recommendation, on: day) {
            let s = round.stage(.recommendation)
            errors["round"] = Message(
                "round.recommendation_closed",
                ["from": s?.opensOn.description ?? "?", "to": s?.closesOn.description ?? "?"])
        }
        if cluster.provinceCodes.first != province {
            errors["province"] =
                cluster.provinceCodes.contains(province)
                ? Message("round.lead_province_recommends", ["lead": cluster.provinceCodes.first ?? ""])
                : Message("round.not_in_province", ["province": province])
        }
        if !round.tracks.contains(track) {
            errors["track"] = Message("round.track", ["codes": round.tracks.joined(separator: ", ")])
        } else if track != cluster.domainCode {
            errors["track"] = Message("round.track_not_domain", ["domain": cluster.domainCode])
        }
        if ![LadderState.provincialCultivating, .provincialDesignated].contains(ladder) {
            errors["cluster"] = Message(
                "round.only_provincial", ["state": ladder?.rawValue ?? "not on the ladder"])
        }
        if existing.contains(where: { $0.roundID == round.id && $0.clusterID == cluster.id }) {
            errors["cluster"] = Message("round.already_recommended")
        }
        let used = existing.filter { $0.roundID == round.id && $0.provinceCode == province }.count
        if used >= round.quota(for: province) {
            errors["quota"] = Message(
                "round.quota_used", ["province": province, "quota": "\(round.quota(for: province))"])
        }
        return errors
    }
}

extension Day {
    /// The day `days` later (earlier when negative), for day-precision dates.
    public func adding(days: Int) -> Day? {
        var c = DateComponents()
        c.year = year
        c.month = month
        c.day = day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c), let moved = calendar.date(byAdding: .day, value: days, to: date) else {
            return nil
        }
        let m = calendar.dateComponents([.year, .month, .day], from: moved)
        guard let y = m.year, let mo = m.month, let d = m.day else { return nil }
        return Day(year: y, month: mo, day: d, precision: .day)
    }

    /// Whole days from this day to `other` (negative when earlier), for day-precision dates.
    public func days(until other: Day) -> Int? {
        var a = DateComponents()
        a.year = year
        a.month = month
        a.day = day
        var b = DateComponents()
        b.year = other.year
        b.month = other.month
        b.day = other.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let x = calendar.date(from: a), let y = calendar.date(from: b) else { return nil }
        return calendar.dateComponents([.day], from: x, to: y).day
    }
}

/// The dossier the lead city files for an entry: the promotion body, the upgrading plan, the
/// highlights, and the entry's figures as values of the round's indicators. Evidence files are kept
/// beside it.
public struct Dossier: Hashable, Sendable {
    public var promotionBody: String
    public var plan: String
    public var highlights: String
    public var values: [String: Double]

    public init(promotionBody: String, plan: String, highlights: String, values: [String: Double]) {
        self.promotionBody = promotionBody
        self.plan = plan
        self.highlights = highlights
        self.values = values
    }

    /// Why these fields cannot be kept, by field: lengths, and each value checked against the
    /// round's indicator set (unknown indicator, unit, plausible range).
    public func problems(set: IndicatorSet) -> [String: Message] {
        var errors: [String: Message] = [:]
        if promotionBody.isEmpty { errors["promotion_body"] = .required }
        if promotionBody.count > 200 { errors["promotion_body"] = .tooLong(200) }
        if plan.isEmpty { errors["plan"] = .required }
        if plan.count > 10_000 { errors["plan"] = .tooLong(10_000) }
        if highlights.count > 10_000 { errors["highlights"] = .tooLong(10_000) }
        let checked = ReturnCheck.check(values, previous: nil, set: set, rules: MonitoringRules())
        for (code, message) in checked.errors {
            errors["values." + code] = message
        }
        return errors
    }

    /// Why a dossier cannot be filed or changed on `day`: only for an entry, until the dossier stage closes.
    public static func editProblem(round: CompetitionRound, isEntry: Bool, on day: Day) -> Message? {
        if !isEntry { return Message("round.not_an_entry") }
        guard let stage = round.stage(.dossier) else { return Message("round.no_dossier_stage") }
        if day > stage.closesOn { return Message("round.dossiers_closed", ["day": stage.closesOn.description]) }
        return nil
    }
}
