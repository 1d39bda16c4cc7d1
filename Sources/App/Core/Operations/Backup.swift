import Crypto
import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// A consistent copy of the database and of the uploaded files it references, with a manifest, made
/// while the app runs; and putting one back into an empty target. On SQLite the copy is `VACUUM INTO`
/// (a transaction-consistent snapshot that includes what is still in the WAL — a file copy would not);
/// on PostgreSQL `pg_dump` in the custom format, run on a snapshot exported by the transaction that
/// also counts the rows, so the counts in the manifest are those of the dump.
enum Backup {
    static let manifestName = "manifest.json"
    static let sqliteName = "ladder.sqlite"
    static let postgresName = "ladder.pgdump"

    struct Manifest: Codable, Equatable {
        var createdAt: String
        var database: String
        /// How many migrations the copy has run, and the last one's name.
        var migrations: Int
        var latestMigration: String
        /// Rows per table at the moment of the copy.
        var rows: [String: Int]
        /// SHA-256 of every file of the backup but the manifest, by its path inside the folder.
        var checksums: [String: String]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Makes a backup in `folder` (created; it must be empty or missing) and returns its manifest.
    static func make(_ app: Application, into folder: String) async throws -> Manifest {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder), !((try? fm.contentsOfDirectory(atPath: folder))?.isEmpty ?? true) {
            throw Failure("\(folder) is not empty; a backup goes into a new folder")
        }
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sql = try app.db.sql()
        var rows: [String: Int]
        let kind: String
        switch app.databaseConfig {
        case .sqliteFile, .sqliteMemory:
            kind = "sqlite"
            let target = (folder as NSString).appendingPathComponent(sqliteName)
            try await sql.raw("VACUUM INTO \(bind: target)").run()
            rows = try await counts(ofSQLiteFile: target, app: app)
        case .postgres(let url, let searchPath):
            kind = "postgresql"
            rows = try await PostgresBackup.dump(
                app, url: url, schema: searchPath, to: (folder as NSString).appendingPathComponent(postgresName))
        }
        // Files are content-addressed and never rewritten: the ones the copy references are copied after it.
        let digests = try await sql.raw("SELECT DISTINCT sha256 FROM attachments").all().map {
            try $0.decode(column: "sha256", as: String.self)
        }
        let source = URL(fileURLWithPath: app.attachments.directory).appendingPathComponent("attachments")
        let files = URL(fileURLWithPath: folder).appendingPathComponent("attachments")
        try fm.createDirectory(at: files, withIntermediateDirectories: true)
        for digest in digests where digest.allSatisfy(\.isHexDigit) {
            try fm.copyItem(at: source.appendingPathComponent(digest), to: files.appendingPathComponent(digest))
        }
        let (count, latest) = try await migrations(sql)
        let manifest = Manifest(
            createdAt: ISO8601DateFormatter().string(from: Date()), database: kind, migrations: count,
            latestMigration: latest, rows: rows, checksums: try checksums(in: folder))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: folder).appendingPathComponent(manifestName))
        return manifest
    }

    /// Puts the backup in `folder` into the configured database, which must be empty, after checking every
    /// file against the manifest; then checks the row counts and copies the uploaded files into DATA_DIR.
    static func restore(_ app: Application, from folder: String) async throws -> Manifest {
        let manifest = try readManifest(folder)
        let bad = try damaged(folder, manifest)
        guard bad.isEmpty else {
            throw Failure("files missing or changed since the backup: " + bad.joined(separator: ", "))
        }
        let fm = FileManager.default
        switch app.databaseConfig {
        case .sqliteFile(let path):
            guard manifest.database == "sqlite" else {
                throw Failure("a \(manifest.database) backup cannot go into SQLite")
            }
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size == 0, !fm.fileExists(atPath: path + "-wal") else {
                throw Failure("\(path) already holds a database; restore into a new file")
            }
            try? fm.removeItem(atPath: path)
            try fm.copyItem(atPath: (folder as NSString).appendingPathComponent(sqliteName), toPath: path)
        case .postgres(let url, _):
            guard manifest.database == "postgresql" else {
                throw Failure("a \(manifest.database) backup cannot go into PostgreSQL")
            }
            guard try await counts(try app.db.sql()).isEmpty else {
                throw Failure("the database already has tables; restore into an empty one")
            }
            try await PostgresBackup.restore(from: (folder as NSString).appendingPathComponent(postgresName), url: url)
        case .sqliteMemory:
            throw Failure("an in-memory database cannot be restored into")
        }
        let now = try await counts(try app.db.sql())
        guard now == manifest.rows else {
            let differing = Set(now.keys).union(manifest.rows.keys).filter { now[$0] != manifest.rows[$0] }.sorted()
            throw Failure("row counts differ from the manifest in: " + differing.joined(separator: ", "))
        }
        let files = URL(fileURLWithPath: folder).appendingPathComponent("attachments")
        let target = URL(fileURLWithPath: app.attachments.directory).appendingPathComponent("attachments")
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        for name in (try? fm.contentsOfDirectory(atPath: files.path)) ?? []
        where !fm.fileExists(atPath: target.appendingPathComponent(name).path) {
            try fm.copyItem(at: files.appendingPathComponent(name), to: target.appendingPathComponent(name))
        }
        return manifest
    }

    static func readManifest(_ folder: String) throws -> Manifest {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: url) else { throw Failure("no \(manifestName) in \(folder)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(Manifest.self, from: data) } catch {
            throw Failure("\(manifestName) cannot be read: \(error)")
        }
    }

    /// Every file's checksum against the manifest: the names of those missing or different.
    static func damaged(_ folder: String, _ manifest: Manifest) throws -> [String] {
        let now = try checksums(in: folder)
        return manifest.checksums.keys.sorted().filter { now[$0] != manifest.checksums[$0] }
    }

    static func checksums(in folder: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let root = URL(fileURLWithPath: folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [:] }
        for case let url as URL in walker {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true,
                url.lastPathComponent != manifestName
            else { continue }
            let relative = String(url.path.dropFirst(root.path.count + 1))
            result[relative] = try sha256(of: url)
        }
        return result
    }

    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func migrations(_ sql: any SQLDatabase) async throws -> (Int, String) {
        let names = try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at, name").all()
            .map { try $0.decode(column: "name", as: String.self) }
        return (names.count, names.last ?? "")
    }

    /// Rows per table of the database `sql` reaches (SQLite or the current PostgreSQL schema).
    static func counts(_ sql: any SQLDatabase) async throws -> [String: Int] {
        let listing =
            sql.dialect.name == "postgresql"
            ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        var result: [String: Int] = [:]
        for row in try await sql.raw(SQLQueryString(listing)).all() {
            let table = try row.decode(column: "name", as: String.self)
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
            result[table] = try count?.decode(column: "n", as: Int.self) ?? 0
        }
        return result
    }

    /// Counts the rows of a SQLite file through a second database of the app, and checks its integrity.
    static func counts(ofSQLiteFile path: String, app: Application) async throws -> [String: Int] {
        let id = DatabaseID(string: "backup-\(UUID().uuidString)")
        app.databases.use(.sqlite(.file(path)), as: id, isDefault: false)
        defer { app.databases.reinitialize(id) }
        guard let sql = app.db(id) as? any SQLDatabase else { throw Failure("the copy cannot be opened") }
        let check = try await sql.raw("PRAGMA integrity_check").first()?.decode(
            column: "integrity_check", as: String.self)
        guard check == "ok" else { throw Failure("the copy fails SQLite's integrity check: \(check ?? "no answer")") }
        return try await counts(sql)
    }
}
