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

    /// The programme's assumed rules (`programme-rules.json`, or the file `RULES_FILE` names).
    var rules: ProgrammeRules {
        get { storage[RulesKey.self] ?? .assumed }
        set { storage[RulesKey.self] = newValue }
    }

    /// The ladder's state machine under the configured rules.
    var ladder: LadderMachine { LadderMachine(rules: rules.ladder) }

    /// Uploaded files (see `AttachmentStore`).
    var attachments: AttachmentStore {
        get { storage[AttachmentsKey.self] ?? AttachmentStore(directory: "data", maxBytes: 10 * 1024 * 1024) }
        set { storage[AttachmentsKey.self] = newValue }
    }

    /// Largest document intake accepts, in bytes.
    var intakeMaxBytes: Int {
        get { storage[IntakeLimitKey.self] ?? 1024 * 1024 }
        set { storage[IntakeLimitKey.self] = newValue }
    }

    /// The cooperation ledger, loaded once at configuration.
    var cooperation: CooperationLedger {
        get { storage[CooperationKey.self] ?? CooperationLedger(activities: [], valueChains: []) }
        set { storage[CooperationKey.self] = newValue }
    }

    /// The policy catalogue, loaded once at configuration.
    var policies: PolicyCatalogue {
        get { storage[PoliciesKey.self] ?? PolicyCatalogue(categories: [], departments: [], policies: []) }
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
        get {
            guard let value = storage[ReferenceKey.self] else {
                preconditionFailure("configure(_:) loads the reference data before anything reads it")
            }
            return value
        }
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
