@testable import App
import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct ExampleDataTests {
    @Test(arguments: TestDatabase.enabled)
    func theExamplesShowAFinishedRoundAndOneInProgressWithoutTouchingTheFigures(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let today = app.today()
            let before = try await app.store.registry().statistics(asOf: today)
            let loaded = try await ExampleData(app: app, today: today).load()
            #expect(loaded.clusters == 6)
            #expect(loaded.rounds == 2)
            #expect(loaded.accounts.count == ExampleData.accounts.count)
            #expect((loaded.password ?? "").count == 20)
            // Loading again adds nothing and prints no password.
            let again = try await ExampleData(app: app, today: today).load()
            #expect(again.clusters == 0 && again.rounds == 0 && again.password == nil)
            // The figures of the programme are untouched, though EX01 is national in its own history.
            let registry = try await app.store.registry()
            #expect(registry.statistics(asOf: today) == before)
            let ex01 = try #require(registry.clusters.first { $0.id == "EX01" })
            #expect(ex01.isExample)
            #expect(ex01.history.last?.tier == .national)
            #expect(try await LadderStore.status(of: ex01, today: today, on: app.db)?.state == .national)
            // The finished round: ranked, its objection resolved; the running one: scoring open.
            let finished = try #require(try await RoundModel.find("EX\(today.year - 1)", on: app.db)?.round())
            let ranking = try await ScoringController.ranking(finished, db: app.db, rules: app.rules)
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
            for path in ["/rounds", "/rounds/EX\(today.year - 1)", "/rounds/EX\(today.year)", "/rounds/EX\(today.year - 1)/dossiers/EX01",
                         "/rounds/EX\(today.year)/assign", "/rounds/EX\(today.year)/scores/EX03", "/clusters/EX01/decide", "/clusters/EX01", "/work"] {
                try await app.testing().test(.GET, path, headers: ["Cookie": admin.cookie]) { res in
                    #expect(res.status == .ok, "\(path)")
                }
            }
            try await app.testing().test(.GET, "/rounds/EX\(today.year - 1)") { res in
                #expect(res.body.string.contains("【示例】"))
            }
        }
    }
}
