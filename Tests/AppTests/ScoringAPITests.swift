import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct ScoringAPITests {
    /// A round in its first stage on the tests' "today" (2026-11-24) with two Jiangsu entries.
    static func scoringRound(_ app: Application) async throws {
        let d = { (s: String) in Day(s)! }
        let round = CompetitionRound(
            id: "R2026", year: 2026, format: .preliminaryFinal, tracks: ["new_materials"], noticeNumber: nil,
            stages: [
                RoundStage(kind: .recommendation, opensOn: d("2026-09-01"), closesOn: d("2026-09-30")),
                RoundStage(kind: .dossier, opensOn: d("2026-10-01"), closesOn: d("2026-10-31")),
                RoundStage(kind: .firstStage, opensOn: d("2026-11-01"), closesOn: d("2026-11-30")),
                RoundStage(kind: .finalStage, opensOn: d("2026-12-10"), closesOn: d("2026-12-20")),
                RoundStage(kind: .notice, opensOn: d("2027-01-04"), closesOn: d("2027-01-10")),
            ],
            quotaPerProvince: 3, indicatorSetID: "cluster-competitiveness", indicatorSetVersion: 1)
        try await RoundModel(round).create(on: app.db)
        for id in ["EA", "EB"] {
            let cluster = Cluster(
                id: id, nameZh: "苏州市测试集群\(id)", nameEn: "Suzhou test \(id)", domainCode: "new_materials",
                cityNames: ["苏州"],
                provinceCodes: ["32"], batchCode: "provincial", confidence: .high, sources: [], notes: "",
                history: [
                    TierEvent(date: d("2025-01-01"), tier: .provincial, status: .active, document: nil, note: nil)
                ])
            try await app.store.insert(cluster, on: app.db)
            let row = RecommendationModel()
            row.roundID = "R2026"
            row.clusterID = id
            row.province = "32"
            row.track = "new_materials"
            row.recommendedOn = "2026-09-10"
            try await row.create(on: app.db)
        }
        try await app.store.bumpVersion(on: app.db)
    }

    /// Every indicator of the shipped set, with `score(dimension)`.
    static func scores(_ cluster: String, _ score: (String) -> Double) throws -> [String: AnyCodable] {
        let set = try DataFiles.indicatorSet()
        let items = set.indicators.map {
            #"{"indicator": "\#($0.code)", "score": \#(score($0.dimension)), "comment": "依据申报材料"}"#
        }
        return [
            "cluster": AnyCodable(stringLiteral: cluster), "scores": .json("[" + items.joined(separator: ",") + "]"),
        ]
    }

    @Test(arguments: TestDatabase.enabled)
    func assignScoreConcurrentlyAndRankWithExplanations(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await Self.scoringRound(app)
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let x = try await bearer(app, "x@example.org", Grant(role: .expert, scope: nil))
            let y = try await bearer(app, "y@example.org", Grant(role: .expert, scope: nil))
            let z = try await bearer(app, "z@example.org", Grant(role: .expert, scope: nil))
            func post(_ path: String, _ headers: HTTPHeaders, _ body: [String: AnyCodable]) async throws -> (
                UInt, [String: Any]
            ) {
                try await postJSON(app, path, headers, body)
            }
            // Never from the expert's own province.
            let own = try await post(
                "/api/v1/rounds/R2026/assignments", admin,
                ["cluster": "EA", "expert": "z@example.org", "expert_province": "32"])
            #expect(own.0 == 422)
            #expect(
                (own.1["fields"] as? [String: String])?["expert_province"]
                    == "an expert never scores an entry from their own province")
            for (expert, province) in [("x@example.org", "44"), ("y@example.org", "11")] {
                for entry in ["EA", "EB"] {
                    #expect(
                        try await post(
                            "/api/v1/rounds/R2026/assignments", admin,
                            [
                                "cluster": AnyCodable(stringLiteral: entry),
                                "expert": AnyCodable(stringLiteral: expert),
                                "expert_province": AnyCodable(stringLiteral: province),
                            ]
                        ).0 == 201)
                }
            }
            // An expert not assigned cannot score; a score out of range is named.
            #expect(try await post("/api/v1/rounds/R2026/scores", z, try Self.scores("EA") { _ in 50 }).0 == 403)
            #expect(try await post("/api/v1/rounds/R2026/scores", x, try Self.scores("EA") { _ in 101 }).0 == 422)
            // Two experts submit at once.
            async let first = post("/api/v1/rounds/R2026/scores", x, try Self.scores("EA") { _ in 80 })
            async let second = post("/api/v1/rounds/R2026/scores", y, try Self.scores("EA") { _ in 60 })
            let (a, b) = try await (first, second)
            #expect(a.0 == 201 && b.0 == 201)
            // Each expert is answered with their own scores of the entry, not the ranking.
            #expect(a.1["tracks"] == nil && (a.1["scores"] as? [[String: Any]])?.count == 15)
            #expect((a.1["scores"] as? [[String: Any]])?.allSatisfy { $0["score"] as? Double == 80 } == true)
            #expect(try await post("/api/v1/rounds/R2026/scores", x, try Self.scores("EB") { _ in 90 }).0 == 201)
            #expect(
                try await post(
                    "/api/v1/rounds/R2026/scores", y, try Self.scores("EB") { $0 == "innovation" ? 100 : 50 }
                ).0 == 201)
            #expect(try await ScoreModel.query(on: app.db).count() == 4 * 15)
            // By hand: EA every indicator (80 + 60) / 2 = 70 → 70. EB innovation (90 + 100) / 2 = 95 (25% → 23.75 points),
            // the rest (90 + 50) / 2 = 70 (75% → 52.5 points) → 76.25.
            // The round is in its scoring stage: its scores wait for the public notice, except for
            // admins and ministry reviewers.
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking") { res in
                #expect(res.status == .unauthorized)
            }
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking", headers: x) { res in
                #expect(res.status == .forbidden)
                let reason = try res.json().string("reason")
                #expect(reason?.contains("public notice") == true)
            }
            let reviewer = try await bearer(app, "r@example.org", Grant(role: .ministryReviewer, scope: "miit"))
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking", headers: reviewer) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking", headers: admin) { res in
                #expect(res.status == .ok)
                let rows = try res.json().object("tracks")?["new_materials"] as? [[String: Any]] ?? []
                #expect(rows.compactMap { $0["cluster"] as? String } == ["EB", "EA"])
                #expect(rows.compactMap { $0["total"] as? Double } == [76.25, 70])
                let innovation = (rows.first?["contributions"] as? [[String: Any]])?.first {
                    $0["dimension"] as? String == "innovation"
                }
                #expect(innovation?["score"] as? Double == 95)
                #expect(innovation?["points"] as? Double == 23.75)
                #expect(rows.last?["decided_by"] as? String == "total")
            }
            // The same ranking as CSV: one row per entry and dimension.
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking?format=csv", headers: admin) { res in
                #expect(res.status == .ok)
                let lines = res.body.string.split(whereSeparator: \.isNewline)
                #expect(lines.count == 1 + 2 * 6)
                #expect(
                    lines.contains {
                        $0.hasPrefix("R2026,new_materials,1,no,EB,76.25,total,innovation,95.0,25.0,23.75,")
                    })
            }
            // Submitting again replaces the earlier scores.
            #expect(try await post("/api/v1/rounds/R2026/scores", y, try Self.scores("EA") { _ in 100 }).0 == 201)
            #expect(try await ScoreModel.query(on: app.db).count() == 4 * 15)
        }
    }
}

