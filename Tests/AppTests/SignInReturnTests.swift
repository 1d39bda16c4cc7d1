import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Signing in keeps a person's place: back to the page asked for (never to another site), a form
/// posted after the session ran out offered again with what was typed; refused sign-ins are audited
/// without the password; a person changes their own password on `/account`.
@Suite struct SignInReturnTests {
    @Test(arguments: [
        ("/work", "/work"), ("/clusters?province=32", "/clusters?province=32"), ("//evil.example", nil),
        ("https://evil.example/", nil), ("/\\evil.example", nil), ("/login?next=/work", nil), ("/api/v1/audit", nil),
        ("", nil), ("work", nil),
    ])
    func onlyPagesOfThisSiteAreReturnedTo(path: String, expected: String?) {
        #expect(SignInReturn.safePath(path) == expected)
    }

    /// A fresh browser's cookie and form token from the sign-in page (optionally with `?next=`).
    static func loginPage(_ app: Application, query: String = "") async throws -> (String, String, String) {
        var out = ("", "", "")
        try await app.testing().test(.GET, "/login" + query) { res in
            out = (try #require(cookieValue(res)), try #require(csrfToken(in: res.body.string)), res.body.string)
        }
        return out
    }

    static func postLogin(_ app: Application, cookie: String, _ fields: [String: String]) async throws -> (
        HTTPStatus, String?, String
    ) {
        var out: (HTTPStatus, String?, String) = (.ok, nil, "")
        try await app.testing().test(
            .POST, "/login", headers: ["Cookie": cookie],
            beforeRequest: { req in try req.content.encode(fields, as: .urlEncodedForm) }
        ) { res in out = (res.status, res.headers.first(name: .location), res.body.string) }
        return out
    }

    @Test func aDeepLinkComesBackAfterSigningIn() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "苏州")])
            try await app.testing().test(.GET, "/work?cluster=NC011") { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login?next=%2Fwork%3Fcluster%3DNC011")
            }
            let (cookie, csrf, html) = try await Self.loginPage(app, query: "?next=%2Fwork%3Fcluster%3DNC011")
            #expect(html.contains("name=\"next\" value=\"/work?cluster=NC011\""))
            let (status, location, _) = try await Self.postLogin(
                app, cookie: cookie,
                ["_csrf": csrf, "email": "city@example.org", "password": testPassword, "next": "/work?cluster=NC011"])
            #expect(status == .seeOther)
            #expect(location == "/work?cluster=NC011")
        }
    }

    @Test(arguments: ["//evil.example/", "https://evil.example/", "/\\evil.example"])
    func neverToAnotherSite(next: String) async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "苏州")])
            let (cookie, csrf, html) = try await Self.loginPage(app, query: "?next=" + WebRoute.encode(next))
            #expect(!html.contains("name=\"next\""))
            let (_, location, _) = try await Self.postLogin(
                app, cookie: cookie,
                ["_csrf": csrf, "email": "city@example.org", "password": testPassword, "next": next])
            #expect(location == "/account")
        }
    }

    @Test func aRefusedSignInIsAuditedWithoutThePassword() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "苏州")])
            let (cookie, csrf, _) = try await Self.loginPage(app)
            let (status, _, _) = try await Self.postLogin(
                app, cookie: cookie, ["_csrf": csrf, "email": "City@Example.org", "password": "Wrong-Guess-4711"])
            #expect(status == .unauthorized)
            let entries = try await AuditEntryModel.query(on: app.db).filter(\.$action == "sign_in").all()
            #expect(entries.map(\.outcome) == ["refused"])
            #expect(entries.first?.entityID == "city@example.org")
            #expect(entries.first?.after == "wrong password")
            let everything = try await AuditEntryModel.query(on: app.db).all()
                .map { [$0.before, $0.after, $0.entityID].compactMap { $0 }.joined() }.joined()
            #expect(!everything.contains("Wrong-Guess-4711"))
        }
    }

    /// A form sent after the session ran out: the sign-in page keeps what was typed; after signing in
    /// it is offered again, and sending it does what the form does.
    @Test func aFormPostedAfterTheSessionEndedKeepsWhatWasTyped() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            let typed = [
                "_csrf": "stale", "title_zh": "苏州纳米集群年会通知", "title_en": "Suzhou nano cluster meeting",
                "body_zh": "年会于十二月举行。",
                "source": "苏州市工信局", "published_on": "2026-11-20", "clusters": "NC011",
            ]
            var resume = ""
            try await app.testing().test(
                .POST, "/announcements/new",
                beforeRequest: { req in try req.content.encode(typed, as: .urlEncodedForm) }
            ) { res in
                #expect(res.status == .unauthorized)
                let html = res.body.string
                #expect(html.contains("登录已过期"))
                let start = try #require(html.range(of: "name=\"resume\" value=\""))
                resume = String(html[start.upperBound...].prefix { $0 != "\"" })
                #expect(!resume.isEmpty)
            }
            let decoded = try #require(
                SignInReturn.Resume.decode(
                    resume.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")))
            #expect(decoded.action == "/announcements/new")
            #expect(decoded.fields["title_zh"] == "苏州纳米集群年会通知")
            #expect(decoded.fields["_csrf"] == nil)
            let (cookie, csrf, _) = try await Self.loginPage(app)
            let (status, _, page) = try await Self.postLogin(
                app, cookie: cookie,
                [
                    "_csrf": csrf, "email": "admin@example.org", "password": testPassword,
                    "resume": decoded.encoded ?? "",
                ])
            #expect(status == .ok)
            #expect(page.contains("action=\"/announcements/new\""))
            #expect(page.contains("value=\"苏州纳米集群年会通知\""))
            let count = try await AnnouncementModel.query(on: app.db).count()
            let fresh = try #require(csrfToken(in: page))
            var fields = decoded.fields
            fields["_csrf"] = fresh
            let signedIn = try await signIn(app, "admin@example.org")
            fields["_csrf"] = signedIn.csrf
            try await app.testing().test(
                .POST, "/announcements/new", headers: ["Cookie": signedIn.cookie],
                beforeRequest: { req in try req.content.encode(fields, as: .urlEncodedForm) }
            ) { res in #expect(res.status == .seeOther) }
            #expect(try await AnnouncementModel.query(on: app.db).count() == count + 1)
        }
    }

    @Test func aPersonChangesTheirPassword() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "苏州")])
            let browser = try await signIn(app, "city@example.org")
            func change(_ current: String, _ new: String, _ again: String) async throws -> (HTTPStatus, String) {
                var out: (HTTPStatus, String) = (.ok, "")
                try await app.testing().test(
                    .POST, "/account/password?lang=zh", headers: ["Cookie": browser.cookie],
                    beforeRequest: { req in
                        try req.content.encode(
                            [
                                "_csrf": browser.csrf, "current_password": current, "new_password": new,
                                "new_password_again": again,
                            ], as: .urlEncodedForm)
                    }
                ) { res in out = (res.status, res.body.string) }
                return out
            }
            let wrong = try await change("Not-The-Password-1", "Another-Long-Secret-77", "Another-Long-Secret-77")
            #expect(wrong.0 == .unprocessableEntity && wrong.1.contains("当前密码不正确"))
            let differ = try await change(testPassword, "Another-Long-Secret-77", "Another-Long-Secret-78")
            #expect(differ.0 == .unprocessableEntity && differ.1.contains("两次输入的新密码不一致"))
            let done = try await change(testPassword, "Another-Long-Secret-77", "Another-Long-Secret-77")
            #expect(done.0 == .ok && done.1.contains("密码已修改"))
            _ = try await signIn(app, "city@example.org", password: "Another-Long-Secret-77")
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "change_password").sort(\.$id)
                .all()
            #expect(audit.map(\.outcome) == ["refused", "refused", "done"])
            #expect(!audit.contains { ($0.after ?? "").contains("Another-Long-Secret") })
        }
    }

    /// Destructive actions open a confirmation first; every page points feed readers to the
    /// announcements.
    @Test func revokingAsksFirstAndPagesLinkTheFeed() async throws {
        try await withLadder(.sqlite) { app in
            let user = try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "苏州")])
            _ = try await makeToken(app, for: user, [Grant(role: .city, scope: "苏州")])
            let browser = try await signIn(app, "city@example.org")
            try await app.testing().test(.GET, "/account?lang=zh", headers: ["Cookie": browser.cookie]) { res in
                let html = res.body.string
                #expect(html.contains("<details class=\"confirm\"><summary class=\"danger\">撤销…</summary>"))
                #expect(html.contains("确认撤销此令牌"))
            }
            try await app.testing().test(.GET, "/clusters") { res in
                #expect(
                    res.body.string.contains(
                        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"集群公告\" href=\"/announcements.atom\"/>"
                    ))
            }
        }
    }

    /// The audit page narrows to a person, an action, a record and a period typed as people type
    /// dates; it shows Beijing time (the CSV keeps UTC).
    @Test func theAuditTrailFiltersAndSpeaksBeijingTime() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "苏州")])
            let (cookie, csrf, _) = try await Self.loginPage(app)
            _ = try await Self.postLogin(
                app, cookie: cookie, ["_csrf": csrf, "email": "city@example.org", "password": "x"])
            let admin = try await signIn(app, "admin@example.org")
            let refused = try await getPage(app, "/audit?lang=zh&action=sign_in&entity_id=city@example.org", admin)
            #expect(refused.status == 200)
            #expect(refused.body.contains("共 1 条"))
            // testNow is 2026-11-24 04:00 UTC: 12:00 in Beijing.
            #expect(refused.body.contains("<td>2026-11-24 12:00</td>"))
            let today = try await getPage(
                app, "/audit?lang=zh&action=sign_in&from=" + WebRoute.encode("2026年11月24日") + "&to=2026/11/24", admin)
            #expect(today.body.contains("共 1 条"))
            let before = try await getPage(app, "/audit?lang=zh&action=sign_in&to=2026-11-23", admin)
            #expect(before.body.contains("共 0 条"))
            let bad = try await getPage(app, "/audit?lang=zh&from=" + WebRoute.encode("明天"), admin)
            #expect(bad.status == 400 && bad.body.contains("起始日期"))
            // By person: the refused sign-in has no signed-in actor, so a person's filter leaves it out.
            let byPerson = try await getPage(app, "/audit?lang=zh&action=sign_in&actor=Admin@Example.org", admin)
            #expect(byPerson.body.contains("共 0 条"))
            // A stranger's parameter on a shared link is ignored, as on every page.
            #expect(try await getPage(app, "/audit?utm_source=mail", admin).status == 200)
        }
    }
}
