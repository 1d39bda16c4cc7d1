import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// `/metrics` behind its token, JSON log lines, the session purge, liveness and readiness.
@Suite struct ObservabilityTests {
    @Test func metricsAreServedOnlyWithTheConfiguredTokenAndHoldTheRequestHistogram() async throws {
        try await withLadder(.sqlite) { app in
            try await app.testing().test(.GET, "/metrics") { res in #expect(res.status == .notFound) }
            let token = "metrics-" + String(repeating: "x", count: 24)
            app.operations.metricsToken = token
            try await app.testing().test(.GET, "/metrics") { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token"]) { res in
                #expect(res.status == .unauthorized)
            }
            try await app.testing().test(.GET, "/api/v1/clusters") { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .ok)
                let text = res.body.string
                #expect(
                    text.contains(
                        #"http_request_duration_seconds_bucket{method="GET",path="/api/v1/clusters",status="200""#))
                #expect(text.contains(#"http_requests_total{method="GET",path="/api/v1/clusters",status="200"}"#))
                #expect(text.contains(#"ladder_table_rows{table="clusters"} 78"#))
                #expect(text.contains("ladder_database_up 1"))
            }
        }
    }

    @Test func aJSONLogLineCarriesTheRequestFields() throws {
        let lines = NIOLockedValueBox<[Data]>([])
        var handler = JSONLogHandler(label: "test") { data in lines.withLockedValue { $0.append(data) } }
        handler[metadataKey: "request-id"] = "ABC"
        handler.log(
            event: LogEvent(
                level: .info, message: "GET /clusters 200 1.0 ms",
                metadata: ["method": "GET", "route": "/clusters", "status": "200", "latency_ms": "1.00"],
                source: "App", file: #fileID, function: #function, line: #line))
        let data = try #require(lines.withLockedValue { $0.first })
        #expect(data.last == 0x0A)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["request-id"] as? String == "ABC")
        #expect(object["route"] as? String == "/clusters")
        #expect(object["status"] as? String == "200")
        #expect(object["level"] as? String == "info")
        #expect((object["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func expiredAndAbandonedSessionsArePurged() async throws {
        try await withLadder(.sqlite) { app in
            let now = testNow.timeIntervalSince1970
            let hour = 3600.0
            let kept = [["signed_in_at": String(now - hour)], ["opened_at": String(now - 2 * hour)]]
            let gone = [
                ["signed_in_at": String(now - 10 * hour)], ["opened_at": String(now - 9 * hour)], ["csrf": "x"],
            ]
            for data in kept + gone {
                try await SessionRecord(key: SessionID(string: UUID().uuidString), data: SessionData(initialData: data))
                    .create(on: app.db)
            }
            let purged = try await SessionPurge.run(on: app.db, now: testNow, lifetime: 8 * hour)
            #expect(purged == gone.count)
            #expect(try await SessionRecord.query(on: app.db).count() == kept.count)
        }
    }

    @Test func livenessAndReadinessAnswerApart() async throws {
        try await withLadder(.sqlite) { app in
            try await app.testing().test(.GET, "/api/v1/health/live") { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/health/ready") { res in #expect(res.status == .ok) }
            app.drain.set()
            try await app.testing().test(.GET, "/api/v1/health/ready") { res in
                #expect(res.status == .serviceUnavailable)
                let json = try res.json()
                #expect(json.string("status") == "stopping")
            }
            try await app.testing().test(.GET, "/api/v1/health/live") { res in #expect(res.status == .ok) }
        }
    }
}
