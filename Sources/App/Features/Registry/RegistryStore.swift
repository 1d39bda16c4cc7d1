import ClusterDomain
import Fluent
import Foundation
import SQLKit

/// Loads the registry and the published figures from the database, and writes seed data.
struct RegistryStore: Sendable {
    struct CorruptRow: Error, CustomStringConvertible {
        let table: String
        let id: String
        let reason: String
        var description: String { "\(table) \(id): \(reason)" }
    }

    let database: any Database
    let reference: ReferenceData
    /// Reused across requests while the data version is unchanged; nil loads every time.
    var cache: RegistryCache? = nil

    /// Every cluster with its history.
    func registry() async throws -> Registry {
        try await snapshot().registry
    }

    func figures() async throws -> [PublishedFigure] {
        try await snapshot().figures
    }

    /// The registry and figures at the current data version, from the cache when it is current.
    func snapshot() async throws -> RegistryCache.Snapshot {
        // Read the version before the data: a write in between makes the next request reload.
        let version = try await currentVersion(on: database)
        if let cached = cache?.snapshot(at: version) { return cached }
        let models = try await ClusterModel.query(on: database).with(\.$events).sort(\.$id).all()
        let figureModels = try await PublishedFigureModel.query(on: database).sort(\.$position).all()
        let snapshot = RegistryCache.Snapshot(
            version: version,
            registry: Registry(reference: reference, clusters: try models.map(cluster(from:))),
            figures: try figureModels.map(figure(from:)))
        cache?.store(snapshot)
        return snapshot
    }

    func currentVersion(on db: any Database) async throws -> Int {
        guard let row = try await RegistryStateModel.find(1, on: db) else {
            throw CorruptRow(table: "registry_state", id: "1", reason: "missing")
        }
        return row.version
    }

    /// Marks the registry's data as changed. Call it in the transaction of every write to
    /// clusters, cluster events or published figures.
    func bumpVersion(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else {
            throw CorruptRow(table: "registry_state", id: "1", reason: "the database does not speak SQL")
        }
        try await sql.update("registry_state")
            .set(
                SQLIdentifier("version"),
                to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1"))
            )
            .where(SQLIdentifier("id"), .equal, SQLBind(1))
            .run()
    }

    // MARK: - Seeding

    /// Loads the shipped national list and published figures into an empty database.
    /// Returns false, and writes nothing, when the database already holds clusters.
    @discardableResult
    func seedIfEmpty() async throws -> Bool {
        guard try await ClusterModel.query(on: database).count() == 0 else { return false }
        _ = try await seedMissing()
        return true
    }

    /// Inserts the shipped clusters and figures whose ids are not in the database yet.
    /// Rows already there, edited or not, are left as they are.
    func seedMissing() async throws -> (clusters: Int, figures: Int, announcements: Int) {
        let clusters = try DataFiles.nationalClusters(reference: reference)
        let figures = try DataFiles.publishedFigures()
        return try await database.writeTransaction { db in
            let haveClusters = Set(try await ClusterModel.query(on: db).all(\.$id))
            var addedClusters = 0
            for cluster in clusters where !haveClusters.contains(cluster.id) {
                try await insert(cluster, on: db)
                addedClusters += 1
            }
            let haveFigures = Set(try await PublishedFigureModel.query(on: db).all(\.$id))
            var addedFigures = 0
            for (position, figure) in figures.enumerated() where !haveFigures.contains(figure.id) {
                try await model(from: figure, position: position).create(on: db)
                addedFigures += 1
            }
            if addedClusters + addedFigures > 0 { try await bumpVersion(on: db) }
            let addedAnnouncements = try await AnnouncementStore(db: db).seedMissing(
                clusterIDs: Set(clusters.map(\.id)))
            let shippedLedger = try DataFiles.cooperation(reference: reference, clusters: clusters)
            _ = try await CooperationStore(db: db, valueChains: shippedLedger.valueChains).seedMissing(
                shippedLedger.activities)
            _ = try await PolicyStore(db: db, shipped: try DataFiles.policyCatalogue(reference: reference))
                .seedMissing()
            // Version 1 of the indicator set is the shipped one (cluster-domain.md §5, weights marked as
            // assumptions); later versions are an admin's.
            _ = try await IndicatorSets.seedIfNone(try DataFiles.indicatorSet(), on: db)
            return (addedClusters, addedFigures, addedAnnouncements)
        }
    }

