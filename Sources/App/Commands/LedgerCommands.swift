import ClusterDomain
import Foundation
import Vapor

/// `ladder cooperation`, `ladder announcements`, `ladder takeups [--totals]`: the ledgers as stored,
/// as a table or as the API's JSON. Changes go through the API or the pages, where roles are checked.
struct LedgerCommand: AsyncCommand {
    enum Ledger: String { case cooperation, announcements, takeups }

    struct Signature: CommandSignature {
        @Flag(name: "totals", help: "takeups: totals by category, department and province instead of the list")
        var totals: Bool

        @Option(name: "format", help: "table (default) or json")
        var format: String?
    }

    let ledger: Ledger

    var help: String {
        switch ledger {
        case .cooperation: "Lists the cooperation ledger: activities with their clusters, outputs and documents."
        case .announcements: "Lists the announcements, newest first, marking those made from a damaged document."
        case .takeups:
            "Lists support granted under policies, or (--totals) its totals by category, department and province."
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrate()
        let output = try CommandOutput(console: context.console, format: signature.format)
        guard !signature.totals || ledger == .takeups else { throw CommandError("--totals is for `ladder takeups`") }
        switch ledger {
        case .cooperation: try await cooperation(app, output)
        case .announcements: try await announcements(app, output)
        case .takeups where signature.totals: try await takeUpTotals(app, output)
        case .takeups: try await takeUps(app, output)
        }
    }

    func cooperation(_ app: Application, _ output: CommandOutput) async throws {
        let activities = try await CooperationStore(db: app.db, valueChains: app.cooperation.valueChains).ledger()
            .activities
        try output.emit(activities.map(CooperationController.ActivityDTO.init)) {
            activities.map { a in
                "\(a.id)\t\(a.kind.rawValue)\t\(a.startedOn)\t\(a.titleZh)\t\(a.clusterIDs.count) clusters"
                    + a.outputs.map { "\n    output: \($0.name) = \(IntakePages.number($0.value)) \($0.unit)" }
                    .joined()
                    + a.documents.map {
                        "\n    document: \($0.title)" + ($0.attachmentID.map { " (file /attachments/\($0))" } ?? "")
                    }.joined()
            }.joined(separator: "\n")
        }
    }

    func announcements(_ app: Application, _ output: CommandOutput) async throws {
        let items = try await AnnouncementStore(db: app.db).all()
        let sources = Set(try await AnnouncementSourceModel.query(on: app.db).all().compactMap(\.id))
        try output.emit(items.map { AnnouncementController.AnnouncementDTO($0) }) {
            items.map {
                "\($0.id)\t\($0.publishedOn)\t\($0.titleZh)" + (sources.contains($0.id) ? "\tfrom intake" : "")
            }
            .joined(separator: "\n")
        }
    }

    func takeUpTotals(_ app: Application, _ output: CommandOutput) async throws {
        let t = TakeUp.totals(
            try await TakeUpService.all(app.db),
            catalogue: try await PolicyStore(db: app.db, shipped: app.policies).catalogue(),
            registry: try await app.store.registry())
        func map(_ d: [String: TakeUp.Totals.Sum]) -> [String: TakeUpController.SumDTO] {
            d.mapValues { TakeUpController.SumDTO(count: $0.count, amount: $0.amount) }
        }
        try output.emit(
            TakeUpController.TotalsDTO(
                byCategory: map(t.byCategory), byDepartment: map(t.byDepartment), byProvince: map(t.byProvince))
        ) {
            [("category", t.byCategory), ("department", t.byDepartment), ("province", t.byProvince)].map {
                name, sums in
                "by \(name):\n"
                    + sums.sorted { $0.key < $1.key }.map {
                        "    \($0.key)\t\($0.value.count)\t\(IntakePages.number($0.value.amount)) yuan"
                    }
                    .joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }

    func takeUps(_ app: Application, _ output: CommandOutput) async throws {
        let all = try await TakeUpService.all(app.db)
        try output.emit(all.map(TakeUpController.TakeUpDTO.init)) {
            all.map {
                "\($0.id)\t\($0.policyID)\t\($0.clusterID)\t\($0.grantedOn)\t\($0.amount.map(IntakePages.number) ?? "—")\t\($0.status.rawValue)"
            }
            .joined(separator: "\n")
        }
    }
}
