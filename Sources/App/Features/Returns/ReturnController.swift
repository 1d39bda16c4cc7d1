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
        app.register(.GET, APIRoute.returns, use: list)
        app.register(.GET, APIRoute.clusterReturn(":id", ":year"), use: show)
        app.register(.PUT, APIRoute.clusterReturn(":id", ":year"), use: save)
        app.register(.POST, APIRoute.returnActions(":id", ":year"), use: act)
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

}

extension Dictionary where Key == String {
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
