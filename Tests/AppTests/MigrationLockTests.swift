import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Instances started together on an empty database all come up: one migrates and seeds, the others
/// wait for the lock and find the work done.
@Suite struct MigrationLockTests {
    static func boot(_ config: AppConfig) async throws -> Application {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: config)
            try await app.asyncBoot()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// Three apps boot at once on the same empty database; each then sees the 78 seeded clusters once.
    static func startTogether(_ config: AppConfig) async throws {
        let results = await withTaskGroup(of: Result<Application, any Error>.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do { return .success(try await boot(config)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results {
            switch result {
            case .success(let app):
                #expect(try await ClusterModel.query(on: app.db).count() == 78)
                try await app.asyncShutdown()
            case .failure(let error):
                Issue.record(error, "an instance did not start")
            }
        }
    }

    @Test func instancesStartedTogetherOnAnEmptyPostgreSQLDatabaseAllComeUp() async throws {
        guard let url = TestDatabase.postgresURL else { return }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresAdmin.run(url: url, "CREATE SCHEMA " + schema)
        defer { Task { try? await PostgresAdmin.run(url: url, "DROP SCHEMA \(schema) CASCADE") } }
        try await Self.startTogether(
            AppConfig(database: .postgres(url: url, searchPath: schema), autoMigrate: true, auth: testAuth))
    }

    @Test func instancesStartedTogetherOnAnEmptySQLiteFileAllComeUp() async throws {
        let path = NSTemporaryDirectory() + "ladder-lock-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm", ".migrate-lock"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        try await Self.startTogether(AppConfig(database: .sqliteFile(path: path), autoMigrate: true, auth: testAuth))
    }

    @Test func theLockKeyDependsOnTheSchemaOnly() {
        #expect(MigrationLock.advisoryKey(searchPath: nil) == MigrationLock.advisoryKey(searchPath: "public"))
        #expect(MigrationLock.advisoryKey(searchPath: "a") != MigrationLock.advisoryKey(searchPath: "b"))
    }
}
