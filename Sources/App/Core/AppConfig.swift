import ClusterDomain
import Foundation

/// Settings read once at boot from the environment. A bad value stops the start with a message
/// that names the variable.
struct AppConfig: Sendable, Equatable {
    enum Database: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        /// `searchPath` puts the tables in a schema other than `public` (the tests use one per test).
        case postgres(url: String, searchPath: String? = nil)

        /// A description safe to log: no password.
        var redacted: String {
            switch self {
            case .sqliteFile(let path): return "SQLite file \(path)"
            case .sqliteMemory: return "SQLite in memory"
            case .postgres(let url, _):
                if var parts = URLComponents(string: url) {
                    if parts.password != nil { parts.password = "***" }
                    return "PostgreSQL \(parts.string ?? "")"
                }
                return "PostgreSQL"
            }
        }
    }

    struct Error: Swift.Error, CustomStringConvertible, Equatable {
        let variable: String
        let reason: String
        var description: String { "\(variable): \(reason)" }
    }

    var database: Database
    /// Run pending migrations and load the national list into an empty database at boot.
    var autoMigrate: Bool
    var auth = AuthSettings()
    /// Largest document the intake page and API accept, in bytes (`INTAKE_MAX_KB`).
    var intakeMaxBytes = 1024 * 1024
    /// Documents intake works on at once (`INTAKE_CONCURRENCY`), and anonymous intakes per client address
    /// a minute (`INTAKE_ANON_PER_MINUTE`, 0 for no limit).
    var intakeConcurrency = 1
    var intakeAnonymousPerMinute = 20
    /// Where uploaded files are kept (`DATA_DIR`); created when missing.
    var dataDirectory = "data"
    /// Largest uploaded attachment, in bytes (`ATTACHMENT_MAX_MB`).
    var attachmentMaxBytes = 10 * 1024 * 1024
    /// The programme's assumed rules: the shipped `programme-rules.json`, or the file `RULES_FILE` names.
    var rules = ProgrammeRules.assumed
    /// Public address, proxies, shutdown grace, log format, metrics access.
    var operations = OperationsSettings()

    static let defaultSQLiteFile = "ladder.sqlite"

    static func from(environment env: [String: String]) throws(Error) -> AppConfig {
        var auth = AuthSettings()
        auth.secureCookies = try flag(env["COOKIE_SECURE"], name: "COOKIE_SECURE", default: false)
        auth.sessionLifetime =
            Double(try number(env["SESSION_HOURS"], name: "SESSION_HOURS", default: 8, range: 1...720)) * 3600
        auth.bcryptCost = try number(env["BCRYPT_COST"], name: "BCRYPT_COST", default: 12, range: 10...16)
        auth.secondFactorRoles = try roles(env["SECOND_FACTOR_ROLES"], name: "SECOND_FACTOR_ROLES")
        return AppConfig(
            database: try database(env["DATABASE_URL"]),
            autoMigrate: try flag(env["AUTO_MIGRATE"], name: "AUTO_MIGRATE", default: true), auth: auth,
            intakeMaxBytes: try number(env["INTAKE_MAX_KB"], name: "INTAKE_MAX_KB", default: 1024, range: 16...16_384)
                * 1024,
            intakeConcurrency: try number(
                env["INTAKE_CONCURRENCY"], name: "INTAKE_CONCURRENCY", default: 1, range: 1...16),
            intakeAnonymousPerMinute: try number(
                env["INTAKE_ANON_PER_MINUTE"], name: "INTAKE_ANON_PER_MINUTE", default: 20, range: 0...10_000),
            dataDirectory: try directory(env["DATA_DIR"]),
            attachmentMaxBytes: try number(
                env["ATTACHMENT_MAX_MB"], name: "ATTACHMENT_MAX_MB", default: 10, range: 1...100) * 1024 * 1024,
            rules: try rules(env["RULES_FILE"]),
            operations: OperationsSettings(
                publicURL: try OperationsSettings.publicURL(env["PUBLIC_URL"]),
                trustedProxies: try OperationsSettings.trustedProxies(env["TRUSTED_PROXIES"]),
                shutdownGraceSeconds: try number(
                    env["SHUTDOWN_GRACE_SECONDS"], name: "SHUTDOWN_GRACE_SECONDS", default: 20, range: 0...600),
                logFormat: try OperationsSettings.logFormat(env["LOG_FORMAT"]),
                metricsToken: try OperationsSettings.metricsToken(env["METRICS_TOKEN"])))
    }

    /// A comma-separated list of role names (`admin,ministry_reviewer`).
    static func roles(_ value: String?, name: String) throws(Error) -> Set<Role> {
        guard let value, !value.isEmpty else { return [] }
        var roles: Set<Role> = []
        for item in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let role = Role(rawValue: item) else {
                throw Error(
                    variable: name,
                    reason: "unknown role '\(item)'; allowed: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            roles.insert(role)
        }
        return roles
    }

    static func rules(_ path: String?) throws(Error) -> ProgrammeRules {
        guard let path, !path.isEmpty else {
            do { return try DataFiles.programmeRules() } catch {
                throw Error(variable: "RULES_FILE", reason: "the shipped rules: \(error)")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Error(variable: "RULES_FILE", reason: "cannot read '\(path)'")
        }
        do { return try ProgrammeRules.decode(data, file: path) } catch {
            throw Error(variable: "RULES_FILE", reason: error.reason)
        }
    }

    static func database(_ value: String?) throws(Error) -> Database {
        guard let value, !value.isEmpty else { return .sqliteFile(path: defaultSQLiteFile) }
        if value == "sqlite::memory:" || value == "sqlite://:memory:" { return .sqliteMemory }
        if value.hasPrefix("sqlite://") {
            let path = String(value.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw Error(
                    variable: "DATABASE_URL",
                    reason: "sqlite:// needs a file path, e.g. sqlite:///var/lib/ladder.sqlite")
            }
            return .sqliteFile(path: path)
        }
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            guard let parts = URLComponents(string: value), parts.host?.isEmpty == false else {
                throw Error(
                    variable: "DATABASE_URL",
                    reason: "not a valid PostgreSQL URL (postgres://user:password@host:port/database)")
            }
            return .postgres(url: value)
        }
        throw Error(
            variable: "DATABASE_URL",
            reason:
                "unsupported scheme; use sqlite:///path/to/file.sqlite or postgres://user:password@host:port/database")
    }

    static func directory(_ value: String?) throws(Error) -> String {
        guard let value, !value.isEmpty else { return "data" }
        guard !value.contains("\0"), value.count <= 1024 else {
            throw Error(variable: "DATA_DIR", reason: "not a usable path")
        }
        return value
    }

    static func number(_ value: String?, name: String, default fallback: Int, range: ClosedRange<Int>) throws(Error)
        -> Int
    {
        guard let value, !value.isEmpty else { return fallback }
        guard let n = Int(value), range.contains(n) else {
            throw Error(
                variable: name,
                reason: "'\(value)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    static func flag(_ value: String?, name: String, default fallback: Bool) throws(Error) -> Bool {
        guard let value, !value.isEmpty else { return fallback }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw Error(variable: name, reason: "'\(value)' is not a boolean (true or false)")
        }
    }
}
