import ClusterDomain
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite struct ServiceTests {
    @Test(arguments: TestDatabase.enabled)
    func healthReportsTheDatabase(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/health") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("database") == "ok")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func openAPIDocumentDescribesExactlyTheRegisteredRoutes(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                let doc = try res.json()
                #expect(doc.string("openapi") == "3.1.0")
                let paths = try #require(doc.object("paths"))
                // Every (method, path) in the document is registered, and every registered API route is documented.
                var documented = Set<String>()
                for (path, item) in paths {
                    for method in (item as? [String: Any] ?? [:]).keys {
                        documented.insert(method.uppercased() + " " + path)
                    }
                }
                let registered = Set(
                    app.routes.all.compactMap { route -> String? in
                        let path = "/" + route.path.map(\.description).joined(separator: "/")
                        guard path.hasPrefix(APIRoute.prefix) else { return nil }
                        let template = String(path.dropFirst(APIRoute.prefix.count)).split(separator: "/")
                            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                        let templated = "/" + template
                        return route.method.rawValue + " " + templated
                    })
                #expect(documented == registered)
                // The query parameters of every GET resource match what its handler accepts.
                for route in APIRoute.allCases {
                    let get = try #require(paths.object(route.template)?.object("get"), "\(route.template)")
                    let params = try #require(get.array("parameters"))
                    let query = Set(params.filter { $0.string("in") == "query" }.compactMap { $0.string("name") })
                    #expect(query == Set(route.parameters), "\(route.template)")
                }
            }
        }
    }

    @Test func unsupportedMethodsGet405AndWritesNeedAToken() async throws {
        try await withLadder(.sqlite) { app in
            // A constant segment is its own resource even where a parameter route could take it.
            try await app.testing().test(.OPTIONS, "/api/v1/takeups/totals") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: "Allow") == "GET, HEAD")
            }
            try await app.testing().test(.OPTIONS, "/api/v1/takeups/7") { res in
                #expect(res.headers.first(name: "Allow") == "PUT")
            }
            for method in [HTTPMethod.POST, .DELETE, .TRACE] {
                try await app.testing().test(method, "/api/v1/clusters/NC001") { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: "Allow") == "GET, HEAD, PUT")
                    let json = try res.json()
                    #expect(json["error"] as? Bool == true)
                }
            }
            try await app.testing().test(
                .PUT, "/api/v1/clusters/NC001",
                beforeRequest: { req in
                    try req.content.encode(["name_zh": "x"])
                }
            ) { res in
                #expect(res.status == .unauthorized)
            }
            #expect(try await ClusterModel.find("NC001", on: app.db)?.nameZh == "深圳市新一代信息通信集群")
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func restartingNeverDuplicatesAndReseedingKeepsEdits(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            #expect(try await ClusterModel.query(on: app.db).count() == 78)
            #expect(try await ClusterEventModel.query(on: app.db).count() == 78 + 25 + 33)
            // A second start finds the data and adds nothing.
            #expect(try await app.store.seedIfEmpty() == false)
            #expect(try await ClusterModel.query(on: app.db).count() == 78)

            let edited = try #require(try await ClusterModel.find("NC001", on: app.db))
            edited.nameEn = "Edited by a user"
            try await edited.save(on: app.db)
            try await ClusterModel.find("NC078", on: app.db)?.delete(on: app.db)
            try await PublishedFigureModel.find("2022-champions", on: app.db)?.delete(on: app.db)

            let added = try await app.store.seedMissing()
            #expect(added.clusters == 1)
            #expect(added.figures == 1)
            #expect(try await ClusterModel.find("NC001", on: app.db)?.nameEn == "Edited by a user")
            #expect(try await ClusterModel.query(on: app.db).count() == 78)
            #expect(try await ClusterEventModel.query(on: app.db).filter(\.$cluster.$id == "NC078").count() == 2)
        }
    }
}

