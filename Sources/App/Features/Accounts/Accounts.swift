import ClusterDomain
import Fluent
import Foundation
import Vapor

/// Creating users and changing their grants: shared by `ladder users` and the admin pages.
struct Accounts {
    let app: Application
    let db: any Database

    struct Problem: Error, CustomStringConvertible {
        let field: String
        let message: Message
        var description: String { "\(field): \(message.english)" }
    }

    static func normalise(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    static func validEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return email.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }

    func create(email rawEmail: String, name: String, password: String, grant: Grant) async throws -> UserModel {
        let email = Self.normalise(email: rawEmail)
        guard Self.validEmail(email) else { throw Problem(field: "email", message: Message("account.email")) }
        let displayName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard displayName.count <= 100 else { throw Problem(field: "name", message: .tooLong(100)) }
        let common = try PasswordPolicy.commonPasswords()
        if let problem = PasswordPolicy.problem(with: password, email: email, common: common) {
            throw Problem(field: "password", message: problem)
        }
        if try await UserModel.query(on: db).filter(\.$email == email).first() != nil {
            throw Problem(field: "email", message: Message("account.exists"))
        }
        let hash = try await app.threadPool.runIfActive { [app] in try app.password.sync.hash(password) }
        return try await db.writeTransaction { tx in
            let user = UserModel()
            user.email = email
            user.displayName = displayName.isEmpty ? email : displayName
            user.passwordHash = hash
            user.disabled = false
            try await user.create(on: tx)
            try await add(grant, to: user, on: tx)
            return user
        }
    }

    func add(_ grant: Grant, to user: UserModel, on db: any Database) async throws {
        let existing = try await RoleGrantModel.query(on: db).filter(\.$user.$id == user.requireID())
            .filter(\.$role == grant.role.rawValue).filter(\.$revokedAt == nil).all()
        guard !existing.contains(where: { $0.scope == grant.scope }) else { return }
        let row = RoleGrantModel()
        row.$user.id = try user.requireID()
        row.role = grant.role.rawValue
        row.scope = grant.scope
        try await row.create(on: db)
    }

    /// Marks matching grants revoked; returns how many.
    func revoke(_ grant: Grant, from user: UserModel, on db: any Database) async throws -> Int {
        let rows = try await RoleGrantModel.query(on: db).filter(\.$user.$id == user.requireID())
            .filter(\.$role == grant.role.rawValue).filter(\.$revokedAt == nil).all()
            .filter { $0.scope == grant.scope }
        for row in rows {
            row.revokedAt = app.clock()
            try await row.update(on: db)
        }
        return rows.count
    }

    func user(email: String) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$email == Self.normalise(email: email)).first()
    }
}
