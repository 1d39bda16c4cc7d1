import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// TOTP as RFC 6238 defines it, and the second factor in the sign-in, the account and the access rules.
@Suite struct TwoFactorTests {
    /// RFC 6238 appendix B, HMAC-SHA1, eight digits.
    @Test func theRFC6238TestVectorsHold() {
        let secret = Array("12345678901234567890".utf8)
        let vectors: [(Int64, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (time, code) in vectors {
            let counter = TOTP.counter(at: Date(timeIntervalSince1970: TimeInterval(time)))
            #expect(TOTP.code(secret: secret, counter: counter, digits: 8) == code, "T = \(time)")
        }
    }

    /// RFC 4648 section 10.
    @Test func base32MatchesRFC4648() {
        let vectors = [
            ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8), padded: true) == encoded)
            #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
        }
        #expect(Base32.decode("MZ1") == nil)
    }

    @Test func aCodeIsAcceptedOnceWithinOneStepOfNow() {
        let secret = TOTP.newSecret()
        let now = Date(timeIntervalSince1970: 1_795_492_800)
        let step = TOTP.counter(at: now)
        let code = TOTP.code(secret: secret, counter: step)
        #expect(TOTP.verify(code, secret: secret, now: now, after: nil) == step)
        #expect(TOTP.verify(code, secret: secret, now: now.addingTimeInterval(30), after: nil) == step)
        #expect(TOTP.verify(code, secret: secret, now: now.addingTimeInterval(90), after: nil) == nil)
        #expect(TOTP.verify(code, secret: secret, now: now, after: step) == nil)
        #expect(
            TOTP.verify(String(code.prefix(3)) + " " + code.dropFirst(3), secret: secret, now: now, after: nil) == step)
    }

    /// Posts a form with a cookie and keeps the cookie the answer sets.
    static func post(_ app: Application, _ path: String, cookie: inout String, _ form: [String: String]) async throws
        -> Page
    {
        var page = Page(status: 0, body: "", location: "")
        var newCookie: String?
        try await app.testing().test(
            .POST, path, headers: ["Cookie": cookie],
            beforeRequest: { req in try req.content.encode(form, as: .urlEncodedForm) }
        ) { res in
            page = Page(
                status: res.status.code, body: res.body.string, location: res.headers.first(name: .location) ?? "")
            newCookie = cookieValue(res)
        }
        if let newCookie { cookie = newCookie }
        return page
    }

    static func signInWithPassword(_ app: Application, _ email: String) async throws -> (cookie: String, page: Page) {
        var (cookie, csrf) = try await openSignInForm(app)
        let page = try await post(
            app, "/login", cookie: &cookie, ["_csrf": csrf, "email": email, "password": testPassword])
        return (cookie, page)
    }

    @Test func theSecondFactorIsTurnedOnAskedForAtSignInAndRecoveryCodesWorkOnce() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "prov@example.org", [Grant(role: .provincial, scope: "32")])
            let browser = try await signIn(app, "prov@example.org")
            let setup = try await postForm(app, "/account/two-factor", browser, ["action": "start"])
            #expect(setup.status == 200)
            let grouped = try #require(
                setup.body.range(of: #"id="totp-secret" class="nowrap">"#).map {
                    String(setup.body[$0.upperBound...].prefix { $0 != "<" })
                })
            let secret = try #require(Base32.decode(grouped))
            let step = TOTP.counter(at: testNow)
            let wrong = try await postForm(app, "/account/two-factor", browser, ["action": "enable", "code": "000000"])
            #expect(wrong.status == 422)
            let on = try await postForm(
                app, "/account/two-factor", browser,
                ["action": "enable", "code": TOTP.code(secret: secret, counter: step)])
            #expect(on.status == 200)
            let codes = on.body.components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix(11)) }
            #expect(codes.count == 10)

            // Signing in now takes the password, then a code; a wrong code is refused and audited.
            var (cookie, page) = try await Self.signInWithPassword(app, "prov@example.org")
            #expect(page.status == 200)
            #expect(page.body.contains("输入验证码"))
            var csrf = try #require(csrfToken(in: page.body))
            let refused = try await Self.post(app, "/login/code", cookie: &cookie, ["_csrf": csrf, "code": "123456"])
            #expect(refused.status == 401)
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$action == "sign_in")
                .filter(\.$outcome == "refused").all()
            #expect(audited.contains { $0.after == "wrong second-factor code" })
            // The code used to turn it on counts once; the next step's code signs in.
            csrf = try #require(csrfToken(in: refused.body))
            let reused = try await Self.post(
                app, "/login/code", cookie: &cookie, ["_csrf": csrf, "code": TOTP.code(secret: secret, counter: step)])
            #expect(reused.status == 401)
            csrf = try #require(csrfToken(in: reused.body))
            let signedIn = try await Self.post(
                app, "/login/code", cookie: &cookie,
                ["_csrf": csrf, "code": TOTP.code(secret: secret, counter: step + 1)])
            #expect(signedIn.status == 303)
            #expect(try await getPage(app, "/account", Browser(cookie: cookie, csrf: "")).status == 200)

            // A recovery code signs in once.
            for expected in [UInt(303), 401] {
                var (cookie, page) = try await Self.signInWithPassword(app, "prov@example.org")
                let csrf = try #require(csrfToken(in: page.body))
                page = try await Self.post(app, "/login/code", cookie: &cookie, ["_csrf": csrf, "code": codes[0]])
                #expect(page.status == expected)
            }
            let actions = try await AuditEntryModel.query(on: app.db).all().map(\.action)
            #expect(actions.contains("second_factor_on"))
            #expect(actions.contains("recovery_code_used"))
        }
    }

    @Test func aRoleThatNeedsTheSecondFactorReachesOnlyItsSetUpUntilItIsOn() async throws {
        try await withLadder(.sqlite) { app in
            app.authSettings.secondFactorRoles = [.admin]
            try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            let (cookie, page) = try await Self.signInWithPassword(app, "admin@example.org")
            #expect(page.status == 303)
            #expect(page.location == "/account/two-factor")
            let browser = Browser(cookie: cookie, csrf: "")
            let blocked = try await getPage(app, "/clusters/new", browser)
            #expect(blocked.status == 303)
            #expect(blocked.location == "/account/two-factor")
            let setupPage = try await getPage(app, "/account/two-factor", browser)
            #expect(setupPage.body.contains("您的角色须开启两步验证"))
            let csrf = try #require(csrfToken(in: setupPage.body))
            let token = try await postForm(app, "/account/tokens", Browser(cookie: cookie, csrf: csrf), ["name": "x"])
            #expect(token.status == 403)
        }
    }
}
