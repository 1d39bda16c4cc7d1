import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// The ladder through the API: a cluster's place and what can happen next, applying a transition
/// (the caller's role and scope, the evidence, the preconditions — `LadderMachine`), and a ministry
/// reviewer's sign-off where co-review is configured. Each applied transition is audited; one that
/// changes tier or status is added to the cluster's tier history and so to the statistics.
struct LadderController: Sendable {
    func register(on app: Application) {
        app.get(APIRoute.ladder(":id").components, use: show)
        app.post(APIRoute.ladder(":id").components, use: apply)
        app.post(APIRoute.ladderSignOffs(":id").components, use: signOff)
    }

    struct EventDTO: Content {
        let event: String
        let from: String?
        let to: String
        let on: String
        let role: String
        let evidence: [String]
        let documentNumber: String?
    }

    struct NextDTO: Content {
        let event: String
        let roles: [String]
        let evidence: [String]
        let signedOff: Bool?
    }

    struct LadderDTO: Content {
        let clusterId: String
        let state: String?
        let since: String?
        let failures: Int
        let nationalSince: String?
        let history: [EventDTO]
        let next: [NextDTO]
    }

    static func cluster(_ req: Request, id: String? = nil) async throws -> Cluster {
        let id = id ?? req.parameters.get("id") ?? ""
        guard let cluster = try await req.store.registry().clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
        }
        return cluster
    }

    static func openSignOff(_ cluster: String, _ event: LadderEvent, on db: any Database) async throws
        -> LadderSignOffModel?
    {
        try await LadderSignOffModel.query(on: db).filter(\.$clusterID == cluster).filter(\.$event == event.rawValue)
            .filter(\.$used == false).first()
    }

    func show(req: Request) async throws -> LadderDTO {
        _ = try Request.parseQuery(req.url.query, allowed: [])
        return try await Self.show(try await Self.cluster(req), req: req)
    }

    static func show(_ cluster: Cluster, req: Request) async throws -> LadderDTO {
        let status = try await LadderStore.status(of: cluster, today: req.application.today(), on: req.db)
        let rows = try await LadderEventModel.query(on: req.db).filter(\.$clusterID == cluster.id).sort(\.$id).all()
        var next: [NextDTO] = []
        for event in req.application.ladder.events(from: status?.state) {
            let row = req.application.ladder.transition(for: event)
            let needsCoReview = req.application.ladder.rules.coReview.contains(event)
            next.append(
                NextDTO(
                    event: event.rawValue, roles: Role.allCases.filter(row.roles.contains).map(\.rawValue),
                    evidence: req.application.ladder.evidence(for: event).sorted().map(\.rawValue),
                    signedOff: needsCoReview ? try await Self.openSignOff(cluster.id, event, on: req.db) != nil : nil))
        }
        return LadderDTO(
            clusterId: cluster.id, state: status?.state.rawValue, since: status?.since.description,
            failures: status?.failures ?? 0,
            nationalSince: status?.nationalSince?.description,
            history: rows.map {
                EventDTO(
                    event: $0.event, from: $0.fromState, to: $0.toState, on: $0.day, role: $0.role,
                    evidence: $0.evidence, documentNumber: $0.documentNumber)
            },
            next: next)
    }

    struct TransitionInput: Content {
        /// For `designate`: the round whose notice and objections the designation rests on.
        var round: String?
        var event: String?
        var on: String?
        var evidence: [String]?
        var documentNumber: String?
    }

    /// `POST /api/v1/clusters/{id}/ladder`.
    func apply(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(TransitionInput.self)
        return try await Self.apply(input, cluster: try await Self.cluster(req), caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// Applies a transition through the machine; refusals are audited.
    static func apply(_ input: TransitionInput, cluster: Cluster, caller: Caller, req: Request) async throws
        -> LadderDTO
    {
        var errors: [String: String] = [:]
        let event = input.event.flatMap(LadderEvent.init(rawValue:))
        if event == nil { errors["event"] = "one of " + LadderEvent.allCases.map(\.rawValue).joined(separator: ", ") }
        let day =
            input.on?.nilIfBlank.flatMap { Day($0) } ?? (input.on?.nilIfBlank == nil ? req.application.today() : nil)
        if day == nil || day?.precision != .day { errors["on"] = "a date: YYYY-MM-DD" }
        if let d = day, d > req.application.today() { errors["on"] = "not in the future" }
        var evidence = Set<LadderEvidence>()
        for code in input.evidence ?? [] {
            guard let e = LadderEvidence(rawValue: code) else {
                errors["evidence"] =
                    "unknown evidence '\(code.prefix(40))'; allowed: "
                    + LadderEvidence.allCases.filter { $0 != .coReview }.map(\.rawValue).joined(separator: ", ")
                continue
            }
            if e == .coReview {
                errors["evidence"] = "co_review comes from a ministry reviewer's sign-off, not from the request"
            }
            evidence.insert(e)
        }
        guard errors.isEmpty, let event, let day else { throw FieldErrors(errors) }
        // A designation's notice and objections are checked from the round, not taken from the request.
        let current = try await LadderStore.status(of: cluster, today: req.application.today(), on: req.db)
        var designationRound: CompetitionRound?
        if event == .designate, current?.state == .winner {
            if evidence.contains(.noticeClosed) || evidence.contains(.objectionsResolved) {
                throw FieldErrors([
                    "evidence": "notice_closed and objections_resolved are checked from the round, not sent"
                ])
            }
            guard let roundID = input.round, let round = try await RoundModel.find(roundID, on: req.db)?.round() else {
                throw FieldErrors(["round": "the round whose public notice the designation follows"])
            }
            let problems = try await NoticeController.designationEvidence(
                round: round, cluster: cluster.id, day: day, on: req.db)
            if problems.isEmpty {
                evidence.formUnion([.noticeClosed, .objectionsResolved])
            } else if let roundProblem = problems["round"] {
                throw FieldErrors(["round": roundProblem])
            }
            designationRound = round
        }
        let signOff = try await Self.openSignOff(cluster.id, event, on: req.db)
        if signOff != nil { evidence.insert(.coReview) }
        let transition = req.application.ladder.transition(for: event)
        // The grant that may trigger the event on this cluster: its role is in the table and, for the
        // territorial roles, the cluster is in its scope.
        let grant = caller.grants.first { g in
            transition.roles.contains(g.role)
                && (g.role == .admin || AccessRules.allows(g, .edit, on: ClusterScope(cluster)))
        }
        let result = req.application.ladder.apply(
            event, to: current, by: grant?.role ?? caller.grants.first?.role, evidence: evidence, on: day,
            documentNumber: input.documentNumber)
        func refuse(_ detail: String?) async throws {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: grant?.description, action: "ladder_" + event.rawValue,
                outcome: .refused, entity: "cluster", entityID: cluster.id, after: detail, scope: ClusterScope(cluster))
        }
        let next: LadderStatus
        switch result {
        case .failure(let error):
            try await refuse(error.description)
            switch error {
            case .invalidTransition: throw APIError(.conflict, error.description, parameter: "event")
            case .roleNotAllowed: throw AuthError.forbidden(error.description)
            case .missingEvidence: throw FieldErrors(["evidence": error.description])
            case .precondition(let e, _):
                throw FieldErrors([e == .designate ? "document_number" : "event": error.description])
            case .backdated: throw FieldErrors(["on": error.description])
            }
        case .success(let status):
            // The role may do this, but not on a cluster outside its scope.
            guard grant != nil else {
                try await refuse("outside the caller's scope")
                throw AuthError.forbidden("your roles do not allow \(event.rawValue) on this cluster")
            }
            next = status
        }
        guard let grant else { throw AuthError.forbidden("your roles do not allow \(event.rawValue) on this cluster") }
        let row = LadderEventModel()
        row.clusterID = cluster.id
        row.event = event.rawValue
        row.fromState = current?.state.rawValue
        row.toState = next.state.rawValue
        row.day = day.iso
        row.evidence = evidence.sorted().map(\.rawValue)
        row.documentNumber = next.documentNumber
        row.failures = next.failures
        row.beforeEntry = next.beforeEntry?.rawValue
        row.nationalSince = next.nationalSince?.iso
        row.actor = caller.userID.uuidString
        row.role = grant.role.rawValue
        row.recordedAt = req.application.clock()
        let store = req.store
        let roundToCheck = designationRound
        try await req.db.writeTransaction { tx in
            if let round = roundToCheck {
                // Again under the round's lock: an objection lodged meanwhile stops the designation.
                let problems = try await NoticeController.designationEvidence(
                    round: round, cluster: cluster.id, day: day, on: tx)
                if !problems.isEmpty { throw FieldErrors(problems) }
            }
            try await row.create(on: tx)
            if let signOff {
                signOff.used = true
                try await signOff.save(on: tx)
            }
            if let (tier, status) = next.state.tierStatus, current?.state != next.state {
                let history = ClusterEventModel()
                history.$cluster.id = cluster.id
                history.occurredOn = day.iso
                history.datePrecision = Day.Precision.day.rawValue
                history.tier = tier?.rawValue
                history.status = status.rawValue
                // The step's own document: the designation notice, or the one an exit or a warning cites.
                history.document = event == .designate ? next.documentNumber : input.documentNumber?.nilIfBlank
                history.note = "ladder: \(event.rawValue)"
                try await history.create(on: tx)
                guard let sql = tx as? any SQLDatabase else { throw Abort(.internalServerError) }
                try await sql.update("clusters")
                    .set(
                        SQLIdentifier("version"),
                        to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1"))
                    )
                    .where(SQLIdentifier("id"), .equal, SQLBind(cluster.id)).run()
                try await store.bumpVersion(on: tx)
            }
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "ladder_" + event.rawValue,
                outcome: .done, entity: "cluster", entityID: cluster.id,
                before: current.map { "\($0.state.rawValue) since \($0.since)" },
                after: "\(next.state.rawValue) on \(day)" + (signOff.map { " (co-review by \($0.department))" } ?? ""),
                scope: ClusterScope(cluster))
        }
        return try await show(cluster, req: req)
    }

    struct SignOffInput: Content {
        var event: String?
        var comment: String?
    }

    /// `POST /api/v1/clusters/{id}/ladder/sign-offs`: a ministry reviewer signs off a decision that
    /// needs co-review; the decision uses it up.
    func signOff(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(SignOffInput.self)
        return try await Self.signOff(input, cluster: try await Self.cluster(req), caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// A ministry reviewer's sign-off of a decision that needs co-review.
    static func signOff(_ input: SignOffInput, cluster: Cluster, caller: Caller, req: Request) async throws -> LadderDTO
    {
        guard let event = input.event.flatMap(LadderEvent.init(rawValue:)),
            req.application.ladder.rules.coReview.contains(event)
        else {
            throw FieldErrors([
                "event": "one of the decisions that need co-review: "
                    + req.application.ladder.rules.coReview.map(\.rawValue).sorted().joined(separator: ", ")
            ])
        }
        let comment = (input.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !comment.isEmpty, comment.count <= 2000 else {
            throw FieldErrors(["comment": "the reviewer's reasons, 1 to 2000 characters"])
        }
        guard let grant = caller.grants.first(where: { $0.role == .ministryReviewer }) else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "ladder_sign_off", outcome: .refused,
                entity: "cluster", entityID: cluster.id, scope: ClusterScope(cluster))
            throw AuthError.forbidden("only a ministry reviewer signs off")
        }
        let row = LadderSignOffModel()
        row.clusterID = cluster.id
        row.event = event.rawValue
        row.reviewer = caller.userID.uuidString
        row.department = grant.scope ?? ""
        row.comment = comment
        row.signedAt = req.application.clock()
        row.used = false
        try await req.db.writeTransaction { tx in
            try await row.create(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "ladder_sign_off",
                outcome: .done, entity: "cluster", entityID: cluster.id, after: "\(event.rawValue): \(comment)",
                scope: ClusterScope(cluster))
        }
        return try await show(cluster, req: req)
    }
}
