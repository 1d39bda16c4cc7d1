import ClusterDomain
import Fluent
import Plot
import Vapor

/// `/clusters/{id}/decide` and `/clusters/{id}/sign-off`: an admin's ladder decision with the evidence the round's records show, and a ministry reviewer's sign-off (both through LadderService).
extension WorkController {
    // MARK: ladder decisions

    func decidePage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let caller = try FormSubmission.caller(req)
        let cluster = try await LadderService(context: req.services()).cluster(req.parameters.get("id") ?? "")
        let ladder = try await LadderService(context: req.services()).show(cluster)
        let round = try await RoundEvidence.latestRound(of: cluster.id, db: req.db)
        var derived = Set<LadderEvidence>()
        if let round {
            derived = try await RoundEvidence.derived(
                cluster: cluster.id, round: round, db: req.db, rules: req.application.rules)
        }
        let allowed = ladder.next.filter { n in
            n.roles.contains { r in caller.grants.contains { $0.role.rawValue == r } }
        }
        var chosen = values
        if chosen["event"] == nil, let state = ladder.state.flatMap(LadderState.init(rawValue:)), let round,
            let due = RoundEvidence.due(state: state, round: round, today: req.application.today())
        {
            chosen["event"] = due.rawValue
        }
        return WorkPages.decide(
            try Self.context(req), cluster: cluster, ladder: ladder, events: allowed, round: round, derived: derived,
            today: req.application.today(), csrf: CSRF.token(for: req), values: chosen, errors: errors)
    }

    func decideForm(req: Request) async throws -> Response {
        _ = try FormSubmission.caller(req)
        return PageResponse.html(try await decidePage(req, values: [:], errors: [:]).render())
    }

    func decide(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await decidePage(req, values: $0, errors: $1) }) {
            caller, f in
            let cluster = try await LadderService(context: req.services()).cluster(req.parameters.get("id") ?? "")
            let round = try await RoundEvidence.latestRound(of: cluster.id, db: req.db)
            // What the round's records show, plus what the decider attests that the system does not hold.
            var evidence = Set<LadderEvidence>()
            if let round {
                evidence = try await RoundEvidence.derived(
                    cluster: cluster.id, round: round, db: req.db, rules: req.application.rules)
            }
            for e in LadderEvidence.allCases
            where !RoundEvidence.derivable.contains(e) && !RoundEvidence.checkedByLadder.contains(e)
                && f["attest_" + e.rawValue] == "yes"
            {
                evidence.insert(e)
            }
            let number = f["document_number"]?.nilIfBlank
            if number != nil { evidence.insert(.documentNumber) }
            let event = f["event"] ?? ""
            _ = try await LadderService(context: req.services(caller: caller)).apply(
                .init(
                    round: event == LadderEvent.designate.rawValue ? round?.id : nil, event: event,
                    on: f["on"]?.nilIfBlank, evidence: evidence.sorted().map(\.rawValue), documentNumber: number),
                cluster: cluster)
            return WebRoute.decide(cluster: cluster.id).path
        }
    }

    func signOffPage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let cluster = try await LadderService(context: req.services()).cluster(req.parameters.get("id") ?? "")
        let ladder = try await LadderService(context: req.services()).show(cluster)
        return WorkPages.signOff(
            try Self.context(req), cluster: cluster, ladder: ladder,
            events: req.application.ladder.rules.coReview.map(\.rawValue).sorted(), csrf: CSRF.token(for: req),
            values: values, errors: errors)
    }

    func signOffForm(req: Request) async throws -> Response {
        let caller = try FormSubmission.caller(req)
        guard caller.grants.contains(where: { $0.role == .ministryReviewer }) else {
            throw AuthError.forbidden(Message("access.sign_off_reviewer"))
        }
        return PageResponse.html(try await signOffPage(req, values: [:], errors: [:]).render())
    }

    func signOff(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await signOffPage(req, values: $0, errors: $1) }) {
            caller, f in
            let cluster = try await LadderService(context: req.services()).cluster(req.parameters.get("id") ?? "")
            _ = try await LadderService(context: req.services(caller: caller)).signOff(
                .init(event: f["event"], comment: f["comment"]), cluster: cluster)
            return WebRoute.work.path
        }
    }
}
