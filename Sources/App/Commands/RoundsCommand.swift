import ClusterDomain
import Foundation
import Vapor

/// `ladder rounds [--round ID] [--format table|json|csv]`: the competition rounds, or one round's
/// ranking per track — as CSV, one row per entry and dimension, for the results file.
/// `ladder rounds --open --year Y --round-format F --tracks A,B --stages kind:from:to,… [--quota N] [--notice-number X]`
/// opens a round; `ladder rounds --round ID --close-stage KIND` ends a stage before today. Both are
/// audited as done from the command line.
struct RoundsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "round", help: "a round id: print its ranking instead of the list of rounds")
        var round: String?

        @Option(name: "format", help: "table (default), json, or csv (with --round)")
        var format: String?

        @Flag(name: "open", help: "open a round (with --year, --round-format, --tracks, --stages)")
        var open: Bool

        @Option(name: "year", help: "with --open: the round's year")
        var year: Int?

        @Option(name: "round-format", help: "with --open: preliminary_final or group_overall")
        var roundFormat: String?

        @Option(name: "tracks", help: "with --open: domain codes, comma-separated")
        var tracks: String?

        @Option(
            name: "stages", help: "with --open: kind:YYYY-MM-DD:YYYY-MM-DD for each of the five stages, comma-separated"
        )
        var stages: String?

        @Option(name: "quota", help: "with --open: entries per province (default 3)")
        var quota: Int?

        @Option(name: "notice-number", help: "with --open: the notice's document number")
        var noticeNumber: String?

        @Option(
            name: "close-stage",
            help: "with --round: close this stage (recommendation, dossier, first_stage, final_stage) from today")
        var closeStage: String?
    }

    var help: String {
        "Lists the competition rounds, prints one round's ranking per track (--round ID) as a table, JSON or CSV, "
            + "opens a round (--open) or closes a stage (--round ID --close-stage KIND)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrate()
        do {
            if signature.open { return try await open(app, signature, console: context.console) }
            if let stage = signature.closeStage {
                return try await close(app, round: signature.round, stage: stage, console: context.console)
            }
        } catch let errors as FieldErrors {
            throw CommandError(Self.describe(errors))
        }
        let format = signature.format ?? "table"
        guard ["table", "json", "csv"].contains(format), format != "csv" || signature.round != nil else {
            throw CommandError("--format: table, json, or csv with --round")
        }
        if let id = signature.round {
            try await ranking(app, round: id, format: format, console: context.console)
        } else {
            try await list(app, json: format == "json", console: context.console)
        }
    }

    func open(_ app: Application, _ signature: Signature, console: any Console) async throws {
        let stages = (signature.stages ?? "").split(separator: ",").map { part -> RoundController.StageInput in
            let bits = part.split(separator: ":").map { String($0).trimmingCharacters(in: .whitespaces) }
            return RoundController.StageInput(
                kind: bits.first, opensOn: bits.count > 1 ? bits[1] : nil, closesOn: bits.count > 2 ? bits[2] : nil)
        }
        let input = RoundController.RoundInput(
            year: signature.year, format: signature.roundFormat,
            tracks: signature.tracks?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            noticeNumber: signature.noticeNumber, stages: stages, quotaPerProvince: signature.quota)
        let round = try await RoundService(context: app.commandLineServices).open(input)
        console.print("opened \(round.id)")
    }

    func close(_ app: Application, round id: String?, stage: String, console: any Console) async throws {
        guard let id, try await RoundModel.find(id, on: app.db) != nil else {
            throw CommandError("--close-stage needs --round with a known round id")
        }
        let closed = try await RoundService(context: app.commandLineServices).closeStage(round: id, stage: stage)
        let until = RoundStageKind(rawValue: stage).flatMap { closed.stage($0) }?.closesOn.description ?? "?"
        console.print("\(closed.id): \(stage) now closes on \(until)")
    }

    func list(_ app: Application, json: Bool, console: any Console) async throws {
        let rounds = try await CompetitionStore.rounds(app.db)
        if json {
            console.print(
                String(decoding: try JSONEncoder.api.encode(rounds.map { RoundController.RoundDTO($0) }), as: UTF8.self)
            )
            return
        }
        guard !rounds.isEmpty else {
            console.print("no competition rounds yet (ladder rounds --open … opens one)")
            return
        }
        console.print(
            rounds.map { r in
                "\(r.id)\t\(r.year)\t\(r.format.rawValue)\t" + r.tracks.joined(separator: ",") + "\t"
                    + r.stages.map { "\($0.kind.rawValue) \($0.opensOn)–\($0.closesOn)" }.joined(separator: "; ")
            }.joined(separator: "\n"))
    }

    func ranking(_ app: Application, round id: String, format: String, console: any Console) async throws {
        guard let round = try await RoundModel.find(id, on: app.db)?.round() else {
            throw CommandError("--round: no round \(id)")
        }
        let ranking = try await RankingReport.ranking(round, db: app.db, rules: app.rules)
        switch format {
        case "csv": console.print(RankingReport.csv(ranking), newLine: false)
        case "json": console.print(String(decoding: try JSONEncoder.api.encode(ranking), as: UTF8.self))
        default:
            console.print(
                ranking.tracks.sorted { $0.key < $1.key }.map { track, rows in
                    "track \(track):\n"
                        + rows.map { "  \($0.rank)\($0.tied ? "=" : "")\t\($0.cluster)\t\($0.total)\t\($0.decidedBy)" }
                        .joined(separator: "\n")
                }.joined(separator: "\n"))
        }
    }

    static func describe(_ errors: FieldErrors) -> String {
        let options = [
            "format": "round-format", "quota_per_province": "quota", "close_stage": "close-stage",
            "stage": "close-stage",
        ]
        return errors.fields.sorted { $0.key < $1.key }
            .map { "--\(options[$0.key] ?? $0.key.replacingOccurrences(of: "_", with: "-")): \($0.value)" }.joined(
                separator: "\n")
    }
}
