import ClusterDomain
import Vapor

/// `ladder seed`: adds the shipped clusters and figures that the database does not hold yet.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(
            name: "examples",
            help:
                "also add the example data: example clusters, a finished and a running example round, example accounts")
        var examples: Bool
    }

    var help: String {
        "Adds the shipped national clusters and published figures whose ids are missing (with --examples, also example rounds, clusters and accounts). Rows already in the database, edited or not, are left unchanged."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrate()
        let added = try await app.store.seedMissing()
        context.console.print(
            "added \(added.clusters) clusters, \(added.figures) published figures and \(added.announcements) announcements"
        )
        guard signature.examples else { return }
        let examples = try await ExampleData(app: app, today: app.today()).load()
        context.console.print(
            "examples: added \(examples.clusters) example clusters, \(examples.rounds) example rounds "
                + "(EX\(app.today().year - 1) finished, EX\(app.today().year) in progress) and \(examples.returns) example returns "
                + "(/ratings?tier=provincial&examples=true); the statistics and the real ratings leave example clusters out"
        )
        if let password = examples.password {
            context.console.print("example accounts (password \(password), shown only now):")
            for a in ExampleData.accounts where examples.accounts.contains(a.email) {
                context.console.print("  \(a.email)\t\(a.grant.description)")
            }
        }
    }
}
