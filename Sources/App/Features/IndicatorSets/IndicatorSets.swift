import ClusterDomain
import Fluent
import Foundation
import Vapor

/// A row of `indicator_sets`: one version of an indicator set, kept whole as JSON. Rows are only
/// ever added; a round names the version it is scored with.
final class IndicatorSetModel: Model, @unchecked Sendable {
    static let schema = "indicator_sets"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "set_id") var setID: String
    @Field(key: "version") var version: Int
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: String?

    init() {}

    convenience init(_ set: IndicatorSet, at: Date, by: String?) throws {
        self.init()
        id = "\(set.id)@\(set.version)"
        setID = set.id
        version = set.version
        body = String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
        createdAt = at
        createdBy = by
    }

    func set() throws -> IndicatorSet {
        try StoredJSON.decode(IndicatorSet.self, from: body, table: Self.schema, id: id, column: "body")
    }
}

/// The stored indicator sets.
enum IndicatorSets {
    /// The day the shipped version 1 counts as made (so that every database records the same).
    static let shippedAt = Date(timeIntervalSince1970: 1_764_000_000)

    /// Stores the shipped set as version 1 when no version is stored yet (part of the seed step);
    /// true when it did.
    static func seedIfNone(_ shipped: IndicatorSet, on db: any Database) async throws -> Bool {
        guard try await IndicatorSetModel.query(on: db).count() == 0 else { return false }
        try await IndicatorSetModel(shipped, at: shippedAt, by: nil).create(on: db)
        return true
    }

    /// The newest version: what a round opened now is scored with and the returns are checked against.
    static func current(_ db: any Database) async throws -> IndicatorSet {
        guard let row = try await IndicatorSetModel.query(on: db).sort(\.$version, .descending).first() else {
            throw Abort(.internalServerError, reason: "no indicator set is stored")
        }
        return try row.set()
    }

    static func version(_ id: String, _ version: Int, on db: any Database) async throws -> IndicatorSet? {
        try await IndicatorSetModel.find("\(id)@\(version)", on: db)?.set()
    }

    static func all(_ db: any Database) async throws -> [IndicatorSetModel] {
        try await IndicatorSetModel.query(on: db).sort(\.$version).all()
    }
}
