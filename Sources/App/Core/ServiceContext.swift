import ClusterDomain
import Fluent
import Foundation

/// What a use case needs from outside, handed to every service explicitly: the database (or the
/// transaction it runs in), the clock, the programme rules, the reference data, the caller and the
/// audit origin. Services never see an HTTP request, so API handlers, form handlers, commands and
/// tests call the same methods (`Request.services`, `Application.commandLineServices`).
struct ServiceContext: Sendable {
    let db: any Database
    /// The moment the use case runs at (audit times, decision times).
    let now: Date
    /// Today in Beijing time: the default day of a step.
    let today: Day
    let rules: ProgrammeRules
    let reference: ReferenceData
    /// The shipped policy catalogue: its categories and departments (the policies themselves are stored).
    let shippedPolicies: PolicyCatalogue
    let registryCache: RegistryCache
    /// Where uploaded files are kept.
    let attachments: AttachmentStore
    let origin: AuditLog.Origin
    /// Who acts; nil for the command line.
    let caller: Caller?
    /// The language the caller reads answers in (messages that are not field errors).
    var language: Language = .zh

    var ladder: LadderMachine { LadderMachine(rules: rules.ladder) }
    var store: RegistryStore { RegistryStore(database: db, reference: reference, cache: registryCache) }

    /// The caller, for a use case that needs someone signed in.
    func requireCaller() throws -> Caller {
        guard let caller else { throw AuthError.signInRequired }
        return caller
    }

    /// The grant an admin-only use case runs under: the caller's admin grant, or "command line" for a
    /// command run on the server; otherwise the refusal is audited and the answer is a 403 with `refusal`.
    func adminGrant(
        action: String, entity: String, entityID: String?, scope: ClusterScope? = nil, refusal: Message
    ) async throws -> String {
        if caller == nil, origin.isCommandLine { return "command line" }
        return try await AuditLog.adminGrant(
            caller, on: db, origin: origin, action: action, entity: entity, entityID: entityID, scope: scope,
            refusal: refusal
        ).description
    }

    /// The same context on another database handle, such as the transaction a use case runs in.
    func on(_ db: any Database) -> ServiceContext {
        ServiceContext(
            db: db, now: now, today: today, rules: rules, reference: reference, shippedPolicies: shippedPolicies,
            registryCache: registryCache, attachments: attachments, origin: origin, caller: caller,
            language: language)
    }
}
