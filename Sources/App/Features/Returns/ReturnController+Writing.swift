import ClusterDomain
import Fluent
import Vapor

/// Saving a return and moving it through the workflow (the API and the return page call `step`).
extension ReturnController {
    // MARK: writing

    struct SaveInput: Content {
        var values: [String: Double]?
        var comment: String?
        /// The version read; required once the return exists.
        var version: Int?
    }

    struct ActionInput: Content {
        var action: String?
        var comment: String?
        var version: Int?
    }

    /// Runs one workflow step on a return: checks the caller's actor, the table and the values, claims
    /// the version, writes and audits. A refusal is audited too.
    static func step(
        _ action: ReturnAction, cluster: Cluster, year: Int, row: ReturnModel?, values newValues: [String: Double]?,
        comment: String?, version: Int?, caller: Caller, req: Request
    ) async throws -> ReturnDTO {
        let key = ReturnModel.key(cluster: cluster.id, year: year)
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmed, trimmed.count > 4000 {
            throw FieldErrors(["comment": "at most 4000 characters"], zh: ["comment": "最多 4000 字"])
        }
        if (newValues?.count ?? 0) > 200 {
            throw FieldErrors(["values": "at most 200 values"], zh: ["values": "最多 200 个值"])
        }
        let (actor, grant) = try await actorOrRefusal(action, cluster: cluster, key: key, caller: caller, req: req)
        if let row, version == nil {
            throw FieldErrors(
                ["version": "the version you read (now \(row.version))"],
                zh: ["version": "须附上读取时的版本号（当前为 \(row.version)）"])
        }
        let set = try await Self.set(for: row, db: req.db)
        let stored = try row?.valueMap()
        let values = newValues ?? stored ?? [:]
        let previous = try await previous(cluster.id, year: year, on: req.db)
        let check = ReturnCheck.check(
            values, previous: previous.isEmpty ? nil : previous, set: set, rules: req.application.rules.monitoring)
        let missing = set.indicators.map(\.code).filter { values[$0] == nil }
        // The filer's explanation travels with save and submit; a reviewer's comment with the review steps.
        let filerComment = action == .save || action == .submit ? (trimmed ?? row?.comment ?? "") : (row?.comment ?? "")
        let stepComment = action == .save || action == .submit ? filerComment : (trimmed ?? "")
        let next: ReturnState
        switch ReturnWorkflow.apply(
            action, to: try row?.returnState(), by: actor, check: check, missing: missing, comment: stepComment)
        {
        case .success(let state): next = state
        case .failure(let error):
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: grant.description, action: "return_" + action.rawValue,
                outcome: .refused, entity: "monitoring_return", entityID: key, after: error.description,
                scope: ClusterScope(cluster))
            switch error {
            case .fields(let fields): throw fields.mapKeys { set.indicator(code: $0) != nil ? "values." + $0 : $0 }
            case .notAllowed, .actorNotAllowed: throw APIError(.conflict, error.description, parameter: "action")
            }
        }
        let change = Change(
            action: action, cluster: cluster, year: year, key: key, row: row, version: version, set: set,
            values: values, filerComment: filerComment, reviewComment: trimmed, next: next, grant: grant)
        let saved = try await write(change, caller: caller, req: req)
        return try await dto(req, cluster: cluster, year: year, row: saved)
    }

    /// The caller's actor for the step, or the refusal audited and a 403 that says who takes the step.
    static func actorOrRefusal(_ action: ReturnAction, cluster: Cluster, key: String, caller: Caller, req: Request)
        async throws -> (ReturnActor, Grant)
    {
        if let found = actor(for: action, caller, cluster: cluster) { return found }
        try await AuditLog.record(
            on: req.db, request: req, caller: caller, grant: nil, action: "return_" + action.rawValue,
            outcome: .refused, entity: "monitoring_return", entityID: key, scope: ClusterScope(cluster))
        switch action {
        case .save, .submit:
            throw AuthError.forbidden(
                "a return is filed by the cluster's promotion body, the lead city (\(cluster.cityNames.first ?? "?")) or an admin"
            )
        case .accept: throw AuthError.forbidden("only an admin accepts a return")
        default:
            throw AuthError.forbidden(
                "a return is reviewed by the authority of one of the cluster's provinces (\(cluster.provinceCodes.joined(separator: ", "))) or an admin"
            )
        }
    }

    /// A checked step, ready to be written.
    struct Change {
        let action: ReturnAction
        let cluster: Cluster
        let year: Int
        let key: String
        let row: ReturnModel?
        let version: Int?
        let set: IndicatorSet
        let values: [String: Double]
        let filerComment: String
        let reviewComment: String?
        let next: ReturnState
        let grant: Grant
    }

    /// Writes a step under the version claim (or as the first save), with its audit entry.
    static func write(_ c: Change, caller: Caller, req: Request) async throws -> ReturnModel {
        let now = req.application.clock()
        let today = req.application.today()
        let saved = c.row ?? ReturnModel()
        let before = c.row.map { "\($0.state), version \($0.version)" }
        let conflict = APIError(
            .conflict, "the \(c.year) return of \(c.cluster.id) was started meanwhile; reload it", parameter: "version")
        do {
            try await req.db.writeTransaction { tx in
                if let row = c.row {
                    guard try await VersionClaim.claim(ReturnModel.schema, id: c.key, version: c.version ?? -1, on: tx)
                    else {
                        throw APIError(
                            .conflict,
                            "the return changed since version \(c.version ?? 0); reload it (now \(row.version))",
                            parameter: "version")
                    }
                    saved.version = row.version + 1
                } else {
                    guard try await ReturnModel.find(c.key, on: tx) == nil else { throw conflict }
                    saved.id = c.key
                    saved.clusterID = c.cluster.id
                    saved.dataYear = c.year
                    saved.indicatorSetID = c.set.id
                    saved.indicatorSetVersion = c.set.version
                    saved.version = 1
                }
                try saved.setValues(c.values)
                saved.comment = c.filerComment
                let reviews = c.action == .return || c.action == .provinceReview || c.action == .accept
                if reviews, let comment = c.reviewComment, !comment.isEmpty { saved.reviewComment = comment }
                if c.action == .submit, saved.submittedOn == nil { saved.submittedOn = today.iso }
                saved.state = c.next.rawValue
                saved.updatedBy = caller.userID.uuidString
                saved.updatedAt = now
                if c.row == nil { try await saved.create(on: tx) } else { try await saved.update(on: tx) }
                let filed = c.action == .save || c.action == .submit
                let detail =
                    filed
                    ? "; " + c.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                    : (c.reviewComment.map { "; " + $0 } ?? "")
                try await AuditLog.record(
                    on: tx, request: req, caller: caller, grant: c.grant.description,
                    action: "return_" + c.action.rawValue, outcome: .done, entity: "monitoring_return",
                    entityID: c.key, before: before, after: "\(c.next.rawValue), version \(saved.version)" + detail,
                    scope: ClusterScope(c.cluster))
            }
        } catch  where c.row == nil && !(error is APIError) {
            // Two first saves at once: on PostgreSQL the second insert fails on the key; that is a conflict, not a fault.
            if try await ReturnModel.find(c.key, on: req.db) != nil { throw conflict }
            throw error
        }
        return saved
    }

    func save(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(SaveInput.self)
        let (cluster, year, row) = try await Self.load(
            req, cluster: req.parameters.get("id") ?? "", year: req.parameters.get("year") ?? "")
        guard let values = input.values else {
            throw FieldErrors(["values": "the indicator values, e.g. {\"output\": 1.2e12}"])
        }
        let dto = try await Self.step(
            .save, cluster: cluster, year: year, row: row, values: values, comment: input.comment,
            version: input.version, caller: caller, req: req)
        return try await dto.encodeResponse(status: row == nil ? .created : .ok, for: req)
    }

    func act(req: Request) async throws -> ReturnDTO {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(ActionInput.self)
        let (cluster, year, row) = try await Self.load(
            req, cluster: req.parameters.get("id") ?? "", year: req.parameters.get("year") ?? "")
        let steps = ReturnAction.allCases.filter { $0 != .save }
        guard let action = input.action.flatMap(ReturnAction.init(rawValue:)), action != .save else {
            throw FieldErrors(["action": "one of " + steps.map(\.rawValue).joined(separator: ", ")])
        }
        return try await Self.step(
            action, cluster: cluster, year: year, row: row, values: nil, comment: input.comment,
            version: input.version, caller: caller, req: req)
    }
}
