import ClusterDomain
import Fluent
import Vapor

/// Yearly monitoring returns: the promotion body or the lead city files a cluster's values for a
/// data year; the province reviews; an admin accepts or sends it back. Each step goes through
/// `ReturnWorkflow` (the domain's table), is checked against the return's indicator set and the year
/// before, and is audited. Reading returns needs a sign-in: anyone signed in sees which returns are
/// in and late, and an accepted return's values; an unaccepted return's values only its parties (the
/// filers, a member province, admins) and ministry reviewers see. The ratings made from accepted
/// returns are public (`RatingController`).
struct ReturnController: Sendable {
    func register(on app: Application) {
        app.get(APIRoute.returns.components, use: list)
        app.get(APIRoute.clusterReturn(":id", ":year").components, use: show)
        app.put(APIRoute.clusterReturn(":id", ":year").components, use: save)
        app.post(APIRoute.returnActions(":id", ":year").components, use: act)
    }

    struct ReturnDTO: Content {
        let cluster: String
        let clusterName: String
        let year: Int
        let state: String
        let version: Int
        let indicatorSet: String
        let indicatorSetVersion: Int
        let values: [String: Double]
        let previousValues: [String: Double]
        let comment: String
        let reviewComment: String?
        let dueOn: String
        let submittedOn: String?
        let late: Bool
        /// Values refused by the checks (only in a return saved before the set changed) and missing ones.
        let errors: [String: String]
        let missing: [String]
        /// Implausible year-on-year changes, which a submission must explain.
        let warnings: [String: String]
        /// The same warnings in Chinese.
        let warningsZh: [String: String]
        /// What the caller may do next.
        let actions: [String]
        let updatedAt: Date?
    }

    struct Summary: Content {
        let cluster: String
        let clusterName: String
        let year: Int
        let state: String
        let dueOn: String
        let submittedOn: String?
        let late: Bool
        let version: Int
        /// The values, when the caller may read them (`mayRead`); nil otherwise.
        let values: [String: Double]?
    }

    // MARK: who may do what

    /// The caller's roles as the workflow sees them on a cluster, each with the grant it comes from:
    /// filer (the promotion body, or the city that leads the cluster), province (a member province),
    /// admin.
    static func actors(_ caller: Caller, cluster: Cluster) -> [(ReturnActor, Grant)] {
        AccessRules.returnActors(caller.grants, on: ClusterScope(cluster))
    }

    /// Whether the caller may read the return's values: an accepted return, anyone signed in; before
    /// that, the return's parties and the ministry reviewers who co-review the decisions made on it.
    static func mayRead(_ caller: Caller, cluster: Cluster, state: ReturnState?) -> Bool {
        AccessRules.mayReadReturn(caller.grants, on: ClusterScope(cluster), state: state)
    }

    static func isParty(_ caller: Caller, cluster: Cluster) -> Bool {
        AccessRules.isReturnParty(caller.grants, on: ClusterScope(cluster))
    }

    static let unreadable = AuthError.forbidden(
        "until it is accepted, a return is read only by its cluster's promotion body and lead city, a member province, admins and ministry reviewers"
    )

    /// The first of the caller's actors the table allows for `action`.
    static func actor(for action: ReturnAction, _ caller: Caller, cluster: Cluster) -> (ReturnActor, Grant)? {
        guard let allowed = ReturnWorkflow.table[action]?.actors else { return nil }
        return actors(caller, cluster: cluster).first { allowed.contains($0.0) }
    }

    /// Actions the caller may take on a return in `state`.
    static func available(_ caller: Caller?, cluster: Cluster, state: ReturnState?) -> [ReturnAction] {
        guard let caller else { return [] }
        return ReturnAction.allCases.filter { action in
            guard let row = ReturnWorkflow.table[action], row.from.contains(state) else { return false }
            return actor(for: action, caller, cluster: cluster) != nil
        }
    }

    // MARK: loading

