import ClusterDomain
import Foundation
import Vapor

/// `ladder ratings [--year Y] [--tier national|provincial|world_class] [--examples] [--format table|json|csv]`:
/// a data year's competitiveness ratings from the accepted monitoring returns, as on `/ratings` —
/// as CSV, one row per cluster and dimension, for the results file.
struct RatingsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "year", help: "the data year (default: last year)")
        var year: Int?

        @Option(name: "tier", help: "national (default), provincial or world_class")
        var tier: String?

        @Flag(name: "examples", help: "rate the example clusters of `ladder seed --examples` instead of the real ones")
        var examples: Bool

        @Option(name: "format", help: "table (default), json or csv")
        var format: String?
    }

    var help: String {
        "Prints a data year's competitiveness ratings (score, decile, each dimension's points) from the accepted returns, as a table, JSON or CSV."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let today = app.today()
        let year = signature.year ?? today.year - 1
        guard (2019..<today.year).contains(year) else {
            throw CommandError("--year: a data year from 2019 to \(today.year - 1)")
        }
        guard let tier = Tier(rawValue: signature.tier ?? "national") else {
            throw CommandError("--tier: one of " + Tier.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let format = signature.format ?? "table"
        guard ["table", "json", "csv"].contains(format) else { throw CommandError("--format: table, json or csv") }
        let dto = try await RatingService(context: app.commandLineServices).rate(
            year: year, tier: tier, examples: signature.examples)
        switch format {
        case "csv": context.console.print(RatingService.csv(dto), newLine: false)
        case "json": context.console.print(String(decoding: try JSONEncoder.api.encode(dto), as: UTF8.self))
        default:
            context.console.print(
                "\(dto.year) \(dto.tier): \(dto.rated) of \(dto.clusters) clusters rated (\(dto.indicatorSet) v\(dto.indicatorSetVersion))"
            )
            for r in dto.ratings {
                context.console.print(
                    "\(r.rank)\t\(r.cluster)\t\(String(format: "%.2f", r.score))\tdecile \(r.decile)\t\(r.nameZh)")
            }
        }
    }
}
