import Fluent
import SQLKit
import Vapor

/// A series of sequential ids that the server chooses: `NC079`, `PC0001`, `POL012`, `COOP004`, `AN007`,
/// `R2027` then `R2027-2`. Each series keeps its last number in `id_counters`.
struct IdSeries: Sendable, Hashable {
    /// The counter's key in `id_counters`.
    let name: String
    /// The table and id column whose rows the series must not collide with.
    let table: String
    let prefix: String
    /// Zero-padded width of the number (more digits are used when it grows past it).
    let width: Int
    /// For rounds: the first id of a year is the bare prefix, later ones get `-n`.
    let bareFirst: Bool

    func id(_ number: Int) -> String {
        if bareFirst { return number == 1 ? prefix : "\(prefix)-\(number)" }
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The number of an id of this series, or nil when the id is not one of its own.
    func number(of id: String) -> Int? {
        guard id.hasPrefix(prefix) else { return nil }
        let rest = id.dropFirst(prefix.count)
        if bareFirst {
            if rest.isEmpty { return 1 }
            guard rest.first == "-" else { return nil }
            return Int(rest.dropFirst())
        }
        guard !rest.isEmpty, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber) else { return nil }
        return Int(rest)
    }

    static let nationalCluster = IdSeries(name: "NC", table: "clusters", prefix: "NC", width: 3, bareFirst: false)
    static let provincialCluster = IdSeries(name: "PC", table: "clusters", prefix: "PC", width: 4, bareFirst: false)
    static let policy = IdSeries(name: "POL", table: "policies", prefix: "POL", width: 3, bareFirst: false)
    static let activity = IdSeries(
        name: "COOP", table: "cooperation_activities", prefix: "COOP", width: 3, bareFirst: false)
    static let announcement = IdSeries(name: "AN", table: "announcements", prefix: "AN", width: 2, bareFirst: false)
    static func round(year: Int) -> IdSeries {
        IdSeries(name: "R\(year)", table: "competition_rounds", prefix: "R\(year)", width: 0, bareFirst: true)
    }
}

/// The one way sequential ids are made. Called inside the write transaction that inserts the row:
/// the counter's row is updated first, so on PostgreSQL concurrent creates of a series queue on that
/// row until the earlier transaction ends, and on SQLite write transactions run one at a time anyway.
/// A create therefore never collides with another create; ids written by other means (the seed,
/// an import with its own ids) are stepped over.
enum IdAllocator {
    static func next(_ series: IdSeries, on db: any Database) async throws -> String {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        if try await sql.raw("SELECT value FROM id_counters WHERE series = \(bind: series.name)").first() == nil {
            // First use of the series: start after the highest id already stored.
            let ids = try await sql.raw(
                "SELECT id FROM \(ident: series.table) WHERE id LIKE \(bind: series.prefix + "%")"
            ).all().map { try $0.decode(column: "id", as: String.self) }
            let highest = ids.compactMap(series.number(of:)).max() ?? 0
            try await sql.raw(
                """
                INSERT INTO id_counters (series, value) VALUES (\(bind: series.name), \(bind: highest)) \
                ON CONFLICT (series) DO NOTHING
                """
            ).run()
        }
        // Bounded: each pass steps over one id that something other than this allocator wrote.
        for _ in 0..<1000 {
            guard
                let row = try await sql.raw(
                    "UPDATE id_counters SET value = value + 1 WHERE series = \(bind: series.name) RETURNING value"
                ).first()
            else { throw Abort(.internalServerError, reason: "the id counter \(series.name) is missing") }
            let id = series.id(try row.decode(column: "value", as: Int.self))
            let taken = try await sql.raw("SELECT id FROM \(ident: series.table) WHERE id = \(bind: id)").first()
            if taken == nil { return id }
        }
        throw Abort(.internalServerError, reason: "the id series \(series.name) has no free id near its counter")
    }
}
