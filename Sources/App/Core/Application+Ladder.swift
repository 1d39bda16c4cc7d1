import ClusterDomain
import Fluent
import Vapor

extension Application {
    private struct ReferenceKey: StorageKey { typealias Value = ReferenceData }
    private struct ClockKey: StorageKey { typealias Value = @Sendable () -> Date }
    private struct CacheKey: StorageKey { typealias Value = RegistryCache }
    private struct PoliciesKey: StorageKey { typealias Value = PolicyCatalogue }
    private struct CooperationKey: StorageKey { typealias Value = CooperationLedger }
    private struct IntakeLimitKey: StorageKey { typealias Value = Int }
    private struct AttachmentsKey: StorageKey { typealias Value = AttachmentStore }
    private struct RulesKey: StorageKey { typealias Value = ProgrammeRules }

    /// A value `configure(_:)` stores from `AppConfig` and the data files before anything reads it. The
    /// defaults live in `AppConfig` alone, so a missing value is a programming error, not a fallback.
    func configured<Key: StorageKey>(_ key: Key.Type, _ name: String) -> Key.Value {
        guard let value = storage[key] else {
            preconditionFailure("configure(_:) sets app.\(name) before anything reads it")
        }
        return value
    }

    /// The programme's assumed rules (`programme-rules.json`, or the file `RULES_FILE` names).
    var rules: ProgrammeRules {
        get { configured(RulesKey.self, "rules") }
        set { storage[RulesKey.self] = newValue }
    }

    /// The ladder's state machine under the configured rules.
    var ladder: LadderMachine { LadderMachine(rules: rules.ladder) }

    /// Uploaded files (see `AttachmentStore`).
    var attachments: AttachmentStore {
        get { configured(AttachmentsKey.self, "attachments") }
        set { storage[AttachmentsKey.self] = newValue }
    }

    /// Largest document intake accepts, in bytes.
    var intakeMaxBytes: Int {
        get { configured(IntakeLimitKey.self, "intakeMaxBytes") }
        set { storage[IntakeLimitKey.self] = newValue }
    }

    /// The cooperation ledger, loaded once at configuration.
    var cooperation: CooperationLedger {
        get { configured(CooperationKey.self, "cooperation") }
        set { storage[CooperationKey.self] = newValue }
    }

    private struct NotesKey: StorageKey { typealias Value = ShippedNotes }

    /// The shipped clusters' notes in both languages.
    var shippedNotes: ShippedNotes {
        get { configured(NotesKey.self, "shippedNotes") }
        set { storage[NotesKey.self] = newValue }
    }

    /// The policy catalogue, loaded once at configuration.
    var policies: PolicyCatalogue {
        get { configured(PoliciesKey.self, "policies") }
        set { storage[PoliciesKey.self] = newValue }
    }

    /// The registry snapshot shared by this process's requests (see `RegistryCache`).
    var registryCache: RegistryCache {
        if let cache = storage[CacheKey.self] { return cache }
        let cache = RegistryCache()
        storage[CacheKey.self] = cache
        return cache
    }

    /// Provinces, cities, key regions, domains and batches, loaded once at configuration.
    var reference: ReferenceData {
        get { configured(ReferenceKey.self, "reference") }
        set { storage[ReferenceKey.self] = newValue }
    }

    /// The source of "now"; tests replace it.
    var clock: @Sendable () -> Date {
        get { storage[ClockKey.self] ?? { Date() } }
        set { storage[ClockKey.self] = newValue }
    }

    /// Today in Beijing time: the default "as of" day.
    func today() -> Day { Day(clock()) }

    var store: RegistryStore { RegistryStore(database: db, reference: reference, cache: registryCache) }
}

extension Request {
    /// The cooperation ledger as stored now, with the value-chain links from the data files.
    func cooperationLedger() async throws -> CooperationLedger {
        try await CooperationStore(db: db, valueChains: application.cooperation.valueChains).ledger()
    }

    var store: RegistryStore {
        RegistryStore(database: db, reference: application.reference, cache: application.registryCache)
    }
}
