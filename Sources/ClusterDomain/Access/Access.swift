import Foundation

/// The roles of the programme (cluster-domain.md §2). The public is the absence of any grant.
public enum Role: String, CaseIterable, Codable, Sendable {
    /// MIIT Planning Department: everything.
    case admin
    /// A ministry department (scope: the department's name); reviews, does not edit the registry.
    case ministryReviewer = "ministry_reviewer"
    /// A provincial industry and IT department (scope: two-digit province code).
    case provincial
    /// A city or prefecture government (scope: the city's Chinese name as in the data).
    case city
    /// A cluster's promotion organisation (scope: the cluster id).
    case promotionOrg = "promotion_org"
    /// An expert reviewer (entries are assigned by the workflow; no registry writes).
    case expert

    /// Whether a grant of this role names a scope, and of what kind.
    public var scopeKind: String? {
        switch self {
        case .admin, .expert: nil
        case .ministryReviewer: "department"
        case .provincial: "province"
        case .city: "city"
        case .promotionOrg: "cluster"
        }
    }
}

/// One role held over one scope. A user may hold several.
public struct Grant: Hashable, Codable, Sendable, CustomStringConvertible {
    public let role: Role
    public let scope: String?

    public init(role: Role, scope: String?) {
        self.role = role
        self.scope = scope
    }

    public var description: String { scope.map { "\(role.rawValue):\($0)" } ?? role.rawValue }

    /// Parses `role` or `role:scope`, checking the scope against the reference data.
    public static func parse(_ text: String, reference: ReferenceData) -> Result<Grant, QueryError> {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let role = parts.first.flatMap(Role.init(rawValue:)) else {
            return .failure(
                QueryError(
                    parameter: "role", reason: "unknown role '\(parts.first ?? "")'",
                    allowed: Role.allCases.map(\.rawValue)))
        }
        return Grant.make(role: role, scope: parts.count > 1 ? parts[1] : nil, reference: reference)
    }

    public static func make(role: Role, scope rawScope: String?, reference: ReferenceData) -> Result<Grant, QueryError>
    {
        let scope = rawScope?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        switch role.scopeKind {
        case nil:
            guard scope == nil else {
                return .failure(QueryError(parameter: "scope", reason: "\(role.rawValue) takes no scope"))
            }
        case "province":
            // A province as people write it: 32, 江苏 or 江苏省.
            let code = scope.flatMap { reference.province(named: $0)?.code }
            guard let code else {
                return .failure(
                    QueryError(
                        parameter: "scope", reason: "provincial needs a province code",
                        allowed: reference.provinces.map(\.code)))
            }
            return .success(Grant(role: role, scope: code))
        case "city":
            guard let scope, reference.city(named: scope) != nil else {
                return .failure(
                    QueryError(parameter: "scope", reason: "city needs a city name from the reference data"))
            }
        default:
            guard let scope, scope.count <= 64 else {
                return .failure(
                    QueryError(
                        parameter: "scope",
                        reason: "\(role.rawValue) needs a \(role.scopeKind ?? "scope") (at most 64 characters)"))
            }
        }
        return .success(Grant(role: role, scope: scope))
    }
}

/// What is done.
public enum Action: String, CaseIterable, Codable, Sendable {
    case create, edit, retire
    case manageUsers = "manage_users"
    case readAudit = "read_audit"
}

/// Where a cluster lies, for scope checks.
public struct ClusterScope: Hashable, Sendable {
    public let id: String?
    public let provinceCodes: [String]
    public let cityNames: [String]

    public init(id: String?, provinceCodes: [String], cityNames: [String]) {
        self.id = id
        self.provinceCodes = provinceCodes
        self.cityNames = cityNames
    }

    public init(_ cluster: Cluster) {
        self.init(id: cluster.id, provinceCodes: cluster.provinceCodes, cityNames: cluster.cityNames)
    }
}

