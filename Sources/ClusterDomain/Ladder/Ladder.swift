import Foundation

/// Where a cluster stands on the cultivation ladder (cluster-domain.md §4): provincial cultivation,
/// the national competition, national standing and its dynamic adjustment, world-class.
public enum LadderState: String, CaseIterable, Codable, Sendable {
    case localCandidate = "local_candidate"
    case provincialCultivating = "provincial_cultivating"
    case provincialDesignated = "provincial_designated"
    /// Failed provincial assessment too often; out of cultivation.
    case dropped
    case nationalEntrant = "national_entrant"
    case roundQualified = "round_qualified"
    case winner
    case national
    case warned
    case exited
    case worldClass = "world_class"

    /// The tier and status this state shows in the registry's history, for the states that have one
    /// (a winner is not yet in a tier, as in the shipped history).
    public var tierStatus: (tier: Tier?, status: Status)? {
        switch self {
        case .provincialDesignated: (.provincial, .active)
        case .dropped: (.provincial, .exited)
        case .winner: (nil, .winner)
        case .national: (.national, .active)
        case .warned: (.national, .warned)
        case .exited: (.national, .exited)
        case .worldClass: (.worldClass, .active)
        case .localCandidate, .provincialCultivating, .nationalEntrant, .roundQualified: nil
        }
    }
}

/// What moves a cluster on the ladder.
public enum LadderEvent: String, CaseIterable, Codable, Sendable {
    /// A city names the cluster and forms its promotion body.
    case register
    /// The province admits it to cultivation after application, review, defence and notice.
    case admitToCultivation = "admit_to_cultivation"
    case passAssessment = "pass_assessment"
    /// A failed yearly assessment; the configured number of failures drops the cluster.
    case failAssessment = "fail_assessment"
    /// The province recommends it into a national competition round.
    case recommend
    /// Through the first stage (初赛 / 小组赛).
    case qualify
    /// Through the final stage (决赛 / 综合赛).
    case win
    /// Out of the round: back to where it stood before entering.
    case eliminate
    /// Designated national after the public notice, with the notice's document number.
    case designate
    case warn
    case clearWarning = "clear_warning"
    case exit
    /// Recognised world-class.
    case promote
}

/// What a transition must be backed by.
public enum LadderEvidence: String, CaseIterable, Codable, Sendable, Comparable {
    case clusterProfile = "cluster_profile"
    case promotionBody = "promotion_body"
    case dossier
    case assessment
    case recommendation
    case scores
    case ranking
    case noticeClosed = "notice_closed"
    case objectionsResolved = "objections_resolved"
    case documentNumber = "document_number"
    case rating
    case benchmark
    /// A ministry reviewer's sign-off, where co-review is configured for the event.
    case coReview = "co_review"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The ladder's assumptions, as configuration (cluster-domain.md marks them [A]).
public struct LadderRules: Codable, Sendable, Equatable {
    /// Failed provincial assessments that drop a cluster from cultivation.
    public var failuresBeforeDrop: Int
    /// Years of national standing before world-class recognition.
    public var yearsNationalBeforeWorldClass: Int
    /// Decisions that need a ministry reviewer's sign-off first.
    public var coReview: Set<LadderEvent>

    public init(
        failuresBeforeDrop: Int = 2, yearsNationalBeforeWorldClass: Int = 3,
        coReview: Set<LadderEvent> = [.designate, .exit, .promote]
    ) {
        self.failuresBeforeDrop = failuresBeforeDrop
        self.yearsNationalBeforeWorldClass = yearsNationalBeforeWorldClass
        self.coReview = coReview
    }

    public static let assumed = LadderRules()
}

/// One row of the transition table.
public struct LadderTransition: Sendable {
    /// The states it starts from; empty for `register`, which starts from nothing.
    public let from: Set<LadderState>
    public let event: LadderEvent
    public let roles: Set<Role>
    public let evidence: Set<LadderEvidence>
}

/// A cluster's place on the ladder, with what the transitions need to remember.
public struct LadderStatus: Hashable, Sendable {
    public let state: LadderState
    public let since: Day
    /// Where it stood before entering the current competition round (an elimination returns there).
    public let beforeEntry: LadderState?
    /// Failed provincial assessments so far.
    public let failures: Int
    /// When it became national, for the world-class precondition.
    public let nationalSince: Day?
    /// The designation notice, for national clusters.
    public let documentNumber: String?

    public init(
        state: LadderState, since: Day, beforeEntry: LadderState? = nil, failures: Int = 0, nationalSince: Day? = nil,
        documentNumber: String? = nil
    ) {
        self.state = state
        self.since = since
        self.beforeEntry = beforeEntry
        self.failures = failures
        self.nationalSince = nationalSince
        self.documentNumber = documentNumber
    }
}

/// Why a transition was refused.
public enum LadderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The event does not apply to the state (nil: the cluster is not on the ladder yet).
    case invalidTransition(from: LadderState?, event: LadderEvent)
    case roleNotAllowed(role: Role?, event: LadderEvent, allowed: [Role])
    case missingEvidence(event: LadderEvent, missing: [LadderEvidence])
    case precondition(event: LadderEvent, reason: Message)
    /// A transition dated before the current state began.
    case backdated(day: Day, since: Day)

