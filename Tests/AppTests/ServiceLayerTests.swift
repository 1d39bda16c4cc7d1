import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Use cases called as a command or a test calls them: a service and its context, no HTTP.
@Suite struct ServiceLayerTests {
    static func input() throws -> RoundController.RoundInput {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let stages = try decoder.decode(
            [RoundController.StageInput].self, from: Data(RoundAPITests.stagesJSON.utf8))
        return RoundController.RoundInput(
            year: 2027, format: "group_overall", tracks: ["new_materials"], noticeNumber: nil, stages: stages,
            quotaPerProvince: 2, quotaOverrides: nil)
    }

    /// A command opens a round and closes a stage without a sign-in; both are audited as the
    /// command line's.
    @Test(arguments: TestDatabase.enabled)
    func theCommandLineOpensARoundAndClosesAStage(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let rounds = RoundService(context: app.commandLineServices)
            let round = try await rounds.open(try Self.input())
            #expect(round.id == "R2027")
            #expect(round.indicatorSetVersion == (try await IndicatorSets.current(app.db)).version)
            let closed = try await rounds.closeStage(round: round.id, stage: "recommendation")
            #expect(closed.stage(.recommendation)?.closesOn == app.today().adding(days: -1))
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityID == round.id).sort(\.$id).all()
            #expect(audit.map(\.action) == ["open_round", "close_stage"])
            #expect(audit.allSatisfy { $0.grant == "command line" && $0.outcome == "done" && $0.actorID == nil })
        }
    }

    /// A signed-in caller without the admin role is refused, the refusal audited, nothing opened.
    @Test(arguments: TestDatabase.enabled)
    func aNonAdminCannotOpenARound(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let caller = Caller(
                userID: UUID(), email: "city@example.org", displayName: "City",
                grants: [Grant(role: .city, scope: "苏州")], via: "token:test")
            let context = ServiceTransactionTests.context(app, caller.grants)
            await #expect(throws: AuthError.self) {
                _ = try await RoundService(context: context).open(try Self.input())
            }
            #expect(try await RoundModel.query(on: app.db).count() == 0)
            let refused = try await AuditEntryModel.query(on: app.db).filter(\.$action == "open_round").all()
            #expect(refused.map(\.outcome) == ["refused"])
        }
    }

    /// The ratings are made by the service alone, and the CSV it writes has a row per rated cluster
    /// and dimension.
    @Test(arguments: TestDatabase.enabled)
    func ratingsWithoutHTTP(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let dto = try await RatingService(context: app.commandLineServices).rate(year: 2025, tier: .national)
            #expect(dto.year == 2025 && dto.tier == "national")
            #expect(dto.clusters > 0)
            let lines = RatingService.csv(dto).split(separator: "\n")
            #expect(lines.first?.hasPrefix("year,tier,rank,cluster") == true)
            #expect(lines.count == 1 + dto.ratings.reduce(0) { $0 + $1.contributions.count })
        }
    }

    /// A revision that renames a dimension the tie-break order names is refused, naming the field,
    /// and no version is stored; the same dimensions under their own codes are accepted.
    @Test(arguments: TestDatabase.enabled)
    func aRevisionThatBreaksTheTieBreakOrderIsRefused(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let current = try await IndicatorSets.current(app.db)
            let old = try #require(current.dimensions.first?.code)
            #expect(app.rules.scoring.tieBreakOrder(dimensions: current.dimensions.map(\.code)).contains(old))
            func renamed<T: Codable>(_ items: [T], _ key: String) throws -> [T] {
                let objects = try #require(
                    try JSONSerialization.jsonObject(with: try JSONEncoder().encode(items)) as? [[String: Any]])
                let changed = objects.map { o in
                    var o = o
                    if o[key] as? String == old { o[key] = "renamed" }
                    return o
                }
                return try JSONDecoder().decode([T].self, from: try JSONSerialization.data(withJSONObject: changed))
            }
            let admin = ServiceTransactionTests.context(app, [Grant(role: .admin, scope: nil)])
            let revision = IndicatorSetController.RevisionInput(
                dimensions: try renamed(current.dimensions, "code"),
                indicators: try renamed(current.indicators, "dimension"),
                note: "rename a dimension")
            do {
                _ = try await IndicatorSetService(context: admin).revise(revision)
                Issue.record("the revision was stored")
            } catch let errors as FieldErrors {
                #expect(errors.fields["dimensions"]?.contains("tie_break") == true)
            }
            #expect(try await IndicatorSets.current(app.db).version == current.version)
            let same = IndicatorSetController.RevisionInput(
                dimensions: current.dimensions, indicators: nil, note: "the same dimensions again")
            #expect(try await IndicatorSetService(context: admin).revise(same).version == current.version + 1)
        }
    }
}
