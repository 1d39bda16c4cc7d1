import Foundation
import Vapor

/// `ladder backup [--to DIR]`: a consistent copy of the database and its uploaded files, while the app runs.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "a new folder for the backup (default: backups/ladder-<UTC time>)")
        var to: String?
    }

    var help: String {
        "Copies the database (SQLite: VACUUM INTO; PostgreSQL: pg_dump) and the uploaded files it references into a new folder, with a manifest of row counts and checksums."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let folder = signature.to ?? "backups/ladder-\(stamp)"
        let manifest: Backup.Manifest
        do { manifest = try await Backup.make(app, into: folder) } catch let error as Backup.Failure {
            throw CommandError("backup: \(error.description)")
        }
        let rows = manifest.rows.values.reduce(0, +)
        let files = manifest.checksums.keys.filter { $0.hasPrefix("attachments/") }.count
        context.console.print(
            "backup in \(folder): \(manifest.rows.count) tables, \(rows) rows, \(files) uploaded files "
                + "(\(manifest.database), \(manifest.migrations) migrations)")
    }
}

/// `ladder restore --from DIR`: a backup put back into the empty database DATABASE_URL names, then checked.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "the backup's folder")
        var from: String?
    }

    var help: String {
        "Checks a backup's files against its manifest, restores it into the empty database DATABASE_URL names, compares the row counts and copies the uploaded files into DATA_DIR."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let folder = signature.from else { throw CommandError("--from: the backup's folder is required") }
        let manifest: Backup.Manifest
        do { manifest = try await Backup.restore(context.application, from: folder) } catch let error as Backup.Failure
        {
            throw CommandError("restore: \(error.description)")
        }
        context.console.print(
            "restored \(folder) (made \(manifest.createdAt)): \(manifest.rows.values.reduce(0, +)) rows in "
                + "\(manifest.rows.count) tables, every count as in the manifest")
    }
}
