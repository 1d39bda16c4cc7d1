import ClusterDomain
import Fluent
import Foundation
import Vapor

/// `ladder policies list|match|import`: the catalogue as stored, matching, and loading policies
/// from a JSON file (the format of `policies.json`) as the operator, audited as `cli`.
struct PoliciesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "list, match or import")
        var action: String

        @Option(name: "as-of", help: "the day to evaluate for, YYYY-MM-DD (default: today)")
        var asOf: String?

        @Option(name: "cluster", help: "match: the cluster id whose policies to list")
        var cluster: String?

        @Option(name: "policy", help: "match: the policy id whose clusters to list")
        var policy: String?

        @Option(name: "file", help: "import: a JSON array of policies in the format of policies.json")
        var file: String?

        @Option(name: "format", help: "table (default) or json")
        var format: String?
    }

    var help: String {
        "Lists the policy catalogue, shows matching (--cluster ID: the policies it qualifies for and why; --policy ID: the clusters it reaches), or imports policies from a JSON file (new ids only; each is validated and audited; the file is imported whole or not at all)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrate()
        let output = try CommandOutput(console: context.console, format: signature.format)
        let asOf: Day
        do { asOf = try ClusterQuery.parseAsOf(signature.asOf, today: app.today()) } catch {
            throw CommandError("--as-of: '\(signature.asOf ?? "")' is not a date in the form YYYY-MM-DD")
        }
        switch signature.action {
        case "list": try await list(app, asOf: asOf, output)
        case "match": try await match(app, signature, asOf: asOf, output)
        case "import": try await importFile(app, signature.file, console: context.console)
        default:
            throw CommandError("unknown action '\(signature.action)'; allowed: list, match, import")
        }
    }

    /// Every policy with the number of clusters it reaches on `asOf`.
    func list(_ app: Application, asOf: Day, _ output: CommandOutput) async throws {
        let catalogue = try await PolicyStore(db: app.db, shipped: app.policies).catalogue()
        let registry = try await app.store.registry()
        let values = try await ReturnStore.acceptedValues(asOf: asOf, on: app.db)
        let rows = catalogue.policies.map { PolicyController.PolicyDTO($0, catalogue: catalogue, asOf: asOf) }
        try output.emit(rows) {
            catalogue.policies.map { p in
                "\(p.id)\t\(p.categoryCode)\t\(p.level.rawValue)\(p.jurisdiction.map { ":" + $0 } ?? "")\t\(p.documentNumber ?? "—")\t\(p.titleZh)"
                    + "\treaches \(registry.clusters(reachedBy: p, on: asOf, indicators: values).count)"
                    + (p.inForce(on: asOf) ? "" : "\tnot in force")
            }.joined(separator: "\n")
        }
    }

    /// The policies a cluster qualifies for and why (`--cluster`), or the clusters a policy reaches (`--policy`).
    func match(_ app: Application, _ signature: Signature, asOf: Day, _ output: CommandOutput) async throws {
        let catalogue = try await PolicyStore(db: app.db, shipped: app.policies).catalogue()
        let registry = try await app.store.registry()
        let values = try await ReturnStore.acceptedValues(asOf: asOf, on: app.db)
        if let id = signature.cluster {
            guard let cluster = registry.clusters.first(where: { $0.id == id }) else {
                throw CommandError("--cluster: no cluster \(id)")
            }
            let results = catalogue.evaluations(
                for: cluster, registry: registry, on: asOf, indicators: values[cluster.id] ?? [:])
            try output.emit(
                results.map { p, e in
                    var m = PolicyController.MatchDTO(e)
                    m.policy = PolicyController.PolicyDTO(p, catalogue: catalogue, asOf: asOf)
                    return m
                }
            ) {
                results.map { p, e in
                    "\(e.qualifies ? "qualifies" : "does not qualify")\t\(p.id) \(p.titleZh)\n"
                        + e.reasons.map { "    \($0.met ? "✓" : "✗") \($0.zh) / \($0.en)" }.joined(separator: "\n")
                }.joined(separator: "\n")
            }
        } else if let id = signature.policy {
            guard let policy = catalogue.policy(id: id) else { throw CommandError("--policy: no policy \(id)") }
            let reached = registry.clusters(reachedBy: policy, on: asOf, indicators: values)
            try output.emit(
                reached.map { c, e in
                    var m = PolicyController.MatchDTO(e)
                    m.clusterId = c.id
                    m.clusterNameZh = c.nameZh
                    m.clusterNameEn = c.nameEn
                    return m
                }
            ) {
                "\(policy.id) reaches \(reached.count) clusters as of \(asOf.iso)\n"
                    + reached.map { c, _ in "\(c.id)\t\(c.nameZh)" }.joined(separator: "\n")
            }
        } else {
            throw CommandError("match needs --cluster ID or --policy ID")
        }
    }

    /// Imports a JSON file of policies whole, or lists why not.
    func importFile(_ app: Application, _ path: String?, console: any Console) async throws {
        guard let path else { throw CommandError("import needs --file FILE.json") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("--file: cannot read \(path)")
        }
        let items: [PolicyWriteController.ImportItem]
        do { items = try JSONDecoder().decode([PolicyWriteController.ImportItem].self, from: data) } catch {
            throw CommandError("--file: not a JSON array of policies (\(error))")
        }
        let added: Int
        do {
            added = try await Self.importAll(
                items, db: app.db, origin: AuditLog.Origin(commandLine: app), shipped: app.policies,
                reference: app.reference)
        } catch let refused as ImportRefused {
            for line in refused.problems { console.print(line) }
            throw CommandError("nothing imported: \(refused.problems.count) of \(items.count) items have problems")
        }
        console.print("imported \(added) of \(items.count) policies")
    }

    /// Why a file was not imported: one line per item with problems.
    struct ImportRefused: Error {
        let problems: [String]
    }

    /// Imports a file of policies in one transaction: every item is checked, and the file is imported
    /// whole (each policy audited) or not at all.
    static func importAll(
        _ items: [PolicyWriteController.ImportItem], db: any Database, origin: AuditLog.Origin,
        shipped: PolicyCatalogue, reference: ReferenceData
    ) async throws -> Int {
        try await db.writeTransaction { tx in
            let editor = PolicyEditor(db: tx, origin: origin, shipped: shipped, reference: reference)
            var problems: [String] = []
            for (index, item) in items.enumerated() {
                do {
                    _ = try await editor.createInThisTransaction(item.input.draft, id: item.id)
                } catch let errors as FieldErrors {
                    problems.append("item \(index + 1) (\(item.id ?? "new id")): \(errors.description)")
                }
            }
            guard problems.isEmpty else { throw ImportRefused(problems: problems) }
            return items.count
        }
    }
}
