import ClusterDomain
import Fluent
import Foundation
import Vapor

/// Issues and revokes API tokens for the caller: grants must be a subset of the caller's own.
struct TokenIssuer {
    let req: Request
    let caller: Caller

    func issue(name rawName: String, grants texts: [String], days: Int) async throws -> String {
        var errors: [String: Message] = [:]
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 60 { errors["name"] = .lengthBetween(1, 60) }
        if !(1...365).contains(days) { errors["days"] = Message("token.days") }
        let reference = req.application.reference
        var grants: [Grant] = []
        for text in texts.prefix(20) {
            switch Grant.parse(text, reference: reference) {
            case .success(let g) where AccessRules.covers(caller.grants, g): grants.append(g)
            case .success(let g): errors["grants"] = Message("token.not_held", ["grant": "\(g)"])
            case .failure(let e): errors["grants"] = Message("token.bad_grant", ["reason": e.reason])
            }
        }
        if grants.isEmpty && errors["grants"] == nil { errors["grants"] = Message("token.no_grant") }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        let token = TokenCodec.generate()
        let row = APITokenModel()
        row.$user.id = caller.userID
        row.name = name
        row.tokenHash = TokenCodec.hash(token)
        row.prefix = String(token.prefix(10))
        row.grants = grants.map(\.description)
        row.expiresAt = req.application.clock().addingTimeInterval(Double(days) * 86_400)
        try await req.db.writeTransaction { tx in
            try await row.create(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: nil, action: "create_token", outcome: .done,
                entity: "api_token", entityID: row.id?.uuidString,
                after: AuditLog.json(["name": name, "prefix": row.prefix, "grants": row.grants.joined(separator: ",")]))
        }
        return token
    }

    func revoke(id: UUID) async throws {
        guard let row = try await APITokenModel.find(id, on: req.db), row.$user.id == caller.userID else {
            throw APIError.notFound("no such token of yours", parameter: "id")
        }
        guard row.revokedAt == nil else { return }
        row.revokedAt = req.application.clock()
        try await req.db.writeTransaction { tx in
            try await row.update(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: nil, action: "revoke_token", outcome: .done,
                entity: "api_token", entityID: id.uuidString)
        }
    }
}
