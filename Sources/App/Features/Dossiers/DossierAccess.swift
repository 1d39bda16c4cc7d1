import ClusterDomain
import Fluent
import Vapor

/// Who reads an entry's dossier and its evidence files (`AccessRules.mayReadDossier`, with the
/// assignment looked up for experts). Used by the dossier routes, the work pages and the attachment
/// downloads.
enum DossierAccess {
    static func mayRead(_ caller: Caller, round: String, cluster: Cluster, on db: any Database) async throws -> Bool {
        let scope = ClusterScope(cluster)
        if AccessRules.mayReadDossier(caller.grants, on: scope, assignedExpert: false) { return true }
        guard caller.grants.contains(where: { $0.role == .expert }) else { return false }
        let assigned =
            try await AssignmentModel.query(on: db).filter(\.$roundID == round).filter(\.$clusterID == cluster.id)
            .filter(\.$expertID == caller.userID.uuidString).first() != nil
        return AccessRules.mayReadDossier(caller.grants, on: scope, assignedExpert: assigned)
    }

    static let unreadable = AuthError.forbidden(Message("access.dossier_unreadable"))
}
