import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct NoticeAPITests {
    /// Round RN2026 whose public notice runs over the tests' "today" (2026-11-24), with entry PJS01
    /// (a winner) and one unresolved objection (made when none is open).
    static func noticeFixture(_ app: Application, noticeCloses: String = "2026-11-26") async throws -> (
        String, String, Int
    ) {
        let d = { (s: String) in Day(s)! }
        if try await RoundModel.find("RN2026", on: app.db) == nil {
            let round = CompetitionRound(
                id: "RN2026", year: 2026, format: .groupOverall, tracks: ["new_materials"], noticeNumber: nil,
                stages: [
                    RoundStage(kind: .recommendation, opensOn: d("2026-08-01"), closesOn: d("2026-08-31")),
                    RoundStage(kind: .dossier, opensOn: d("2026-09-01"), closesOn: d("2026-09-30")),
                    RoundStage(kind: .firstStage, opensOn: d("2026-10-01"), closesOn: d("2026-10-15")),
                    RoundStage(kind: .finalStage, opensOn: d("2026-10-20"), closesOn: d("2026-10-31")),
                    RoundStage(kind: .notice, opensOn: d("2026-11-20"), closesOn: d(noticeCloses)),
                ],
                quotaPerProvince: 3, indicatorSetID: "cluster-competitiveness", indicatorSetVersion: 1)
            try await RoundModel(round).create(on: app.db)
        }
        _ = try await RoundAPITests.fixture(app)
        if try await RecommendationModel.query(on: app.db).filter(\.$roundID == "RN2026").count() == 0 {
            let row = RecommendationModel()
            row.roundID = "RN2026"
            row.clusterID = "PJS01"
            row.province = "32"
            row.track = "new_materials"
            row.recommendedOn = "2026-08-10"
            try await row.create(on: app.db)
        }
        if let open = try await ObjectionModel.query(on: app.db).filter(\.$roundID == "RN2026").filter(
            \.$resolvedAt == nil
        ).first() {
            return ("RN2026", "PJS01", try open.requireID())
        }
        let objection = ObjectionModel()
        objection.roundID = "RN2026"
        objection.clusterID = "PJS01"
        objection.lodgedBy = "fixture"
        objection.text = "实名举报：产值统计口径有误"
        objection.lodgedAt = testNow
        try await objection.create(on: app.db)
        return ("RN2026", "PJS01", try objection.requireID())
    }

    @Test(arguments: TestDatabase.enabled)
    func objectionsBlockTheDesignationUntilResolvedThenTheClusterIsNational(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            // Notice 2026-11-20 to 11-23: over by "today", 2026-11-24.
            let (round, cluster, objection) = try await Self.noticeFixture(app, noticeCloses: "2026-11-23")
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let reviewer = try await bearer(app, "review@example.org", Grant(role: .ministryReviewer, scope: "miit"))
            let citizen = try await bearer(app, "someone@example.org", Grant(role: .expert, scope: nil))
            func post(_ path: String, _ headers: HTTPHeaders, _ body: [String: AnyCodable]) async throws -> (
                UInt, [String: Any]
            ) {
                try await postJSON(app, path, headers, body)
            }
            // The notice is over: no more objections.
            #expect(
                try await post(
                    "/api/v1/rounds/\(round)/objections", citizen,
                    ["cluster": AnyCodable(stringLiteral: cluster), "text": "迟到"]
                ).0 == 422)
            // The cluster is a winner of the round (through the ladder).
            for event in ["recommend", "qualify", "win"] {
                let evidence: [String] = [
                    "recommend": ["recommendation", "dossier"], "qualify": ["scores"], "win": ["scores", "ranking"],
                ][event]!
                #expect(
                    try await post(
                        "/api/v1/clusters/\(cluster)/ladder", admin,
                        [
                            "event": AnyCodable(stringLiteral: event), "on": "2026-11-24",
                            "evidence": AnyCodable(evidence),
                        ]
                    ).0 == 201)
            }
            #expect(
                try await post(
                    "/api/v1/clusters/\(cluster)/ladder/sign-offs", reviewer, ["event": "designate", "comment": "同意"]
                ).0 == 201)
            let designate: [String: AnyCodable] = [
                "event": "designate", "round": AnyCodable(stringLiteral: round), "on": "2026-11-24",
                "evidence": AnyCodable(["document_number"]), "document_number": "工信部规函〔2026〕9号",
            ]
            // Claiming the notice evidence is refused; an unresolved objection blocks the designation.
            var claimed = designate
            claimed["evidence"] = AnyCodable(["document_number", "notice_closed", "objections_resolved"])
            #expect(try await post("/api/v1/clusters/\(cluster)/ladder", admin, claimed).0 == 422)
            let blocked = try await post("/api/v1/clusters/\(cluster)/ladder", admin, designate)
            #expect(blocked.0 == 422)
            #expect(
                (blocked.1["fields"] as? [String: String])?["evidence"]
                    == "designate needs public notice closed; objections resolved")
            // Resolved with a written reason (admins only), the designation goes through.
            #expect(
                try await post(
                    "/api/v1/rounds/\(round)/objections/\(objection)/resolution", citizen, ["resolution": "x"]
                ).0 == 403)
            #expect(
                try await post("/api/v1/rounds/\(round)/objections/\(objection)/resolution", admin, ["resolution": ""])
                    .0 == 422)
            #expect(
                try await post(
                    "/api/v1/rounds/\(round)/objections/\(objection)/resolution", admin,
                    ["resolution": "经核实，统计口径一致，异议不成立"]
                ).0 == 200)
            let done = try await post("/api/v1/clusters/\(cluster)/ladder", admin, designate)
            #expect(done.0 == 201)
            #expect(done.1["state"] as? String == "national")
            let registered = try #require(try await app.store.registry().clusters.first { $0.id == cluster })
            #expect(registered.history.last?.tier == .national)
            #expect(registered.designationDocument == "工信部规函〔2026〕9号")
            try await app.testing().test(.GET, "/api/v1/stats?as_of=2026-11-24") { res in
                let body = try res.json()
                #expect(body["clusters"] as? Int == 79)
            }
        }
    }

    @Test func anObjectionDuringTheNoticeIsRecordedAndBlocksLaterDesignation() async throws {
        try await withLadder(.sqlite) { app in
            let (round, cluster, _) = try await Self.noticeFixture(app)
            let citizen = try await bearer(app, "someone@example.org", Grant(role: .city, scope: "苏州"))
            var status: UInt = 0
            try await app.testing().test(
                .POST, "/api/v1/rounds/\(round)/objections", headers: citizen,
                beforeRequest: { req in
                    try req.content.encode(["cluster": cluster, "text": "该集群部分企业不在苏州"])
                }
            ) { res in status = res.status.code }
            #expect(status == 201)
            try await app.testing().test(.GET, "/api/v1/rounds/\(round)/objections") { res in
                #expect(res.body.string.contains("该集群部分企业不在苏州"))
            }
        }
    }

    /// An objection and a designation of the same entry at the same moment (the objection from the
    /// last minute of the notice, the designation from the first of the day after): whichever takes
    /// the round's lock first wins and the other is refused — never a designation beside an
    /// objection it did not see.
    @Test(arguments: TestDatabase.enabled)
    func anObjectionRacingADesignationNeverLetsBothThrough(db: TestDatabase) async throws {
        var outcomes: [String] = []
        for attempt in 0..<4 {
            try await withLadder(db) { app in
                let (round, cluster, objection) = try await Self.noticeFixture(app, noticeCloses: "2026-11-23")
                let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
                let reviewer = try await bearer(
                    app, "review@example.org", Grant(role: .ministryReviewer, scope: "miit"))
                #expect(
                    try await postJSON(
                        app, "/api/v1/rounds/\(round)/objections/\(objection)/resolution", admin,
                        ["resolution": "不成立"]
                    ).0 == 200)
                for (event, evidence) in [
                    ("recommend", ["recommendation", "dossier"]), ("qualify", ["scores"]),
                    ("win", ["scores", "ranking"]),
                ] {
                    #expect(
                        try await postJSON(
                            app, "/api/v1/clusters/\(cluster)/ladder", admin,
                            [
                                "event": AnyCodable(stringLiteral: event), "on": "2026-11-24",
                                "evidence": AnyCodable(evidence),
                            ]
                        ).0 == 201)
                }
                #expect(
                    try await postJSON(
                        app, "/api/v1/clusters/\(cluster)/ladder/sign-offs", reviewer,
                        ["event": "designate", "comment": "同意"]
                    ).0 == 201)
                let late = ObjectionModel()
                late.roundID = round
                late.clusterID = cluster
                late.lodgedBy = "racer"
                late.text = "公示最后一分钟提出的异议"
                late.lodgedAt = testNow
                // Alternate which one starts first.
                async let designation: UInt = {
                    if attempt % 2 == 1 { try await Task.sleep(for: .milliseconds(5)) }
                    return try await postJSON(
                        app, "/api/v1/clusters/\(cluster)/ladder", admin,
                        [
                            "event": "designate", "round": AnyCodable(stringLiteral: round), "on": "2026-11-24",
                            "evidence": AnyCodable(["document_number"]), "document_number": "工信部规函〔2026〕9号",
                        ]
                    ).0
                }()
                async let objected: Bool = {
                    if attempt % 2 == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    do {
                        try await app.db.writeTransaction { tx in
                            try await NoticeService.insertUnlessDesignated(late, on: tx)
                        }
                        return true
                    } catch let error as APIError where error.status == .conflict {
                        return false
                    }
                }()
                let (designated, lodged) = try await (designation, objected)
                // Exactly one wins, and the state agrees with it.
                #expect((designated == 201) != lodged, "designation \(designated), objection lodged \(lodged)")
                let events = try await LadderEventModel.query(on: app.db).filter(\.$clusterID == cluster).filter(
                    \.$event == "designate"
                ).count()
                let open = try await ObjectionModel.query(on: app.db).filter(\.$clusterID == cluster).filter(
                    \.$resolvedAt == nil
                ).count()
                #expect(events + open == 1)
                outcomes.append(designated == 201 ? "designation" : "objection")
            }
        }
        #expect(outcomes.count == 4)
    }

    /// The protocol both sides follow, with the designation held open in the middle: its checks
    /// pass, then an objection arrives before it is written. The objection must wait for the round's
    /// lock and then find the entry designated (on SQLite the single writer serialises them).
    @Test(arguments: TestDatabase.enabled)
    func anObjectionArrivingWhileADesignationIsBeingWrittenWaitsAndIsRefused(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let (roundID, cluster, objection) = try await Self.noticeFixture(app, noticeCloses: "2026-11-23")
            let row = try #require(try await ObjectionModel.find(objection, on: app.db))
            row.resolution = "不成立"
            row.resolvedAt = testNow
            try await row.save(on: app.db)
            let round = try #require(try await RoundModel.find(roundID, on: app.db)?.round())
            // The objection starts only once the designation holds the round's lock (a fixed head start
            // loses to a slow first connection on a busy machine).
            let (locked, holding) = AsyncStream.makeStream(of: Void.self)
            async let designation: Void = app.db.writeTransaction { tx in
                let problems = try await NoticeService.designationEvidence(
                    round: round, cluster: cluster, day: Day("2026-11-24")!, on: tx)
                #expect(problems.isEmpty)
                holding.yield()
                holding.finish()
                try await Task.sleep(for: .milliseconds(300))
                let event = LadderEventModel()
                event.clusterID = cluster
                event.event = "designate"
                event.toState = "national"
                event.day = "2026-11-24"
                event.evidence = []
                event.failures = 0
                event.role = "admin"
                event.recordedAt = testNow
                try await event.create(on: tx)
            }
            async let objected: Bool = {
                for await _ in locked { break }
                try await Task.sleep(for: .milliseconds(20))
                let late = ObjectionModel()
                late.roundID = roundID
                late.clusterID = cluster
                late.lodgedBy = "racer"
                late.text = "异议"
                late.lodgedAt = testNow
                do {
                    try await app.db.writeTransaction { tx in
                        try await NoticeService.insertUnlessDesignated(late, on: tx)
                    }
                    return true
                } catch let error as APIError where error.status == .conflict {
                    return false
                }
            }()
            _ = try await designation
            #expect(try await objected == false)
            #expect(
                try await ObjectionModel.query(on: app.db).filter(\.$clusterID == cluster).filter(\.$resolvedAt == nil)
                    .count() == 0)
        }
    }
}
