import ClusterDomain
import Fluent
import Foundation
import Vapor

/// The second factor: turning it on and off on `/account/two-factor`, and the code asked for after the
/// password on `/login/code`. Every change and every refused code is audited (never the code).
struct TwoFactorController: Sendable {
    /// How long a correct password waits for its code.
    static let pendingSeconds: TimeInterval = 5 * 60

    func register(on app: Application) {
        app.register(.GET, WebRoute.twoFactor, use: status)
        app.register(.POST, WebRoute.twoFactor, use: change)
        app.register(.GET, WebRoute.signInCode, use: codeForm)
        app.register(.POST, WebRoute.signInCode, use: verifyCode)
    }

    struct ChangeForm: Content {
        var action: String?
        var code: String?
    }

    struct CodeForm: Content {
        var code: String?
        var next: String?
        var resume: String?
    }

    static func recoveryHashes(_ user: UserModel) -> [String] {
        guard let text = user.recoveryCodes,
            let hashes = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
        else { return [] }
        return hashes
    }

    func status(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        let (_, ctx) = try req.page(.twoFactor, section: nil)
        let user = try await Self.user(caller, req)
        return PageResponse.html(
            TwoFactorPages.status(
                ctx, csrf: CSRF.token(for: req), enabledOn: user.totpEnabledAt,
                recoveryLeft: Self.recoveryHashes(user).count, required: caller.needsSecondFactor
            ).render())
    }

    static func user(_ caller: Caller, _ req: Request) async throws -> UserModel {
        guard let user = try await UserModel.find(caller.userID, on: req.db) else { throw AuthError.signInRequired }
        return user
    }

    /// `action=start` shows a new secret (kept in the session until confirmed), `enable` confirms it with a
    /// code and shows the recovery codes once, `disable` turns it off after a current code.
    func change(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        let form = try req.content.decode(ChangeForm.self)
        let user = try await Self.user(caller, req)
        let ctx = req.plainPageContext()
        let lang = req.language
        let csrf = CSRF.token(for: req)
        let now = req.application.clock()
        switch form.action {
        case "start" where user.totpEnabledAt == nil:
            let secret = TOTP.newSecret()
            req.session.data["totp_pending"] = Base32.encode(secret)
            return PageResponse.html(
                TwoFactorPages.setup(ctx, csrf: csrf, secret: Base32.encode(secret), uri: Self.uri(secret, user))
                    .render())
        case "enable" where user.totpEnabledAt == nil:
            guard let pending = req.session.data["totp_pending"], let secret = Base32.decode(pending) else {
                return req.redirect(to: WebRoute.twoFactor.path)
            }
            guard let step = TOTP.verify(form.code ?? "", secret: secret, now: now, after: nil) else {
                try await audit(req, caller, "second_factor_on", .refused, "wrong code")
                let page = TwoFactorPages.setup(
                    ctx, csrf: csrf, secret: pending, uri: Self.uri(secret, user),
                    message: lang.t(
                        "验证码不正确，请核对手机时间后重新输入。", "The code is not right; check the phone's clock and try again."))
                return PageResponse.html(page.render(), status: .unprocessableEntity)
            }
            let codes = TOTP.recoveryCodes()
            user.totpSecret = pending
            user.totpEnabledAt = now
            user.totpLastStep = step
            user.recoveryCodes = String(decoding: try JSONEncoder().encode(codes.map(TOTP.recoveryHash)), as: UTF8.self)
            try await user.save(on: req.db)
            req.session.data["totp_pending"] = nil
            try await audit(req, caller, "second_factor_on", .done, nil)
            return PageResponse.html(TwoFactorPages.recoveryCodes(req.plainPageContext(), codes: codes).render())
        case "disable" where user.totpEnabledAt != nil:
            guard Self.accept(form.code ?? "", for: user, now: now) != nil else {
                try await audit(req, caller, "second_factor_off", .refused, "wrong code")
                let page = TwoFactorPages.status(
                    ctx, csrf: csrf, enabledOn: user.totpEnabledAt, recoveryLeft: Self.recoveryHashes(user).count,
                    required: false, message: lang.t("验证码不正确，未关闭。", "The code is not right; nothing changed."))
                return PageResponse.html(page.render(), status: .unprocessableEntity)
            }
            user.totpSecret = nil
            user.totpEnabledAt = nil
            user.totpLastStep = nil
            user.recoveryCodes = nil
            try await user.save(on: req.db)
            try await audit(req, caller, "second_factor_off", .done, nil)
            return req.redirect(to: WebRoute.twoFactor.path)
        default:
            return req.redirect(to: WebRoute.twoFactor.path)
        }
    }

