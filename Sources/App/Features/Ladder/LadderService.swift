import ClusterDomain
import Fluent
import Foundation
import SQLKit

/// The ladder's use cases: a cluster's place and what can happen next, a transition through the
/// configured `LadderMachine` (the caller's role and scope, the evidence, the preconditions), and a
/// ministry reviewer's sign-off where co-review is configured. A transition is planned first (checks,
/// refusals audited) and then committed inside a transaction, so that another use case — an accepted
/// adjustment proposal — can commit it together with its own changes.
struct LadderService: Sendable {
    let context: ServiceContext

    /// A transition that passed every check, ready to be written.
    struct Plan: Sendable {
        let cluster: Cluster
        let event: LadderEvent
        let day: Day
        let current: LadderStatus?
        let next: LadderStatus
        let evidence: Set<LadderEvidence>
        let grant: Grant
        let signOffID: Int?
        let signOffDepartment: String?
        let designationRound: CompetitionRound?
        /// The document an exit or a warning cites, for the tier history.
        let citedDocument: String?
    }

    /// Why a transition could not be written: the cluster's ladder moved after it was planned.
    struct Moved: Error {
        let cluster: String
    }

    func cluster(_ id: String) async throws -> Cluster {
        guard let cluster = try await context.store.registry().clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
        }
        return cluster
    }

    func openSignOff(_ cluster: String, _ event: LadderEvent) async throws -> LadderSignOffModel? {
        try await LadderStore.openSignOff(cluster, event, on: context.db)
    }

    func status(of cluster: Cluster) async throws -> LadderStatus? {
        try await LadderStore.status(of: cluster, today: context.today, on: context.db)
    }

    /// The cluster's place, its applied transitions and the events that may come next.
    func show(_ cluster: Cluster) async throws -> LadderController.LadderDTO {
        let machine = context.ladder
        let status = try await status(of: cluster)
        let rows = try await LadderEventModel.query(on: context.db).filter(\.$clusterID == cluster.id).sort(\.$id)
            .all()
        var next: [LadderController.NextDTO] = []
        for event in machine.events(from: status?.state) {
            let row = machine.transition(for: event)
            let needsCoReview = machine.rules.coReview.contains(event)
            next.append(
                LadderController.NextDTO(
                    event: event.rawValue, roles: Role.allCases.filter(row.roles.contains).map(\.rawValue),
                    evidence: machine.evidence(for: event).sorted().map(\.rawValue),
                    signedOff: needsCoReview ? try await openSignOff(cluster.id, event) != nil : nil))
        }
        return LadderController.LadderDTO(
            clusterId: cluster.id, state: status?.state.rawValue, since: status?.since.description,
            failures: status?.failures ?? 0,
            nationalSince: status?.nationalSince?.description,
            history: rows.map {
                LadderController.EventDTO(
                    event: $0.event, from: $0.fromState, to: $0.toState, on: $0.day, role: $0.role,
                    evidence: $0.evidence, documentNumber: $0.documentNumber)
            },
            next: next)
    }

    /// Applies a transition: plans it and commits it in one transaction.
    func apply(_ input: LadderController.TransitionInput, cluster: Cluster) async throws -> LadderController.LadderDTO {
        let plan = try await self.plan(input, cluster: cluster)
        try await context.db.writeTransaction { tx in try await commit(plan, on: tx) }
        return try await show(cluster)
    }

    /// Checks a transition — fields, the round behind a designation, the machine, the caller's role and
    /// scope — and says what it would write. Refusals are audited; nothing else is written.
    func plan(_ input: LadderController.TransitionInput, cluster: Cluster) async throws -> Plan {
        let (event, day, sent) = try Self.fields(input, today: context.today)
        var evidence = sent
        let current = try await status(of: cluster)
        var designationRound: CompetitionRound?
        if event == .designate, current?.state == .winner {
            designationRound = try await designationEvidence(input, cluster: cluster, day: day, into: &evidence)
        }
        let signOff = try await openSignOff(cluster.id, event)
        if signOff != nil { evidence.insert(.coReview) }
        let machine = context.ladder
        let transition = machine.transition(for: event)
        let caller = context.caller
        // The grant that may trigger the event on this cluster: its role is in the table and, for the
        // territorial roles, the cluster is in its scope.
        let grant = caller?.grants.first { g in
            transition.roles.contains(g.role)
                && (g.role == .admin || AccessRules.allows(g, .edit, on: ClusterScope(cluster)))
        }
        let result = machine.apply(
            event, to: current, by: grant?.role ?? caller?.grants.first?.role, evidence: evidence, on: day,
            documentNumber: input.documentNumber)
        switch result {
        case .failure(let error):
            try await refuse(event, cluster, grant: grant, detail: error.description)
            switch error {
            case .invalidTransition: throw APIError(.conflict, error.message, parameter: "event")
            case .roleNotAllowed: throw AuthError.forbidden(error.message)
            case .missingEvidence: throw FieldErrors(["evidence": error.message])
            case .precondition(let e, _):
                throw FieldErrors([e == .designate ? "document_number" : "event": error.message])
            case .backdated: throw FieldErrors(["on": error.message])
            }
        case .success(let next):
            // The role may do this, but not on a cluster outside its scope.
            guard let grant else {
                try await refuse(event, cluster, grant: nil, detail: "outside the caller's scope")
                throw AuthError.forbidden(Message("access.ladder_event", worded: ["event": event.message]))
            }
            return Plan(
                cluster: cluster, event: event, day: day, current: current, next: next, evidence: evidence,
                grant: grant, signOffID: signOff?.id, signOffDepartment: signOff?.department,
                designationRound: designationRound, citedDocument: input.documentNumber?.nilIfBlank)
        }
    }

    /// The request's event, day and evidence, each bad field named.
    static func fields(_ input: LadderController.TransitionInput, today: Day) throws -> (
        LadderEvent, Day, Set<LadderEvidence>
    ) {
        var errors: [String: Message] = [:]
        let event = input.event.flatMap(LadderEvent.init(rawValue:))
        if event == nil {
            errors["event"] = Message(
                "ladder.event", ["codes": LadderEvent.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        let day = input.on?.nilIfBlank.flatMap { Day(typed: $0) } ?? (input.on?.nilIfBlank == nil ? today : nil)
        if day == nil || day?.precision != .day { errors["on"] = .date }
        if let d = day, d > today { errors["on"] = Message("field.not_future") }
        var evidence = Set<LadderEvidence>()
        for code in input.evidence ?? [] {
            guard let e = LadderEvidence(rawValue: code) else {
                errors["evidence"] = Message(
                    "ladder.unknown_evidence",
                    [
                        "value": String(code.prefix(40)),
                        "codes": LadderEvidence.allCases.filter { $0 != .coReview }.map(\.rawValue).joined(
                            separator: ", "),
                    ])
                continue
            }
            if e == .coReview {
                errors["evidence"] = Message("ladder.co_review_not_sent")
            }
            evidence.insert(e)
        }
        guard errors.isEmpty, let event, let day else { throw FieldErrors(errors) }
        return (event, day, evidence)
    }

    /// A designation's notice and objections are checked from the round, not taken from the request.
    private func designationEvidence(
        _ input: LadderController.TransitionInput, cluster: Cluster, day: Day, into evidence: inout Set<LadderEvidence>
    ) async throws -> CompetitionRound {
        if evidence.contains(.noticeClosed) || evidence.contains(.objectionsResolved) {
            throw FieldErrors(["evidence": Message("ladder.notice_not_sent")])
        }
        guard let roundID = input.round, let round = try await RoundModel.find(roundID, on: context.db)?.round() else {
            throw FieldErrors(["round": Message("ladder.designation_round")])
        }
        let problems = try await NoticeService.designationEvidence(
            round: round, cluster: cluster.id, day: day, on: context.db)
        if problems.isEmpty {
            evidence.formUnion([.noticeClosed, .objectionsResolved])
        } else if let roundProblem = problems["round"] {
            throw FieldErrors(["round": roundProblem])
        }
        return round
    }

    private func refuse(_ event: LadderEvent, _ cluster: Cluster, grant: Grant?, detail: String?) async throws {
        try await AuditLog.record(
            on: context.db, origin: context.origin, caller: context.caller, grant: grant?.description,
            action: "ladder_" + event.rawValue, outcome: .refused, entity: "cluster", entityID: cluster.id,
            after: detail, scope: ClusterScope(cluster))
    }

    /// Writes a planned transition on `tx`: the ladder event, the sign-off used up, the tier history and
    /// the registry version when tier or status change, and the audit entry. The cluster's ladder must
    /// still be where it was when the transition was planned.
    func commit(_ plan: Plan, on tx: any Database) async throws {
        let cluster = plan.cluster
        let now = try await LadderStore.status(of: cluster, today: context.today, on: tx)
        guard now == plan.current else { throw Moved(cluster: cluster.id) }
        if let round = plan.designationRound {
            // Again under the round's lock: an objection lodged meanwhile stops the designation.
            let problems = try await NoticeService.designationEvidence(
                round: round, cluster: cluster.id, day: plan.day, on: tx)
            if !problems.isEmpty { throw FieldErrors(problems) }
        }
        try await eventRow(plan).create(on: tx)
        if let id = plan.signOffID, let signOff = try await LadderSignOffModel.find(id, on: tx) {
            guard !signOff.used else { throw Moved(cluster: cluster.id) }
            signOff.used = true
            try await signOff.save(on: tx)
        }
        if let (tier, status) = plan.next.state.tierStatus, plan.current?.state != plan.next.state {
            let history = ClusterEventModel()
            history.$cluster.id = cluster.id
            history.occurredOn = plan.day.iso
            history.datePrecision = Day.Precision.day.rawValue
            history.tier = tier?.rawValue
            history.status = status.rawValue
            // The step's own document: the designation notice, or the one an exit or a warning cites.
            history.document = plan.event == .designate ? plan.next.documentNumber : plan.citedDocument
            history.note = "ladder: \(plan.event.rawValue)"
            try await history.create(on: tx)
            try await tx.sql().update("clusters")
                .set(
                    SQLIdentifier("version"),
                    to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1"))
                )
                .where(SQLIdentifier("id"), .equal, SQLBind(cluster.id)).run()
            try await context.on(tx).store.bumpVersion(on: tx)
        }
        try await AuditLog.record(
            on: tx, origin: context.origin, caller: context.caller, grant: plan.grant.description,
            action: "ladder_" + plan.event.rawValue, outcome: .done, entity: "cluster", entityID: cluster.id,
            before: plan.current.map { "\($0.state.rawValue) since \($0.since)" },
            after: "\(plan.next.state.rawValue) on \(plan.day)"
                + (plan.signOffDepartment.map { " (co-review by \($0))" } ?? ""),
            scope: ClusterScope(cluster))
    }

    /// A ministry reviewer's sign-off of a decision that needs co-review; the decision uses it up.
    func signOff(_ input: LadderController.SignOffInput, cluster: Cluster) async throws -> LadderController.LadderDTO {
        let coReview = context.ladder.rules.coReview
        guard let event = input.event.flatMap(LadderEvent.init(rawValue:)), coReview.contains(event) else {
            throw FieldErrors([
                "event": Message(
                    "ladder.co_review_event", ["codes": coReview.map(\.rawValue).sorted().joined(separator: ", ")],
                    worded: ["events": .list(coReview.sorted { $0.rawValue < $1.rawValue }.map(\.message))])
            ])
        }
        let comment = (input.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !comment.isEmpty, comment.count <= 2000 else {
            throw FieldErrors(["comment": Message("ladder.reviewer_reasons")])
        }
        guard let caller = context.caller, let grant = caller.grants.first(where: { $0.role == .ministryReviewer })
        else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: context.caller, grant: nil, action: "ladder_sign_off",
                outcome: .refused, entity: "cluster", entityID: cluster.id, scope: ClusterScope(cluster))
            throw AuthError.forbidden(Message("access.sign_off_reviewer"))
        }
        let row = LadderSignOffModel()
        row.clusterID = cluster.id
        row.event = event.rawValue
        row.reviewer = caller.userID.uuidString
        row.department = grant.scope ?? ""
        row.comment = comment
        row.signedAt = context.now
        row.used = false
        let context = context
        try await context.db.writeTransaction { tx in
            try await row.create(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "ladder_sign_off",
                outcome: .done, entity: "cluster", entityID: cluster.id, after: "\(event.rawValue): \(comment)",
                scope: ClusterScope(cluster))
        }
        return try await show(cluster)
    }

    private func eventRow(_ plan: Plan) -> LadderEventModel {
        let row = LadderEventModel()
        row.clusterID = plan.cluster.id
        row.event = plan.event.rawValue
        row.fromState = plan.current?.state.rawValue
        row.toState = plan.next.state.rawValue
        row.day = plan.day.iso
        row.evidence = plan.evidence.sorted().map(\.rawValue)
        row.documentNumber = plan.next.documentNumber
        row.failures = plan.next.failures
        row.beforeEntry = plan.next.beforeEntry?.rawValue
        row.nationalSince = plan.next.nationalSince?.iso
        row.actor = context.caller?.userID.uuidString
        row.role = plan.grant.role.rawValue
        row.recordedAt = context.now
        return row
    }
}