@Suite struct RoundPageTests {
    @Test func theRoundPagesShowStagesRankingAndObjectionsInBothLanguages() async throws {
        try await withLadder(.sqlite) { app in
            try await ScoringAPITests.scoringRound(app)
            let expert = try await bearer(app, "x@example.org", Grant(role: .expert, scope: nil))
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            try await app.testing().test(
                .POST, "/api/v1/rounds/R2026/assignments", headers: admin,
                beforeRequest: { req in
                    try req.content.encode(["cluster": "EA", "expert": "x@example.org", "expert_province": "44"])
                }
            ) { res in #expect(res.status == .created) }
            try await app.testing().test(
                .POST, "/api/v1/rounds/R2026/scores", headers: expert,
                beforeRequest: { req in
                    try req.content.encode(try ScoringAPITests.scores("EA") { _ in 80 }, as: .json)
                }
            ) { res in #expect(res.status == .created) }
            try await app.testing().test(.GET, "/rounds?lang=zh") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("href=\"/rounds/R2026\""))
                #expect(html.contains("初赛：2026-11-01 — 2026-11-30"))
                #expect(html.contains("（进行中）"))
            }
            // Signed out, during scoring: the entries, no scores, no ranking, no CSV link.
            try await app.testing().test(.GET, "/rounds/R2026?lang=en") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("Track: New materials"))
                #expect(html.contains("published with the public notice"))
                #expect(!html.contains("80.00"))
                #expect(!html.contains("innovation 20.00"))
                #expect(!html.contains("/api/v1/rounds/R2026/ranking?format=csv"))
            }
            // An admin sees the ranking; EB, which nobody has scored, is 未评分 and not ranked.
            let browser = try await signIn(app, "admin@example.org")
            try await app.testing().test(.GET, "/rounds/R2026?lang=zh", headers: ["Cookie": browser.cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("<td class=\"num\">80.00</td>"))
                #expect(html.contains("创新水平 20.00"))
                #expect(html.contains("未评分"))
                #expect(html.contains("/api/v1/rounds/R2026/ranking?format=csv"))
            }
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking", headers: admin) { res in
                let json = try res.json()
                let rows = json.object("tracks")?["new_materials"] as? [[String: Any]] ?? []
                #expect(rows.compactMap { $0["cluster"] as? String } == ["EA"])
                #expect((json.object("unscored_entries")?["new_materials"] as? [String]) == ["EB"])
            }
            try await app.testing().test(.GET, "/rounds/nope") { res in
                #expect(res.status == .notFound)
            }
        }
    }
}
