import ClusterDomain
import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The databases the app suite runs on: SQLite always, PostgreSQL when
/// `LADDER_TEST_POSTGRES_URL` names a server (CI sets it).
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LADDER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var enabled: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// bcrypt at its lowest cost, so that the tests do not spend their time hashing.
let testAuth: AuthSettings = {
    var settings = AuthSettings()
    settings.bcryptCost = 4
    return settings
}()

/// The fixed "now" of the app tests: 2026-11-24, noon in Beijing.
let testNow = Date(timeIntervalSince1970: 1_795_492_800)

/// Runs `body` against a fresh app on its own database: in-memory SQLite, or a new PostgreSQL
/// schema that is dropped afterwards. Migrations and the seed run as at a real start.
func withLadder(_ database: TestDatabase, _ body: (Application) async throws -> Void) async throws {
    // Swift Testing starts every test at once; each app on PostgreSQL holds a pool of connections, so
    // at most a few run together, well under the server's 100 connections.
    if database == .postgres { await PostgresApps.slots.acquire() }
    defer { if database == .postgres { Task { await PostgresApps.slots.release() } } }
    var schema: String?
    var config: AppConfig
    switch database {
    case .sqlite:
        config = AppConfig(database: .sqliteMemory, autoMigrate: true, auth: testAuth)
    case .postgres:
        let url = try #require(TestDatabase.postgresURL)
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresAdmin.run(url: url, "CREATE SCHEMA " + name)
        schema = name
        config = AppConfig(database: .postgres(url: url, searchPath: name), autoMigrate: true, auth: testAuth)
    }
    // Uploaded files go to a folder of this test's own.
    config.dataDirectory = NSTemporaryDirectory() + "ladder-test-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
    let app = try await Application.make(.testing)
    do {
        try await configure(app, config: config)
        app.clock = { testNow }
        try await app.asyncBoot()
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if let schema, let url = TestDatabase.postgresURL {
            try? await PostgresAdmin.run(url: url, "DROP SCHEMA \(schema) CASCADE")
        }
        throw error
    }
    try await app.asyncShutdown()
    if let schema, let url = TestDatabase.postgresURL {
        try await PostgresAdmin.run(url: url, "DROP SCHEMA \(schema) CASCADE")
    }
}

/// A counting semaphore for the PostgreSQL test apps.
actor PostgresApps {
    static let slots = PostgresApps(limit: 12)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// One statement on the test server, outside any test app.
enum PostgresAdmin {
    static func run(url: String, _ sql: String) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            let db = try #require(app.db as? any SQLDatabase)
            try await db.raw(SQLQueryString(sql)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

extension TestingHTTPResponse {
    /// The body as a JSON object, for asserting on exact wire names.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any], "not a JSON object: \(body.string)")
    }

    func jsonArray() throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [[String: Any]], "not a JSON array: \(body.string)")
    }
}

extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func array(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
    func strings(_ key: String) -> [String]? { self[key] as? [String] }
}