    static func uri(_ secret: [UInt8], _ user: UserModel) -> String {
        TOTP.provisioningURI(secret: secret, account: user.email, issuer: "ClusterLadder")
    }

    /// A current code (once), or an unused recovery code (then used up); the user row is updated, not saved.
    static func accept(_ typed: String, for user: UserModel, now: Date) -> String? {
        guard let text = user.totpSecret, let secret = Base32.decode(text) else { return nil }
        if let step = TOTP.verify(typed, secret: secret, now: now, after: user.totpLastStep) {
            user.totpLastStep = step
            return "code"
        }
        var hashes = recoveryHashes(user)
        let hash = TOTP.recoveryHash(typed)
        guard typed.count >= 10, let index = hashes.firstIndex(of: hash) else { return nil }
        hashes.remove(at: index)
        user.recoveryCodes = String(decoding: (try? JSONEncoder().encode(hashes)) ?? Data("[]".utf8), as: UTF8.self)
        return "recovery code"
    }

    func audit(_ req: Request, _ caller: Caller, _ action: String, _ outcome: AuditLog.Outcome, _ reason: String?)
        async throws
    {
        try await AuditLog.record(
            on: req.db, origin: AuditLog.Origin(req), caller: caller, grant: nil, action: action, outcome: outcome,
            entity: "user", entityID: caller.email, after: reason)
    }

    func codeForm(req: Request) async throws -> Response {
        guard req.session.data["pending_uid"] != nil else { return req.redirect(to: WebRoute.login.path) }
        _ = try req.page(.signInCode, section: nil)
        return PageResponse.html(
            TwoFactorPages.code(req.plainPageContext(), csrf: CSRF.token(for: req), next: nil, resume: nil).render())
    }

    /// The code after a correct password: the sign-in completes, or the refusal is throttled and audited.
    func verifyCode(req: Request) async throws -> Response {
        try CSRF.verify(req)
        let form = try req.content.decode(CodeForm.self)
        let now = req.application.clock()
        guard let id = req.session.data["pending_uid"].flatMap(UUID.init(uuidString:)),
            let at = req.session.data["pending_at"].flatMap(Double.init),
            now.timeIntervalSince1970 - at <= Self.pendingSeconds,
            let user = try await UserModel.find(id, on: req.db), !user.disabled
        else {
            req.session.data["pending_uid"] = nil
            return req.redirect(to: WebRoute.login.path)
        }
        let throttle = LoginThrottle(db: req.db, settings: req.application.authSettings, now: now)
        let keys = LoginThrottle.keys(email: user.email, address: req.clientAddress)
        let lang = req.language
        if try await throttle.wait(for: keys) == nil, let used = Self.accept(form.code ?? "", for: user, now: now) {
            try await user.save(on: req.db)
            try await throttle.clear(account: user.email)
            if used == "recovery code" {
                try await AuditLog.record(
                    on: req.db, origin: AuditLog.Origin(req), caller: nil, grant: nil, action: "recovery_code_used",
                    outcome: .done, entity: "user", entityID: user.email,
                    after: "\(Self.recoveryHashes(user).count) left")
            }
            req.session.data["pending_uid"] = nil
            req.session.data["pending_at"] = nil
            return try await AccountController().completeSignIn(
                req, user: user, form: .init(email: user.email, password: "", next: form.next, resume: form.resume))
        }
        try await throttle.recordFailure(keys)
        try await AccountController().auditRefusal(req, email: user.email, reason: "wrong second-factor code")
        let page = TwoFactorPages.code(
            req.plainPageContext(), csrf: CSRF.token(for: req), next: form.next, resume: form.resume,
            message: lang.t(
                "验证码不正确或已用过，请输入应用中当前显示的验证码。", "The code is not right or was used; type the one the app shows now."))
        return PageResponse.html(page.render(), status: .unauthorized)
    }
}

/// Sessions of people whose role needs a second factor they have not turned on reach only their
/// account, the second factor's page and signing out.
struct SecondFactorRequiredMiddleware: AsyncMiddleware {
    static let open: Set<String> = [
        WebRoute.account.path, WebRoute.twoFactor.path, WebRoute.logout.path, WebRoute.stylesheet.path,
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.caller?.needsSecondFactor == true, !Self.open.contains(request.url.path) else {
            return try await next.respond(to: request)
        }
        if request.method == .GET { return request.redirect(to: WebRoute.twoFactor.path) }
        throw AuthError.forbidden(Message("access.second_factor_needed"))
    }
}