    public var description: String { message.english }

    /// The refusal as a catalogue message, naming states, events, roles and evidence by their names.
    public var message: Message {
        switch self {
        case .invalidTransition(let from, let event):
            return Message(
                "ladder.invalid_transition",
                worded: ["event": event.message, "state": from?.message ?? Message("ladder_state.none")])
        case .roleNotAllowed(let role, let event, let allowed):
            return Message(
                "ladder.role_not_allowed",
                worded: [
                    "role": role?.message ?? Message("role.public"), "event": event.message,
                    "allowed": .list(allowed.map(\.message)),
                ])
        case .missingEvidence(let event, let missing):
            return Message(
                "ladder.missing_evidence", worded: ["event": event.message, "missing": .list(missing.map(\.message))])
        case .precondition(let event, let reason):
            return Message("ladder.precondition", worded: ["event": event.message, "reason": reason])
        case .backdated(let day, let since):
            return Message("ladder.backdated", ["day": day.description, "since": since.description])
        }
    }
}

/// The lifecycle as a pure state machine: the table of transitions, with the role that may trigger
/// each, its evidence and its preconditions.
public struct LadderMachine: Sendable {
    public let rules: LadderRules

    public init(rules: LadderRules = .assumed) { self.rules = rules }

    static let provincialRoles: Set<Role> = [.provincial, .admin]
    static let ministry: Set<Role> = [.admin]

    /// The table (cluster-domain.md §4). Co-review evidence is added per `rules.coReview`.
    public static let table: [LadderTransition] = [
        LadderTransition(
            from: [], event: .register, roles: [.city, .provincial, .admin],
            evidence: [.clusterProfile, .promotionBody]),
        LadderTransition(
            from: [.localCandidate], event: .admitToCultivation, roles: provincialRoles, evidence: [.dossier]),
        LadderTransition(
            from: [.provincialCultivating], event: .passAssessment, roles: provincialRoles, evidence: [.assessment]),
        LadderTransition(
            from: [.provincialCultivating], event: .failAssessment, roles: provincialRoles, evidence: [.assessment]),
        LadderTransition(
            from: [.provincialCultivating, .provincialDesignated], event: .recommend, roles: provincialRoles,
            evidence: [.recommendation, .dossier]),
        LadderTransition(from: [.nationalEntrant], event: .qualify, roles: ministry, evidence: [.scores]),
        LadderTransition(from: [.roundQualified], event: .win, roles: ministry, evidence: [.scores, .ranking]),
        LadderTransition(
            from: [.nationalEntrant, .roundQualified], event: .eliminate, roles: ministry, evidence: [.scores]),
        LadderTransition(
            from: [.winner], event: .designate, roles: ministry,
            evidence: [.noticeClosed, .objectionsResolved, .documentNumber]),
        LadderTransition(from: [.national], event: .warn, roles: ministry, evidence: [.rating]),
        LadderTransition(from: [.warned], event: .clearWarning, roles: ministry, evidence: [.rating]),
        LadderTransition(from: [.national, .warned], event: .exit, roles: ministry, evidence: [.rating]),
        LadderTransition(from: [.national], event: .promote, roles: ministry, evidence: [.rating, .benchmark]),
    ]

    public func transition(for event: LadderEvent) -> LadderTransition {
        guard let row = Self.table.first(where: { $0.event == event }) else {
            preconditionFailure("no row for \(event)")
        }
        return row
    }

    /// The evidence `event` needs under these rules.
    public func evidence(for event: LadderEvent) -> Set<LadderEvidence> {
        transition(for: event).evidence.union(rules.coReview.contains(event) ? [.coReview] : [])
    }

    /// The events that could apply to a cluster in `state`, whoever triggers them.
    public func events(from state: LadderState?) -> [LadderEvent] {
        Self.table.filter { row in state.map { row.from.contains($0) } ?? row.from.isEmpty }.map(\.event)
    }

    /// Applies `event` on `day`, or says why not: the transition, then the role, then the evidence,
    /// then the date and the preconditions.
    public func apply(
        _ event: LadderEvent, to current: LadderStatus?, by role: Role?, evidence: Set<LadderEvidence>,
        on day: Day, documentNumber: String? = nil
    ) -> Result<LadderStatus, LadderError> {
        let row = transition(for: event)
        let applies = current.map { row.from.contains($0.state) } ?? row.from.isEmpty
        guard applies else { return .failure(.invalidTransition(from: current?.state, event: event)) }
        guard let role, row.roles.contains(role) else {
            return .failure(
                .roleNotAllowed(role: role, event: event, allowed: Role.allCases.filter(row.roles.contains)))
        }
        let missing = self.evidence(for: event).subtracting(evidence).sorted()
        guard missing.isEmpty else { return .failure(.missingEvidence(event: event, missing: missing)) }
        if let current, day < current.since { return .failure(.backdated(day: day, since: current.since)) }
        return next(after: event, from: current, on: day, documentNumber: documentNumber)
    }

