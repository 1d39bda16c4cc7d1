import ClusterDomain
import Fluent
import Foundation
import Vapor

/// Appends to the audit trail. There is deliberately no update or delete here, nor anywhere else.
enum AuditLog {
    enum Outcome: String { case done, refused }

    /// Where a write came from: a request, or the command line.
    struct Origin {
        let at: Date
        let requestID: String?
        let clientAddress: String?
        /// True for a command run on the server, where the operator acts without a sign-in.
        let isCommandLine: Bool

        init(_ request: Request) {
            at = request.application.clock()
            requestID = request.id
            clientAddress = request.clientAddress
            isCommandLine = false
        }

        init(commandLine app: Application) {
            at = app.clock()
            requestID = nil
            clientAddress = "command line"
            isCommandLine = true
        }
    }

    /// The caller's admin grant, or — when there is none — the refusal audited and a 403 with `refusal`.
    static func adminGrant(
        _ caller: Caller, request: Request, action: String, entity: String, entityID: String?,
        after: String? = nil, scope: ClusterScope? = nil, refusal: Message
    ) async throws -> Grant {
        try await adminGrant(
            caller, on: request.db, origin: Origin(request), action: action, entity: entity, entityID: entityID,
            after: after, scope: scope, refusal: refusal)
    }

    static func adminGrant(
        _ caller: Caller?, on db: any Database, origin: Origin, action: String, entity: String, entityID: String?,
        after: String? = nil, scope: ClusterScope? = nil, refusal: Message
    ) async throws -> Grant {
        if let grant = caller?.grants.first(where: { $0.role == .admin }) { return grant }
        try await record(
            on: db, origin: origin, caller: caller, grant: nil, action: action, outcome: .refused,
            entity: entity, entityID: entityID, after: after, scope: scope)
        throw AuthError.forbidden(refusal)
    }

    static func record(
        on db: any Database, request: Request, caller: Caller?, grant: String?, action: String,
        outcome: Outcome, entity: String, entityID: String?, before: String? = nil, after: String? = nil,
        scope: ClusterScope? = nil
    ) async throws {
        try await record(
            on: db, origin: Origin(request), caller: caller, grant: grant, action: action, outcome: outcome,
            entity: entity, entityID: entityID, before: before, after: after, scope: scope)
    }

    static func record(
        on db: any Database, origin: Origin, caller: Caller?, grant: String?, action: String,
        outcome: Outcome, entity: String, entityID: String?, before: String? = nil, after: String? = nil,
        scope: ClusterScope? = nil
    ) async throws {
        let row = AuditEntryModel()
        row.at = origin.at
        row.actorID = caller?.userID
        row.actorEmail = caller?.email
        row.grant = grant ?? caller.map { $0.grants.map(\.description).joined(separator: ",") }
        row.via = caller?.via
        row.action = action
        row.outcome = outcome.rawValue
        row.entity = entity
        row.entityID = entityID
        row.before = before
        row.after = after
        row.scopeProvinces = scope?.provinceCodes ?? []
        row.scopeCities = scope?.cityNames ?? []
        row.requestID = origin.requestID
        row.clientAddress = origin.clientAddress
        if db.inTransaction {
            try await AuditChain.append(row, on: db)
        } else {
            try await db.writeTransaction { try await AuditChain.append(row, on: $0) }
        }
    }

    /// JSON of a value for the before/after columns, keys sorted.
    static func json(_ value: some Encodable) -> String? {
        guard let data = try? JSONEncoder.api.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Entries the caller may read, newest first, optionally about one entity.
    /// What the audit pages narrow the trail to: a record, a person, an action, a period.
    struct Filter: Sendable {
        var entityID: String?
        var actorEmail: String?
        var action: String?
        var from: Date?
        /// Exclusive.
        var until: Date?
    }

    static func visibleEntries(
        on db: any Database, caller: Caller, entityID: String?, filter: Filter = Filter(), limit: Int, offset: Int
    ) async throws -> (total: Int, rows: [AuditEntryModel]) {
        var query = AuditEntryModel.query(on: db).sort(\.$id, .descending)
        if let entityID = entityID ?? filter.entityID { query = query.filter(\.$entityID == entityID) }
        if let actor = filter.actorEmail { query = query.filter(\.$actorEmail == actor) }
        if let action = filter.action { query = query.filter(\.$action == action) }
        if let from = filter.from { query = query.filter(\.$at >= from) }
        if let until = filter.until { query = query.filter(\.$at < until) }
        let all = try await query.all()
        let visible = all.filter { row in
            AuditScope.visible(
                to: caller.grants, actorID: caller.userID.uuidString, entryActor: row.actorID?.uuidString,
                cluster: row.scopeProvinces.isEmpty && row.scopeCities.isEmpty && row.entity != "cluster"
                    ? nil
                    : ClusterScope(id: row.entityID, provinceCodes: row.scopeProvinces, cityNames: row.scopeCities))
        }
        return (visible.count, Array(visible.dropFirst(offset).prefix(limit)))
    }
}

/// One audit entry on the wire and in CSV.
struct AuditEntryDTO: Content {
    let id: Int
    let at: String
    let actorEmail: String?
    let grant: String?
    let via: String?
    let action: String
    let outcome: String
    let entity: String
    let entityId: String?
    let before: String?
    let after: String?
    let requestId: String?
    let clientAddress: String?

    init(_ m: AuditEntryModel) {
        id = m.id ?? 0
        at = ISO8601DateFormatter().string(from: m.at)
        actorEmail = m.actorEmail
        grant = m.grant
        via = m.via
        action = m.action
        outcome = m.outcome
        entity = m.entity
        entityId = m.entityID
        before = m.before
        after = m.after
        requestId = m.requestID
        clientAddress = m.clientAddress
    }

    static let csvColumns = [
        "id", "at", "actor_email", "grant", "via", "action", "outcome", "entity", "entity_id",
        "before", "after", "request_id", "client_address",
    ]

    /// The entries as a CSV download.
    static func csvResponse(_ items: [AuditEntryDTO]) -> Response {
        var text = CSV.line(csvColumns)
        for item in items { text += CSV.line(item.csvFields) }
        return .csv(text, filename: "audit.csv")
    }

    var csvFields: [String] {
        [
            String(id), at, actorEmail ?? "", grant ?? "", via ?? "", action, outcome, entity, entityId ?? "",
            before ?? "", after ?? "", requestId ?? "", clientAddress ?? "",
        ]
    }
}
