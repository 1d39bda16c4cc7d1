import ClusterDomain
import Fluent
import Foundation

/// A row of `cooperation_activities`: one entry of the cooperation ledger.
final class CooperationActivityModel: Model, @unchecked Sendable {
    static let schema = "cooperation_activities"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "kind") var kind: String
    @Field(key: "title_zh") var titleZh: String
    @Field(key: "title_en") var titleEn: String
    @Field(key: "started_on") var startedOn: String
    @Field(key: "date_precision") var datePrecision: String
    @OptionalField(key: "ended_on") var endedOn: String?
    @Field(key: "cluster_ids") var clusterIDs: [String]
    @Field(key: "organisations") var organisations: [String]
    @Field(key: "outcomes") var outcomes: String
    @Field(key: "source") var source: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    convenience init(_ a: CooperationActivity) {
        self.init()
        id = a.id
        kind = a.kind.rawValue
        titleZh = a.titleZh
        titleEn = a.titleEn
        startedOn = a.startedOn.iso
        datePrecision = a.startedOn.precision.rawValue
        endedOn = a.endedOn?.iso
        clusterIDs = a.clusterIDs
        organisations = a.organisations
        outcomes = a.outcomes
        source = a.source
    }

    func activity() throws -> CooperationActivity {
        guard let id else { throw StoredValueError(table: Self.schema, id: nil, column: "id", value: "") }
        guard let kind = ActivityKind(rawValue: kind) else {
            throw StoredValueError(table: Self.schema, id: id, column: "kind", value: kind)
        }
        guard let day = Day(startedOn) else {
            throw StoredValueError(table: Self.schema, id: id, column: "started_on", value: startedOn)
        }
        guard let precision = Day.Precision(rawValue: datePrecision),
            let start = Day(year: day.year, month: day.month, day: day.day, precision: precision)
        else { throw StoredValueError(table: Self.schema, id: id, column: "date_precision", value: datePrecision) }
        return CooperationActivity(
            id: id, kind: kind, titleZh: titleZh, titleEn: titleEn, startedOn: start,
            endedOn: endedOn.flatMap { Day($0) }, clusterIDs: clusterIDs, organisations: organisations,
            outcomes: outcomes, source: source)
    }
}

/// An activity's measurable outputs and documents, as JSON (`ActivityOutput`, `ActivityDocument`).
final class CooperationDetailModel: Model, @unchecked Sendable {
    static let schema = "cooperation_details"

    @ID(custom: "activity_id", generatedBy: .user) var id: String?
    @Field(key: "outputs") var outputs: String
    @Field(key: "documents") var documents: String

    init() {}

    init(activityID: String, outputs: [ActivityOutput], documents: [ActivityDocument]) throws {
        id = activityID
        try set(outputs: outputs, documents: documents)
    }

    func set(outputs: [ActivityOutput], documents: [ActivityDocument]) throws {
        self.outputs = try StoredJSON.encode(outputs, sortedKeys: true)
        self.documents = try StoredJSON.encode(documents, sortedKeys: true)
    }

    func decodedOutputs() throws -> [ActivityOutput] {
        try StoredJSON.decode([ActivityOutput].self, from: outputs, table: Self.schema, id: id, column: "outputs")
    }

    func decodedDocuments() throws -> [ActivityDocument] {
        try StoredJSON.decode([ActivityDocument].self, from: documents, table: Self.schema, id: id, column: "documents")
    }
}

/// The ledger as stored, with the value-chain links from the data files.
struct CooperationStore {
    let db: any Database
    let valueChains: [ValueChainLink]

    func ledger() async throws -> CooperationLedger {
        let details = Dictionary(
            uniqueKeysWithValues: try await CooperationDetailModel.query(on: db).all()
                .compactMap { d in d.id.map { ($0, d) } })
        let activities = try await CooperationActivityModel.query(on: db).sort(\.$id).all().map {
            row -> CooperationActivity in
            var activity = try row.activity()
            if let detail = details[activity.id] {
                activity.outputs = try detail.decodedOutputs()
                activity.documents = try detail.decodedDocuments()
            }
            return activity
        }
        return CooperationLedger(activities: activities, valueChains: valueChains)
    }

    func seedMissing(_ shipped: [CooperationActivity]) async throws -> Int {
        let have = Set(try await CooperationActivityModel.query(on: db).all(\.$id))
        var added = 0
        for activity in shipped where !have.contains(activity.id) {
            try await CooperationActivityModel(activity).create(on: db)
            if !activity.outputs.isEmpty || !activity.documents.isEmpty {
                try await CooperationDetailModel(
                    activityID: activity.id, outputs: activity.outputs, documents: activity.documents
                ).create(on: db)
            }
            added += 1
        }
        return added
    }
}
