import ClusterDomain
import Fluent
import Vapor

/// Sign-in, sign-out, the account page with API tokens, and user administration.
struct AccountController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.login, use: loginForm)
        app.register(.POST, WebRoute.login, use: login)
        app.register(.POST, WebRoute.logout, use: logout)
        app.register(.GET, WebRoute.account, use: account)
        app.register(.POST, WebRoute.changePassword, use: changePassword)
        app.register(.POST, WebRoute.newToken, use: createToken)
        app.register(.POST, WebRoute.revokeToken(":id"), use: revokeToken)
        app.register(.GET, WebRoute.users, use: users)
        app.register(.POST, WebRoute.users, use: createUser)
        app.register(.POST, WebRoute.grantRole, use: grantRole)
        app.register(.POST, WebRoute.revokeRole, use: revokeRole)
    }

    func loginForm(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.login, section: nil)
        let next = SignInReturn.safePath(params["next"])
        if req.caller != nil { return req.redirect(to: next ?? WebRoute.account.path) }
        return PageResponse.html(AccountPages.login(ctx, csrf: CSRF.token(for: req), next: next).render())
    }

    struct LoginForm: Content {
        let email: String
        let password: String
        /// The page to go back to.
        var next: String?
        /// A form posted while signed out (`SignInReturn.Resume`), to offer again.
        var resume: String?
    }

    /// Where a successful sign-in goes: the carried form, to confirm; else the page asked for; else
    /// the account page.
    func afterSignIn(_ req: Request, _ form: LoginForm) async throws -> Response {
        if let resume = SignInReturn.Resume.decode(form.resume) {
            // The page that follows is drawn for the person now signed in.
            req.caller = try await CallerMiddleware.caller(forSession: req)
            return PageResponse.html(
                AccountPages.resume(req.plainPageContext(), csrf: CSRF.token(for: req), resume: resume).render())
        }
        return req.redirect(to: SignInReturn.safePath(form.next) ?? WebRoute.account.path)
    }

    /// A refused sign-in, audited under the address it was tried for (never the password).
    func auditRefusal(_ req: Request, email: String, reason: String) async throws {
        try await AuditLog.record(
            on: req.db, origin: AuditLog.Origin(req), caller: nil, grant: nil, action: "sign_in", outcome: .refused,
            entity: "user", entityID: String(email.prefix(254)), after: reason)
    }

    func login(req: Request) async throws -> Response {
        try CSRF.verify(req)
        let form = try req.content.decode(LoginForm.self)
        let email = Accounts.normalise(email: String(form.email.prefix(254)))
        let lang = req.language
        let settings = req.application.authSettings
        let throttle = LoginThrottle(db: req.db, settings: settings, now: req.application.clock())
        let keys = LoginThrottle.keys(email: email, address: req.clientAddress)
        if let wait = try await throttle.wait(for: keys) {
            try await auditRefusal(req, email: email, reason: "too many attempts; wait \(wait) s")
            let page = AccountPages.login(
                req.plainPageContext(), csrf: CSRF.token(for: req), email: email,
                message: lang.t("尝试次数过多，请 \(wait) 秒后再试。", "Too many attempts; try again in \(wait) s."),
                next: form.next, resume: form.resume)
            let response = PageResponse.html(page.render())
            response.status = .tooManyRequests
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        }
        let user = try await UserModel.query(on: req.db).filter(\.$email == email).first()
        // Verify against a real or a dummy hash, so unknown accounts take as long as wrong passwords.
        let hash = user?.passwordHash ?? req.application.dummyPasswordHash
        let password = String(form.password.prefix(PasswordPolicy.maximumLength))
        let matches = try await req.application.threadPool.runIfActive { [app = req.application] in
            (try? app.password.sync.verify(password, created: hash)) ?? false
        }
        guard let user, matches, !user.disabled else {
            try await throttle.recordFailure(keys)
            try await auditRefusal(
                req, email: email,
                reason: user == nil ? "no such account" : user?.disabled == true ? "account disabled" : "wrong password"
            )
            let page = AccountPages.login(
                req.plainPageContext(), csrf: CSRF.token(for: req), email: email,
                message: lang.t("邮箱或密码不正确。", "The e-mail address or the password is not right."),
                next: form.next, resume: form.resume)
            let response = PageResponse.html(page.render())
            response.status = .unauthorized
            return response
        }
        try await throttle.clear(account: email)
        // A fresh session id on sign-in, so an id planted before cannot ride along.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        if user.totpEnabledAt != nil {
            // The password was right; the sign-in completes after the code (`TwoFactorController`).
            req.session.data["pending_uid"] = try user.requireID().uuidString
            req.session.data["pending_at"] = String(req.application.clock().timeIntervalSince1970)
            req.session.data["csrf"] = TokenCodec.random()
            return PageResponse.html(
                TwoFactorPages.code(
                    req.plainPageContext(), csrf: CSRF.token(for: req), next: form.next, resume: form.resume
                ).render())
        }
        return try await completeSignIn(req, user: user, form: form)
    }

    /// Signs the user in on this session and goes on (a person whose role needs a second factor they
    /// have not turned on goes to set it up first).
    func completeSignIn(_ req: Request, user: UserModel, form: LoginForm) async throws -> Response {
        req.session.data["uid"] = try user.requireID().uuidString
        req.session.data["signed_in_at"] = String(req.application.clock().timeIntervalSince1970)
        req.session.data["csrf"] = TokenCodec.random()
        let caller = try await CallerMiddleware.caller(forSession: req)
        if caller?.needsSecondFactor == true { return req.redirect(to: WebRoute.twoFactor.path) }
        return try await afterSignIn(req, form)
    }

    struct PasswordForm: Content {
        var current_password: String?
        var new_password: String?
        var new_password_again: String?
    }

    /// `POST /account/password`: the current password, and a new one that meets the policy, twice.
    func changePassword(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        let form = try req.content.decode(PasswordForm.self)
        let lang = req.language
        guard let user = try await UserModel.find(caller.userID, on: req.db) else { throw AuthError.signInRequired }
        let current = String((form.current_password ?? "").prefix(PasswordPolicy.maximumLength))
        let matches = try await req.application.threadPool.runIfActive {
            [app = req.application, hash = user.passwordHash] in
            (try? app.password.sync.verify(current, created: hash)) ?? false
        }
        let new = form.new_password ?? ""
        var problem: String?
        if !matches {
            problem = lang.t("当前密码不正确。", "The current password is not right.")
        } else if new != form.new_password_again {
            problem = lang.t("两次输入的新密码不一致。", "The two new passwords differ.")
        } else if let weak = PasswordPolicy.problem(
            with: new, email: user.email, common: try PasswordPolicy.commonPasswords())
        {
            problem = lang.t("新密码不符合要求：", "The new password is refused: ") + weak.text(chinese: lang == .zh)
        }
        if let problem {
            try await AuditLog.record(
                on: req.db, origin: AuditLog.Origin(req), caller: caller, grant: nil, action: "change_password",
                outcome: .refused, entity: "user", entityID: user.email)
            return try await accountPage(req, caller: caller, message: problem, status: .unprocessableEntity)
        }
        let hash = try await req.application.threadPool.runIfActive { [app = req.application] in
            try app.password.sync.hash(new)
        }
        try await req.db.writeTransaction { tx in
            user.passwordHash = hash
            try await user.update(on: tx)
            try await AuditLog.record(
                on: tx, origin: AuditLog.Origin(req), caller: caller, grant: nil, action: "change_password",
                outcome: .done, entity: "user", entityID: user.email)
        }
        return try await accountPage(req, caller: caller, done: lang.t("密码已修改。", "Your password is changed."))
    }

    func logout(req: Request) async throws -> Response {
        try CSRF.verify(req)
        req.session.destroy()
        return req.redirect(to: WebRoute.home.path)
    }

    func account(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        return try await accountPage(req, caller: caller)
    }

    func accountPage(
        _ req: Request, caller: Caller, newToken: String? = nil, message: String? = nil, done: String? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let rows = try await APITokenModel.query(on: req.db).filter(\.$user.$id == caller.userID).sort(
            \.$createdAt, .descending
        ).all()
        let tokens = rows.map {
            AccountPages.TokenRow(
                id: $0.id?.uuidString ?? "", name: $0.name, prefix: $0.prefix, grants: $0.grants,
                expires: Day($0.expiresAt).iso, revoked: $0.revokedAt != nil)
        }
        let page = AccountPages.account(
            req.plainPageContext(), caller: caller, csrf: CSRF.token(for: req), tokens: tokens,
            newToken: newToken, message: message, done: done)
        let response = PageResponse.html(page.render())
        response.status = status
        return response
    }

    struct TokenForm: Content {
        let name: String
        let grants: [String]?
        let days: Int?
    }

    func createToken(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        let form = try req.content.decode(TokenForm.self)
        let lang = req.language
        do {
            let token = try await TokenIssuer(req: req, caller: caller).issue(
                name: form.name, grants: form.grants ?? [], days: form.days ?? 90)
            return try await accountPage(req, caller: caller, newToken: token)
        } catch let errors as FieldErrors {
            return try await accountPage(
                req, caller: caller,
                message: lang.t("未创建：", "Not created: ")
                    + errors.messages(chinese: lang == .zh).sorted { $0.key < $1.key }.map(\.value).joined(
                        separator: lang.t("；", "; ")),
                status: .unprocessableEntity)
        }
    }

    func revokeToken(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        try await TokenIssuer(req: req, caller: caller).revoke(id: id)
        return req.redirect(to: WebRoute.account.path)
    }

    // MARK: users (admin)

    func requireAdmin(_ req: Request) async throws -> Caller {
        let caller = try req.requireCaller()
        guard caller.isAdmin else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "manage_users",
                outcome: .refused, entity: "user", entityID: nil)
            throw AuthError.forbidden(Message("access.admin_users"))
        }
        return caller
    }

    func users(req: Request) async throws -> Response {
        _ = try await requireAdmin(req)
        return try await usersPage(req)
    }

    func usersPage(_ req: Request, message: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let rows = try await UserModel.query(on: req.db).with(\.$grants).sort(\.$email).all().map { user in
            AccountPages.UserRow(
                email: user.email, name: user.displayName,
                grants: user.grants.filter { $0.revokedAt == nil }.map { g in
                    g.scope.map { "\(g.role):\($0)" } ?? g.role
                })
        }
        let page = AccountPages.users(
            req.plainPageContext(), csrf: CSRF.token(for: req), users: rows,
            reference: req.application.reference, message: message)
        let response = PageResponse.html(page.render())
        response.status = status
        return response
    }

    struct UserForm: Content {
        let email: String
        let name: String?
        let password: String
        let role: String
        let scope: String?
    }

    func createUser(req: Request) async throws -> Response {
        let caller = try await requireAdmin(req)
        try CSRF.verify(req)
        let form = try req.content.decode(UserForm.self)
        let lang = req.language
        let grant: Grant
        switch Grant.make(
            role: Role(rawValue: form.role) ?? .expert, scope: form.scope, reference: req.application.reference)
        {
        case .success(let g) where Role(rawValue: form.role) != nil: grant = g
        case .success:
            return try await usersPage(
                req, message: lang.t("请选择角色", "role: choose a role"), status: .unprocessableEntity)
        case .failure(let e):
            return try await usersPage(
                req, message: lang.t(Message("account.scope").chinese, "scope: " + e.reason),
                status: .unprocessableEntity)
        }
        do {
            let user = try await Accounts(app: req.application, db: req.db)
                .create(email: form.email, name: form.name ?? "", password: form.password, grant: grant)
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: "admin", action: "create_user", outcome: .done,
                entity: "user", entityID: user.email,
                after: AuditLog.json(["email": user.email, "grant": grant.description]))
            let role = lang.name(grant, reference: req.application.reference)
            return try await usersPage(
                req, message: lang.t("已创建 \(user.email)（\(role)）", "Created \(user.email) with \(role)"))
        } catch let problem as Accounts.Problem {
            return try await usersPage(
                req,
                message: lang.t(FormFields.label(problem.field, lang) ?? "", problem.field + ": ")
                    + lang.text(problem.message), status: .unprocessableEntity)
        }
    }

    struct GrantForm: Content {
        let email: String
        let role: String?
        let scope: String?
        let grant: String?
    }

    func grantRole(req: Request) async throws -> Response {
        try await changeGrant(req, adding: true)
    }

    func revokeRole(req: Request) async throws -> Response {
        try await changeGrant(req, adding: false)
    }

    func changeGrant(_ req: Request, adding: Bool) async throws -> Response {
        let caller = try await requireAdmin(req)
        try CSRF.verify(req)
        let form = try req.content.decode(GrantForm.self)
        let reference = req.application.reference
        let parsed: Result<Grant, QueryError>
        if let text = form.grant {
            parsed = Grant.parse(text, reference: reference)
        } else if let role = form.role.flatMap(Role.init(rawValue:)) {
            parsed = Grant.make(role: role, scope: form.scope, reference: reference)
        } else {
            parsed = .failure(QueryError(parameter: "role", reason: "unknown role"))
        }
        guard case .success(let grant) = parsed else {
            if case .failure(let e) = parsed {
                return try await usersPage(
                    req, message: req.language.t(Message("account.scope").chinese, e.description),
                    status: .unprocessableEntity)
            }
            throw Abort(.badRequest)
        }
        let accounts = Accounts(app: req.application, db: req.db)
        guard let user = try await accounts.user(email: form.email) else {
            return try await usersPage(
                req, message: req.language.t("没有使用这个邮箱的用户", "email: no such user"), status: .unprocessableEntity)
        }
        try await req.db.writeTransaction { tx in
            if adding {
                try await accounts.add(grant, to: user, on: tx)
            } else {
                _ = try await accounts.revoke(grant, from: user, on: tx)
            }
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: "admin", action: adding ? "grant" : "revoke",
                outcome: .done, entity: "user", entityID: user.email,
                after: AuditLog.json(["email": user.email, "grant": grant.description]))
        }
        return req.redirect(to: WebRoute.users.path)
    }
}
