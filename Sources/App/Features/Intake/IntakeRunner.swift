import ClusterDomain
import DocumentIntake
import Foundation
import Vapor

/// Intake is CPU work (a 0.7 MB page takes over a second): it runs on the app's thread pool, never on the
/// threads that answer requests, and at most `INTAKE_CONCURRENCY` documents at a time; the rest wait
/// their turn. Anonymous intake is limited per client address (`INTAKE_ANON_PER_MINUTE`).
enum IntakeRunner {
    static func run(_ app: Application, _ intake: DocumentIntake, text: String, today: Day) async throws
        -> IntakeReport
    {
        let gate = app.intakeLimits.gate
        await gate.enter()
        do {
            let report = try await app.threadPool.runIfActive { intake.process(text, today: today) }
            await gate.leave()
            return report
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// Refuses an anonymous request over the per-address budget with 429 and `Retry-After`.
    static func admit(_ req: Request) async throws {
        guard req.caller == nil else { return }
        let limits = req.application.intakeLimits
        let address = req.clientAddress ?? "unknown"
        if let wait = await limits.anonymous.admit(address, now: req.application.clock()) {
            throw APIError(
                .tooManyRequests, Message("intake.rate_limited", ["n": "\(limits.anonymous.perMinute)"]),
                headers: ["Retry-After": "\(wait)"])
        }
    }
}

/// A counting gate: at most `limit` holders at once, the others queued in order.
actor IntakeGate {
    let limit: Int
    private(set) var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Requests per client address in the last minute; nil when one more is allowed, else seconds to wait.
actor IntakeRateLimiter {
    let perMinute: Int
    private var seen: [String: [Date]] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    func admit(_ address: String, now: Date) -> Int? {
        guard perMinute > 0 else { return nil }
        // Forget addresses gone quiet, so the table stays as small as the last minute's clients.
        if seen.count > 10_000 { seen = seen.filter { $0.value.last.map { now.timeIntervalSince($0) < 60 } ?? false } }
        var recent = (seen[address] ?? []).filter { now.timeIntervalSince($0) < 60 }
        guard recent.count < perMinute else {
            seen[address] = recent
            return max(1, Int(60 - now.timeIntervalSince(recent[0]) + 0.999))
        }
        recent.append(now)
        seen[address] = recent
        return nil
    }
}

/// The gate and the limiter of this app (configured from `INTAKE_CONCURRENCY`, `INTAKE_ANON_PER_MINUTE`).
struct IntakeLimits: Sendable {
    let gate: IntakeGate
    let anonymous: IntakeRateLimiter
}

extension Application {
    private struct IntakeLimitsKey: StorageKey { typealias Value = IntakeLimits }

    var intakeLimits: IntakeLimits {
        get { configured(IntakeLimitsKey.self, "intakeLimits") }
        set { storage[IntakeLimitsKey.self] = newValue }
    }
}
