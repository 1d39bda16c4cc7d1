import ClusterDomain
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// Intake runs at most INTAKE_CONCURRENCY documents at once, and anonymous intake is limited per address.
@Suite struct IntakeLimitsTests {
    @Test func theGateAdmitsAtMostItsLimitAtOnce() async throws {
        let gate = IntakeGate(limit: 2)
        let peak = NIOLockedValueBox((now: 0, max: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await gate.enter()
                    peak.withLockedValue {
                        $0.now += 1
                        $0.max = max($0.max, $0.now)
                    }
                    try await Task.sleep(for: .milliseconds(20))
                    peak.withLockedValue { $0.now -= 1 }
                    await gate.leave()
                }
            }
            try await group.waitForAll()
        }
        #expect(peak.withLockedValue { $0.max } == 2)
        #expect(await gate.running == 0)
    }

    @Test func anonymousIntakeIsLimitedPerAddressAMinute() async {
        let limiter = IntakeRateLimiter(perMinute: 3)
        let t0 = Date(timeIntervalSince1970: 1_795_492_800)
        for n in 0..<3 { #expect(await limiter.admit("203.0.113.9", now: t0.addingTimeInterval(Double(n))) == nil) }
        let wait = await limiter.admit("203.0.113.9", now: t0.addingTimeInterval(10))
        #expect(wait == 50)
        #expect(await limiter.admit("198.51.100.7", now: t0.addingTimeInterval(10)) == nil)
        #expect(await limiter.admit("203.0.113.9", now: t0.addingTimeInterval(61)) == nil)
        #expect(await IntakeRateLimiter(perMinute: 0).admit("x", now: t0) == nil)
    }

    @Test func theAPIAnswers429WithRetryAfterOverTheBudgetAndSignedInCallersAreNotLimited() async throws {
        try await withLadder(.sqlite) { app in
            app.intakeLimits = IntakeLimits(gate: IntakeGate(limit: 1), anonymous: IntakeRateLimiter(perMinute: 2))
            var statuses: [UInt] = []
            for _ in 0..<3 {
                try await app.testing().test(
                    .POST, "/api/v1/intake", headers: ["Content-Type": "text/plain; charset=utf-8"],
                    body: ByteBuffer(string: "江苏省苏州市纳米新材料集群。")
                ) { res in
                    statuses.append(res.status.code)
                    if res.status == .tooManyRequests { #expect(res.headers.first(name: "Retry-After") != nil) }
                }
            }
            #expect(statuses == [200, 200, 429])
            let user = try await makeUser(app, "reader@example.org", [Grant(role: .expert, scope: nil)])
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(
                token: try await makeToken(app, for: user, [Grant(role: .expert, scope: nil)]))
            headers.contentType = .plainText
            try await app.testing().test(
                .POST, "/api/v1/intake", headers: headers, body: ByteBuffer(string: "江苏省苏州市纳米新材料集群。")
            ) { res in #expect(res.status == .ok) }
        }
    }
}
