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

    // MARK: loading

    static func isMonitored(_ cluster: Cluster, year: Int) -> Bool { cluster.isMonitored(year: year) }

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
                clusters[row.clusterID].map { ReturnAccess.mayRead(caller, cluster: $0, state: state) }
                ?? caller.isAdmin
            return Summary(
                cluster: row.clusterID, clusterName: clusters[row.clusterID]?.nameZh ?? row.clusterID,
                year: row.dataYear,
                state: row.state, dueOn: rules.dueDate(dataYear: row.dataYear)?.iso ?? "", submittedOn: row.submittedOn,
                late: ReturnStore.lateness(year: row.dataYear, row: row, rules: rules, today: today).late,
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
        let (cluster, year, row) = try await ReturnService(context: req.services()).load(
            cluster: req.parameters.get("id") ?? "", year: req.parameters.get("year") ?? "")
        guard ReturnAccess.mayRead(caller, cluster: cluster, state: try row?.returnState()) else {
            throw ReturnAccess.unreadable
        }
        return try await ReturnService(context: req.services()).dto(cluster: cluster, year: year, row: row)
    }

}

extension Dictionary where Key == String {
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
