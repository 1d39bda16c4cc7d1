import ClusterDomain
import Fluent
import Vapor

/// Reading returns for other features: the accepted values policies are checked against, the year
/// before, the indicator set a return is kept on, and lateness.
enum ReturnStore {
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
}

/// Who may read a return and take which step: the domain's access rules applied to a caller.
enum ReturnAccess {
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

    static let unreadable = AuthError.forbidden(Message("access.return_unreadable"))

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
}
