import Vapor

/// `ladder audit verify`: walks the audit trail's hash chain and names the first entry that does not
/// match (changed, or something before it removed or inserted); exits with an error when one is found.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }

    var help: String {
        "verify: checks every audit entry's hash against its content and the entry before it, and names the first that does not match."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            throw CommandError("unknown action '\(signature.action)'; allowed: verify")
        }
        let app = context.application
        try await app.migrate()
        let report = try await AuditChain.verify(on: app.db)
        if let bad = report.firstMismatch {
            throw CommandError(
                "audit entry \(bad) does not match its hash: it, or the entry before it, was changed, removed or "
                    + "inserted outside the application (\(report.checked - 1) entries before it are intact)")
        }
        context.console.print("audit trail intact: \(report.checked) entries, each chained to the one before")
    }
}
