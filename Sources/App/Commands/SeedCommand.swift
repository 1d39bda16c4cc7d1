import ClusterDomain
import Vapor

/// `ladder seed`: adds the shipped clusters and figures that the database does not hold yet.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String {
        "Adds the shipped national clusters and published figures whose ids are missing. Rows already in the database, edited or not, are left unchanged."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let added = try await app.store.seedMissing()
        context.console.print("added \(added.clusters) clusters, \(added.figures) published figures and \(added.announcements) announcements")
    }
}
