import Fluent
import Vapor

/// Every schema change, in the order it was made. Each is frozen history: it names its tables and
/// columns literally and never reads a model type or a data file, so the schema a database ends up
/// with does not depend on today's code (`MigrationSnapshotTests` compares it with a snapshot).
/// Reference data and the shipped catalogues are loaded by the seed step, not here.
enum LadderMigrations {
    static let all: [any Migration] = [
        CreateRegistry(),
        CreateRegistryState(),
        CreateAccounts(),
        SessionRecord.migration,
        CreateAnnouncements(),
        CreateTakeUps(),
        CreateCooperation(),
        CreateAnnouncementSources(),
        CreatePolicies(),
        CreateAttachments(),
        CreateCooperationDetails(),
        AddAnnouncementVersion(),
        CreateLadder(),
        CreateRounds(),
        CreateScoring(),
        CreateObjections(),
        CreateDossiers(),
        CreateWriteLock(),
        CreateIndicatorSets(),
        CreateMonitoring(),
        CreateIdCounters(),
        AddTakeUpVersion(),
        ChainAuditEntries(),
        CreateIdempotencyKeys(),
        AddSecondFactor(),
    ]
}