@Suite struct RegistryCacheTests {
    @Test(arguments: TestDatabase.enabled)
    func aWriteThatBumpsTheVersionIsSeenByTheNextRequest(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let store = app.store
            let before = try await store.snapshot()
            #expect(try await store.snapshot().version == before.version)
            #expect(before.registry.clusters.first { $0.id == "NC001" }?.nameEn.hasPrefix("Shenzhen") == true)

            try await app.db.transaction { tx in
                let row = try #require(try await ClusterModel.find("NC001", on: tx))
                row.nameEn = "Renamed in a transaction"
                try await row.save(on: tx)
                try await store.bumpVersion(on: tx)
            }
            let after = try await store.snapshot()
            #expect(after.version == before.version + 1)
            #expect(after.registry.clusters.first { $0.id == "NC001" }?.nameEn == "Renamed in a transaction")
            try await app.testing().test(.GET, "/api/v1/clusters/NC001") { res in
                let json = try res.json()
                #expect(json.string("name_en") == "Renamed in a transaction")
            }
        }
    }
}

@Suite struct ConfigTests {
    @Test(
        arguments: [
            (nil, AppConfig.Database.sqliteFile(path: "ladder.sqlite")),
            ("", .sqliteFile(path: "ladder.sqlite")),
            ("sqlite:///var/lib/ladder/db.sqlite", .sqliteFile(path: "/var/lib/ladder/db.sqlite")),
            ("sqlite://relative.sqlite", .sqliteFile(path: "relative.sqlite")),
            ("postgres://u:p@localhost:5432/ladder", .postgres(url: "postgres://u:p@localhost:5432/ladder")),
            ("postgresql://u@db/ladder", .postgres(url: "postgresql://u@db/ladder")),
        ] as [(String?, AppConfig.Database)])
    func databaseURL(value: String?, expected: AppConfig.Database) throws {
        #expect(try AppConfig.database(value) == expected)
    }

