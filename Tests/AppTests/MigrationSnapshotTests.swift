import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Migrations are frozen history. An empty database of each kind is migrated and its schema compared
/// with the committed snapshot (`Snapshots/schema-<kind>.txt`), so an edited migration fails here;
/// a new schema change is a new migration, and its snapshot is written on purpose with
/// `LADDER_WRITE_SCHEMA_SNAPSHOT=1 swift test --filter MigrationSnapshotTests`.
@Suite struct MigrationSnapshotTests {
    static func snapshotURL(_ db: TestDatabase) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots/schema-\(db.rawValue).txt")
    }

    /// Tables, columns (type, nullability, default), indexes and constraints, one per line, sorted.
    static func schema(_ app: Application, _ db: TestDatabase) async throws -> String {
        let sql = try app.db.sql()
        var lines: [String] = []
        switch db {
        case .sqlite:
            let rows = try await sql.raw(
                """
                SELECT type, name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' AND name <> '_fluent_migrations' AND tbl_name <> '_fluent_migrations'
                ORDER BY name
                """
            ).all()
            for row in rows {
                let type = try row.decode(column: "type", as: String.self)
                let name = try row.decode(column: "name", as: String.self)
                let text = try row.decode(column: "sql", as: String?.self) ?? "(implicit)"
                lines.append("\(type) \(name): \(text)")
            }
        case .postgres:
            let columns = try await sql.raw(
                """
                SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') AS d
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name <> '_fluent_migrations'
                """
            ).all()
            for row in columns {
                let table = try row.decode(column: "table_name", as: String.self)
                let column = try row.decode(column: "column_name", as: String.self)
                let type = try row.decode(column: "data_type", as: String.self)
                let nullable = try row.decode(column: "is_nullable", as: String.self) == "YES" ? "null" : "not null"
                let def = try row.decode(column: "d", as: String.self)
                lines.append("column \(table).\(column): \(type) \(nullable)" + (def.isEmpty ? "" : " default \(def)"))
            }
            let indexes = try await sql.raw(
                """
                SELECT indexname, indexdef FROM pg_indexes
                WHERE schemaname = current_schema() AND tablename <> '_fluent_migrations'
                """
            ).all()
            for row in indexes {
                let def = try row.decode(column: "indexdef", as: String.self)
                // The schema's own name differs per test run.
                lines.append("index " + def.replacingOccurrences(of: "\(Self.schemaPrefix(def))", with: ""))
            }
            let constraints = try await sql.raw(
                """
                SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text <> '_fluent_migrations'
                """
            ).all()
            for row in constraints {
                let table = try row.decode(column: "t", as: String.self)
                let name = try row.decode(column: "conname", as: String.self)
                let def = try row.decode(column: "def", as: String.self)
                lines.append("constraint \(table).\(name): \(def)")
            }
        }
        return lines.sorted().joined(separator: "\n") + "\n"
    }

    /// `t_<uuid>.` as it appears in an index definition.
    static func schemaPrefix(_ def: String) -> String {
        guard let range = def.range(of: #"t_[0-9a-f]{32}\."#, options: .regularExpression) else { return "\u{0}" }
        return String(def[range])
    }

    @Test(arguments: TestDatabase.enabled)
    func migratedSchemaMatchesTheSnapshot(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let schema = try await Self.schema(app, db)
            let url = Self.snapshotURL(db)
            if ProcessInfo.processInfo.environment["LADDER_WRITE_SCHEMA_SNAPSHOT"] == "1" {
                try schema.write(to: url, atomically: true, encoding: .utf8)
            }
            let snapshot = try String(contentsOf: url, encoding: .utf8)
            let got = schema.split(separator: "\n")
            let want = snapshot.split(separator: "\n")
            let firstDifference = zip(got, want).first { $0 != $1 }.map { "now: \($0)\nsnapshot: \($1)" }
            #expect(
                got == want,
                Comment(
                    rawValue:
                        "the migrated schema differs from \(url.lastPathComponent) (\(got.count) lines, snapshot \(want.count)): "
                        + (firstDifference ?? "a line more or less at the end")))
        }
    }

    /// Frozen means literal: no migration reads a model type or a data file, whose meaning changes
    /// with the code.
    @Test func migrationsNameNoModelTypeAndNoDataFile() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/App/Migrations").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 20)
        for file in files where file != "Migrations.swift" {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let pattern = #"\b[A-Z][A-Za-z]*Model\b|DataFiles|Store\b"#
            #expect(text.range(of: pattern, options: .regularExpression) == nil, "\(file) reads live code or data")
        }
    }
}
