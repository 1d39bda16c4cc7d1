import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct RoundAPITests {
    /// Stages around the tests' "today" (2026-11-24): recommendations open.
    static let stagesJSON = """
        [{"kind": "recommendation", "opens_on": "2026-11-01", "closes_on": "2026-12-15"},
         {"kind": "dossier", "opens_on": "2026-12-16", "closes_on": "2027-01-31"},
         {"kind": "first_stage", "opens_on": "2027-02-10", "closes_on": "2027-03-10"},
         {"kind": "final_stage", "opens_on": "2027-04-01", "closes_on": "2027-04-20"},
         {"kind": "notice", "opens_on": "2027-05-01", "closes_on": "2027-05-07"}]
        """

    /// An open round R2026 and a provincial cluster in Suzhou, made directly (for the access matrix).
    static func fixture(_ app: Application, recommended: Bool = false) async throws -> (String, String) {
        if try await RoundModel.find("R2026", on: app.db) == nil {
            let stages = try JSONDecoder().decode([RoundStage].self, from: Data(stagesJSON.utf8))
            let round = CompetitionRound(
                id: "R2026", year: 2026, format: .groupOverall, tracks: ["new_materials"], noticeNumber: nil,
                stages: stages, quotaPerProvince: 3, indicatorSetID: "cluster-competitiveness", indicatorSetVersion: 1)
            try await RoundModel(round).create(on: app.db)
        }
        try await Self.provincialCluster(app, "PJS01", "苏州市测试新材料集群", "Suzhou test materials cluster")
        if recommended, try await RecommendationModel.query(on: app.db).filter(\.$clusterID == "PJS01").count() == 0 {
            let row = RecommendationModel()
            row.roundID = "R2026"
            row.clusterID = "PJS01"
            row.province = "32"
            row.track = "new_materials"
            row.recommendedOn = "2026-11-20"
            try await row.create(on: app.db)
        }
        return ("R2026", "PJS01")
    }

    /// A provincial new-materials cluster in Suzhou (Jiangsu), added once.
    static func provincialCluster(_ app: Application, _ id: String, _ nameZh: String, _ nameEn: String) async throws {
        guard try await ClusterModel.find(id, on: app.db) == nil else { return }
        let cluster = Cluster(
            id: id, nameZh: nameZh, nameEn: nameEn, domainCode: "new_materials", cityNames: ["苏州"],
            provinceCodes: ["32"],
            batchCode: "provincial", confidence: .high, sources: [], notes: "",
            history: [TierEvent(date: Day("2025-01-01")!, tier: .provincial, status: .active, document: nil, note: nil)]
        )
        try await app.store.insert(cluster, on: app.db)
        try await app.store.bumpVersion(on: app.db)
    }

    @Test(arguments: TestDatabase.enabled)
    func openARoundAndRecommendWithinTheQuota(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let jiangsu = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            func post(_ path: String, _ headers: HTTPHeaders, _ body: [String: AnyCodable]) async throws -> (
                UInt, [String: Any]
            ) {
                try await postJSON(app, path, headers, body)
            }
            var bad: [String: AnyCodable] = [
                "year": AnyCodable(2026), "format": "knockout", "tracks": AnyCodable(["new_materials"]),
                "stages": .json(Self.stagesJSON),
            ]
            let refused = try await post("/api/v1/rounds", admin, bad)
            #expect(refused.0 == 422)
            #expect((refused.1["fields"] as? [String: String])?.keys.sorted() == ["format"])
            bad["format"] = "group_overall"
            bad["quota_per_province"] = AnyCodable(2)
            #expect(try await post("/api/v1/rounds", jiangsu, bad).0 == 403)
            let opened = try await post("/api/v1/rounds", admin, bad)
            #expect(opened.0 == 201)
            #expect(opened.1["id"] as? String == "R2026")
            #expect(opened.1["indicator_set_version"] as? Int == 1)
            // Three provincial Jiangsu clusters, made through the API by the province itself.
            var ids: [String] = []
            for n in 1...3 {
                try await app.testing().test(
                    .POST, "/api/v1/clusters", headers: jiangsu,
                    beforeRequest: { req in
                        let body: [String: AnyCodable] = [
                            "name_zh": AnyCodable(stringLiteral: "苏州市测试集群\(n)"),
                            "name_en": AnyCodable(stringLiteral: "Suzhou test cluster \(n)"),
                            "domain": "new_materials", "cities": AnyCodable(["苏州"]),
                        ]
                        try req.content.encode(body, as: .json)
                    }
                ) { res in
                    #expect(res.status == .created)
                    ids.append(try res.json().string("id") ?? "")
                }
            }
            #expect(
                try await post(
                    "/api/v1/rounds/R2026/recommendations", jiangsu,
                    ["cluster": AnyCodable(stringLiteral: ids[0]), "track": "new_materials"]
                ).0 == 201)
            let twice = try await post(
                "/api/v1/rounds/R2026/recommendations", jiangsu,
                ["cluster": AnyCodable(stringLiteral: ids[0]), "track": "new_materials"])
            #expect(twice.0 == 422)
            #expect((twice.1["fields"] as? [String: String])?["cluster"] == "already recommended into this round")
            #expect(
                try await post(
                    "/api/v1/rounds/R2026/recommendations", jiangsu,
                    ["cluster": AnyCodable(stringLiteral: ids[1]), "track": "new_materials"]
                ).0 == 201)
            let over = try await post(
                "/api/v1/rounds/R2026/recommendations", jiangsu,
                ["cluster": AnyCodable(stringLiteral: ids[2]), "track": "new_materials"])
            #expect(over.0 == 422)
            #expect((over.1["fields"] as? [String: String])?["quota"] == "province 32 has used its quota of 2")
            // A national cluster does not enter; another province's cluster is not Jiangsu's to recommend.
            let national = try await post(
                "/api/v1/rounds/R2026/recommendations", jiangsu, ["cluster": "NC011", "track": "new_materials"])
            #expect(
                (national.1["fields"] as? [String: String])?["cluster"]?.hasPrefix("only provincial clusters") == true)
            #expect(
                try await post(
                    "/api/v1/rounds/R2026/recommendations", jiangsu, ["cluster": "NC001", "track": "new_materials"]
                ).0 == 403)
            try await app.testing().test(.GET, "/api/v1/rounds/R2026") { res in
                let recs = try res.json().array("recommendations") ?? []
                #expect(recs.compactMap { $0.string("cluster") } == Array(ids.prefix(2)))
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func anAdminClosesAStageEarlyAndLaterStepsFollowIt(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let (round, cluster) = try await Self.fixture(app)
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let jiangsu = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            #expect(
                try await postJSON(app, "/api/v1/rounds/\(round)/stages/recommendation/close", jiangsu, [:]).0 == 403)
            let unknown = try await postJSON(app, "/api/v1/rounds/\(round)/stages/lunch/close", admin, [:])
            #expect(unknown.0 == 422)
            #expect((unknown.1["fields"] as? [String: String])?["stage"]?.contains("recommendation") == true)
            let closed = try await postJSON(app, "/api/v1/rounds/\(round)/stages/recommendation/close", admin, [:])
            #expect(closed.0 == 200)
            let stages = closed.1["stages"] as? [[String: Any]]
            #expect(stages?.first?["closes_on"] as? String == "2026-11-23")
            // The stage is over: a recommendation is refused, naming the dates.
            let late = try await postJSON(
                app, "/api/v1/rounds/\(round)/recommendations", jiangsu,
                ["cluster": AnyCodable(stringLiteral: cluster), "track": "new_materials"])
            #expect(late.0 == 422)
            #expect((late.1["fields"] as? [String: String])?["round"]?.contains("2026-11-23") == true)
            #expect(try await postJSON(app, "/api/v1/rounds/\(round)/stages/recommendation/close", admin, [:]).0 == 422)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "close_stage").count() == 2)
        }
    }
}
