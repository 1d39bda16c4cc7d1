import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// One whole round through the web pages, each role signed in with a browser session: recommend →
/// dossier with evidence → experts assigned → scores → decisions → notice with an objection →
/// resolution → sign-off → designation, ending with the cluster national in the registry and the
/// statistics. The inbox of each role shows the step that awaits it.
@Suite struct WorkPagesTests {
    static let stages = """
        [{"kind": "recommendation", "opens_on": "2026-11-01", "closes_on": "2026-11-30"},
         {"kind": "dossier", "opens_on": "2026-12-01", "closes_on": "2026-12-20"},
         {"kind": "first_stage", "opens_on": "2027-01-05", "closes_on": "2027-01-20"},
         {"kind": "final_stage", "opens_on": "2027-02-01", "closes_on": "2027-02-10"},
         {"kind": "notice", "opens_on": "2027-03-01", "closes_on": "2027-03-07"}]
        """

    /// Noon in Beijing on `day`.
    static func noon(_ day: String) -> Date {
        var c = DateComponents()
        let parts = day.split(separator: "-").compactMap { Int($0) }
        c.year = parts[0]
        c.month = parts[1]
        c.day = parts[2]
        c.hour = 4
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: c)!
    }

    @Test(arguments: TestDatabase.enabled)
    func aWholeRoundThroughTheWebPages(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let round = CompetitionRound(
                id: "R2026", year: 2026, format: .groupOverall, tracks: ["new_materials"],
                noticeNumber: "工信厅政函〔2026〕1号",
                stages: try JSONDecoder().decode([RoundStage].self, from: Data(Self.stages.utf8)), quotaPerProvince: 2,
                indicatorSetID: "cluster-competitiveness", indicatorSetVersion: 1)
            try await RoundModel(round).create(on: app.db)
            try await RoundAPITests.provincialCluster(app, "PJS01", "苏州市测试新材料集群", "Suzhou test materials cluster")
            try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            try await makeUser(app, "sz@example.org", [Grant(role: .city, scope: "苏州")])
            try await makeUser(app, "reviewer@example.org", [Grant(role: .ministryReviewer, scope: "规划司")])
            let experts = [("e1@example.org", "44"), ("e2@example.org", "11"), ("e3@example.org", "32")]
            for (email, _) in experts { try await makeUser(app, email, [Grant(role: .expert, scope: nil)]) }
            let set = try await CompetitionStore.set(for: round, db: app.db)

            func at(_ day: String) { app.clock = { Self.noon(day) } }
            func get(_ path: String, _ b: Browser) async throws -> Page { try await getPage(app, path, b) }
            func post(_ path: String, _ b: Browser, _ form: [String: String]) async throws -> Page {
                try await postForm(app, path, b, form)
            }
            func inbox(_ b: Browser) async throws -> String { try await get("/work", b).body }

            // Recommendation stage (2026-11-24): the province sees the task and recommends.
            at("2026-11-24")
            let province = try await signIn(app, "js@example.org")
            #expect(try await inbox(province).contains("/rounds/R2026/recommend"))
            let recommendPage = try await get("/rounds/R2026/recommend", province)
            #expect(recommendPage.body.contains("value=\"PJS01\""))
            #expect(try await post("/rounds/R2026/recommend", province, ["cluster": ""]).status == 422)
            #expect(try await post("/rounds/R2026/recommend", province, ["cluster": "NC001"]).status == 403)
            #expect(try await post("/rounds/R2026/recommend", province, ["cluster": "PJS01"]).status == 303)
            #expect(try await RecommendationModel.query(on: app.db).filter(\.$clusterID == "PJS01").count() == 1)

            // The lead city files the dossier: a bad figure is named and nothing is kept; then filed, evidence uploaded.
            let city = try await signIn(app, "sz@example.org")
            #expect(try await inbox(city).contains("/rounds/R2026/dossiers/PJS01"))
            var dossier = [
                "version": "0", "promotion_body": "苏州市新材料产业集群促进中心", "plan": "三年培育方案。", "value_output": "1.2e11",
                "value_rd_intensity": "4", "submit": "yes",
            ]
            let refused = try await post("/rounds/R2026/dossiers/PJS01", city, dossier)
            #expect(refused.status == 422)
            #expect(refused.body.contains("rd_intensity"))
            #expect(try await DossierModel.query(on: app.db).count() == 0)
            dossier["value_rd_intensity"] = "0.04"
            #expect(try await post("/rounds/R2026/dossiers/PJS01", city, dossier).status == 303)
            let (headers, body) = multipart(
                [("_csrf", city.csrf)], file: ("file", "方案.pdf", Array("%PDF-1.4\n方案\n%%EOF".utf8)))
            var h = headers
            h.replaceOrAdd(name: .cookie, value: city.cookie)
            try await app.testing().test(.POST, "/rounds/R2026/dossiers/PJS01/files", headers: h, body: body) { res in
                #expect(res.status == .seeOther)
            }
            let filed = try await get("/rounds/R2026/dossiers/PJS01", city)
            #expect(filed.body.contains("方案.pdf"))
            #expect(!(try await inbox(city).contains("/rounds/R2026/dossiers/PJS01")))

            // After the dossier stage the admin admits the entry (evidence from the records), and assigns experts.
            at("2026-12-25")
            let admin = try await signIn(app, "admin@example.org")
            #expect(try await inbox(admin).contains("/clusters/PJS01/decide"))
            let decidePage = try await get("/clusters/PJS01/decide", admin)
            #expect(decidePage.body.contains("recommend"))
            #expect(try await post("/clusters/PJS01/decide", admin, ["event": "recommend"]).status == 303)
            at("2027-01-06")
            let admin2 = try await signIn(app, "admin@example.org")
            #expect(try await inbox(admin2).contains("/rounds/R2026/assign?cluster=PJS01"))
            let ownProvince = try await post(
                "/rounds/R2026/assign", admin2,
                ["cluster": "PJS01", "expert": "e3@example.org", "expert_province": "32"])
            #expect(ownProvince.status == 422)
            #expect(ownProvince.body.contains("专家不能评审本省的参赛集群"))
            for (email, home) in experts where home != "32" {
                #expect(
                    try await post(
                        "/rounds/R2026/assign", admin2, ["cluster": "PJS01", "expert": email, "expert_province": home]
                    ).status == 303)
            }
            #expect(
                try await post(
                    "/rounds/R2026/assign", admin2,
                    ["cluster": "PJS01", "expert": "e3@example.org", "expert_province": "31"]
                ).status == 303)

            // The experts score every indicator through the form; the page shows the dossier and its evidence.
            for (n, (email, _)) in experts.enumerated() {
                let expert = try await signIn(app, email)
                #expect(try await inbox(expert).contains("/rounds/R2026/scores/PJS01"))
                let form = try await get("/rounds/R2026/scores/PJS01", expert)
                #expect(form.body.contains("方案.pdf"))
                #expect(form.body.contains("class=\"beside\""))
                if n == 0 {
                    // Every problem at once, in Chinese: a score too high, one below zero, one not a
                    // number, a comment missing; nothing is stored.
                    let codes = set.indicators.map(\.code)
                    let bad = [
                        "score_" + codes[0]: "150", "comment_" + codes[0]: "好",
                        "score_" + codes[1]: "-3", "comment_" + codes[1]: "差",
                        "score_" + codes[2]: "八十", "comment_" + codes[2]: "中",
                        "score_" + codes[3]: "80",
                    ]
                    let refused = try await post("/rounds/R2026/scores/PJS01", expert, bad)
                    #expect(refused.status == 422)
                    for code in codes[0...2] {
                        #expect(refused.body.contains("id=\"error-score_\(code)\""), "\(code)")
                    }
                    #expect(refused.body.contains("id=\"error-comment_\(codes[3])\""))
                    #expect(refused.body.contains("请打 0 到 100 分") && refused.body.contains("请写明理由"))
                    #expect(!refused.body.contains("a score from 0 to 100"))
                    #expect(try await ScoreModel.query(on: app.db).count() == 0)
                }
                var scores: [String: String] = [:]
                for i in set.indicators {
                    scores["score_" + i.code] = String(70 + n * 5)
                    scores["comment_" + i.code] = "依据申报材料"
                }
                #expect(try await post("/rounds/R2026/scores/PJS01", expert, scores).status == 303)
                #expect(!(try await inbox(expert).contains("/rounds/R2026/scores/PJS01")))
            }
            let ranking = try await RankingReport.ranking(round, db: app.db, rules: app.rules)
            #expect(ranking.tracks["new_materials"]?.first?.total == 75)

            // Through the first and the final stage, then the notice.
            at("2027-01-25")
            let admin3 = try await signIn(app, "admin@example.org")
            #expect(try await post("/clusters/PJS01/decide", admin3, ["event": "qualify"]).status == 303)
            at("2027-02-15")
            let admin4 = try await signIn(app, "admin@example.org")
            #expect(try await post("/clusters/PJS01/decide", admin4, ["event": "win"]).status == 303)
            at("2027-03-03")
            let objector = try await signIn(app, "e1@example.org")
            #expect(try await inbox(objector).contains("/rounds/R2026/object"))
            #expect(try await post("/rounds/R2026/object", objector, ["cluster": "PJS01", "text": ""]).status == 422)
            #expect(
                try await post("/rounds/R2026/object", objector, ["cluster": "PJS01", "text": "申报产值口径与统计年鉴不一致"]).status
                    == 303)
            let objection = try #require(try await ObjectionModel.query(on: app.db).first()?.id)

            // After the notice: the designation waits for the resolution and the sign-off.
            at("2027-03-10")
            let admin5 = try await signIn(app, "admin@example.org")
            let blocked = try await post(
                "/clusters/PJS01/decide", admin5, ["event": "designate", "document_number": "工信部规函〔2027〕8号"])
            #expect(blocked.status == 422)
            #expect(try await inbox(admin5).contains("/rounds/R2026/objections/\(objection)/resolve"))
            #expect(
                try await post(
                    "/rounds/R2026/objections/\(objection)/resolve", admin5, ["resolution": "经核实为统计口径差异，不影响结果。"]
                ).status == 303)
            let reviewer = try await signIn(app, "reviewer@example.org")
            #expect(try await inbox(reviewer).contains("/clusters/PJS01/sign-off"))
            #expect(
                try await post("/clusters/PJS01/sign-off", reviewer, ["event": "designate", "comment": "同意认定"]).status
                    == 303)
            #expect(
                try await post(
                    "/clusters/PJS01/decide", admin5, ["event": "designate", "document_number": "工信部规函〔2027〕8号"]
                ).status == 303)

            // The cluster is national in the registry and the statistics; the history names the document.
            try await app.testing().test(.GET, "/api/v1/clusters/PJS01?as_of=2027-03-10") { res in
                let json = try res.json()
                #expect(json.string("tier") == "national")
            }
            try await app.testing().test(.GET, "/api/v1/stats?as_of=2027-03-10") { res in
                let clusters = try res.json().int("clusters")
                #expect(clusters == 79)
            }
            let history = try await get("/clusters/PJS01/decide", admin5)
            #expect(history.body.contains("工信部规函〔2027〕8号"))
            let roundPage = try await get("/rounds/R2026", admin5)
            #expect(roundPage.body.contains("经核实为统计口径差异"))
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func workPagesNeedASignInAndTheRightRole(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
            try await app.testing().test(.GET, "/work") { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login?next=%2Fwork")
            }
            try await makeUser(app, "city@example.org", [Grant(role: .city, scope: "无锡")])
            let other = try await signIn(app, "city@example.org")
            for path in [
                "/rounds/\(round)/assign", "/clusters/\(cluster)/sign-off", "/rounds/\(round)/objections/1/resolve",
            ] {
                try await app.testing().test(.GET, path, headers: ["Cookie": other.cookie]) { res in
                    #expect(res.status == .forbidden, "\(path)")
                }
            }
            // Another city may not open the dossier, and its post is refused and audited; the province reads it
            // without a form.
            try await app.testing().test(
                .GET, "/rounds/\(round)/dossiers/\(cluster)", headers: ["Cookie": other.cookie]
            ) { res in
                #expect(res.status == .forbidden)
            }
            try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let province = try await signIn(app, "js@example.org")
            try await app.testing().test(
                .GET, "/rounds/\(round)/dossiers/\(cluster)", headers: ["Cookie": province.cookie]
            ) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<h1") && !res.body.string.contains("name=\"promotion_body\""))
            }
            let before = try await auditCount(app)
            try await app.testing().test(
                .POST, "/rounds/\(round)/dossiers/\(cluster)", headers: ["Cookie": other.cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        ["_csrf": other.csrf, "promotion_body": "x", "plan": "y"], as: .urlEncodedForm)
                }
            ) { res in #expect(res.status == .forbidden) }
            #expect(try await auditCount(app) == before + 1)
            // Without the form token nothing happens.
            try await app.testing().test(
                .POST, "/rounds/\(round)/object", headers: ["Cookie": other.cookie],
                beforeRequest: { req in
                    try req.content.encode(["cluster": cluster, "text": "x"], as: .urlEncodedForm)
                }
            ) { res in #expect(res.status == .forbidden) }
        }
    }
}
