import ClusterDomain
import Foundation
import Vapor

/// `ladder stats`: the statistics as of a day and the reconciliation with the published figures.
struct StatsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "as-of", help: "The day to count for, YYYY-MM-DD (default: today, Beijing time)")
        var asOf: String?

        @Option(name: "tier", help: "provincial, national (default) or world_class")
        var tier: String?

        @Option(name: "format", help: "table (default) or json")
        var format: String?
    }

    var help: String {
        "Prints the registry's statistics as of a day, and each published figure beside what the registry derives."
    }

    struct Output: Encodable {
        let stats: StatsDTO
        let reconciliation: ReconciliationDTO
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let asOf: Day
        do { asOf = try ClusterQuery.parseAsOf(signature.asOf, today: app.today()) } catch {
            throw CommandError("--as-of: '\(signature.asOf ?? "")' is not a date in the form YYYY-MM-DD")
        }
        guard let tier = Tier(rawValue: signature.tier ?? "national") else {
            throw CommandError(
                "--tier: unknown tier '\(signature.tier ?? "")'; allowed: "
                    + Tier.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let format = signature.format ?? "table"
        guard ["table", "json"].contains(format) else {
            throw CommandError("--format: unknown format '\(format)'; allowed: table, json")
        }
        let registry = try await app.store.registry()
        let stats = registry.statistics(asOf: asOf, tier: tier)
        let rows = registry.reconcile(try await app.store.figures(), publishedBy: asOf)
        if format == "json" {
            let encoder = JSONEncoder.api
            let data = try encoder.encode(
                Output(stats: StatsDTO(stats), reconciliation: ReconciliationDTO(asOf: asOf, rows: rows)))
            context.console.print(String(decoding: data, as: UTF8.self))
        } else {
            context.console.print(StatsTable.render(stats, reconciliation: rows, reference: registry.reference))
        }
    }
}

/// A command-line failure: printed as the reason, with a non-zero exit.
public struct CommandError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}

/// What a listing command prints: a table for people (the default) or JSON for programs.
struct CommandOutput {
    let console: any Console
    let json: Bool

    init(console: any Console, format: String?) throws {
        let format = format ?? "table"
        guard ["table", "json"].contains(format) else {
            throw CommandError("--format: unknown format '\(format)'; allowed: table, json")
        }
        self.console = console
        self.json = format == "json"
    }

    func emit(_ value: some Encodable, _ table: () -> String) throws {
        console.print(json ? String(decoding: try JSONEncoder.api.encode(value), as: UTF8.self) : table())
    }
}

/// Plain-text rendering of statistics and reconciliation for the terminal.
enum StatsTable {
    static func render(_ s: Statistics, reconciliation: [ReconciliationRow], reference: ReferenceData) -> String {
        var out = "Statistics as of \(s.asOf.iso), tier \(s.tier.rawValue)\n"
        func line(_ label: String, _ value: String) { out += "  " + pad(label, 30) + value + "\n" }
        line("clusters", "\(s.clusters)")
        line("provinces", "\(s.provinces)")
        line("planned cities", "\(s.plannedCities) \(s.plannedCityNames.joined(separator: " "))")
        for region in Region.allCases { line("region \(region.rawValue)", "\(s.byRegion[region] ?? 0)") }
        line("key regions", "\(s.keyRegionsTotal) (share \(String(format: "%.4f", s.keyRegionsShare)))")
        for key in reference.keyRegions { line("  \(key.code)", "\(s.byKeyRegion[key.code] ?? 0)") }
        for domain in reference.domains { line("domain \(domain.code)", "\(s.byDomain[domain.code] ?? 0)") }
        for p in reference.provinces where (s.byProvince[p.code] ?? 0) > 0 {
            line("province \(p.code) \(p.nameEn)", "\(s.byProvince[p.code] ?? 0)")
        }
        line("cross-province", "\(s.crossProvince)")
        for batch in reference.batches { line("batch \(batch.code)", "\(s.byBatch[batch.code] ?? 0)") }
        out +=
            "\nReconciliation (published figures on or before \(s.asOf.iso), each checked on its own reference date)\n"
        for row in reconciliation {
            let published = row.figure.display ?? Language.en.format(row.figure.value, unit: row.figure.unit)
            let derived = row.derived.map { Language.en.format($0, unit: row.figure.unit) } ?? "-"
            out +=
                "  " + pad(row.figure.id, 30)
                + pad(published, 12)
                + pad(derived, 10)
                + row.outcome.rawValue + "\n"
        }
        return out
    }

    /// Pads to a terminal width, counting CJK characters as two columns.
    static func pad(_ text: String, _ width: Int) -> String {
        let used = text.unicodeScalars.reduce(0) { sum, scalar in
            sum
                + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                    || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                    || (0xFE30...0xFE4F).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
        return text + String(repeating: " ", count: max(1, width - used))
    }
}
