import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct AccountTests {
    /// The acceptance path: an admin made by the CLI code signs in, creates a provincial user
    /// for Jiangsu, who edits 苏州市纳米新材料集群 and is refused 深圳市新一代信息通信集群; the audit
    /// trail shows both edits and the refusal to the admin, and the refusal and own edit to Jiangsu.
    @Test(arguments: TestDatabase.enabled)
    func adminCreatesAProvincialUserWhoEditsOnlyJiangsu(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await makeUser(app, "admin@miit.example", [Grant(role: .admin, scope: nil)])
            let admin = try await signIn(app, "admin@miit.example")
            try await app.testing().test(
                .POST, "/admin/users", headers: ["Cookie": admin.cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "_csrf": admin.csrf, "email": "js@jiangsu.example", "name": "江苏省工信厅",
                            "password": "Jiangsu-Clusters-2026", "role": "provincial", "scope": "32",
                        ], as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("js@jiangsu.example"))
            }
            let js = try await signIn(app, "js@jiangsu.example", password: "Jiangsu-Clusters-2026")
            let version = try await currentVersion(app, "NC011")
            try await app.testing().test(
                .POST, "/clusters/NC011/edit", headers: ["Cookie": js.cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "_csrf": js.csrf, "version": String(version), "name_zh": "苏州市纳米新材料集群",
                            "name_en": "Suzhou nano new materials cluster", "domain": "new_materials", "cities": "苏州",
                            "promotion_org": "苏州纳米科技促进中心",
                        ], as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/clusters/NC011")
            }
            try await app.testing().test(
                .POST, "/clusters/NC001/edit", headers: ["Cookie": js.cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "_csrf": js.csrf, "version": "1", "name_zh": "改名", "name_en": "Renamed",
                            "domain": "next_gen_it", "cities": "深圳",
                        ], as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("403"))
            }
            #expect(try await ClusterModel.find("NC001", on: app.db)?.nameZh == "深圳市新一代信息通信集群")
            #expect(try await ClusterModel.find("NC011", on: app.db)?.promotionOrg == "苏州纳米科技促进中心")

            try await app.testing().test(.GET, "/audit?format=csv", headers: ["Cookie": admin.cookie]) { res in
                let rows = try CSV.parse(res.body.string).dropFirst()
                let update = try #require(rows.first { $0[5] == "update" && $0[6] == "done" })
                #expect(update[2] == "js@jiangsu.example" && update[3] == "provincial:32" && update[8] == "NC011")
                #expect(update[9].contains("\"promotion_org\":null") || !update[9].contains("苏州纳米科技促进中心"))
                #expect(update[10].contains("苏州纳米科技促进中心"))
                let refusal = try #require(rows.first { $0[6] == "refused" })
                #expect(refusal[2] == "js@jiangsu.example" && refusal[8] == "NC001")
                #expect(rows.contains { $0[5] == "create_user" && $0[2] == "admin@miit.example" })
            }
            try await app.testing().test(.GET, "/audit?format=csv", headers: ["Cookie": js.cookie]) { res in
                let rows = try CSV.parse(res.body.string).dropFirst()
                #expect(rows.count == 2)  // their edit and their refusal; not the admin's user creation
                #expect(!rows.contains { $0[5] == "create_user" })
            }
            // The profile shows its change history to those who may read it.
            try await app.testing().test(.GET, "/clusters/NC011", headers: ["Cookie": js.cookie]) { res in
                #expect(res.body.string.contains("js@jiangsu.example · 修改集群"))
                #expect(res.body.string.contains("href=\"/clusters/NC011/edit\""))
            }
        }
    }

    @Test func sessionCookiesAreHttpOnlyAndSameSite() async throws {
        try await withLadder(.sqlite) { app in
            try await app.testing().test(.GET, "/login") { res in
                let cookie = try #require(res.headers[.setCookie].first { $0.hasPrefix("ladder_session=") })
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.lowercased().contains("samesite=lax"))
                #expect(!cookie.contains("Secure"))  // COOKIE_SECURE is off in the tests
            }
            // Sessions are rows in the database, so that every app instance sees them.
            #expect(try await SessionRecord.query(on: app.db).count() == 1)
        }
    }

    @Test func formsWithoutTheSessionsTokenAreRefused() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let js = try await signIn(app, "js@example.org")
            for token in [nil, "0000", String(repeating: "a", count: 48)] as [String?] {
                try await app.testing().test(
                    .POST, "/clusters/NC011/edit", headers: ["Cookie": js.cookie],
                    beforeRequest: { req in
                        var form = [
                            "version": "1", "name_zh": "x", "name_en": "x", "domain": "new_materials", "cities": "苏州",
                        ]
                        form["_csrf"] = token
                        try req.content.encode(form, as: .urlEncodedForm)
                    }
                ) { res in
                    #expect(res.status == .forbidden)
                }
            }
            // Sign-in itself needs the form's token (no login CSRF).
            try await app.testing().test(
                .POST, "/login",
                beforeRequest: { req in
                    try req.content.encode(["email": "js@example.org", "password": testPassword], as: .urlEncodedForm)
                }
            ) { res in #expect(res.status == .forbidden) }
            #expect(try await ClusterModel.find("NC011", on: app.db)?.version == 1)
        }
    }

    func attemptLogin(_ app: Application, email: String, password: String, running: Bool = false) async throws -> (
        UInt, String
    ) {
        var cookie = ""
        var csrf = ""
        let tester = try running ? app.testing(method: .running(port: 0)) : app.testing()
        try await tester.test(.GET, "/login") { res in
            cookie = try #require(cookieValue(res))
            csrf = try #require(csrfToken(in: res.body.string))
        }
        var result: (UInt, String) = (0, "")
        try await tester.test(
            .POST, "/login", headers: ["Cookie": cookie],
            beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "email": email, "password": password], as: .urlEncodedForm)
            }
        ) { res in
            let body = res.body.string
            let message =
                body.range(of: "role=\"alert\">").map { String(body[$0.upperBound...].prefix { $0 != "<" }) } ?? ""
            result = (res.status.code, message)
        }
        return result
    }

    @Test func unknownAccountsAndWrongPasswordsGetTheSameAnswer() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "real@example.org", [Grant(role: .expert, scope: nil)])
            let wrong = try await attemptLogin(app, email: "real@example.org", password: "not-the-password-1")
            let unknown = try await attemptLogin(app, email: "nobody@example.org", password: "not-the-password-1")
            #expect(wrong.0 == 401 && unknown.0 == 401)
            #expect(wrong.1 == unknown.1)
            #expect(!wrong.1.isEmpty)
        }
    }

    @Test func failedSignInsAreThrottledWithBackoff() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "real@example.org", [Grant(role: .expert, scope: nil)])
            // Over a real socket, so that the client address is known.
            for _ in 0..<5 {
                #expect(
                    try await attemptLogin(
                        app, email: "real@example.org", password: "wrong-password-123", running: true
                    ).0 == 401)
            }
            // The sixth attempt, even with the right password, waits.
            let blocked = try await attemptLogin(app, email: "real@example.org", password: testPassword, running: true)
            #expect(blocked.0 == 429)
            // Other accounts from the same address wait too, with the same answer.
            #expect(
                try await attemptLogin(app, email: "other@example.org", password: testPassword, running: true).0 == 429)
            // After the backoff the right password works again.
            app.clock = { testNow.addingTimeInterval(5) }
            let after = try await attemptLogin(app, email: "real@example.org", password: testPassword)
            #expect(after.0 == 303, "\(after)")
        }
    }

    @Test func sessionsExpire() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "real@example.org", [Grant(role: .expert, scope: nil)])
            let browser = try await signIn(app, "real@example.org")
            app.clock = { testNow.addingTimeInterval(app.authSettings.sessionLifetime + 60) }
            try await app.testing().test(.GET, "/account", headers: ["Cookie": browser.cookie]) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login?next=%2Faccount")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func tokensCarryTheirScopeExpireAndCanBeRevoked(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let user = try await makeUser(
                app, "two@example.org", [Grant(role: .provincial, scope: "32"), Grant(role: .provincial, scope: "44")])
            let onlyJiangsu = try await makeToken(app, for: user, [Grant(role: .provincial, scope: "32")])
            func put(_ id: String, _ token: String) async throws -> UInt {
                let c = try #require(try await app.store.registry().clusters.first { $0.id == id })
                var status: UInt = 0
                try await app.testing().test(
                    .PUT, "/api/v1/clusters/\(id)", headers: ["Authorization": "Bearer \(token)"],
                    beforeRequest: { req in
                        try req.content.encode(
                            [
                                "name_zh": AnyCodable(c.nameZh), "name_en": AnyCodable(c.nameEn),
                                "domain": AnyCodable(c.domainCode),
                                "cities": AnyCodable(c.cityNames), "version": AnyCodable(c.version),
                            ], as: .json)
                    }
                ) { res in status = res.status.code }
                return status
            }
            #expect(try await put("NC011", onlyJiangsu) == 200)
            #expect(try await put("NC001", onlyJiangsu) == 403)  // Guangdong is the user's, not the token's
            // A token cannot carry a grant its owner does not hold.
            let forged = try await makeToken(app, for: user, [Grant(role: .admin, scope: nil)])
            #expect(try await put("NC001", forged) == 403)
            // Expiry.
            let shortLived = try await makeToken(
                app, for: user, [Grant(role: .provincial, scope: "32")], expires: testNow.addingTimeInterval(60))
            app.clock = { testNow.addingTimeInterval(120) }
            #expect(try await put("NC011", shortLived) == 401)
            // Listing and revocation through the API; the list never shows a token itself.
            var tokenID = ""
            try await app.testing().test(.GET, "/api/v1/tokens", headers: ["Authorization": "Bearer \(onlyJiangsu)"]) {
                res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains(onlyJiangsu))
                let list = try res.jsonArray()
                #expect(list.count == 3)
                tokenID = try #require(
                    list.first { ($0["prefix"] as? String) == String(onlyJiangsu.prefix(10)) }?.string("id"))
            }
            try await app.testing().test(
                .DELETE, "/api/v1/tokens/\(tokenID)", headers: ["Authorization": "Bearer \(onlyJiangsu)"]
            ) { res in
                #expect(res.status == .noContent)
            }
            #expect(try await put("NC011", onlyJiangsu) == 401)
            try await app.testing().test(.GET, "/api/v1/clusters", headers: ["Authorization": "Bearer not-a-token"]) {
                res in
                #expect(res.status == .unauthorized)
            }
            // Stored hashed only.
            #expect(
                try await APITokenModel.query(on: app.db).all().allSatisfy {
                    $0.tokenHash.count == 64 && $0.tokenHash != onlyJiangsu
                })
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func everyWriteAppendsExactlyOneAuditEntry(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let user = try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let token = try await makeToken(app, for: user, [Grant(role: .provincial, scope: "32")])
            let headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            var before = try await auditCount(app)
            var createdID = ""
            try await app.testing().test(
                .POST, "/api/v1/clusters", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "name_zh": AnyCodable("无锡市测试集群"), "name_en": AnyCodable("Wuxi test cluster"),
                            "domain": AnyCodable("new_materials"), "cities": AnyCodable(["无锡"]),
                            "designated_on": AnyCodable("2025-06-01"),
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                let json = try res.json()
                createdID = try #require(json.string("id"))
                #expect(createdID == "PC0001")
                #expect(json.string("tier") == "provincial")
                #expect(res.headers.first(name: .location) == "/api/v1/clusters/PC0001")
            }
            #expect(try await auditCount(app) == before + 1)
            let created = try #require(try await AuditEntryModel.query(on: app.db).sort(\.$id, .descending).first())
            #expect(created.action == "create" && created.before == nil && created.after?.contains("无锡市测试集群") == true)

            before = try await auditCount(app)
            try await app.testing().test(
                .PUT, "/api/v1/clusters/\(createdID)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "name_zh": AnyCodable("无锡市新名称集群"), "name_en": AnyCodable("Wuxi renamed cluster"),
                            "domain": AnyCodable("new_materials"), "cities": AnyCodable(["无锡"]),
                            "version": AnyCodable(1),
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.int("version") == 2)
            }
            #expect(try await auditCount(app) == before + 1)
            let updated = try #require(try await AuditEntryModel.query(on: app.db).sort(\.$id, .descending).first())
            #expect(updated.before?.contains("无锡市测试集群") == true && updated.after?.contains("无锡市新名称集群") == true)
            #expect(
                updated.grant == "provincial:32" && updated.via?.hasPrefix("token:") == true && updated.requestID != nil
            )

            // Invalid input names each field and writes nothing, not even an audit entry.
            before = try await auditCount(app)
            try await app.testing().test(
                .PUT, "/api/v1/clusters/\(createdID)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "name_zh": AnyCodable(""), "name_en": AnyCodable("x"), "domain": AnyCodable("steel"),
                            "cities": AnyCodable(["火星"]), "sources": AnyCodable(["javascript:alert(1)"]),
                            "version": AnyCodable(2),
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let fields = try #require(try res.json().object("fields"))
                #expect(Set(fields.keys) == ["name_zh", "domain", "cities", "sources"])
            }
            #expect(try await auditCount(app) == before)

            before = try await auditCount(app)
            try await app.testing().test(
                .POST, "/api/v1/clusters/\(createdID)/retire", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(["version": AnyCodable(2)], as: .json)
                }
            ) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("retired_on") == "2026-11-24")
            }
            #expect(try await auditCount(app) == before + 1)
            try await app.testing().test(.GET, "/api/v1/clusters?q=Wuxi%20renamed") { res in
                let json = try res.json()
                #expect(json.int("total") == 0)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func twoConcurrentUpdatesOneWinsOneGets409(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let user = try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let token = try await makeToken(app, for: user, [Grant(role: .provincial, scope: "32")])
            let c = try #require(try await app.store.registry().clusters.first { $0.id == "NC011" })
            let tester = try app.testing()
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for name in ["First editor", "Second editor"] {
                    group.addTask {
                        var status: UInt = 0
                        try await tester.test(
                            .PUT, "/api/v1/clusters/NC011", headers: ["Authorization": "Bearer \(token)"],
                            beforeRequest: { req in
                                try req.content.encode(
                                    [
                                        "name_zh": AnyCodable(c.nameZh), "name_en": AnyCodable(name),
                                        "domain": AnyCodable(c.domainCode),
                                        "cities": AnyCodable(c.cityNames), "version": AnyCodable(c.version),
                                    ], as: .json)
                            }
                        ) { res in
                            status = res.status.code
                            if status == 409 {
                                let json = try res.json()
                                #expect(json.object("current")?.int("version") == c.version + 1)
                            }
                        }
                        return status
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }.sorted()
            }
            #expect(statuses == [200, 409])
            #expect(try await currentVersion(app, "NC011") == c.version + 1)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "update").count() == 1)
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await withLadder(.sqlite) { app in
            for url in ["/", "/api/v1/stats", "/nowhere", "/login"] {
                try await app.testing().test(.GET, url) { res in
                    let csp = try #require(res.headers.first(name: "Content-Security-Policy"), "\(url)")
                    #expect(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"))
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(res.headers.first(name: "Referrer-Policy") == "same-origin")
                }
            }
            // Bodies over the limit are refused before any work.
            try await app.testing(method: .running(port: 0)).test(
                .POST, "/login",
                beforeRequest: { req in
                    req.body = ByteBuffer(string: String(repeating: "a", count: 100_000))
                    req.headers.contentType = .urlEncodedForm
                }
            ) { res in
                #expect(res.status == .payloadTooLarge)
            }
        }
    }
}

@Suite struct BadTokenTests {
    @Test func anUnknownMethodIs405EvenWithABadToken() async throws {
        try await withLadder(.sqlite) { app in
            try await app.testing().test(
                .TRACE, "/api/v1/clusters/NC005/partners", headers: ["Authorization": "Bearer nope"]
            ) { res in
                #expect(res.status == .methodNotAllowed)
            }
            try await app.testing().test(
                .GET, "/api/v1/clusters/NC005/partners", headers: ["Authorization": "Bearer nope"]
            ) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }
}
