import AsyncKit
import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Control characters are refused at the boundary, naming the field, on both databases alike; text is
/// stored in NFC.
@Suite struct CleanInputTests {
    @Test(arguments: TestDatabase.enabled)
    func aNulIsRefusedNamingTheFieldOnTheSignInFormAClusterAndACooperationRecord(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            // The sign-in form, signed out: a 422 page in Chinese that names the e-mail field.
            let (cookie, csrf) = try await openSignInForm(app)
            try await app.testing().test(
                .POST, "/login", headers: ["Cookie": cookie, "Accept-Language": "zh-CN"],
                beforeRequest: { req in
                    try req.content.encode(
                        ["_csrf": csrf, "email": "a\u{0}b@example.org", "password": "whatever-it-is"],
                        as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("「电子邮箱」中有不可见的控制字符（U+0000）"))
            }
            let admin = try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(
                token: try await makeToken(app, for: admin, [Grant(role: .admin, scope: nil)]))
            let before = try await ClusterModel.query(on: app.db).count()
            try await app.testing().test(
                .POST, "/api/v1/clusters", headers: headers,
                beforeRequest: { req in
                    let body: [String: AnyCodable] = [
                        "name_zh": AnyCodable(stringLiteral: "苏州市\u{0}测试集群"), "domain": "new_materials",
                        "cities": AnyCodable(["苏州"]),
                    ]
                    try req.content.encode(body, as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let json = try res.json()
                #expect(json.string("key") == "input.control_character")
                #expect(json.object("fields")?.string("name_zh")?.contains("U+0000") == true)
            }
            #expect(try await ClusterModel.query(on: app.db).count() == before)
            var activity = ActivityBody(outputs: [], documents: [])
            activity.title_zh = "苏常\u{7}联合攻关"
            let cooperation = activity
            try await app.testing().test(
                .POST, "/api/v1/cooperation", headers: headers,
                beforeRequest: { req in try req.content.encode(cooperation, as: .json) }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let json = try res.json()
                #expect(json.object("fields")?.string("title_zh")?.contains("U+0007") == true)
            }
            // In a query: a 400 naming the parameter, on the API and on a page.
            try await app.testing().test(.GET, "/api/v1/clusters?q=%00") { res in
                #expect(res.status == .badRequest)
                let json = try res.json()
                #expect(json.string("parameter") == "q")
            }
            try await app.testing().test(.GET, "/clusters?q=%00", headers: ["Accept-Language": "zh-CN"]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("不可见的控制字符"))
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func aNulInAnUploadsTextFieldIsRefusedNamingTheField(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let grant = Grant(role: .promotionOrg, scope: "NC011")
            let user = try await makeUser(app, "nano@example.org", [grant])
            var auth = HTTPHeaders()
            auth.bearerAuthorization = BearerAuthorization(token: try await makeToken(app, for: user, [grant]))
            let (headers, body) = multipart(
                [("title", "联盟\u{0}章程")], file: ("file", "章程.pdf", Array("%PDF-1.4\n% x\n".utf8)))
            var h = headers
            h.add(contentsOf: auth)
            try await app.testing().test(.POST, "/api/v1/cooperation/COOP001/documents", headers: h, body: body) {
                res in
                #expect(res.status == .unprocessableEntity)
                let json = try res.json()
                #expect(json.object("fields")?.string("title")?.contains("U+0000") == true)
            }
            #expect(try await AttachmentModel.query(on: app.db).count() == 0)
        }
    }

    @Test func textIsStoredInNFCAndTabsAndNewlinesStay() async throws {
        try await withLadder(.sqlite) { app in
            let admin = try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(
                token: try await makeToken(app, for: admin, [Grant(role: .admin, scope: nil)]))
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/clusters", headers: headers,
                beforeRequest: { req in
                    let body: [String: AnyCodable] = [
                        "name_zh": "苏州市测试集群", "name_en": AnyCodable(stringLiteral: "Cafe\u{301} cluster"),
                        "domain": "new_materials", "cities": AnyCodable(["苏州"]),
                        "notes": AnyCodable(stringLiteral: "第一行\n\t第二行"),
                    ]
                    try req.content.encode(body, as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                id = try res.json().string("id") ?? ""
            }
            let stored = try #require(try await ClusterModel.find(id, on: app.db))
            #expect(Array(stored.nameEn.utf8) == Array("Caf\u{E9} cluster".utf8))
            #expect(stored.notes == "第一行\n\t第二行")
        }
    }

    @Test func formsAreDecodedInNFCWithTheirOtherFieldsIntact() throws {
        struct Form: Decodable {
            let title: String
            let values: [String: String]
        }
        let body = ByteBuffer(string: "title=Cafe%CC%81+%E5%9B%A2&values[output]=960%E4%BA%BF")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let form = try CleanFormDecoder().decode(Form.self, from: body, headers: headers)
        #expect(Array(form.title.utf8) == Array("Caf\u{E9} 团".utf8))
        #expect(form.values["output"] == "960亿")
        #expect(throws: ControlCharacterError.self) {
            try CleanFormDecoder().decode(
                Form.self, from: ByteBuffer(string: "title=a%1Bb&values[x]=1"), headers: headers)
        }
    }

    @Test func feedLinksUseThePublicAddressNotTheHostHeader() async throws {
        try await withLadder(.sqlite) { app in
            app.operations.publicURL = "https://ladder.example.gov.cn"
            try await app.testing().test(.GET, "/announcements.atom", headers: ["Host": "evil.example"]) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("evil.example"))
                #expect(res.body.string.contains("https://ladder.example.gov.cn/"))
            }
        }
    }

    @Test func theClientAddressIsTakenFromTrustedProxiesOnly() throws {
        let trusted = [try #require(AddressRange("10.0.0.0/8")), try #require(AddressRange("::1"))]
        // Straight from the client: the header is the client's own claim and is ignored.
        #expect(
            OperationsSettings.clientAddress(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: trusted)
                == "203.0.113.9")
        // Through a trusted proxy: the last address that is not a proxy.
        #expect(
            OperationsSettings.clientAddress(
                peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 198.51.100.7", "10.9.9.9"], trusted: trusted)
                == "198.51.100.7")
        #expect(
            OperationsSettings.clientAddress(peer: "::1", forwardedFor: ["2001:db8::5"], trusted: trusted)
                == "2001:db8::5")
        #expect(
            OperationsSettings.clientAddress(peer: "10.1.2.3", forwardedFor: ["junk"], trusted: trusted) == "10.1.2.3")
        #expect(AddressRange("10.0.0.0/33") == nil)
        #expect(AddressRange("fd00::/8")?.contains("fd12::1") == true)
        #expect(AddressRange("192.168.1.0/24")?.contains("192.168.2.1") == false)
    }

    @Test func operationsSettingsNameTheVariableAtFault() throws {
        let config = try AppConfig.from(environment: [
            "PUBLIC_URL": "https://ladder.example.gov.cn/", "TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1",
            "LOG_FORMAT": "json", "SHUTDOWN_GRACE_SECONDS": "30",
        ])
        #expect(config.operations.publicURL == "https://ladder.example.gov.cn")
        #expect(config.operations.trustedProxies.count == 2)
        #expect(config.operations.logFormat == .json)
        #expect(config.operations.shutdownGraceSeconds == 30)
        for (name, value) in [
            ("PUBLIC_URL", "ftp://x"), ("PUBLIC_URL", "https://x.example/path?q=1"), ("TRUSTED_PROXIES", "10.0.0.0/99"),
            ("LOG_FORMAT", "xml"), ("METRICS_TOKEN", "short"),
        ] {
            #expect(throws: AppConfig.Error.self) { try AppConfig.from(environment: [name: value]) }
            do { _ = try AppConfig.from(environment: [name: value]) } catch { #expect(error.variable == name) }
        }
    }

    @Test func anExhaustedOrClosedPoolIsUnavailableNotAnError() {
        #expect(DatabaseAvailability.isUnavailable(ConnectionPoolTimeoutError.connectionRequestTimeout))
        #expect(DatabaseAvailability.isUnavailable(ConnectionPoolError.shutdown))
        #expect(!DatabaseAvailability.isUnavailable(Abort(.internalServerError)))
    }

    /// A database that cannot be reached: every page is a 503 in Chinese, not a 500.
    @Test func anUnreachableDatabaseIsA503PageInChinese() async throws {
        let app = try await Application.make(.testing)
        // Port 1 on loopback: nothing listens there.
        let config = AppConfig(
            database: .postgres(url: "postgres://ladder:x@127.0.0.1:1/none?tlsmode=disable"), autoMigrate: false,
            auth: testAuth)
        try await configure(app, config: config)
        try await app.asyncBoot()
        try await app.testing().test(.GET, "/", headers: ["Accept-Language": "zh-CN"]) { res in
            #expect(res.status == .serviceUnavailable)
            #expect(res.headers.first(name: "Retry-After") == "5")
            #expect(res.body.string.contains("系统暂时连不上数据库"))
        }
        try await app.testing().test(.GET, "/api/v1/clusters") { res in
            #expect(res.status == .serviceUnavailable)
            let json = try res.json()
            #expect(json.string("key") == "database.unavailable")
        }
        try await app.asyncShutdown()
    }
}
