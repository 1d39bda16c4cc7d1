import Foundation

/// Where a yearly monitoring return stands: draft → submitted → province reviewed → accepted, or
/// returned with comments (then corrected as a draft and submitted again).
public enum ReturnState: String, CaseIterable, Codable, Sendable {
    case draft
    case submitted
    case provinceReviewed = "province_reviewed"
    case accepted
    case returned

    public var zh: String {
        switch self {
        case .draft: "草稿"
        case .submitted: "已报送"
        case .provinceReviewed: "省级已审核"
        case .accepted: "已采纳"
        case .returned: "已退回"
        }
    }

    public var en: String {
        switch self {
        case .draft: "draft"
        case .submitted: "submitted"
        case .provinceReviewed: "reviewed by the province"
        case .accepted: "accepted"
        case .returned: "returned"
        }
    }
}

/// What can be done to a return, by whom.
public enum ReturnAction: String, CaseIterable, Codable, Sendable {
    /// Save the values (a new draft, a draft, or a returned return being corrected).
    case save
    case submit
    /// The provincial authority has checked the return and passes it on.
    case provinceReview = "province_review"
    case accept
    /// Sent back with comments: by the province while it is submitted, by an admin before acceptance.
    case `return`
}

/// Who is acting on a return, as the workflow sees them.
public enum ReturnActor: String, Sendable {
    /// The cluster's promotion body, or the city that leads it.
    case filer
    /// The provincial authority of one of the cluster's member provinces.
    case province
    case admin
}

public enum ReturnWorkflowError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAllowed(ReturnAction, ReturnState?)
    case actorNotAllowed(ReturnAction, ReturnActor)
    case fields(FieldErrors)

    public var description: String {
        switch self {
        case .notAllowed(let a, let s):
            "\(a.rawValue) is not possible when the return is \(s?.rawValue ?? "not yet started")"
        case .actorNotAllowed(let a, let who): "\(a.rawValue) is not for the \(who.rawValue)"
        case .fields(let f): f.description
        }
    }
}

/// The return workflow as a pure function: the transition table, the checks each step makes.
public enum ReturnWorkflow {
    /// Each action: the states it starts from (nil = no return yet), the actors that may take it, the state it leads to.
    public static let table: [ReturnAction: (from: Set<ReturnState?>, actors: Set<ReturnActor>, to: ReturnState?)] = [
        .save: ([nil, .draft, .returned], [.filer, .admin], nil),
        .submit: ([nil, .draft, .returned], [.filer, .admin], .submitted),
        .provinceReview: ([.submitted], [.province, .admin], .provinceReviewed),
        .accept: ([.provinceReviewed], [.admin], .accepted),
        .return: ([.submitted, .provinceReviewed], [.province, .admin], .returned),
    ]

    /// The state after `action`, or why it is refused. `save` keeps a returned return returned until
    /// it is submitted again, so the reviewer's comments stay visible while it is corrected; a new
    /// return starts as a draft.
    ///
    /// - Parameters:
    ///   - check: the outcome of `ReturnCheck` on the values being saved or submitted.
    ///   - missing: indicators of the set without a value (a submission needs them all).
    ///   - comment: the filer's explanation (submit: needed when a value jumped) or the reviewer's
    ///     comment (return: needed).
    public static func apply(
        _ action: ReturnAction, to state: ReturnState?, by actor: ReturnActor, check: ReturnCheck.Outcome,
        missing: [String], comment: String
    ) -> Result<ReturnState, ReturnWorkflowError> {
        guard let row = table[action] else { return .failure(.notAllowed(action, state)) }
        guard row.actors.contains(actor) else { return .failure(.actorNotAllowed(action, actor)) }
        guard row.from.contains(state) else { return .failure(.notAllowed(action, state)) }
        let explained = !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch action {
        case .save:
            if !check.errors.isEmpty { return .failure(.fields(check.fieldErrors)) }
            return .success(state ?? .draft)
        case .submit:
            var errors = check.errors
            for code in missing where errors[code] == nil {
                errors[code] = Message("return.needed_to_submit")
            }
            if !check.warnings.isEmpty, !explained {
                errors["comment"] = Message(
                    "return.explain_flagged", ["codes": check.warnings.keys.sorted().joined(separator: ", ")])
            }
            return errors.isEmpty ? .success(.submitted) : .failure(.fields(FieldErrors(errors)))
        case .return:
            return explained
                ? .success(.returned)
                : .failure(.fields(FieldErrors(["comment": Message("return.say_what_to_correct")])))
        case .provinceReview, .accept:
            return .success(row.to ?? .draft)
        }
    }

}

/// The year's list of returns as a work list: filtered by province, state (nil state = not
/// started) and lateness; counted per state before the state filter; the caller's own first.
public struct ReturnWorkList<Item> {
    public struct Filter: Equatable, Sendable {
        public var province: String?
        /// A state's raw value, or `not_started`.
        public var state: String?
        public var lateOnly = false
        public init(province: String? = nil, state: String? = nil, lateOnly: Bool = false) {
            self.province = province
            self.state = state
            self.lateOnly = lateOnly
        }
    }

    /// The items shown, own first (then in the order given).
    public let items: [Item]
    /// How many items of each state (raw value, or `not_started`) the other filters leave.
    public let counts: [String: Int]

    public init(
        _ all: [Item], filter: Filter, provinces: (Item) -> [String], state: (Item) -> ReturnState?,
        late: (Item) -> Bool, own: (Item) -> Bool
    ) {
        func key(_ item: Item) -> String { state(item)?.rawValue ?? "not_started" }
        let narrowed = all.filter { item in
            (filter.province.map { provinces(item).contains($0) } ?? true) && (!filter.lateOnly || late(item))
        }
        var counts: [String: Int] = [:]
        for item in narrowed { counts[key(item), default: 0] += 1 }
        let shown = narrowed.filter { item in filter.state.map { key(item) == $0 } ?? true }
        self.items = shown.filter(own) + shown.filter { !own($0) }
        self.counts = counts
    }
}