    func insert(_ cluster: Cluster, on db: any Database) async throws {
        let model = ClusterModel()
        model.id = cluster.id
        model.nameZh = cluster.nameZh
        model.nameEn = cluster.nameEn
        model.domainCode = cluster.domainCode
        model.cityNames = cluster.cityNames
        model.provinceCodes = cluster.provinceCodes
        model.batchCode = cluster.batchCode
        model.confidence = cluster.confidence.rawValue
        model.sources = cluster.sources
        model.notes = cluster.notes
        model.promotionOrg = cluster.promotionOrg
        model.retiredOn = cluster.retiredOn?.iso
        model.version = 1
        try await model.create(on: db)
        for event in cluster.history {
            let row = ClusterEventModel()
            row.$cluster.id = cluster.id
            row.occurredOn = event.date.iso
            row.datePrecision = event.date.precision.rawValue
            row.tier = event.tier?.rawValue
            row.status = event.status.rawValue
            row.document = event.document
            row.note = event.note
            try await row.create(on: db)
        }
    }

    // MARK: - Mapping

    func cluster(from model: ClusterModel) throws -> Cluster {
        let id = model.id ?? "?"
        guard let confidence = Confidence(rawValue: model.confidence) else {
            throw CorruptRow(table: "clusters", id: id, reason: "confidence '\(model.confidence)'")
        }
        let history = try model.events.map { row in
            guard let day = Day(row.occurredOn),
                let precision = Day.Precision(rawValue: row.datePrecision),
                let date = Day(year: day.year, month: day.month, day: day.day, precision: precision)
            else {
                throw CorruptRow(table: "cluster_events", id: "\(row.id ?? 0)", reason: "date '\(row.occurredOn)'")
            }
            guard let status = Status(rawValue: row.status) else {
                throw CorruptRow(table: "cluster_events", id: "\(row.id ?? 0)", reason: "status '\(row.status)'")
            }
            let tier = try row.tier.map { text in
                guard let tier = Tier(rawValue: text) else {
                    throw CorruptRow(table: "cluster_events", id: "\(row.id ?? 0)", reason: "tier '\(text)'")
                }
                return tier
            }
            return TierEvent(date: date, tier: tier, status: status, document: row.document, note: row.note)
        }
        return Cluster(
            id: id, nameZh: model.nameZh, nameEn: model.nameEn, domainCode: model.domainCode,
            cityNames: model.cityNames, provinceCodes: model.provinceCodes, batchCode: model.batchCode,
            confidence: confidence, sources: model.sources, notes: model.notes, history: history,
            promotionOrg: model.promotionOrg, retiredOn: model.retiredOn.flatMap { Day($0) },
            version: model.version)
    }

    func figure(from model: PublishedFigureModel) throws -> PublishedFigure {
        let id = model.id ?? "?"
        guard let qualifier = PublishedFigure.Qualifier(rawValue: model.qualifier) else {
            throw CorruptRow(table: "published_figures", id: id, reason: "qualifier '\(model.qualifier)'")
        }
        guard let reference = Day(model.referenceDate), let published = Day(model.publishedOn) else {
            throw CorruptRow(table: "published_figures", id: id, reason: "date")
        }
        let source = FigureSource(
            id: model.sourceID, titleZh: model.sourceTitleZh, titleEn: model.sourceTitleEn,
            publisher: model.sourcePublisher, publishedOn: published, url: model.sourceURL,
            note: model.sourceNote)
        return PublishedFigure(
            id: id, metric: model.metric, labelZh: model.labelZh, labelEn: model.labelEn,
            value: model.value, display: model.display, qualifier: qualifier, unit: model.unit,
            scope: model.scope, dataYear: model.dataYear, referenceDate: reference,
            source: source, note: model.note)
    }

    func model(from figure: PublishedFigure, position: Int) -> PublishedFigureModel {
        let m = PublishedFigureModel()
        m.id = figure.id
        m.metric = figure.metric
        m.labelZh = figure.labelZh
        m.labelEn = figure.labelEn
        m.value = figure.value
        m.display = figure.display
        m.qualifier = figure.qualifier.rawValue
        m.unit = figure.unit
        m.scope = figure.scope
        m.dataYear = figure.dataYear
        m.referenceDate = figure.referenceDate.iso
        m.sourceID = figure.source.id
        m.sourceTitleZh = figure.source.titleZh
        m.sourceTitleEn = figure.source.titleEn
        m.sourcePublisher = figure.source.publisher
        m.publishedOn = figure.source.publishedOn.iso
        m.sourceURL = figure.source.url
        m.sourceNote = figure.source.note
        m.note = figure.note
        m.position = position
        return m
    }
}