    /// The cluster, the data year and its return row (nil before the first save). A return is kept for
    /// a cluster that was provincial, national or world-class, and not exited, at the end of the data
    /// year; data years run from 2019 to last year.
    static func load(_ req: Request, cluster id: String, year text: String) async throws -> (Cluster, Int, ReturnModel?)
    {
        guard let cluster = try await req.store.registry().clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(40))'", parameter: "id")
        }
        let today = req.application.today()
        guard let year = Int(text), (2019..<today.year).contains(year) else {
            throw APIError.notFound("returns are kept for data years 2019 to \(today.year - 1)", parameter: "year")
        }
        let row = try await ReturnModel.find(ReturnModel.key(cluster: cluster.id, year: year), on: req.db)
        if row == nil, !isMonitored(cluster, year: year) {
            throw APIError.notFound(
                "\(cluster.id) was not a provincial, national or world-class cluster at the end of \(year)",
                parameter: "year")
        }
        return (cluster, year, row)
    }

    /// Each cluster's values from its newest accepted return for a data year before `day`'s year: what
    /// indicator rules of policies are checked against on `day`.
    static func acceptedValues(asOf day: Day, on db: any Database, cluster: String? = nil) async throws -> [String:
        Eligibility.Indicators]
    {
        var query = ReturnModel.query(on: db).filter(\.$state == ReturnState.accepted.rawValue).filter(
            \.$dataYear < day.year)
        if let cluster { query = query.filter(\.$clusterID == cluster) }
        let rows = try await query.sort(\.$dataYear).all()
        var latest: [String: Eligibility.Indicators] = [:]
        for row in rows { latest[row.clusterID] = try row.valueMap() }  // newer years overwrite older ones
        return latest
    }

    /// The day a return was first submitted, and whether it is late (handed in after its due date, or
    /// not handed in — nil row included — once the due date has passed).
    static func lateness(year: Int, row: ReturnModel?, rules: MonitoringRules, today: Day) -> (
        submitted: Day?, late: Bool
    ) {
        let submitted = row?.submittedOn.flatMap { Day($0) }
        return (submitted, rules.isLate(dataYear: year, submittedOn: submitted, today: today))
    }

    static func isMonitored(_ cluster: Cluster, year: Int) -> Bool { cluster.isMonitored(year: year) }

    /// The values of the year before, for the year-on-year check: its return whatever its state, or
    /// only an accepted one for a reader who is not a party to the cluster's returns.
    static func previous(_ cluster: String, year: Int, acceptedOnly: Bool = false, on db: any Database) async throws
        -> [String: Double]
    {
        guard let row = try await ReturnModel.find(ReturnModel.key(cluster: cluster, year: year - 1), on: db)
        else { return [:] }
        if acceptedOnly, try row.returnState() != .accepted { return [:] }
        return try row.valueMap()
    }

    static func set(for row: ReturnModel?, db: any Database) async throws -> IndicatorSet {
        if let row {
            guard let set = try await IndicatorSets.version(row.indicatorSetID, row.indicatorSetVersion, on: db) else {
                throw Abort(
                    .internalServerError,
                    reason: "indicator set \(row.indicatorSetID) v\(row.indicatorSetVersion) is not stored")
            }
            return set
        }
        return try await IndicatorSets.current(db)
    }

    static func dto(_ req: Request, cluster: Cluster, year: Int, row: ReturnModel?) async throws -> ReturnDTO {
        let set = try await set(for: row, db: req.db)
        let values = try row?.valueMap() ?? [:]
        let party = req.caller.map { isParty($0, cluster: cluster) } ?? false
        let previous = try await previous(cluster.id, year: year, acceptedOnly: !party, on: req.db)
        let rules = req.application.rules.monitoring
        let check = ReturnCheck.check(values, previous: previous.isEmpty ? nil : previous, set: set, rules: rules)
        let (submitted, late) = lateness(year: year, row: row, rules: rules, today: req.application.today())
        let state = try row?.returnState()
        return ReturnDTO(
            cluster: cluster.id, clusterName: cluster.nameZh, year: year, state: state?.rawValue ?? "not_started",
            version: row?.version ?? 0, indicatorSet: set.id, indicatorSetVersion: set.version, values: values,
            previousValues: previous, comment: row?.comment ?? "", reviewComment: row?.reviewComment,
            dueOn: rules.dueDate(dataYear: year)?.iso ?? "", submittedOn: submitted?.iso,
            late: late,
            errors: check.errors, missing: set.indicators.map(\.code).filter { values[$0] == nil },
            warnings: check.warnings, warningsZh: check.zh.filter { check.warnings[$0.key] != nil },
            actions: available(req.caller, cluster: cluster, state: state).map(\.rawValue), updatedAt: row?.updatedAt)
    }

    // MARK: reading

    func list(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .returns)
        let caller = try req.requireCaller()
        let csv = try params.wantsCSV()
        var query = ReturnModel.query(on: req.db)
        if let y = params["year"], !y.isEmpty {
            guard let year = Int(y), (2019...2100).contains(year) else {
                throw APIError(.badRequest, "parameter 'year': a data year such as 2025", parameter: "year")
            }
            query = query.filter(\.$dataYear == year)
        }
        if let c = params["cluster"], !c.isEmpty { query = query.filter(\.$clusterID == c) }
        if let s = params["state"], !s.isEmpty {
            guard ReturnState(rawValue: s) != nil else {
                throw APIError(
                    .badRequest, "parameter 'state': unknown state '\(s.prefix(40))'", parameter: "state",
                    allowed: ReturnState.allCases.map(\.rawValue))
            }
            query = query.filter(\.$state == s)
        }
        let rows = try await query.sort(\.$dataYear, .descending).sort(\.$clusterID).range(..<5000).all()
        let clusters = Dictionary(uniqueKeysWithValues: try await req.store.registry().clusters.map { ($0.id, $0) })
        let rules = req.application.rules.monitoring
        let today = req.application.today()
        let summaries = try rows.map { row in
            let state = try row.returnState()
            let readable =
                clusters[row.clusterID].map { Self.mayRead(caller, cluster: $0, state: state) } ?? caller.isAdmin
            return Summary(
                cluster: row.clusterID, clusterName: clusters[row.clusterID]?.nameZh ?? row.clusterID,
                year: row.dataYear,
                state: row.state, dueOn: rules.dueDate(dataYear: row.dataYear)?.iso ?? "", submittedOn: row.submittedOn,
                late: Self.lateness(year: row.dataYear, row: row, rules: rules, today: today).late,
                version: row.version,
                values: readable ? try row.valueMap() : nil)
        }
        guard csv else { return try await summaries.encodeResponse(for: req) }
        let year = params["year"].flatMap { $0.isEmpty ? nil : $0 }
        return .csv(
            Self.csv(summaries, codes: try await IndicatorSets.current(req.db).indicators.map(\.code)),
            filename: "returns" + (year.map { "-" + $0 } ?? "") + ".csv")
    }

    /// One row per return, a column per indicator (the current set's, then any others the rows hold);
    /// values the caller may not read are left empty.
    static func csv(_ rows: [Summary], codes: [String]) -> String {
        let extra = Set(rows.flatMap { $0.values?.keys.map { $0 } ?? [] }).subtracting(codes).sorted()
        let columns = codes + extra
        var text = CSV.line(
            ["year", "cluster", "name_zh", "state", "due_on", "submitted_on", "late", "version"] + columns)
        for r in rows {
            text += CSV.line(
                [
                    String(r.year), r.cluster, r.clusterName, r.state, r.dueOn, r.submittedOn ?? "",
                    r.late ? "true" : "false",
                    String(r.version),
                ] + columns.map { code in r.values?[code].map { String($0) } ?? "" })
        }
        return text
    }

    func show(req: Request) async throws -> ReturnDTO {
        _ = try req.queryParameters(for: .clusterReturn("", ""))
        let caller = try req.requireCaller()
        let (cluster, year, row) = try await Self.load(
            req, cluster: req.parameters.get("id") ?? "", year: req.parameters.get("year") ?? "")
        guard Self.mayRead(caller, cluster: cluster, state: try row?.returnState()) else { throw Self.unreadable }
        return try await Self.dto(req, cluster: cluster, year: year, row: row)
    }

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

extension Dictionary where Key == String {
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
