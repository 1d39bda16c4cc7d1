import ClusterDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The one place that changes clusters: scope check, validation, optimistic locking, the write,
/// the registry version and the audit entry, in one transaction. Used by the API and the forms.
struct ClusterWriter {
    let context: ServiceContext
    let caller: Caller

    struct Stale: Error {
        let current: Cluster
    }

    struct NewCluster {
        var draft: ClusterDraft
        var tier: Tier = .provincial
        var designatedOn: Day
        var document: String?
        var batch: String?
    }

    var store: RegistryStore { context.store }
    var reference: ReferenceData { context.reference }

    // MARK: create

    func create(_ input: NewCluster) async throws -> Cluster {
        let valid = try validated(input.draft)
        var errors: [String: Message] = [:]
        if input.tier != .provincial, !caller.isAdmin {
            errors["tier"] = Message("cluster.tier_admin_only")
        }
        if input.tier == .national {
            if let batch = input.batch, reference.batch(code: batch) != nil {
            } else {
                errors["batch"] = Message(
                    "cluster.batch_needed", ["codes": reference.batches.map(\.code).joined(separator: ", ")])
            }
        } else if let batch = input.batch, !batch.isEmpty, reference.batch(code: batch) == nil {
            errors["batch"] = Message("cluster.unknown_batch")
        }
        if let doc = input.document, doc.count > 200 { errors["document"] = .tooLong(200) }
        if !errors.isEmpty { throw FieldErrors(errors) }
        let scope = ClusterScope(id: nil, provinceCodes: valid.provinceCodes, cityNames: valid.draft.cityNames)
        guard let grant = AccessRules.grant(among: caller.grants, for: .create, on: scope) else {
            try await refuse("create", entityID: nil, scope: scope)
        }
        let series: IdSeries = input.tier == .provincial ? .provincialCluster : .nationalCluster
        return try await context.db.writeTransaction { tx in
            let id = try await IdAllocator.next(series, on: tx)
            let cluster = Cluster(
                id: id, nameZh: valid.draft.nameZh, nameEn: valid.draft.nameEn,
                domainCode: valid.draft.domainCode,
                cityNames: valid.draft.cityNames, provinceCodes: valid.provinceCodes,
                batchCode: input.batch ?? "",
                confidence: .high, sources: valid.draft.sources, notes: valid.draft.notes,
                history: [
                    TierEvent(
                        date: input.designatedOn, tier: input.tier, status: .active,
                        document: input.document, note: nil)
                ],
                promotionOrg: valid.draft.promotionOrg)
            try await store.insert(cluster, on: tx)
            try await store.bumpVersion(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description,
                action: "create", outcome: .done, entity: "cluster", entityID: id,
                after: AuditLog.json(ClusterRecord(cluster)), scope: ClusterScope(cluster))
            return cluster
        }
    }

    // MARK: update

    func update(id: String, draft: ClusterDraft, expectedVersion: Int) async throws -> Cluster {
        let before = try await current(id)
        let valid = try validated(draft)
        let after = ClusterScope(id: id, provinceCodes: valid.provinceCodes, cityNames: valid.draft.cityNames)
        guard let grant = AccessRules.grantForEdit(among: caller.grants, before: ClusterScope(before), after: after)
        else {
            try await refuse("update", entityID: id, scope: ClusterScope(before))
        }
        return try await context.db.writeTransaction { tx in
            try await claim(id: id, version: expectedVersion, on: tx)
            guard let model = try await ClusterModel.find(id, on: tx) else { throw Abort(.notFound) }
            model.nameZh = valid.draft.nameZh
            model.nameEn = valid.draft.nameEn
            model.domainCode = valid.draft.domainCode
            model.cityNames = valid.draft.cityNames
            model.provinceCodes = valid.provinceCodes
            model.promotionOrg = valid.draft.promotionOrg
            model.sources = valid.draft.sources
            model.notes = valid.draft.notes
            try await model.update(on: tx)
            let reread = try await ClusterModel.query(on: tx).filter(\.$id == id).with(\.$events).first().unwrap()
            let updated = try store.cluster(from: reread)
            try await store.bumpVersion(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "update",
                outcome: .done, entity: "cluster", entityID: id,
                before: AuditLog.json(ClusterRecord(before)), after: AuditLog.json(ClusterRecord(updated)),
                scope: ClusterScope(updated))
            return updated
        }
    }

    // MARK: retire

    func retire(id: String, expectedVersion: Int) async throws -> Cluster {
        let before = try await current(id)
        guard let grant = AccessRules.grant(among: caller.grants, for: .retire, on: ClusterScope(before)) else {
            try await refuse("retire", entityID: id, scope: ClusterScope(before))
        }
        let today = context.today
        return try await context.db.writeTransaction { tx in
            try await claim(id: id, version: expectedVersion, on: tx)
            guard let model = try await ClusterModel.find(id, on: tx) else { throw Abort(.notFound) }
            model.retiredOn = today.iso
            try await model.update(on: tx)
            let reread = try await ClusterModel.query(on: tx).filter(\.$id == id).with(\.$events).first().unwrap()
            let updated = try store.cluster(from: reread)
            try await store.bumpVersion(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "retire",
                outcome: .done, entity: "cluster", entityID: id,
                before: AuditLog.json(ClusterRecord(before)), after: AuditLog.json(ClusterRecord(updated)),
                scope: ClusterScope(updated))
            return updated
        }
    }

    // MARK: helpers

    func current(_ id: String) async throws -> Cluster {
        guard let model = try await ClusterModel.query(on: context.db).filter(\.$id == id).with(\.$events).first()
        else {
            throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
        }
        return try store.cluster(from: model)
    }

    func validated(_ draft: ClusterDraft) throws -> ClusterDraft.Valid {
        switch draft.validate(reference: reference) {
        case .success(let valid): return valid
        case .failure(let errors): throw errors
        }
    }

    /// Takes the row for this transaction if its version is still `version`, bumping it; otherwise
    /// the caller edited a stale copy. The first statement writes, so concurrent writers queue here.
    func claim(id: String, version: Int, on db: any Database) async throws {
        if try await !VersionClaim.claim("clusters", id: id, version: version, on: db) {
            guard let model = try await ClusterModel.query(on: db).filter(\.$id == id).with(\.$events).first() else {
                throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
            }
            throw Stale(current: try store.cluster(from: model))
        }
    }

    func refuse(_ action: String, entityID: String?, scope: ClusterScope) async throws -> Never {
        try await AuditLog.record(
            on: context.db, origin: context.origin, caller: caller, grant: nil, action: action,
            outcome: .refused, entity: "cluster", entityID: entityID, scope: scope)
        throw AuthError.forbidden(
            "access.cluster_action",
            ["grants": caller.grants.map(\.description).joined(separator: ", "), "action": action])
    }
}

/// The audited form of a cluster: what a person can change, plus its version.
struct ClusterRecord: Encodable {
    let id: String
    let nameZh: String
    let nameEn: String
    let domain: String
    let cities: [String]
    let provinces: [String]
    let promotionOrg: String?
    let sources: [String]
    let notes: String
    let retiredOn: String?
    let version: Int

    init(_ c: Cluster) {
        id = c.id
        nameZh = c.nameZh
        nameEn = c.nameEn
        domain = c.domainCode
        cities = c.cityNames
        provinces = c.provinceCodes
        promotionOrg = c.promotionOrg
        sources = c.sources
        notes = c.notes
        retiredOn = c.retiredOn?.iso
        version = c.version
    }
}

extension Optional {
    func unwrap() throws -> Wrapped {
        guard let value = self else { throw Abort(.notFound) }
        return value
    }
}
