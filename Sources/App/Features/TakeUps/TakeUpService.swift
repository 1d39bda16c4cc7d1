import ClusterDomain
import Fluent
import Vapor

/// Support granted under a policy: recorded by those who may edit the cluster, moved through its
/// status machine from the version read, audited with before and after. The API, the forms and the
/// commands call these methods.
struct TakeUpService: Sendable {
    let context: ServiceContext

    /// Every record, oldest first.
    static func all(_ db: any Database) async throws -> [TakeUp] {
        try await TakeUpModel.query(on: db).sort(\.$id).all().map { try $0.takeUp() }
    }

    /// Records support granted. The caller must be allowed to edit the cluster.
    func record(_ input: TakeUpController.TakeUpInput) async throws -> TakeUp {
        let caller = try context.requireCaller()
        var errors: [String: Message] = [:]
        let policy = input.policy.flatMap(
            (try await PolicyStore(db: context.db, shipped: context.shippedPolicies).catalogue()).policy(id:))
        if policy == nil { errors["policy"] = Message("takeup.unknown_policy") }
        let registry = try await context.store.registry()
        let cluster = input.cluster.flatMap { id in registry.clusters.first { $0.id == id } }
        if cluster == nil { errors["cluster"] = .unknownCluster }
        if let amount = input.amount, !(amount >= 0 && amount < 1e15) {
            errors["amount"] = .amount
        }
        let day = input.grantedOn.flatMap { Day(typed: $0) ?? Day($0) }
        if day == nil || day?.precision != .day { errors["granted_on"] = .date }
        let status = TakeUp.Status(rawValue: input.status ?? "granted")
        if status == nil {
            errors["status"] = Message("takeup.status")
        }
        if (input.note ?? "").count > 1000 { errors["note"] = .tooLong(1000) }
        guard errors.isEmpty, let policy, let cluster, let day, let status else { throw FieldErrors(errors) }
        // Recording support for a cluster needs the right to edit that cluster.
        guard let grant = AccessRules.grant(among: caller.grants, for: .edit, on: ClusterScope(cluster)) else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: caller, grant: nil, action: "record_takeup",
                outcome: .refused, entity: "policy_takeup", entityID: nil, scope: ClusterScope(cluster))
            throw AuthError.forbidden(Message("access.takeup_record"))
        }
        let row = TakeUpModel()
        row.policyID = policy.id
        row.$cluster.id = cluster.id
        row.amount = input.amount
        row.grantedOn = day.iso
        row.status = status.rawValue
        row.note = input.note ?? ""
        row.version = 1
        let saved: TakeUp = try await context.db.writeTransaction { tx in
            try await row.create(on: tx)
            let t = try row.takeUp()
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "record_takeup",
                outcome: .done, entity: "policy_takeup", entityID: String(t.id),
                after: AuditLog.json(TakeUpController.TakeUpDTO(t)), scope: ClusterScope(cluster))
            return t
        }
        return saved
    }

    /// Changes a record's status (applied → granted → paid, or withdrawn from applied or granted — the
    /// domain's `TakeUp.Status.next`), amount or note, from the version the caller read. The caller
    /// must be allowed to edit the cluster; the change is audited with before and after.
    func change(id: Int, _ change: TakeUpController.TakeUpChange) async throws -> TakeUp {
        let caller = try context.requireCaller()
        guard let row = try await TakeUpModel.find(id, on: context.db) else {
            throw APIError.notFound("no take-up record \(id)", parameter: "id")
        }
        let before = try row.takeUp()
        var errors: [String: Message] = [:]
        let status = change.status.map { TakeUp.Status(rawValue: $0) } ?? before.status
        if let status, let refusal = before.status.refusal(to: status) {
            errors["status"] = refusal
        } else if status == nil {
            errors["status"] = Message("takeup.status")
        }
        if let amount = change.amount, !(amount >= 0 && amount < 1e15) {
            errors["amount"] = .amount
        }
        if (change.note ?? "").count > 1000 { errors["note"] = .tooLong(1000) }
        if change.version == nil { errors["version"] = .staleVersion(before.version) }
        guard errors.isEmpty, let status, let version = change.version else { throw FieldErrors(errors) }
        let registry = try await context.store.registry()
        guard let cluster = registry.clusters.first(where: { $0.id == before.clusterID }),
            let grant = AccessRules.grant(among: caller.grants, for: .edit, on: ClusterScope(cluster))
        else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: caller, grant: nil, action: "update_takeup",
                outcome: .refused,
                entity: "policy_takeup", entityID: String(id))
            throw AuthError.forbidden(Message("access.takeup_change"))
        }
        return try await context.db.writeTransaction { tx in
            guard try await VersionClaim.claim("policy_takeups", id: id, version: version, on: tx),
                let row = try await TakeUpModel.find(id, on: tx)
            else {
                let now = try await TakeUpModel.find(id, on: tx).map { try $0.takeUp().version }
                throw APIError(
                    .conflict,
                    "the record was changed by someone else (now version \(now.map(String.init) ?? "gone")); "
                        + "reload it and apply your change again", parameter: "version")
            }
            row.status = status.rawValue
            if let amount = change.amount { row.amount = amount }
            if let note = change.note { row.note = note }
            try await row.save(on: tx)
            let after = try row.takeUp()
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "update_takeup",
                outcome: .done, entity: "policy_takeup", entityID: String(id),
                before: AuditLog.json(TakeUpController.TakeUpDTO(before)),
                after: AuditLog.json(TakeUpController.TakeUpDTO(after)),
                scope: ClusterScope(cluster))
            return after
        }
    }
}
