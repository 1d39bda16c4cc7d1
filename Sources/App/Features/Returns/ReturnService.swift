import ClusterDomain
import Fluent
import Vapor

/// A monitoring return's use cases: loading it, running one workflow step (checked, claimed, written
/// and audited in one transaction) and its answer. The API, the return page and tests call these.
struct ReturnService: Sendable {
    let context: ServiceContext

    /// The cluster, the data year and its return row (nil before the first save). A return is kept for
    /// a cluster that was provincial, national or world-class, and not exited, at the end of the data
    /// year; data years run from 2019 to last year.
    func load(cluster id: String, year text: String) async throws -> (Cluster, Int, ReturnModel?) {
        guard let cluster = try await context.store.registry().clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(40))'", parameter: "id")
        }
        let today = context.today
        guard let year = Int(text), (2019..<today.year).contains(year) else {
            throw APIError.notFound("returns are kept for data years 2019 to \(today.year - 1)", parameter: "year")
        }
        let row = try await ReturnModel.find(ReturnModel.key(cluster: cluster.id, year: year), on: context.db)
        if row == nil, !cluster.isMonitored(year: year) {
            throw APIError.notFound(
                "\(cluster.id) was not a provincial, national or world-class cluster at the end of \(year)",
                parameter: "year")
        }
        return (cluster, year, row)
    }

    /// Runs one workflow step on a return: checks the caller's actor, the table and the values, claims
    /// the version, writes and audits. A refusal is audited too.
    func step(
        _ action: ReturnAction, cluster: Cluster, year: Int, row: ReturnModel?, values newValues: [String: Double]?,
        comment: String?, version: Int?, caller: Caller
    ) async throws -> ReturnController.ReturnDTO {
        let key = ReturnModel.key(cluster: cluster.id, year: year)
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmed, trimmed.count > 4000 {
            throw FieldErrors(["comment": .tooLong(4000)])
        }
        if (newValues?.count ?? 0) > 200 {
            throw FieldErrors(["values": .tooMany(200)])
        }
        let (actor, grant) = try await actorOrRefusal(action, cluster: cluster, key: key, caller: caller)
        if let row, version == nil {
            throw FieldErrors(["version": .staleVersion(row.version)])
        }
        let set = try await ReturnStore.set(for: row, db: context.db)
        let stored = try row?.valueMap()
        let values = newValues ?? stored ?? [:]
        let previous = try await ReturnStore.previous(cluster.id, year: year, on: context.db)
        let check = ReturnCheck.check(
            values, previous: previous.isEmpty ? nil : previous, set: set, rules: context.rules.monitoring)
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
                on: context.db, origin: context.origin, caller: caller, grant: grant.description,
                action: "return_" + action.rawValue,
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
        let saved = try await write(change, caller: caller)
        if action == .submit { LadderMetrics.returnSubmitted() }
        return try await dto(cluster: cluster, year: year, row: saved)
    }

    /// The caller's actor for the step, or the refusal audited and a 403 that says who takes the step.
    func actorOrRefusal(_ action: ReturnAction, cluster: Cluster, key: String, caller: Caller)
        async throws -> (ReturnActor, Grant)
    {
        if let found = ReturnAccess.actor(for: action, caller, cluster: cluster) { return found }
        try await AuditLog.record(
            on: context.db, origin: context.origin, caller: caller, grant: nil, action: "return_" + action.rawValue,
            outcome: .refused, entity: "monitoring_return", entityID: key, scope: ClusterScope(cluster))
        switch action {
        case .save, .submit:
            throw AuthError.forbidden("access.return_filed_by", ["city": cluster.cityNames.first ?? "?"])
        case .accept: throw AuthError.forbidden(Message("access.accept_return"))
        default:
            throw AuthError.forbidden(
                "access.return_reviewed_by", ["provinces": cluster.provinceCodes.joined(separator: ", ")])
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
    func write(_ c: Change, caller: Caller) async throws -> ReturnModel {
        let now = context.now
        let today = context.today
        let saved = c.row ?? ReturnModel()
        let before = c.row.map { "\($0.state), version \($0.version)" }
        let conflict = APIError(
            .conflict, "the \(c.year) return of \(c.cluster.id) was started meanwhile; reload it", parameter: "version")
        do {
            try await context.db.writeTransaction { tx in
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
                    on: tx, origin: context.origin, caller: caller, grant: c.grant.description,
                    action: "return_" + c.action.rawValue, outcome: .done, entity: "monitoring_return",
                    entityID: c.key, before: before, after: "\(c.next.rawValue), version \(saved.version)" + detail,
                    scope: ClusterScope(c.cluster))
            }
        } catch  where c.row == nil && !(error is APIError) {
            // Two first saves at once: on PostgreSQL the second insert fails on the key; that is a conflict, not a fault.
            if try await ReturnModel.find(c.key, on: context.db) != nil { throw conflict }
            throw error
        }
        return saved
    }

    func dto(cluster: Cluster, year: Int, row: ReturnModel?) async throws -> ReturnController.ReturnDTO {
        let set = try await ReturnStore.set(for: row, db: context.db)
        let values = try row?.valueMap() ?? [:]
        let party = context.caller.map { ReturnAccess.isParty($0, cluster: cluster) } ?? false
        let previous = try await ReturnStore.previous(cluster.id, year: year, acceptedOnly: !party, on: context.db)
        let rules = context.rules.monitoring
        let check = ReturnCheck.check(values, previous: previous.isEmpty ? nil : previous, set: set, rules: rules)
        let (submitted, late) = ReturnStore.lateness(year: year, row: row, rules: rules, today: context.today)
        let state = try row?.returnState()
        return ReturnController.ReturnDTO(
            cluster: cluster.id, clusterName: cluster.nameZh, year: year, state: state?.rawValue ?? "not_started",
            version: row?.version ?? 0, indicatorSet: set.id, indicatorSetVersion: set.version, values: values,
            previousValues: previous, comment: row?.comment ?? "", reviewComment: row?.reviewComment,
            dueOn: rules.dueDate(dataYear: year)?.iso ?? "", submittedOn: submitted?.iso,
            late: late,
            errors: check.errors.mapValues(\.english), missing: set.indicators.map(\.code).filter { values[$0] == nil },
            warnings: check.warnings.mapValues(\.english), warningsZh: check.warnings.mapValues(\.chinese),
            actions: ReturnAccess.available(context.caller, cluster: cluster, state: state).map(\.rawValue),
            updatedAt: row?.updatedAt)
    }
}