/// The scope rules: who may do what to which cluster. Reading the registry is open to everyone.
///
/// - admin: everything.
/// - provincial authority: create, edit and retire clusters that have its province among their
///   member provinces — a cross-province cluster is editable by the authority of any member province.
/// - city authority: create and edit clusters that have its city among their member cities.
/// - promotion organisation: edit its own cluster.
/// - ministry reviewer, expert, public: no registry writes.
/// - managing users: admin only. Reading the audit trail: admin all of it; others the entries in
///   their scope (see `AuditScope`).
///
/// An edit must be allowed both on the cluster as it is and on the cluster as it would become, so a
/// province cannot move a cluster out of its own reach.
public enum AccessRules {
    public static func allows(_ grant: Grant, _ action: Action, on cluster: ClusterScope?) -> Bool {
        switch (grant.role, action) {
        case (.admin, _): return true
        case (_, .manageUsers): return false
        case (_, .readAudit): return grant.role != .expert
        case (.provincial, .create), (.provincial, .edit), (.provincial, .retire):
            guard let cluster, let scope = grant.scope else { return false }
            return cluster.provinceCodes.contains(scope)
        case (.city, .create), (.city, .edit):
            guard let cluster, let scope = grant.scope else { return false }
            return cluster.cityNames.contains(scope)
        case (.promotionOrg, .edit):
            guard let cluster, let scope = grant.scope else { return false }
            return cluster.id == scope
        default:
            return false
        }
    }

    /// The first of `grants` that allows the action, or nil.
    public static func grant(among grants: [Grant], for action: Action, on cluster: ClusterScope?) -> Grant? {
        grants.first { allows($0, action, on: cluster) }
    }

    /// An edit needs a grant that covers the cluster both before and after.
    public static func grantForEdit(among grants: [Grant], before: ClusterScope, after: ClusterScope) -> Grant? {
        grants.first { allows($0, .edit, on: before) && allows($0, .edit, on: after) }
    }

    /// Whether `grants` (of a caller) include everything `requested` (for an API token) would allow.
    public static func covers(_ grants: [Grant], _ requested: Grant) -> Bool {
        grants.contains { $0.role == .admin || $0 == requested }
    }
}

/// What a policy-editing check needs to know of a policy.
public struct PolicyScope: Hashable, Sendable {
    public let level: PolicyLevel
    /// Province code (provincial) or city name (municipal).
    public let jurisdiction: String?
    /// The province of the jurisdiction: itself for a provincial policy, the city's for a municipal one.
    public let provinceCode: String?
    /// Owning departments, as codes and as names (a ministry reviewer's scope is a department name).
    public let owners: [String]

    public init(level: PolicyLevel, jurisdiction: String?, provinceCode: String?, owners: [String]) {
        self.level = level
        self.jurisdiction = jurisdiction
        self.provinceCode = provinceCode
        self.owners = owners
    }

    public init(_ policy: Policy, catalogue: PolicyCatalogue, reference: ReferenceData) {
        let province =
            policy.level == .municipal
            ? policy.jurisdiction.flatMap(reference.city(named:))?.provinceCode : policy.jurisdiction
        let owners = policy.ownerCodes.flatMap { code in
            [code] + (catalogue.department(code: code).map { [$0.nameZh, $0.nameEn] } ?? [])
        }
        self.init(level: policy.level, jurisdiction: policy.jurisdiction, provinceCode: province, owners: owners)
    }
}

extension AccessRules {
    /// Who may create and edit policy instruments:
    ///
    /// - admin: any policy.
    /// - ministry reviewer: central policies owned by its department (scope = department code or name).
    /// - provincial authority: provincial policies of its province and municipal policies of its cities.
    /// - city authority: municipal policies of its city.
    /// - promotion organisations, experts, the public: none.
    ///
    /// An edit must be allowed on the policy both as it is and as it would become.
    public static func allowsPolicy(_ grant: Grant, on policy: PolicyScope) -> Bool {
        switch grant.role {
        case .admin: return true
        case .ministryReviewer:
            guard let scope = grant.scope else { return false }
            return policy.level == .central && policy.owners.contains(scope)
        case .provincial:
            guard let scope = grant.scope else { return false }
            return (policy.level == .provincial && policy.jurisdiction == scope)
                || (policy.level == .municipal && policy.provinceCode == scope)
        case .city:
            guard let scope = grant.scope else { return false }
            return policy.level == .municipal && policy.jurisdiction == scope
        case .promotionOrg, .expert: return false
        }
    }
}

/// Which audit entries a grant may read: admin all; territorial roles the entries about clusters
/// in their territory; everyone their own.
public enum AuditScope {
    public static func visible(to grants: [Grant], actorID: String?, entryActor: String?, cluster: ClusterScope?)
        -> Bool
    {
        if grants.contains(where: { $0.role == .admin }) { return true }
        if let actorID, actorID == entryActor { return true }
        guard let cluster else { return false }
        return grants.contains { grant in
            switch grant.role {
            case .provincial: grant.scope.map(cluster.provinceCodes.contains) ?? false
            case .city: grant.scope.map(cluster.cityNames.contains) ?? false
            case .promotionOrg: grant.scope == cluster.id
            default: false
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
