import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct LadderAPITests {

    @Test(arguments: TestDatabase.enabled)
    func warnThenExitWithCoReviewEntersTheHistoryAndTheStatistics(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let reviewer = try await bearer(app, "review@example.org", Grant(role: .ministryReviewer, scope: "miit"))
            let jiangsu = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            try await app.testing().test(.GET, "/api/v1/clusters/NC011/ladder") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("state") == "national")
                #expect(json.string("national_since") == "2022-11-30")
                let next = (json.array("next") ?? []).compactMap { $0.string("event") }
                #expect(Set(next) == ["warn", "exit", "promote"])
            }
            func post(_ path: String, _ headers: HTTPHeaders, _ body: [String: AnyCodable]) async throws -> (
                UInt, [String: Any]
            ) {
                try await postJSON(app, path, headers, body)
            }
            // A province may not warn; missing evidence is named; a transition that does not apply is a conflict.
            #expect(
                try await post(
                    "/api/v1/clusters/NC011/ladder", jiangsu, ["event": "warn", "evidence": AnyCodable(["rating"])]
                ).0 == 403)
            let missing = try await post("/api/v1/clusters/NC011/ladder", admin, ["event": "warn"])
            #expect(missing.0 == 422)
            #expect((missing.1["fields"] as? [String: String])?["evidence"] == "warn needs competitiveness rating")
            #expect(try await post("/api/v1/clusters/NC011/ladder", admin, ["event": "designate"]).0 == 409)
            // Warn: the history gains the warning, the statistics still count it national.
            let warned = try await post(
                "/api/v1/clusters/NC011/ladder", admin,
                ["event": "warn", "on": "2026-06-01", "evidence": AnyCodable(["rating"])])
            #expect(warned.0 == 201)
            #expect(warned.1["state"] as? String == "warned")
            // Exit needs co-review: refused without a sign-off, and co_review cannot be claimed.
            let noReview = try await post(
                "/api/v1/clusters/NC011/ladder", admin,
                ["event": "exit", "on": "2026-07-01", "evidence": AnyCodable(["rating"])])
            #expect(noReview.0 == 422)
            #expect((noReview.1["fields"] as? [String: String])?["evidence"] == "exit needs co-review")
            let claimed = try await post(
                "/api/v1/clusters/NC011/ladder", admin,
                ["event": "exit", "evidence": AnyCodable(["rating", "co_review"])])
            #expect(claimed.0 == 422)
            #expect(
                try await post("/api/v1/clusters/NC011/ladder/sign-offs", admin, ["event": "exit", "comment": "x"]).0
                    == 403)
            #expect(
                try await post(
                    "/api/v1/clusters/NC011/ladder/sign-offs", reviewer, ["event": "exit", "comment": "同意：连续两年末位"]
                ).0 == 201)
            let exited = try await post(
                "/api/v1/clusters/NC011/ladder", admin,
                ["event": "exit", "on": "2026-07-01", "evidence": AnyCodable(["rating"])])
            #expect(exited.0 == 201)
            #expect(exited.1["state"] as? String == "exited")
            let history = exited.1["history"] as? [[String: Any]] ?? []
            #expect(history.compactMap { $0["event"] as? String } == ["warn", "exit"])
            #expect((history.last?["evidence"] as? [String]) == ["co_review", "rating"])
            // The sign-off is used up.
            #expect(
                try await post(
                    "/api/v1/clusters/NC011/ladder", admin, ["event": "exit", "evidence": AnyCodable(["rating"])]
                ).0 == 409)
            // The registry's history and the statistics follow.
            let cluster = try #require(try await app.store.registry().clusters.first { $0.id == "NC011" })
            #expect(cluster.history.suffix(2).map(\.status) == [.warned, .exited])
            try await app.testing().test(.GET, "/api/v1/stats?as_of=2026-11-24") { res in
                let body = try res.json()
                #expect(body["clusters"] as? Int == 77)
            }
            try await app.testing().test(.GET, "/api/v1/stats?as_of=2026-06-30") { res in
                let body = try res.json()
                #expect(body["clusters"] as? Int == 78)
            }
            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "cluster").filter(
                \.$entityID == "NC011"
            ).all()
                .map { "\($0.action):\($0.outcome)" }
            #expect(
                actions.contains("ladder_warn:done") && actions.contains("ladder_exit:done")
                    && actions.contains("ladder_sign_off:done"))
            #expect(actions.contains("ladder_warn:refused") && actions.contains("ladder_exit:refused"))
        }
    }
}
