import ClusterDomain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Sets the application up: configuration, database, migrations, middleware, routes, commands.
public func configure(_ app: Application) async throws {
    let config: AppConfig
    do { config = try AppConfig.from(environment: ProcessInfo.processInfo.environment) } catch {
        app.logger.critical("configuration: \(error.description)")
        throw error
    }
    try await configure(app, config: config)
}

func configure(_ app: Application, config: AppConfig) async throws {
    try loadData(app)
    try useDatabase(app, config.database)
    app.databaseConfig = config.database
    app.migrations.add(LadderMigrations.all)
    // Each migration's start and end are for a developer, not for the person running a command.
    app.fluent.migrationLogLevel = .debug
    ContentConfiguration.global.use(encoder: JSONEncoder.api, for: .json)
    ContentConfiguration.global.use(decoder: CleanJSONDecoder(base: JSONDecoder.api), for: .json)
    ContentConfiguration.global.use(decoder: CleanFormDecoder(), for: .urlEncodedForm)
    ContentConfiguration.global.use(decoder: CleanMultipartDecoder(), for: .formData)
    try applySettings(app, config)
    useMiddleware(app)
    LadderMetrics.start()
    registerRoutes(app)
    registerCommands(app)
    if config.autoMigrate {
        app.lifecycle.use(
            MigrateAndSeed(isSQLiteFile: { if case .sqliteFile = config.database { true } else { false } }()))
    }
    // Last, so that at shutdown it runs first: requests finish before the database pool closes.
    app.http.server.configuration.shutdownTimeout = .seconds(Int64(config.operations.shutdownGraceSeconds))
    app.lifecycle.use(SessionPurgeSchedule())
    app.lifecycle.use(GracefulShutdown())
}

/// The reference data and the shipped catalogues, read once; a bad file stops the start.
private func loadData(_ app: Application) throws {
    do {
        app.reference = try DataFiles.reference()
        app.policies = try DataFiles.policyCatalogue(reference: app.reference)
        let national = try DataFiles.nationalClusters(reference: app.reference)
        app.cooperation = try DataFiles.cooperation(reference: app.reference, clusters: national)
        app.shippedNotes = try DataFiles.chineseNotes(for: national)
    } catch {
        app.logger.critical("data: \(error.description)")
        throw error
    }
}

private func useDatabase(_ app: Application, _ database: AppConfig.Database) throws {
    switch database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url, let searchPath):
        var pg = try SQLPostgresConfiguration(url: url)
        if let searchPath { pg.searchPath = [searchPath] }
        app.databases.use(.postgres(configuration: pg), as: .psql)
    }
    // Said when serving; a command's output is its own answer.
    let serving = app.environment.arguments.dropFirst().first.map { $0 == "serve" } ?? true
    app.logger.log(level: serving ? .info : .debug, "database: \(database.redacted)")
}

/// Every setting from AppConfig stored on the application, sessions and passwords.
private func applySettings(_ app: Application, _ config: AppConfig) throws {
    app.authSettings = config.auth
    app.operations = config.operations
    app.drain = DrainFlag()
    app.intakeMaxBytes = config.intakeMaxBytes
    app.intakeLimits = IntakeLimits(
        gate: IntakeGate(limit: config.intakeConcurrency),
        anonymous: IntakeRateLimiter(perMinute: config.intakeAnonymousPerMinute))
    app.rules = config.rules
    app.attachments = AttachmentStore(directory: config.dataDirectory, maxBytes: config.attachmentMaxBytes)
    app.passwords.use(.bcrypt(cost: config.auth.bcryptCost))
    app.dummyPasswordHash = try app.password.sync.hash(TokenCodec.random())
    app.sessions.use(.fluent)
    app.sessions.configuration = SessionsConfiguration(cookieName: "ladder_session") { id in
        HTTPCookies.Value(
            string: id.string, maxAge: Int(config.auth.sessionLifetime), path: "/",
            isSecure: config.auth.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}

private func useMiddleware(_ app: Application) {
    app.routes.defaultMaxBodySize = "64kb"
    app.middleware = .init()
    app.middleware.use(ServerTimingMiddleware())
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(ErrorResponder())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(CallerMiddleware())
    app.middleware.use(SecondFactorRequiredMiddleware())
    app.middleware.use(IdempotencyMiddleware())
    app.middleware.use(SignInAgainMiddleware())
}

/// Each feature registers its routes through the route table (`WebRoute`, `APIRoute`).
private func registerRoutes(_ app: Application) {
    _ = app.registryCache
    APIController().register(on: app)
    WebController().register(on: app)
    AccountController().register(on: app)
    TwoFactorController().register(on: app)
    WriteController().register(on: app)
    EditController().register(on: app)
    PolicyController().register(on: app)
    PolicyWriteController().register(on: app)
    CooperationController().register(on: app)
    AnnouncementController().register(on: app)
    TakeUpController().register(on: app)
    IntakeController().register(on: app)
    AttachmentController().register(on: app)
    LadderController().register(on: app)
    RoundController().register(on: app)
    ScoringController().register(on: app)
    NoticeController().register(on: app)
    DossierController().register(on: app)
    WorkController().register(on: app)
    RoundPagesController().register(on: app)
    IndicatorSetController().register(on: app)
    ReturnController().register(on: app)
    RatingController().register(on: app)
    MonitoringPagesController().register(on: app)
    MetricsController().register(on: app)
}

private func registerCommands(_ app: Application) {
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(StatsCommand(), as: "stats")
    app.asyncCommands.use(UsersCommand(), as: "users")
    app.asyncCommands.use(IngestCommand(), as: "ingest")
    app.asyncCommands.use(PoliciesCommand(), as: "policies")
    app.asyncCommands.use(LedgerCommand(ledger: .cooperation), as: "cooperation")
    app.asyncCommands.use(LedgerCommand(ledger: .announcements), as: "announcements")
    app.asyncCommands.use(LedgerCommand(ledger: .takeups), as: "takeups")
    app.asyncCommands.use(RoundsCommand(), as: "rounds")
    app.asyncCommands.use(RatingsCommand(), as: "ratings")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
}

/// Runs pending migrations and loads the national list into an empty database when the app boots
/// to serve or to answer from the data. `migrate`, `routes` and `--help` leave the database alone.
struct MigrateAndSeed: LifecycleHandler {
    let isSQLiteFile: Bool

    static func applies(to arguments: [String]) -> Bool {
        let rest = arguments.dropFirst()
        if rest.contains("--help") || rest.contains("-h") { return false }
        guard let command = rest.first, !command.hasPrefix("-") else { return true }
        return ["serve", "stats", "ingest", "policies", "cooperation", "announcements", "takeups", "rounds", "ratings"]
            .contains(command)
    }

    func willBootAsync(_ app: Application) async throws {
        guard Self.applies(to: app.environment.arguments) else { return }
        if isSQLiteFile, let sql = app.db as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        // Two instances starting together on an empty database: one migrates and seeds, the other waits.
        let seeded = try await MigrationLock.run(app, database: app.databaseConfig) {
            try await app.autoMigrate()
            return try await app.store.seedIfEmpty()
        }
        if seeded { app.logger.info("seeded the empty database with the national list and published figures") }
        // The rules file's tie-break order must name the dimensions of the indicator set in force.
        let set = try await IndicatorSets.current(app.db)
        if let problem = app.rules.scoring.tieBreakProblem(dimensions: set.dimensions.map(\.code)) {
            app.logger.critical("RULES_FILE: \(problem) (indicator set \(set.id) version \(set.version))")
            throw AppConfig.Error(variable: "RULES_FILE", reason: problem)
        }
    }
}
