import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct IndicatorSetAPITests {
    /// The shipped dimensions with innovation at 30% and openness at 5% (still 100% in all).
    static func revisedDimensions(innovation: Double, openness: Double) throws -> String {
        let set = try DataFiles.indicatorSet()
        let items = set.dimensions.map { d -> String in
            let weight = d.code == "innovation" ? innovation : d.code == "openness" ? openness : d.weight
            return
                #"{"code": "\#(d.code)", "name_zh": "\#(d.nameZh)", "name_en": "\#(d.nameEn)", "weight": \#(weight), "assumed": true}"#
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    @Test(arguments: TestDatabase.enabled)
    func revisingMakesANewVersionAndRoundsKeepTheirs(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            // A round opened with version 1, scored by two experts (EA 70 everywhere; EB 95 on innovation, 70 elsewhere).
            try await ScoringAPITests.scoringRound(app)
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let jiangsu = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            let x = try await bearer(app, "x@example.org", Grant(role: .expert, scope: nil))
            let y = try await bearer(app, "y@example.org", Grant(role: .expert, scope: nil))
            for (expert, province) in [("x@example.org", "44"), ("y@example.org", "11")] {
                for entry in ["EA", "EB"] {
                    #expect(
                        try await postJSON(
                            app, "/api/v1/rounds/R2026/assignments", admin,
                            [
                                "cluster": AnyCodable(stringLiteral: entry),
                                "expert": AnyCodable(stringLiteral: expert),
                                "expert_province": AnyCodable(stringLiteral: province),
                            ]
                        ).0 == 201)
                }
            }
            #expect(
                try await postJSON(app, "/api/v1/rounds/R2026/scores", x, try ScoringAPITests.scores("EA") { _ in 80 })
                    .0 == 201)
            #expect(
                try await postJSON(app, "/api/v1/rounds/R2026/scores", y, try ScoringAPITests.scores("EA") { _ in 60 })
                    .0 == 201)
            #expect(
                try await postJSON(app, "/api/v1/rounds/R2026/scores", x, try ScoringAPITests.scores("EB") { _ in 90 })
                    .0 == 201)
            #expect(
                try await postJSON(
                    app, "/api/v1/rounds/R2026/scores", y,
                    try ScoringAPITests.scores("EB") { $0 == "innovation" ? 100 : 50 }
                ).0 == 201)

            try await app.testing().test(.GET, "/api/v1/indicator-sets") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.object("current")?["version"] as? Int == 1)
                #expect((json["versions"] as? [[String: Any]])?.count == 1)
            }
            // Only an admin revises; the refusal is audited.
            let good: [String: AnyCodable] = [
                "dimensions": .json(try Self.revisedDimensions(innovation: 30, openness: 5)),
                "note": "Innovation weighs more in 2027",
            ]
            #expect(try await postJSON(app, "/api/v1/indicator-sets", jiangsu, good).0 == 403)
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(\.$action == "revise_indicator_set").filter(
                    \.$outcome == "refused"
                ).count() == 1)
            // Weights that do not total 100% are refused, naming the problem; nothing is stored.
            let bad = try await postJSON(
                app, "/api/v1/indicator-sets", admin,
                ["dimensions": .json(try Self.revisedDimensions(innovation: 30, openness: 10)), "note": "typo"])
            #expect(bad.0 == 422)
            #expect(
                (bad.1["fields"] as? [String: String])?["indicator_set"]?.contains(
                    "dimension weights total 105.0%, not 100%") == true)
            let noNote = try await postJSON(app, "/api/v1/indicator-sets", admin, ["dimensions": good["dimensions"]!])
            #expect(noNote.0 == 422)
            #expect((noNote.1["fields"] as? [String: String])?["note"] != nil)
            #expect(try await IndicatorSetModel.query(on: app.db).count() == 1)

            let revised = try await postJSON(app, "/api/v1/indicator-sets", admin, good)
            #expect(revised.0 == 201)
            #expect(revised.1["version"] as? Int == 2)
            try await app.testing().test(.GET, "/api/v1/indicator-sets/1") { res in
                let innovation = (try res.json()["dimensions"] as? [[String: Any]])?.first {
                    $0["code"] as? String == "innovation"
                }
                #expect(innovation?["weight"] as? Double == 25)
            }
            try await app.testing().test(.GET, "/api/v1/indicator-sets/2") { res in
                let innovation = (try res.json()["dimensions"] as? [[String: Any]])?.first {
                    $0["code"] as? String == "innovation"
                }
                #expect(innovation?["weight"] as? Double == 30)
            }
            try await app.testing().test(.GET, "/api/v1/indicator-sets/3") { res in #expect(res.status == .notFound) }

            // The running round still ranks with version 1: EB = 95 × 25% + 70 × 75% = 76.25 (with v2 it would be 77.5).
            try await app.testing().test(.GET, "/api/v1/rounds/R2026/ranking", headers: admin) { res in
                let rows = try res.json().object("tracks")?["new_materials"] as? [[String: Any]] ?? []
                #expect(rows.compactMap { $0["total"] as? Double } == [76.25, 70])
            }
            // A round opened now takes version 2.
            let opened = try await postJSON(
                app, "/api/v1/rounds", admin,
                [
                    "year": AnyCodable(2027), "format": "group_overall", "tracks": AnyCodable(["new_materials"]),
                    "quota_per_province": AnyCodable(2), "stages": .json(RoundAPITests.stagesJSON),
                ])
            #expect(opened.0 == 201)
            #expect(opened.1["indicator_set_version"] as? Int == 2)

            // The page lists both versions and marks the assumed weights.
            try await app.testing().test(.GET, "/indicators?lang=en") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("cluster-competitiveness v2"))
                #expect(html.contains("Innovation · 30% (assumed)"))
                #expect(html.contains("v1: Scale and strength 20%, Innovation 25%"))
                #expect(html.contains("Innovation weighs more in 2027"))
            }

            // The same through the admin's form: a total other than 100% is named; a good one makes version 3.
            try await makeUser(app, "form-admin@example.org", [Grant(role: .admin, scope: nil)])
            let browser = try await signIn(app, "form-admin@example.org")
            let page = try await getPage(app, "/indicators", browser)
            #expect(page.body.contains("name=\"weight_innovation\" value=\"30\""))
            var weights = [
                "weight_scale": "20", "weight_innovation": "30", "weight_quality_firms": "15", "weight_ecosystem": "15",
                "weight_openness": "5", "weight_governance": "20", "note": "治理权重提高",
            ]
            let over = try await postForm(app, "/indicators", browser, weights)
            #expect(over.status == 422)
            #expect(over.body.contains("各维度权重合计为 105.0%，应为 100%"))
            weights["weight_governance"] = "abc"
            #expect(
                try await postForm(app, "/indicators", browser, weights).body.contains("id=\"error-weight_governance\"")
            )
            weights["weight_governance"] = "15"
            #expect(try await postForm(app, "/indicators", browser, weights).status == 303)
            #expect(try await IndicatorSets.current(app.db).version == 3)
        }
    }
}
