import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// `pg_dump` and `pg_restore` driven for `ladder backup` and `ladder restore`. The password travels in
/// the tools' environment (PGPASSWORD), never on their command line, where `ps` would show it.
enum PostgresBackup {
    /// The tool's path: on PATH, or the newest PostgreSQL's bin folder on Debian.
    static func tool(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates =
            path.split(separator: ":").map { "\($0)/\(name)" }
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map {
                "/usr/lib/postgresql/\($0)/bin/\(name)"
            }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Backup.Failure("\(name) is not installed (Debian: apt-get install postgresql-client)")
        }
        return found
    }

    /// libpq's environment for the URL: host, port, user, password, database and TLS mode.
    static func environment(_ url: String) throws -> [String: String] {
        guard let parts = URLComponents(string: url), let host = parts.host else {
            throw Backup.Failure("DATABASE_URL is not a PostgreSQL URL")
        }
        var env = ProcessInfo.processInfo.environment
        env["PGHOST"] = host
        env["PGPORT"] = String(parts.port ?? 5432)
        env["PGUSER"] = parts.user ?? ""
        env["PGPASSWORD"] = parts.password ?? ""
        env["PGDATABASE"] = String(parts.path.dropFirst())
        let tls = parts.queryItems?.first { $0.name == "tlsmode" || $0.name == "sslmode" }?.value ?? "prefer"
        env["PGSSLMODE"] = tls == "disable" ? "disable" : tls == "require" ? "require" : "prefer"
        return env
    }

    static func run(_ tool: String, _ arguments: [String], url: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.tool(tool))
        process.arguments = arguments
        process.environment = try environment(url)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Backup.Failure("\(tool) failed: " + String(decoding: message, as: UTF8.self).prefix(2000))
        }
    }

    /// Counts the rows and dumps the same snapshot: a repeatable-read transaction exports it, and
    /// pg_dump reads through it while the transaction stays open.
    static func dump(_ app: Application, url: String, schema: String?, to file: String) async throws -> [String: Int] {
        let core = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(
            on: app.eventLoopGroup.any(), configuration: core, id: 0, logger: app.logger)
        do {
            let sql = connection.sql()
            try await sql.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            if let schema { try await sql.raw("SET LOCAL search_path TO \(ident: schema)").run() }
            let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first()?.decode(
                column: "id", as: String.self)
            let rows = try await Backup.counts(sql)
            var arguments = ["--format=custom", "--no-owner", "--file=\(file)", "--snapshot=\(snapshot ?? "")"]
            if let schema { arguments.append("--schema=\(schema)") }
            try await run("pg_dump", arguments, url: url)
            try await sql.raw("COMMIT").run()
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func restore(from file: String, url: String) async throws {
        try await run(
            "pg_restore",
            [
                "--no-owner", "--exit-on-error", "--single-transaction",
                "--dbname=" + (try environment(url)["PGDATABASE"] ?? ""), file,
            ], url: url)
    }
}