    @Test(arguments: ["mysql://localhost/x", "sqlite://", "postgres://", "ladder.sqlite"])
    func badDatabaseURLNamesTheVariable(value: String) {
        #expect(throws: AppConfig.Error.self) { try AppConfig.database(value) }
        do { _ = try AppConfig.database(value) } catch { #expect(error.variable == "DATABASE_URL") }
    }

    @Test func passwordsAreNotLogged() {
        let db = AppConfig.Database.postgres(url: "postgres://ladder:s3cret@db:5432/ladder")
        #expect(!db.redacted.contains("s3cret"))
        #expect(db.redacted.contains("db:5432"))
    }

    @Test func autoMigrateFlag() throws {
        #expect(try AppConfig.from(environment: [:]).autoMigrate)
        #expect(try AppConfig.from(environment: ["AUTO_MIGRATE": "false"]).autoMigrate == false)
        #expect(throws: AppConfig.Error.self) { try AppConfig.from(environment: ["AUTO_MIGRATE": "maybe"]) }
    }

    @Test func aBrokenMultipartBodyIsTheCallersFault() async throws {
        try await withLadder(.sqlite) { app in
            var headers = HTTPHeaders()
            headers.replaceOrAdd(
                name: .contentType, value: "multipart/form-data; boundary=c637e12e2b1a998d80d1b087531af51c")
            try await app.testing().test(
                .POST, "/api/v1/intake", headers: headers,
                body: ByteBuffer(string: "--c637e12e2b1a998d80d1b087531af51c--\r\n")
            ) { res in
                #expect(res.status == .badRequest)
                let reason = try res.json().string("reason")
                #expect(reason == "the multipart/form-data body could not be read")
            }
        }
    }

    @Test func rulesFileIsReadAndCheckedAtStart() throws {
        #expect(try AppConfig.from(environment: [:]).rules.monitoring.dueMonth == 4)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = try DataFiles.text("programme-rules.json")
        let june = dir.appendingPathComponent("june.json")
        try Data(shipped.replacingOccurrences(of: "\"due_month\": 4", with: "\"due_month\": 6").utf8).write(to: june)
        #expect(
            try AppConfig.from(environment: ["RULES_FILE": june.path]).rules.monitoring.dueDate(dataYear: 2025)
                == Day("2026-06-30"))
        let bad = dir.appendingPathComponent("bad.json")
        try Data(shipped.replacingOccurrences(of: "\"jump_threshold\": 0.5", with: "\"jump_threshold\": -1").utf8)
            .write(to: bad)
        do {
            _ = try AppConfig.from(environment: ["RULES_FILE": bad.path])
            Issue.record("a negative jump threshold was accepted")
        } catch {
            #expect(error.variable == "RULES_FILE")
            #expect(error.reason.contains("monitoring.jump_threshold"))
        }
        do {
            _ = try AppConfig.from(environment: ["RULES_FILE": dir.appendingPathComponent("none.json").path])
            Issue.record("a missing rules file was accepted")
        } catch { #expect(error.variable == "RULES_FILE") }
    }

    /// A rules file whose tie-break order leaves out a dimension of the indicator set in force stops
    /// the start, naming the field and the dimension.
    @Test func aTieBreakOrderThatMissesADimensionStopsTheStart() async throws {
        var config = AppConfig(database: .sqliteMemory, autoMigrate: true, auth: testAuth)
        config.rules.scoring.tieBreak = ["innovation", "scale", "quality_firms", "ecosystem", "openness"]
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: config)
            try await app.asyncBoot()
            Issue.record("the start went on with a tie-break order that misses governance")
        } catch let error as AppConfig.Error {
            #expect(error.variable == "RULES_FILE")
            #expect(error.reason.contains("missing governance"))
        }
        try await app.asyncShutdown()
    }

    /// CI must exercise PostgreSQL: with CI=true a missing server URL fails the run.
    @Test func postgresSuiteRunsInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(TestDatabase.postgresURL != nil, "CI=true but LADDER_TEST_POSTGRES_URL is not set")
            #expect(TestDatabase.enabled.contains(.postgres))
        }
    }
}

@Suite struct BootTests {
    @Test(arguments: [
        (["ladder"], true),
        (["ladder", "serve", "--port", "8081"], true),
        (["ladder", "--port", "8081"], true),
        (["ladder", "stats", "--as-of", "2022-11-30"], true),
        (["ladder", "stats", "--help"], false),
        (["ladder", "--help"], false),
        (["ladder", "migrate"], false),
        (["ladder", "routes"], false),
        (["ladder", "seed"], false),
    ])
    func migratesAndSeedsOnlyWhenServingOrCounting(arguments: [String], expected: Bool) {
        #expect(MigrateAndSeed.applies(to: arguments) == expected)
    }
}

@Suite struct OpenAPIEnumTests {
    /// The document lists the same codes as the reference data, so clients can rely on its enums.
    @Test func enumsMatchTheReferenceData() throws {
        let data = Data(try OpenAPIDocument.text().utf8)
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let get = try #require(doc.object("paths")?.object("/clusters")?.object("get"))
        let params = try #require(get.array("parameters"))
        func values(_ name: String) -> [String]? {
            params.first { $0.string("name") == name }?.object("schema")?.strings("enum")
        }
        let ref = try DataFiles.reference()
        #expect(values("province") == ref.provinces.map(\.code))
        #expect(values("domain") == ref.domains.map(\.code))
        #expect(values("batch") == ref.batches.map(\.code))
        #expect(values("key_region") == ref.keyRegions.map(\.code))
        #expect(values("tier") == Tier.allCases.map(\.rawValue))
        #expect(values("region") == Region.allCases.map(\.rawValue))
        #expect(values("sort") == ClusterQuery.SortKey.allCases.flatMap { [$0.rawValue, "-" + $0.rawValue] })
    }
}
