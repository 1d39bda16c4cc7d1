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
        guard let (actor, grant) = actor(for: action, caller, cluster: cluster) else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "return_" + action.rawValue,
                outcome: .refused, entity: "monitoring_return", entityID: key, scope: ClusterScope(cluster))
            throw AuthError.forbidden(
                action == .save || action == .submit
                    ? "a return is filed by the cluster's promotion body, the lead city (\(cluster.cityNames.first ?? "?")) or an admin"
                    : action == .accept
                        ? "only an admin accepts a return"
                        : "a return is reviewed by the authority of one of the cluster's provinces (\(cluster.provinceCodes.joined(separator: ", "))) or an admin"
            )
        }
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
        let now = req.application.clock()
        let saved = row ?? ReturnModel()
        let before = row.map { "\($0.state), version \($0.version)" }
        let conflict = APIError(
            .conflict, "the \(year) return of \(cluster.id) was started meanwhile; reload it", parameter: "version")
        do {
            try await req.db.writeTransaction { tx in
                if let row {
                    guard try await VersionClaim.claim(ReturnModel.schema, id: key, version: version ?? -1, on: tx)
                    else {
                        throw APIError(
                            .conflict,
                            "the return changed since version \(version ?? 0); reload it (now \(row.version))",
                            parameter: "version")
                    }
                    saved.version = row.version + 1
                } else {
                    guard try await ReturnModel.find(key, on: tx) == nil else { throw conflict }
                    saved.id = key
                    saved.clusterID = cluster.id
                    saved.dataYear = year
                    saved.indicatorSetID = set.id
                    saved.indicatorSetVersion = set.version
                    saved.version = 1
                }
                try saved.setValues(values)
                saved.comment = filerComment
                if action == .return || action == .provinceReview || action == .accept, let trimmed, !trimmed.isEmpty {
                    saved.reviewComment = trimmed
                }
                if action == .submit, saved.submittedOn == nil { saved.submittedOn = req.application.today().iso }
                saved.state = next.rawValue
                saved.updatedBy = caller.userID.uuidString
                saved.updatedAt = now
                if row == nil { try await saved.create(on: tx) } else { try await saved.update(on: tx) }
                try await AuditLog.record(
                    on: tx, request: req, caller: caller, grant: grant.description, action: "return_" + action.rawValue,
                    outcome: .done, entity: "monitoring_return", entityID: key, before: before,
                    after: "\(next.rawValue), version \(saved.version)"
                        + (action == .save || action == .submit
                            ? "; "
                                + values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                    separator: ", ")
                            : (trimmed.map { "; " + $0 } ?? "")),
                    scope: ClusterScope(cluster))
            }
        } catch  where row == nil && !(error is APIError) {
            // Two first saves at once: on PostgreSQL the second insert fails on the key; that is a conflict, not a fault.
            if try await ReturnModel.find(key, on: req.db) != nil { throw conflict }
            throw error
        }
        return try await dto(req, cluster: cluster, year: year, row: saved)
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
