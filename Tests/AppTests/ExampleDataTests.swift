import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct ExampleDataTests {
    @Test(arguments: TestDatabase.enabled)
    func theExamplesShowAFinishedRoundAndOneInProgressWithoutTouchingTheFigures(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let today = app.today()
            let before = try await app.store.registry().statistics(asOf: today)
            let loaded = try await ExampleData(app: app, today: today).load()
            #expect(loaded.clusters == 6)
            #expect(loaded.rounds == 2)
            #expect(loaded.returns == 9)
            #expect(loaded.accounts.count == ExampleData.accounts.count)
            #expect((loaded.password ?? "").count == 20)
            // Loading again adds nothing and prints no password.
            let again = try await ExampleData(app: app, today: today).load()
            #expect(again.clusters == 0 && again.rounds == 0 && again.returns == 0 && again.password == nil)
            // The figures of the programme are untouched, though EX01 is national in its own history.
            let registry = try await app.store.registry()
            #expect(registry.statistics(asOf: today) == before)
            let ex01 = try #require(registry.clusters.first { $0.id == "EX01" })
            #expect(ex01.isExample)
            #expect(ex01.history.last?.tier == .national)
            #expect(try await LadderStore.status(of: ex01, today: today, on: app.db)?.state == .national)
            // The finished round: ranked, its objection resolved; the running one: scoring open.
            let finished = try #require(try await RoundModel.find("EX\(today.year - 1)", on: app.db)?.round())
            let ranking = try await RankingReport.ranking(finished, db: app.db, rules: app.rules)
            #expect(ranking.tracks["new_materials"]?.map(\.cluster) == ["EX01", "EX02"])
            #expect(try await ObjectionModel.query(on: app.db).filter(\.$resolvedAt == nil).count() == 0)
            let running = try #require(try await RoundModel.find("EX\(today.year)", on: app.db)?.round())
            #expect(running.isOpen(.firstStage, on: today))
            // Each role has something waiting for it, and every screen of the rounds opens.
            let expert = try await signIn(app, "example-expert2@example.org", password: loaded.password ?? "")
            try await app.testing().test(.GET, "/work", headers: ["Cookie": expert.cookie]) { res in
                #expect(res.body.string.contains("/rounds/EX\(today.year)/scores/EX06"))
                #expect(res.body.string.contains("/rounds/EX\(today.year)/scores/EX05"))
            }
            let admin = try await signIn(app, "example-admin@example.org", password: loaded.password ?? "")
            for path in [
                "/rounds", "/rounds/EX\(today.year - 1)", "/rounds/EX\(today.year)",
                "/rounds/EX\(today.year - 1)/dossiers/EX01",
                "/rounds/EX\(today.year)/assign", "/rounds/EX\(today.year)/scores/EX03", "/clusters/EX01/decide",
                "/clusters/EX01", "/work",
            ] {
                try await app.testing().test(.GET, path, headers: ["Cookie": admin.cookie]) { res in
                    #expect(res.status == .ok, "\(path)")
                }
            }
            try await app.testing().test(.GET, "/rounds/EX\(today.year - 1)") { res in
                #expect(res.body.string.contains("【示例】"))
            }
            // Last year's returns in every state: each role finds its step in its inbox.
            let y = today.year - 1
            let jiangsu = try await signIn(app, "example-jiangsu@example.org", password: loaded.password ?? "")
            let suzhou = try await signIn(app, "example-suzhou@example.org", password: loaded.password ?? "")
            #expect(try await getPage(app, "/work", admin).body.contains("/clusters/EX05/returns/\(y)"))
            #expect(try await getPage(app, "/work", jiangsu).body.contains("/clusters/EX06/returns/\(y)"))
            #expect(try await getPage(app, "/work", suzhou).body.contains("/clusters/EX01/returns/\(y)"))
            let submitted = try await getPage(app, "/clusters/EX06/returns/\(y)?lang=en", jiangsu).body
            #expect(submitted.contains("value=\"province_review\""))
            // Its staff jumped on the year before: the page flags it, with the filer's explanation.
            #expect(submitted.contains("Promotion body full-time staff: +233% on last year"))
            #expect(submitted.contains("促进机构新设三个服务部门"))
            // The example clusters are rated apart; the real ratings leave them out.
            try await app.testing().test(.GET, "/api/v1/ratings?year=\(y)&tier=provincial&examples=true") { res in
                let json = try res.json()
                #expect(json.int("rated") == 3)
                #expect(
                    (json.array("ratings") ?? []).compactMap { $0.string("cluster") }.allSatisfy { $0.hasPrefix("EX") })
            }
            try await app.testing().test(.GET, "/api/v1/ratings?year=\(y)&tier=provincial") { res in
                let count = try res.json().int("clusters")
                #expect(count == 0)
            }
            for path in [
                "/returns?year=\(y)", "/ratings?year=\(y)&tier=provincial&examples=true", "/clusters/EX01/returns/\(y)",
            ] {
                #expect(try await getPage(app, path, admin).status == 200, "\(path)")
            }
        }
    }
}
