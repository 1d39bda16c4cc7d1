import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct WebRouteTests {
    @Test(arguments: TestDatabase.enabled)
    func everyPageRenders(db: TestDatabase) async throws {
        let pages: [(String, String)] = [
            ("/", "主要数字 · 2026-11-24"),
            ("/?as_of=2022-11-30", "主要数字 · 2022-11-30"),
            ("/clusters", "共 78 个集群符合条件"),
            ("/clusters?province=44&domain=next_gen_it&as_of=2022-11-30", "共 3 个集群符合条件"),
            ("/clusters?q=%E6%AD%A6%E6%B1%89", "武汉市光电子信息集群"),
            ("/clusters/NC038", "京津冀生命健康集群"),
            ("/provinces/44", "<h1>广东省</h1>"),
            ("/provinces/13?as_of=2022-11-30", "国家级集群（截至 2022-11-30）"),
            ("/figures", "已公布数字与登记数据核对"),
            ("/ratings", "该年度尚无已采纳的监测数据。"),
            ("/ratings?year=2022", "2022 年度国家级集群竞争力评价"),
            ("/indicators", "指标体系第 1 版"),
        ]
        try await withLadder(db) { app in
            for (url, expected) in pages {
                try await app.testing().test(.GET, url) { res in
                    #expect(res.status == .ok, "\(url)")
                    #expect(res.headers.contentType == .html, "\(url)")
                    #expect(res.body.string.contains(expected), "\(url) lacks \(expected)")
                }
            }
        }
    }

    /// A shared link carries parameters the page never asked for (WeChat, utm tags): the page opens,
    /// its own parameters still apply, and the language switch leaves the strangers out. The API
    /// stays strict.
    @Test func sharedLinksWithForeignParametersOpen() async throws {
        try await withLadder(.sqlite) { app in
            let url = "/clusters?province=32&from=singlemessage&isappinstalled=0&utm_source=wechat"
            try await app.testing().test(.GET, url) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("NC011"))
                #expect(!html.contains("NC001<"))
                #expect(html.contains("href=\"/clusters?lang=en&amp;province=32\""))
                #expect(!html.contains("isappinstalled"))
            }
            try await app.testing().test(.GET, "/clusters/NC060?from=timeline") { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/clusters?from=singlemessage") { res in
                #expect(res.status == .badRequest)
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func badParametersGetTheErrorPage(db: TestDatabase) async throws {
        let cases: [(String, UInt, String)] = [
            ("/?as_of=2022-02-30", 400, "查询日期"),
            ("/?lang=fr", 400, "语言"),
            ("/clusters?tier=gold", 400, "层级"),
            ("/clusters?per_page=1000", 400, "每页条数"),
            ("/clusters/NC999", 404, "NC999"),
            ("/clusters/NC001?as_of=x", 400, "查询日期"),
            ("/provinces/99", 404, "99"),
            ("/provinces/44?as_of=2022-13-01", 400, "查询日期"),
            ("/ratings?year=2031", 400, "年度"),
            ("/ratings?year=abc", 400, "年度"),
            ("/nowhere", 404, "未找到"),
        ]
        try await withLadder(db) { app in
            for (url, status, mention) in cases {
                try await app.testing().test(.GET, url) { res in
                    #expect(res.status.code == status, "\(url)")
                    #expect(res.headers.contentType == .html, "\(url)")
                    let html = res.body.string
                    #expect(html.contains("<h1>\(status) "), "\(url)")
                    #expect(html.contains(mention), "\(url) should name \(mention)")
                    #expect(html.contains("href=\"/\""), "\(url) needs a way back")
                }
            }
            try await app.testing().test(.GET, "/clusters/NC999?lang=en") { res in
                #expect(res.body.string.contains("<h1>404 Not found</h1>"))
                #expect(res.body.string.contains("No cluster has the id 'NC999'."))
            }
        }
    }

    @Test func languageSticksThroughACookie() async throws {
        try await withLadder(.sqlite) { app in
            var cookie: String?
            try await app.testing().test(.GET, "/clusters?lang=en") { res in
                #expect(res.body.string.contains("<html lang=\"en\">"))
                #expect(res.body.string.contains("Cluster directory"))
                let set = try #require(res.headers.first(name: .setCookie))
                #expect(set.contains("lang=en"))
                #expect(set.contains("HttpOnly"))
                #expect(set.lowercased().contains("samesite=lax"))
                cookie = set.components(separatedBy: ";").first
            }
            let header = try #require(cookie)
            try await app.testing().test(.GET, "/figures", headers: ["Cookie": header]) { res in
                #expect(res.body.string.contains("Published figures and the registry"))
                #expect(res.headers.first(name: .setCookie) == nil)
            }
            // A first visit honours Accept-Language; the cookie wins over it afterwards.
            try await app.testing().test(.GET, "/", headers: ["Accept-Language": "en-GB,en;q=0.9"]) { res in
                #expect(res.body.string.contains("Headline figures"))
            }
            try await app.testing().test(.GET, "/", headers: ["Accept-Language": "en-GB", "Cookie": "lang=zh"]) { res in
                #expect(res.body.string.contains("主要数字"))
            }
            // The switch link keeps the page's parameters.
            try await app.testing().test(.GET, "/clusters?province=44&lang=zh") { res in
                #expect(res.body.string.contains("class=\"lang-switch\" href=\"/clusters?lang=en&amp;province=44\""))
            }
        }
    }

    @Test func stylesheetIsCachedAndPagesLoadNothingFromOutside() async throws {
        try await withLadder(.sqlite) { app in
            try await app.testing().test(.GET, "/styles.css") { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentType) == "text/css; charset=utf-8")
                #expect(res.headers.first(name: .cacheControl)?.contains("max-age=86400") == true)
                #expect(!res.body.string.contains("@import"))
                #expect(!res.body.string.contains("url("))
            }
            for url in ["/", "/clusters", "/clusters/NC001", "/provinces/44", "/figures"] {
                try await app.testing().test(.GET, url) { res in
                    let html = res.body.string
                    #expect(!html.contains("<script"), "\(url)")
                    #expect(!html.contains("src=\"http"), "\(url)")
                    #expect(!html.contains("<link rel=\"stylesheet\" href=\"http"), "\(url)")
                }
            }
        }
    }
}

