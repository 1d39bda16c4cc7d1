import Fluent
import Foundation
import Metrics
import Prometheus
import SQLKit
import Vapor

/// The process's metrics, through swift-metrics into one Prometheus registry: Vapor's own request
/// counters and latency histograms (`http_requests_total`, `http_request_duration_seconds`, by method,
/// route and status), the requests in flight, errors by status, business counters, and — read when
/// `/metrics` is scraped — the rows of the main tables and whether the database answers.
enum LadderMetrics {
    /// Set up once per process: swift-metrics takes one backend for the process's life.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static func start() { _ = registry }

    static let inFlight = Meter(label: "ladder_http_requests_in_flight")

    /// A server error, by status.
    static func error(status: UInt) {
        Counter(label: "ladder_errors_total", dimensions: [("status", String(status))]).increment()
    }

    /// A yearly return submitted by its cluster.
    static func returnSubmitted() { Counter(label: "ladder_returns_submitted_total").increment() }

    /// An import or intake run, by kind (`policies`, `intake`), and whether it was taken.
    static func importRun(kind: String, accepted: Bool) {
        Counter(
            label: "ladder_imports_total", dimensions: [("kind", kind), ("outcome", accepted ? "done" : "refused")]
        )
        .increment()
    }

    /// The tables whose size is worth watching.
    static let tables = [
        "clusters", "audit_entries", "monitoring_returns", "policies", "policy_takeups", "cooperation_activities",
        "announcements", "attachments", "users", "api_tokens", "_fluent_sessions", "round_recommendations",
        "round_scores",
    ]

    /// The text Prometheus scrapes, after reading the table sizes.
    static func scrape(_ db: any Database) async -> String {
        var up = 0.0
        if let sql = db as? any SQLDatabase {
            do {
                for table in tables {
                    let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
                    let rows = try row?.decode(column: "n", as: Int.self) ?? 0
                    Gauge(label: "ladder_table_rows", dimensions: [("table", table)]).record(rows)
                }
                up = 1
            } catch {
                up = 0
            }
        }
        Gauge(label: "ladder_database_up").record(up)
        return registry.emitToString()
    }
}

/// `GET /metrics`: only with `Authorization: Bearer <METRICS_TOKEN>`; without a configured token the
/// metrics are not served at all (404), so they never leak by default.
struct MetricsController {
    func register(on app: Application) {
        app.register(.GET, WebRoute.metrics, use: metrics)
    }

    func metrics(req: Request) async throws -> Response {
        guard let token = req.application.operations.metricsToken else { throw Abort(.notFound) }
        guard let sent = req.headers.bearerAuthorization?.token, CSRF.constantTimeEqual(sent, token) else {
            // Answered here, not by the error pages, which would send a scraper to the sign-in form.
            return Response(
                status: .unauthorized, headers: ["WWW-Authenticate": "Bearer", "Content-Type": "text/plain"],
                body: .init(string: "METRICS_TOKEN required\n"))
        }
        let response = Response(status: .ok, body: .init(string: await LadderMetrics.scrape(req.db)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
