import ClusterDomain
import Fluent
import Foundation
import Vapor

struct CreateIndicatorSets: AsyncMigration {
    var name: String { "2026-11-26-create-indicator-sets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("indicator_sets")
            .field("id", .string, .identifier(auto: false))
            .field("set_id", .string, .required)
            .field("version", .int, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string)
            .unique(on: "set_id", "version")
            .create()
        // Version 1 is the shipped set (cluster-domain.md §5, weights marked as assumptions).
        try await IndicatorSetModel(
            try DataFiles.indicatorSet(), at: Date(timeIntervalSince1970: 1_764_000_000), by: nil
        ).create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("indicator_sets").delete()
    }
}
