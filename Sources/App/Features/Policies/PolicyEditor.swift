import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// The only code that changes policy instruments: validation, the scope check (`AccessRules.allowsPolicy`,
/// before and after), the version claim, the write and the audit entry, in one transaction. Used by
/// the API, the forms and `ladder policies import`.
struct PolicyEditor {
    let db: any Database
    let origin: AuditLog.Origin
    /// Nil for the operator's command line, which acts as admin.
    let caller: Caller?
    let shipped: PolicyCatalogue
    let reference: ReferenceData

    init(
        db: any Database, origin: AuditLog.Origin, caller: Caller? = nil, shipped: PolicyCatalogue,
        reference: ReferenceData
    ) {
        self.db = db
        self.origin = origin
        self.caller = caller
        self.shipped = shipped
        self.reference = reference
    }

    struct Stale: Error {
        let current: Policy
    }

    var store: PolicyStore { PolicyStore(db: db, shipped: shipped) }

    func grant(for scopes: [PolicyScope]) -> String? {
        guard let caller else { return "cli" }
        return caller.grants.first { g in scopes.allSatisfy { AccessRules.allowsPolicy(g, on: $0) } }?.description
    }

    func refuse(_ action: String, id: String?) async throws -> Never {
        try await AuditLog.record(
            on: db, origin: origin, caller: caller, grant: nil, action: action, outcome: .refused,
            entity: "policy", entityID: id)
        throw AuthError.forbidden(
            "access.policy_action",
            ["grants": caller?.grants.map(\.description).joined(separator: ", ") ?? "", "action": action])
    }

    static func audited(_ p: Policy) -> String? {
        PolicyDraft(p).jsonObject(version: p.version)
    }

    /// Creates a policy with the next free id (or `id` for an import).
    func create(_ draft: PolicyDraft, id wanted: String? = nil) async throws -> Policy {
        let (catalogue, grant) = try await check(draft, id: wanted)
        return try await db.writeTransaction { tx in
            try await insert(draft, id: wanted, catalogue: catalogue, grant: grant, on: tx)
        }
    }

    /// Creates a policy inside the transaction this editor's database already is, for an import that
    /// writes many policies together or none.
    func createInThisTransaction(_ draft: PolicyDraft, id wanted: String? = nil) async throws -> Policy {
        let (catalogue, grant) = try await check(draft, id: wanted)
        return try await insert(draft, id: wanted, catalogue: catalogue, grant: grant, on: db)
    }

    /// The checks of a create, made before anything is written (the id plays no part in them):
    /// a wanted id that is free, every field, and a grant that covers the policy (else the refusal is audited).
    private func check(_ draft: PolicyDraft, id wanted: String?) async throws -> (PolicyCatalogue, String) {
        let catalogue = try await store.catalogue()
        if let wanted, catalogue.policy(id: wanted) != nil {
            throw FieldErrors(["id": Message("policy.id_taken", ["id": wanted])])
        }
        let checked = try draft.validate(
            id: wanted ?? IdSeries.policy.prefix, version: 1, catalogue: catalogue, reference: reference
        ).get()
        guard let grant = grant(for: [PolicyScope(checked, catalogue: catalogue, reference: reference)]) else {
            try await refuse("create_policy", id: nil)
        }
        return (catalogue, grant)
    }

    private func insert(
        _ draft: PolicyDraft, id wanted: String?, catalogue: PolicyCatalogue, grant: String, on tx: any Database
    ) async throws -> Policy {
        let id: String
        if let wanted { id = wanted } else { id = try await IdAllocator.next(.policy, on: tx) }
        let policy = try draft.validate(id: id, version: 1, catalogue: catalogue, reference: reference).get()
        try await PolicyModel(policy).create(on: tx)
        try await AuditLog.record(
            on: tx, origin: origin, caller: caller, grant: grant, action: "create_policy",
            outcome: .done, entity: "policy", entityID: id, after: Self.audited(policy))
        return policy
    }

    /// Updates a policy the caller read at `version`.
    func update(id: String, version: Int?, _ draft: PolicyDraft) async throws -> Policy {
        let catalogue = try await store.catalogue()
        guard let before = catalogue.policy(id: id) else {
            throw APIError.notFound("no policy with id '\(id.prefix(32))'", parameter: "id")
        }
        guard let version else {
            throw FieldErrors(["version": .staleVersion(before.version)])
        }
        let after = try draft.validate(id: id, version: version + 1, catalogue: catalogue, reference: reference).get()
        guard
            let grant = grant(for: [
                PolicyScope(before, catalogue: catalogue, reference: reference),
                PolicyScope(after, catalogue: catalogue, reference: reference),
            ])
        else {
            try await refuse("update_policy", id: id)
        }
        try await db.writeTransaction { tx in
            guard try await VersionClaim.claim("policies", id: id, version: version, on: tx) else {
                let current = try await PolicyModel.find(id, on: tx)?.policy() ?? before
                throw Stale(current: current)
            }
            guard let model = try await PolicyModel.find(id, on: tx) else { throw Abort(.internalServerError) }
            model.update(from: after)
            try await model.save(on: tx)
            try await AuditLog.record(
                on: tx, origin: origin, caller: caller, grant: grant, action: "update_policy",
                outcome: .done, entity: "policy", entityID: id, before: Self.audited(before),
                after: Self.audited(after))
        }
        return after
    }
}

extension PolicyDraft {
    /// The draft's fields as a JSON object (for the audit trail and the import format).
    func jsonObject(version: Int? = nil) -> String {
        var object: [String: Any] = [:]
        object["version"] = version
        object["category"] = category
        object["level"] = level
        object["jurisdiction"] = jurisdiction
        object["issuers"] = issuers
        object["owners"] = owners
        object["document_number"] = documentNumber
        object["title_zh"] = titleZh
        object["title_en"] = titleEn
        object["summary_zh"] = summaryZh
        object["summary_en"] = summaryEn
        object["issued_on"] = issuedOn
        object["effective_on"] = effectiveOn
        object["expires_on"] = expiresOn
        object["url"] = url
        object["source"] = source
        object["rule"] = ruleJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let data =
            (try? JSONSerialization.data(withJSONObject: object.compactMapValues { $0 }, options: [.sortedKeys]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
