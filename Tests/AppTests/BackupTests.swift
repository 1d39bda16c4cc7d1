import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// `ladder backup` while writes run, then `ladder restore` into a new file: every write acknowledged
/// before the backup began is there, with the uploaded files it references; a damaged backup is refused.
@Suite struct BackupTests {
    static func app(file: String, data: String) async throws -> Application {
        var config = AppConfig(database: .sqliteFile(path: file), autoMigrate: true, auth: testAuth)
        config.dataDirectory = data
        let app = try await Application.make(.testing)
        try await configure(app, config: config)
        app.clock = { testNow }
        try await app.asyncBoot()
        return app
    }

    @Test func aBackupTakenDuringWritesRestoresEveryAcknowledgedWriteAndItsFiles() async throws {
        let root = NSTemporaryDirectory() + "ladder-backup-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let app = try await Self.app(file: root + "/live.sqlite", data: root + "/live-data")
        let admin = try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
        var auth = HTTPHeaders()
        auth.bearerAuthorization = BearerAuthorization(
            token: try await makeToken(app, for: admin, [Grant(role: .admin, scope: nil)]))
        let pdf = Array("%PDF-1.4\n% backup trial\n".utf8)
        let (headers, body) = multipart([("title", "联盟章程")], file: ("file", "章程.pdf", pdf))
        var h = headers
        h.add(contentsOf: auth)
        try await app.testing().test(.POST, "/api/v1/cooperation/COOP001/documents", headers: h, body: body) { res in
            #expect(res.status == .created)
        }
        // Writers keep creating clusters while the backup is taken.
        let acknowledged = Acknowledged()
        let headersForWrites = auth
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<3 {
                    group.addTask {
                        for n in 0..<15 {
                            let name = "备份测试集群\(w)-\(n)"
                            try await app.testing().test(
                                .POST, "/api/v1/clusters", headers: headersForWrites,
                                beforeRequest: { req in
                                    let body: [String: AnyCodable] = [
                                        "name_zh": AnyCodable(stringLiteral: name), "domain": "new_materials",
                                        "cities": AnyCodable(["苏州"]),
                                    ]
                                    try req.content.encode(body, as: .json)
                                }
                            ) { res in if res.status == .created { await acknowledged.add(name) } }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        while await acknowledged.names.count < 10 { try await Task.sleep(for: .milliseconds(20)) }
        let before = await acknowledged.names
        let manifest = try await Backup.make(app, into: root + "/backup")
        try await writers.value
        try await app.asyncShutdown()
        #expect(manifest.checksums.keys.contains { $0.hasPrefix("attachments/") })

        // The restore goes into a new file, by an app that has not migrated (as `ladder restore` runs).
        let target = try await Self.restoreTarget(root + "/target.sqlite", data: root + "/target-data")
        _ = try await Backup.restore(target, from: root + "/backup")
        let names = Set(try await ClusterModel.query(on: target.db).all().map(\.nameZh))
        #expect(before.isSubset(of: names), "acknowledged before the backup: \(before.count)")
        #expect(try await AuditChain.verify(on: target.db).firstMismatch == nil)
        let copied = try FileManager.default.contentsOfDirectory(atPath: root + "/target-data/attachments")
        #expect(copied.count == 1)
        // Restoring again into the same, now full, database is refused.
        await #expect(throws: Backup.Failure.self) { try await Backup.restore(target, from: root + "/backup") }
        try await target.asyncShutdown()

        // A backup whose database file was changed is refused before anything is written.
        let damaged = root + "/backup/" + Backup.sqliteName
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: damaged))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data([0x42]))
        try handle.close()
        let other = try await Self.restoreTarget(root + "/other.sqlite", data: root + "/other-data")
        do {
            _ = try await Backup.restore(other, from: root + "/backup")
            Issue.record("a damaged backup was restored")
        } catch let failure as Backup.Failure {
            #expect(failure.description.contains(Backup.sqliteName))
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/other.sqlite"))
        try await other.asyncShutdown()
    }

    /// An app as `ladder restore` runs: configured, not migrated (nothing is written before the restore).
    static func restoreTarget(_ file: String, data: String) async throws -> Application {
        var config = AppConfig(database: .sqliteFile(path: file), autoMigrate: false, auth: testAuth)
        config.dataDirectory = data
        let app = try await Application.make(.testing)
        try await configure(app, config: config)
        return app
    }
}

actor Acknowledged {
    var names: Set<String> = []
    func add(_ name: String) { names.insert(name) }
}
