import ClusterDomain
import Foundation
import Vapor

/// `ladder rounds [--round ID] [--format table|json|csv]`: the competition rounds, or one round's
/// ranking per track — as CSV, one row per entry and dimension, for the results file.
struct RoundsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "round", help: "a round id: print its ranking instead of the list of rounds")
        var round: String?

        @Option(name: "format", help: "table (default), json, or csv (with --round)")
        var format: String?
    }

    var help: String {
        "Lists the competition rounds, or prints one round's ranking per track (--round ID), as a table, JSON or CSV."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let format = signature.format ?? "table"
        guard ["table", "json", "csv"].contains(format), format != "csv" || signature.round != nil else {
            throw CommandError("--format: table, json, or csv with --round")
        }
        guard let id = signature.round else {
            let rounds = try await RoundController.rounds(app.db)
            if format == "json" {
                context.console.print(String(decoding: try JSONEncoder.api.encode(rounds.map { RoundController.RoundDTO($0) }), as: UTF8.self))
            } else {
                context.console.print(rounds.map { r in
                    "\(r.id)\t\(r.year)\t\(r.format.rawValue)\t" + r.tracks.joined(separator: ",")
                        + "\t" + r.stages.map { "\($0.kind.rawValue) \($0.opensOn)–\($0.closesOn)" }.joined(separator: "; ")
                }.joined(separator: "\n"))
            }
            return
        }
        guard let round = try await RoundModel.find(id, on: app.db)?.round() else { throw CommandError("--round: no round \(id)") }
        let ranking = try await ScoringController.ranking(round, db: app.db)
        switch format {
        case "csv": context.console.print(ScoringController.csv(ranking), newLine: false)
        case "json": context.console.print(String(decoding: try JSONEncoder.api.encode(ranking), as: UTF8.self))
        default:
            context.console.print(ranking.tracks.sorted { $0.key < $1.key }.map { track, rows in
                "track \(track):\n" + rows.map { "  \($0.rank)\($0.tied ? "=" : "")\t\($0.cluster)\t\($0.total)\t\($0.decidedBy)" }
                    .joined(separator: "\n")
            }.joined(separator: "\n"))
        }
    }
}
