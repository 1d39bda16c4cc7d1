import ClusterDomain
import Fluent
import Foundation
import Vapor

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
        try await app.migrate()
        let accounts = Accounts(app: app, db: app.db)
        switch signature.action {
        case "list": try await list(app, console: context.console)
        case "create":
            let email = try required(signature.email, "--email")
            let grant = try grant(signature, app)
            try await create(
                accounts, email: email, name: signature.name, grant: grant, password: try readPassword(context),
                console: context.console)
        case "grant", "revoke":
            let email = try required(signature.email, "--email")
            let grant = try grant(signature, app)
            guard let user = try await accounts.user(email: email) else {
                throw CommandError("--email: no user \(email)")
            }
            try await change(accounts, grant, of: user, adding: signature.action == "grant", console: context.console)
        case "token":
            let email = try required(signature.email, "--email")
            let grant = try grant(signature, app)
            guard let user = try await accounts.user(email: email) else {
                throw CommandError("--email: no user \(email)")
            }
            context.console.print(
                try await token(app, for: user, grant: grant, name: signature.name, days: signature.days))
        default:
            throw CommandError("unknown action '\(signature.action)'; allowed: create, list, grant, revoke, token")
        }
    }

    func list(_ app: Application, console: any Console) async throws {
        let users = try await UserModel.query(on: app.db).with(\.$grants).sort(\.$email).all()
        for user in users {
            let grants = user.grants.filter { $0.revokedAt == nil }.map { g in
                g.scope.map { "\(g.role):\($0)" } ?? g.role
            }
            console.print(
                "\(user.email)\t\(user.displayName)\t\(grants.joined(separator: ","))\(user.disabled ? "\tdisabled" : "")"
            )
        }
    }

    func create(
        _ accounts: Accounts, email: String, name: String?, grant: Grant, password: String, console: any Console
    ) async throws {
        do {
            let user = try await accounts.create(email: email, name: name ?? "", password: password, grant: grant)
            try await Self.audit(
                accounts.app, action: "create_user", user: user,
                detail: ["email": user.email, "grant": grant.description])
            console.print("created \(user.email) with \(grant)")
        } catch let problem as Accounts.Problem {
            throw CommandError(problem.description)
        }
    }

    func change(_ accounts: Accounts, _ grant: Grant, of user: UserModel, adding: Bool, console: any Console)
        async throws
    {
        let app = accounts.app
        let detail = ["email": user.email, "grant": grant.description]
        if adding {
            try await accounts.add(grant, to: user, on: app.db)
            try await Self.audit(app, action: "grant", user: user, detail: detail)
            console.print("granted \(grant) to \(user.email)")
            return
        }
        let n = try await accounts.revoke(grant, from: user, on: app.db)
        if n > 0 { try await Self.audit(app, action: "revoke", user: user, detail: detail) }
        console.print(n == 0 ? "\(user.email) did not hold \(grant)" : "revoked \(grant) from \(user.email)")
    }

    /// A new API token for a grant the user holds, valid for `days` (30 when not given).
    func token(_ app: Application, for user: UserModel, grant: Grant, name: String?, days: Int?) async throws -> String
    {
        let held = try await CallerMiddleware.activeGrants(
            of: try user.requireID(), on: app.db, reference: app.reference)
        guard AccessRules.covers(held, grant) else {
            throw CommandError("--role: \(user.email) does not hold \(grant)")
        }
        let days = days ?? 30
        guard (1...365).contains(days) else { throw CommandError("--days: a whole number from 1 to 365") }
        let token = TokenCodec.generate()
        let row = APITokenModel()
        row.$user.id = try user.requireID()
        row.name = name ?? "command line"
        row.tokenHash = TokenCodec.hash(token)
        row.prefix = String(token.prefix(10))
        row.grants = [grant.description]
        row.expiresAt = app.clock().addingTimeInterval(Double(days) * 86_400)
        try await row.create(on: app.db)
        try await Self.audit(
            app, action: "create_token", user: user,
            detail: ["email": user.email, "prefix": row.prefix, "grants": grant.description])
        return token
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