/// One route table: every route the app registers is a case of `WebRoute` or `APIRoute`, and every
/// case of the table is registered.
@Suite struct RouteTableTests {
    static func pattern(_ components: [PathComponent]) -> String {
        "/" + components.map(\.description).joined(separator: "/")
    }

    @Test func theRegisteredRoutesAreExactlyTheTable() async throws {
        try await withLadder(.sqlite) { app in
            let registered = Set(app.routes.all.map { Self.pattern($0.path) })
            let table = Set(
                WebRoute.all.map { Self.pattern($0.components) } + APIRoute.every.map { Self.pattern($0.components) })
            #expect(
                registered.subtracting(table).isEmpty,
                "registered outside the table: \(registered.subtracting(table).sorted())")
            #expect(
                table.subtracting(registered).isEmpty,
                "in the table, never registered: \(table.subtracting(registered).sorted())")
            #expect(registered.count >= 100)
        }
    }

    @Test func linksFillTheTemplateWithEncodedValues() {
        #expect(WebRoute.dossier(round: "R2026", cluster: "NC011").path == "/rounds/R2026/dossiers/NC011")
        #expect(WebRoute.resolve(round: "R2026", objection: "4").path == "/rounds/R2026/objections/4/resolve")
        #expect(WebRoute.cluster("a/b").path == "/clusters/a%2Fb")
        #expect(WebRoute.home.path == "/")
        #expect(WebRoute.assign(round: "R2026").link(["cluster": "NC011"]) == "/rounds/R2026/assign?cluster=NC011")
        #expect(APIRoute.returnActions("NC011", "2025").path == "/api/v1/clusters/NC011/returns/2025/actions")
        #expect(APIRoute.token("x y").path == "/api/v1/tokens/x%20y")
    }
}
