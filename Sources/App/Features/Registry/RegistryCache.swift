import ClusterDomain
import Fluent
import NIOConcurrencyHelpers
import SQLKit

/// A row of `registry_state`: the version of the registry's data. Every write to clusters, their
/// events or the published figures bumps it in the same transaction (`RegistryStore.bumpVersion`).
final class RegistryStateModel: Model, @unchecked Sendable {
    static let schema = "registry_state"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "version") var version: Int

    init() {}
}

/// The last registry snapshot this process loaded, with the data version it was loaded at.
/// Each request reads the version (one tiny query) and reuses the snapshot while it is current,
/// so several app instances stay consistent without talking to each other.
final class RegistryCache: Sendable {
    struct Snapshot: Sendable {
        let version: Int
        let registry: Registry
        let figures: [PublishedFigure]
    }

    private let box = NIOLockedValueBox<Snapshot?>(nil)

    func snapshot(at version: Int) -> Snapshot? {
        box.withLockedValue { $0?.version == version ? $0 : nil }
    }

    func store(_ snapshot: Snapshot) {
        box.withLockedValue { current in
            if (current?.version ?? Int.min) <= snapshot.version { current = snapshot }
        }
    }
}
