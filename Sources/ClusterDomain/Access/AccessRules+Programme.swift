import Foundation

/// The programme's access predicates beyond editing clusters and policies: who files a cluster's
/// dossiers and returns, who acts in the return workflow, who reads a return or a dossier before it is
/// public, which expert has a conflict, who publishes about which clusters. Pure and table-tested, so
/// that the API, the pages and the inbox ask the same question the same way.
extension AccessRules {
    /// A cluster's filer: its promotion body, or the city that leads it (first among its cities).
    public static func isFiler(_ grant: Grant, of cluster: ClusterScope) -> Bool {
        switch grant.role {
        case .promotionOrg: grant.scope != nil && grant.scope == cluster.id
        case .city: grant.scope != nil && grant.scope == cluster.cityNames.first
        default: false
        }
    }

    /// The grant that files a cluster's dossier: its filer's, or an admin's.
    public static func filingGrant(among grants: [Grant], for cluster: ClusterScope) -> Grant? {
        grants.first { $0.role == .admin || isFiler($0, of: cluster) }
    }

    /// The roles a person holds in the monitoring-return workflow of a cluster, each with the grant it
    /// comes from: filer, province (a member province's authority), admin.
    public static func returnActors(_ grants: [Grant], on cluster: ClusterScope) -> [(ReturnActor, Grant)] {
        grants.compactMap { g in
            if isFiler(g, of: cluster) { return (.filer, g) }
            switch g.role {
            case .provincial where g.scope.map(cluster.provinceCodes.contains) == true: return (.province, g)
            case .admin: return (.admin, g)
            default: return nil
            }
        }
    }

    /// A party to a cluster's returns — one of its actors, or a ministry reviewer (who co-reviews the
    /// decisions made on them).
    public static func isReturnParty(_ grants: [Grant], on cluster: ClusterScope) -> Bool {
        !returnActors(grants, on: cluster).isEmpty || grants.contains { $0.role == .ministryReviewer }
    }

    /// An accepted return is read by anyone signed in; until then only by its parties.
    public static func mayReadReturn(_ grants: [Grant], on cluster: ClusterScope, state: ReturnState?) -> Bool {
        state == .accepted || isReturnParty(grants, on: cluster)
    }

    /// A dossier and its evidence: its filers, admins, a member province, ministry reviewers, and the
    /// experts assigned to the entry.
    public static func mayReadDossier(_ grants: [Grant], on cluster: ClusterScope, assignedExpert: Bool) -> Bool {
        if filingGrant(among: grants, for: cluster) != nil { return true }
        let official = grants.contains { g in
            g.role == .ministryReviewer
                || (g.role == .provincial && g.scope.map(cluster.provinceCodes.contains) == true)
        }
        return official || (assignedExpert && grants.contains { $0.role == .expert })
    }

    /// A round's per-entry scores and ranking: anyone once its results are published (the public
    /// notice); before that only admins and ministry reviewers. The entries' own authorities and the
    /// experts wait like everyone else (an expert sees the scores they gave on the scoring form).
    public static func mayReadRanking(_ grants: [Grant], published: Bool) -> Bool {
        published || grants.contains { $0.role == .admin || $0.role == .ministryReviewer }
    }

    /// An expert never scores an entry from their own province (any member province of the cluster).
    public static func expertHasConflict(expertProvince: String, on cluster: ClusterScope) -> Bool {
        cluster.provinceCodes.contains(expertProvince)
    }

    /// Who publishes or edits an announcement linked to `clusters`: an admin, about any or none; anyone
    /// else only with a grant that may edit every linked cluster, and at least one must be linked.
    public static func announcementGrant(among grants: [Grant], clusters: [ClusterScope]) -> Grant? {
        if let admin = grants.first(where: { $0.role == .admin }) { return admin }
        guard !clusters.isEmpty else { return nil }
        return grants.first { g in clusters.allSatisfy { allows(g, .edit, on: $0) } }
    }
}
