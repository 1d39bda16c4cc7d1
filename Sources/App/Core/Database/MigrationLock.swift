import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Migrations (and the first seed) under a lock, so that instances started together on an empty
/// database queue instead of racing to create the same tables, and a rolling start of a new version
/// waits for the one instance that migrates. On PostgreSQL a session-level advisory lock held on one
/// connection of the pool (released by the server if the process dies); on a SQLite file an exclusive
/// `flock` on a file beside it; an in-memory database has one instance by nature.
enum MigrationLock {
    /// The advisory lock's key: one per schema the tables live in (FNV-1a of its name), the same for
    /// every instance of the app.
    static func advisoryKey(searchPath: String?) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("ladder-migrations:" + (searchPath ?? "public")).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }

    static func run<T: Sendable>(
        _ app: Application, database: AppConfig.Database, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        switch database {
        case .postgres(let url, let searchPath):
            // A connection of its own, outside the pool, so the migrations keep every pooled connection;
            // closing it releases the lock, also when the process dies.
            let core = try SQLPostgresConfiguration(url: url).coreConfiguration
            let connection = try await PostgresConnection.connect(
                on: app.eventLoopGroup.any(), configuration: core, id: 0, logger: app.logger)
            do {
                let waited = Date()
                let key = advisoryKey(searchPath: searchPath)
                try await connection.query("SELECT pg_advisory_lock(\(key))", logger: app.logger)
                let seconds = Date().timeIntervalSince(waited)
                if seconds > 1 { app.logger.info("waited \(Int(seconds)) s for another instance to migrate") }
                let result = try await body()
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        case .sqliteFile(let path):
            let descriptor = open(path + ".migrate-lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return try await body() }
            defer { close(descriptor) }
            // Polled rather than blocking, so that no thread of the pool sleeps in the kernel.
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                try await Task.sleep(for: .milliseconds(100))
            }
            defer { flock(descriptor, LOCK_UN) }
            return try await body()
        case .sqliteMemory:
            return try await body()
        }
    }
}

extension Application {
    private struct DatabaseConfigKey: StorageKey { typealias Value = AppConfig.Database }

    /// The database this app was configured with.
    var databaseConfig: AppConfig.Database {
        get { configured(DatabaseConfigKey.self, "databaseConfig") }
        set { storage[DatabaseConfigKey.self] = newValue }
    }

    /// Pending migrations, under the migration lock (what every command runs before it reads).
    func migrate() async throws {
        try await MigrationLock.run(self, database: databaseConfig) { try await self.autoMigrate() }
    }
}
