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
        let reason: String
        var description: String { "\(field): \(reason)" }
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
        guard Self.validEmail(email) else { throw Problem(field: "email", reason: "not an e-mail address") }
        let displayName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard displayName.count <= 100 else { throw Problem(field: "name", reason: "at most 100 characters") }
        let common = try PasswordPolicy.commonPasswords()
        if let problem = PasswordPolicy.problem(with: password, email: email, common: common) {
            throw Problem(field: "password", reason: problem)
        }
        if try await UserModel.query(on: db).filter(\.$email == email).first() != nil {
            throw Problem(field: "email", reason: "a user with this e-mail address exists")
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

/// `ladder users create|list|grant|revoke`.
struct UsersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create, list, grant, revoke or token")
        var action: String

        @Option(name: "email", help: "the user's e-mail address")
        var email: String?

        @Option(name: "role", help: "admin, ministry_reviewer, provincial, city, promotion_org or expert")
        var role: String?

        @Option(name: "scope", help: "province code, city name, cluster id or department, as the role needs")
        var scope: String?

        @Option(name: "name", help: "display name (create), token name (token)")
        var name: String?

        @Option(name: "days", help: "token lifetime in days, 1 to 365 (token; default 30)")
        var days: Int?
    }

    var help: String {
        "Manages users. `create` reads the password from a prompt, or from standard input when it is not a terminal. `token` prints a new API token for the user carrying --role/--scope (which the user must hold). No default account exists."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let accounts = Accounts(app: app, db: app.db)
        switch signature.action {
        case "list":
            let users = try await UserModel.query(on: app.db).with(\.$grants).sort(\.$email).all()
            for user in users {
                let grants = user.grants.filter { $0.revokedAt == nil }.map { g in
                    g.scope.map { "\(g.role):\($0)" } ?? g.role
                }
                context.console.print(
                    "\(user.email)\t\(user.displayName)\t\(grants.joined(separator: ","))\(user.disabled ? "\tdisabled" : "")"
                )
            }
        case "create":
            let email = try required(signature.email, "--email")
            let grant = try grant(signature, app)
            let password = try readPassword(context)
            do {
                let user = try await accounts.create(
                    email: email, name: signature.name ?? "", password: password, grant: grant)
                try await Self.audit(
                    app, action: "create_user", user: user, detail: ["email": user.email, "grant": grant.description])
                context.console.print("created \(user.email) with \(grant)")
            } catch let problem as Accounts.Problem {
                throw CommandError(problem.description)
            }
        case "grant", "revoke":
            let email = try required(signature.email, "--email")
            let grant = try grant(signature, app)
            guard let user = try await accounts.user(email: email) else {
                throw CommandError("--email: no user \(email)")
            }
            if signature.action == "grant" {
                try await accounts.add(grant, to: user, on: app.db)
                try await Self.audit(
                    app, action: "grant", user: user, detail: ["email": user.email, "grant": grant.description])
                context.console.print("granted \(grant) to \(user.email)")
            } else {
                let n = try await accounts.revoke(grant, from: user, on: app.db)
                if n > 0 {
                    try await Self.audit(
                        app, action: "revoke", user: user, detail: ["email": user.email, "grant": grant.description])
                }
                context.console.print(
                    n == 0 ? "\(user.email) did not hold \(grant)" : "revoked \(grant) from \(user.email)")
            }
        case "token":
            let email = try required(signature.email, "--email")
            let grant = try grant(signature, app)
            guard let user = try await accounts.user(email: email) else {
                throw CommandError("--email: no user \(email)")
            }
            let held = try await CallerMiddleware.activeGrants(
                of: try user.requireID(), on: app.db, reference: app.reference)
            guard AccessRules.covers(held, grant) else {
                throw CommandError("--role: \(user.email) does not hold \(grant)")
            }
            let days = signature.days ?? 30
            guard (1...365).contains(days) else { throw CommandError("--days: a whole number from 1 to 365") }
            let token = TokenCodec.generate()
            let row = APITokenModel()
            row.$user.id = try user.requireID()
            row.name = signature.name ?? "command line"
            row.tokenHash = TokenCodec.hash(token)
            row.prefix = String(token.prefix(10))
            row.grants = [grant.description]
            row.expiresAt = app.clock().addingTimeInterval(Double(days) * 86_400)
            try await row.create(on: app.db)
            try await Self.audit(
                app, action: "create_token", user: user,
                detail: ["email": user.email, "prefix": row.prefix, "grants": grant.description])
            context.console.print(token)
        default:
            throw CommandError("unknown action '\(signature.action)'; allowed: create, list, grant, revoke, token")
        }
    }

    /// Command-line changes are audited like any other, with "command line" as the address.
    static func audit(_ app: Application, action: String, user: UserModel, detail: [String: String]) async throws {
        try await AuditLog.record(
            on: app.db, origin: .init(commandLine: app), caller: nil, grant: "command line", action: action,
            outcome: .done, entity: "user", entityID: user.email, after: AuditLog.json(detail))
    }

    func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else { throw CommandError("\(name) is required") }
        return value
    }

    func grant(_ s: Signature, _ app: Application) throws -> Grant {
        guard let roleText = s.role, let role = Role(rawValue: roleText) else {
            throw CommandError("--role: one of " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        switch Grant.make(role: role, scope: s.scope, reference: app.reference) {
        case .success(let grant): return grant
        case .failure(let error): throw CommandError("--scope: " + error.reason)
        }
    }

    func readPassword(_ context: CommandContext) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            let first = context.console.ask("Password".consoleText(), isSecure: true)
            let second = context.console.ask("Password again".consoleText(), isSecure: true)
            guard first == second else { throw CommandError("the passwords differ") }
            return first
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CommandError("no password on standard input")
        }
        return line
    }
}