    /// World-class status, once the cluster has been national for the configured number of years.
    func promotion(from current: LadderStatus?, on day: Day) -> Result<LadderStatus, LadderError> {
        let years = rules.yearsNationalBeforeWorldClass
        guard let since = current?.nationalSince, let threshold = since.adding(years: years), threshold <= day else {
            return .failure(
                .precondition(event: .promote, reason: Message("ladder.years_national", ["years": "\(years)"])))
        }
        return .success(
            LadderStatus(state: .worldClass, since: day, nationalSince: since, documentNumber: current?.documentNumber))
    }

    /// The status `event` leads to from `current` on `day`, once the transition, the role and the
    /// evidence are allowed; the designation and a promotion check their own preconditions.
    func next(after event: LadderEvent, from current: LadderStatus?, on day: Day, documentNumber: String?) -> Result<
        LadderStatus, LadderError
    > {
        // Warnings, their clearing and an exit keep the designation's day and document.
        func designated(_ state: LadderState) -> LadderStatus {
            LadderStatus(
                state: state, since: day, nationalSince: current?.nationalSince, documentNumber: current?.documentNumber
            )
        }
        switch event {
        case .register:
            return .success(LadderStatus(state: .localCandidate, since: day))
        case .admitToCultivation:
            return .success(LadderStatus(state: .provincialCultivating, since: day))
        case .passAssessment:
            return .success(LadderStatus(state: .provincialDesignated, since: day))
        case .failAssessment:
            let failures = (current?.failures ?? 0) + 1
            let state: LadderState = failures >= rules.failuresBeforeDrop ? .dropped : .provincialCultivating
            return .success(
                LadderStatus(state: state, since: state == .dropped ? day : current?.since ?? day, failures: failures))
        case .recommend:
            return .success(
                LadderStatus(
                    state: .nationalEntrant, since: day, beforeEntry: current?.state, failures: current?.failures ?? 0))
        case .qualify:
            return .success(
                LadderStatus(
                    state: .roundQualified, since: day, beforeEntry: current?.beforeEntry,
                    failures: current?.failures ?? 0))
        case .win:
            return .success(LadderStatus(state: .winner, since: day, beforeEntry: current?.beforeEntry))
        case .eliminate:
            // Non-winners keep their earlier status and may enter again [A].
            return .success(
                LadderStatus(
                    state: current?.beforeEntry ?? .provincialDesignated, since: day, failures: current?.failures ?? 0))
        case .designate:
            guard let number = documentNumber?.trimmingCharacters(in: .whitespaces), !number.isEmpty,
                number.count <= 100
            else {
                return .failure(
                    .precondition(event: event, reason: Message("ladder.document_number_required")))
            }
            return .success(LadderStatus(state: .national, since: day, nationalSince: day, documentNumber: number))
        case .warn:
            return .success(designated(.warned))
        case .clearWarning:
            return .success(designated(.national))
        case .exit:
            return .success(designated(.exited))
        case .promote:
            return promotion(from: current, on: day)
        }
    }
}

extension Day {
    /// The same day `years` later (28 February for 29 February in a common year).
    public func adding(years: Int) -> Day? {
        let y = year + years
        return Day(year: y, month: month, day: min(day, Day.daysIn(month: month, year: y)), precision: precision)
    }
}

extension LadderStatus {
    /// The place of a cluster that no transition has moved yet, read from its tier history as of `day`
    /// (the clusters that came with the registry).
    public static func fromHistory(of cluster: Cluster, asOf day: Day) -> LadderStatus? {
        guard let event = cluster.state(asOf: day) else { return nil }
        let national = cluster.designatedOn
        guard let tier = event.tier else {
            return event.status == .winner ? LadderStatus(state: .winner, since: event.date) : nil
        }
        let state: LadderState
        switch (tier, event.status) {
        case (.provincial, .exited): state = .dropped
        case (.provincial, _): state = .provincialDesignated
        case (.national, .winner): state = .winner
        case (.national, .active): state = .national
        case (.national, .warned): state = .warned
        case (.national, .exited): state = .exited
        case (.worldClass, _): state = .worldClass
        }
        return LadderStatus(
            state: state, since: event.date, nationalSince: national, documentNumber: cluster.designationDocument)
    }
}

extension LadderState {
    public var message: Message { Message("ladder_state." + rawValue) }
}

extension LadderEvent {
    public var message: Message { Message("ladder_event." + rawValue) }
}

extension LadderEvidence {
    public var message: Message { Message("evidence." + rawValue) }
}

extension Role {
    public var message: Message { Message("role." + rawValue) }
}
