import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Services without HTTP: a use case that changes several records commits them together with their
/// audit entries, or nothing at all.
@Suite struct ServiceTransactionTests {
    static func context(_ app: Application, _ grants: [Grant]) -> ServiceContext {
        let caller = Caller(
            userID: UUID(), email: "decider@example.org", displayName: "Decider", grants: grants, via: "test")
        return ServiceContext(
            db: app.db, now: testNow, today: app.today(), rules: app.rules, reference: app.reference,
            shippedPolicies: app.policies,
            registryCache: app.registryCache, attachments: app.attachments, origin: AuditLog.Origin(commandLine: app),
            caller: caller)
    }

    /// What an accepted warning would change: the ladder, the tier history, the registry version, the
    /// audit trail and the proposal.
    struct Footprint: Equatable {
        var ladderEvents: Int
        var clusterEvents: Int
        var registryVersion: Int
        var audit: Int
        var decision: String
    }

    static func footprint(_ app: Application, proposal: Int) async throws -> Footprint {
        Footprint(
            ladderEvents: try await LadderEventModel.query(on: app.db).filter(\.$clusterID == "NC001").count(),
            clusterEvents: try await ClusterEventModel.query(on: app.db).filter(\.$cluster.$id == "NC001").count(),
            registryVersion: try await RegistryStateModel.query(on: app.db).first()?.version ?? -1,
            audit: try await AuditEntryModel.query(on: app.db).count(),
            decision: try await ProposalModel.find(proposal, on: app.db)?.decision ?? "gone")
    }

    /// The decision's second step (claiming the proposal) fails after its first (the ladder transition)
    /// has been written inside the transaction: nothing of either is left.
    @Test(arguments: TestDatabase.enabled)
    func aDecisionWhoseClaimFailsLeavesNothingBehind(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let proposal = try await AccessMatrixTests.proposedWarning(app, "NC001")
            let service = AdjustmentService(context: Self.context(app, [Grant(role: .admin, scope: nil)]))
            let decision = try await service.prepare(
                id: proposal, RatingController.DecisionInput(decision: "accept", note: nil, documentNumber: nil))
            #expect(decision.transition?.next.state == .warned)
            // Another admin rejects the proposal between the checks and the write.
            let other = try #require(try await ProposalModel.find(proposal, on: app.db))
            other.decision = "rejected"
            try await other.update(on: app.db)
            let before = try await Self.footprint(app, proposal: proposal)
            await #expect(throws: APIError.self) { _ = try await service.commit(decision) }
            #expect(try await Self.footprint(app, proposal: proposal) == before)
            #expect(
                try await LadderService(context: Self.context(app, [])).status(of: try await app.cluster("NC001"))?
                    .state == .national)
        }
    }

    /// The same decision committed twice (two admins at once): the second finds the ladder moved and
    /// the proposal taken, and writes nothing.
    @Test(arguments: TestDatabase.enabled)
    func twoAcceptancesOfOneProposalApplyItOnce(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let proposal = try await AccessMatrixTests.proposedWarning(app, "NC001")
            let input = RatingController.DecisionInput(decision: "accept", note: nil, documentNumber: nil)
            let first = AdjustmentService(context: Self.context(app, [Grant(role: .admin, scope: nil)]))
            let second = AdjustmentService(context: Self.context(app, [Grant(role: .admin, scope: nil)]))
            let a = try await first.prepare(id: proposal, input)
            let b = try await second.prepare(id: proposal, input)
            let row = try await first.commit(a)
            #expect(row.decision == "accepted")
            let after = try await Self.footprint(app, proposal: proposal)
            #expect(after.ladderEvents == 1)
            await #expect(throws: LadderService.Moved.self) { _ = try await second.commit(b) }
            #expect(try await Self.footprint(app, proposal: proposal) == after)
        }
    }
}

/// The take-up use cases without HTTP: the caller's scope, the status machine and the version claim.
@Suite struct TakeUpServiceTests {
    @Test(arguments: TestDatabase.enabled)
    func recordAndMoveSupportThroughTheService(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let suzhou = TakeUpService(context: ServiceTransactionTests.context(app, [Grant(role: .city, scope: "苏州")]))
            let input = TakeUpController.TakeUpInput(
                policy: "POL003", cluster: "NC011", amount: 5_000_000, grantedOn: "2026-02-01", status: "applied",
                note: nil)
            let recorded = try await suzhou.record(input)
            #expect(recorded.status == .applied && recorded.version == 1)
            // Outside the city's clusters: refused, and the refusal audited.
            var elsewhere = input
            elsewhere.cluster = "NC001"
            await #expect(throws: AuthError.self) { _ = try await suzhou.record(elsewhere) }
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(\.$action == "record_takeup")
                    .filter(\.$outcome == "refused").count() == 1)
            let granted = try await suzhou.change(
                id: recorded.id, .init(status: "granted", amount: nil, note: "批复", version: 1))
            #expect(granted.status == .granted && granted.version == 2 && granted.note == "批复")
            await #expect(throws: APIError.self) {
                _ = try await suzhou.change(id: recorded.id, .init(status: "paid", amount: nil, note: nil, version: 1))
            }
            await #expect(throws: FieldErrors.self) {
                _ = try await suzhou.change(
                    id: recorded.id, .init(status: "applied", amount: nil, note: nil, version: 2))
            }
            #expect(try await TakeUpService.all(app.db).map(\.status) == [.granted])
        }
    }
}

extension Application {
    func cluster(_ id: String) async throws -> Cluster {
        try #require(try await store.registry().clusters.first { $0.id == id })
    }
}

/// `ladder policies import`: a file is imported whole or not at all.
@Suite struct PolicyImportTests {
    static func items(_ json: String) throws -> [PolicyWriteController.ImportItem] {
        try JSONDecoder().decode([PolicyWriteController.ImportItem].self, from: Data(json.utf8))
    }

    static func policy(_ id: String, title: String = "省级集群贷款贴息", level: String = "provincial") -> String {
        """
        {"id": "\(id)", "category": "finance", "level": "\(level)", "jurisdiction": "32",
         "issuers": ["provincial_finance"], "owners": ["provincial_finance"], "title_zh": "\(title)",
         "title_en": "Provincial loan subsidy", "source": "test", "rule": {"province": ["32"]}}
        """
    }

    @Test(arguments: TestDatabase.enabled)
    func aFileWithOneBadItemImportsNothing(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let before = try await PolicyModel.query(on: app.db).count()
            let audit = try await auditCount(app)
            func run(_ json: String) async throws -> Int {
                try await PoliciesCommand.importAll(
                    try Self.items(json), db: app.db, origin: AuditLog.Origin(commandLine: app), shipped: app.policies,
                    reference: app.reference)
            }
            // The second item has no title, the third repeats the first one's id.
            let bad =
                "["
                + [Self.policy("POL901"), Self.policy("POL902", title: ""), Self.policy("POL901")]
                .joined(separator: ",") + "]"
            await #expect {
                _ = try await run(bad)
            } throws: { error in
                (error as? PoliciesCommand.ImportRefused)?.problems.count == 2
            }
            #expect(try await PolicyModel.query(on: app.db).count() == before)
            #expect(try await auditCount(app) == audit)
            let good = "[" + [Self.policy("POL901"), Self.policy("POL902")].joined(separator: ",") + "]"
            #expect(try await run(good) == 2)
            #expect(try await PolicyModel.query(on: app.db).count() == before + 2)
            #expect(try await auditCount(app) == audit + 2)
        }
    }
}
