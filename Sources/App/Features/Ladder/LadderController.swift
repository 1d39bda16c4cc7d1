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
        app.register(.GET, APIRoute.ladder(":id"), use: show)
        app.register(.POST, APIRoute.ladder(":id"), use: apply)
        app.register(.POST, APIRoute.ladderSignOffs(":id"), use: signOff)
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
        try await LadderService(context: req.services()).cluster(id ?? req.parameters.get("id") ?? "")
    }

    func show(req: Request) async throws -> LadderDTO {
        _ = try Request.parseQuery(req.url.query, allowed: [])
        return try await Self.show(try await Self.cluster(req), req: req)
    }

    static func show(_ cluster: Cluster, req: Request) async throws -> LadderDTO {
        try await LadderService(context: req.services()).show(cluster)
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
        let caller = try req.tokenCaller()
        let input = try req.content.decode(TransitionInput.self)
        return try await Self.apply(input, cluster: try await Self.cluster(req), caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// Applies a transition through the machine (`LadderService.apply`); refusals are audited.
    static func apply(_ input: TransitionInput, cluster: Cluster, caller: Caller, req: Request) async throws
        -> LadderDTO
    {
        try await LadderService(context: req.services(caller: caller)).apply(input, cluster: cluster)
    }

    struct SignOffInput: Content {
        var event: String?
        var comment: String?
    }

    /// `POST /api/v1/clusters/{id}/ladder/sign-offs`: a ministry reviewer signs off a decision that
    /// needs co-review; the decision uses it up.
    func signOff(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(SignOffInput.self)
        return try await Self.signOff(input, cluster: try await Self.cluster(req), caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// A ministry reviewer's sign-off of a decision that needs co-review (`LadderService.signOff`).
    static func signOff(_ input: SignOffInput, cluster: Cluster, caller: Caller, req: Request) async throws -> LadderDTO
    {
        try await LadderService(context: req.services(caller: caller)).signOff(input, cluster: cluster)
    }
}
