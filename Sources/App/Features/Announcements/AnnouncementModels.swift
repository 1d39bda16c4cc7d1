import ClusterDomain
import Fluent
import Foundation
import SQLKit

/// A row of `announcements`.
final class AnnouncementModel: Model, @unchecked Sendable {
    static let schema = "announcements"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "title_zh") var titleZh: String
    @Field(key: "title_en") var titleEn: String
    @Field(key: "body_zh") var bodyZh: String
    @Field(key: "body_en") var bodyEn: String
    @Field(key: "source") var source: String
    @OptionalField(key: "source_url") var sourceURL: String?
    @Field(key: "published_on") var publishedOn: String
    @Field(key: "date_precision") var datePrecision: String
    @Field(key: "tags") var tags: [String]
    @Field(key: "cluster_ids") var clusterIDs: [String]
    @Field(key: "version") var version: Int

    init() {}

    func announcement() throws -> Announcement {
        guard let id else { throw StoredValueError(table: Self.schema, id: nil, column: "id", value: "") }
        guard let day = Day(publishedOn) else {
            throw StoredValueError(table: Self.schema, id: id, column: "published_on", value: publishedOn)
        }
        guard let precision = Day.Precision(rawValue: datePrecision),
            let date = Day(year: day.year, month: day.month, day: day.day, precision: precision)
        else { throw StoredValueError(table: Self.schema, id: id, column: "date_precision", value: datePrecision) }
        return Announcement(
            id: id, titleZh: titleZh, titleEn: titleEn, bodyZh: bodyZh, bodyEn: bodyEn, source: source,
            sourceURL: sourceURL, publishedOn: date, tags: tags, clusterIDs: clusterIDs, version: version)
    }

    convenience init(_ a: Announcement) {
        self.init()
        id = a.id
        set(a)
        version = a.version
    }

    /// Takes every field of `a` but the id and the version.
    func set(_ a: Announcement) {
        titleZh = a.titleZh
        titleEn = a.titleEn
        bodyZh = a.bodyZh
        bodyEn = a.bodyEn
        source = a.source
        sourceURL = a.sourceURL
        publishedOn = a.publishedOn.iso
        datePrecision = a.publishedOn.precision.rawValue
        tags = a.tags
        clusterIDs = a.clusterIDs
    }
}

/// Reads per announcement per day: a counter, with nothing about who read.
final class AnnouncementViewModel: Model, @unchecked Sendable {
    static let schema = "announcement_views"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "announcement_id") var announcementID: String
    @Field(key: "day") var day: String
    @Field(key: "views") var views: Int

    init() {}
}

/// Announcements and their read counts.
struct AnnouncementStore {
    let db: any Database

    func all() async throws -> [Announcement] {
        try await AnnouncementModel.query(on: db).all().map { try $0.announcement() }
            .sorted { $0.publishedOn != $1.publishedOn ? $0.publishedOn > $1.publishedOn : $0.id < $1.id }
    }

    func seedMissing(clusterIDs: Set<String>) async throws -> Int {
        let shipped = try DataFiles.announcements(clusterIDs: clusterIDs)
        let have = Set(try await AnnouncementModel.query(on: db).all(\.$id))
        var added = 0
        for item in shipped where !have.contains(item.id) {
            try await AnnouncementModel(item).create(on: db)
            added += 1
        }
        return added
    }

    /// Adds one read for the day: an increment of a counter, created on the first read of the day.
    func countView(of id: String, on day: Day) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for _ in 0..<2 {
            let updated = try await sql.update("announcement_views")
                .set(
                    SQLIdentifier("views"),
                    to: SQLBinaryExpression(SQLIdentifier("views"), .add, SQLLiteral.numeric("1"))
                )
                .where(SQLIdentifier("announcement_id"), .equal, SQLBind(id))
                .where(SQLIdentifier("day"), .equal, SQLBind(day.iso))
                .returning(SQLIdentifier("id")).all()
            if !updated.isEmpty { return }
            let row = AnnouncementViewModel()
            row.announcementID = id
            row.day = day.iso
            row.views = 1
            do {
                try await row.create(on: db)
                return
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue  // another request created today's counter first; increment it
            }
        }
    }

    func counts(since: Day) async throws -> [(id: String, day: Day, views: Int)] {
        try await AnnouncementViewModel.query(on: db).filter(\.$day >= since.iso).all()
            .compactMap { row in Day(row.day).map { (id: row.announcementID, day: $0, views: row.views) } }
    }
}

/// The damaged original behind an announcement made from a document through intake, and its repair.
final class AnnouncementSourceModel: Model, @unchecked Sendable {
    static let schema = "announcement_sources"

    @ID(custom: "announcement_id", generatedBy: .user) var id: String?
    @Field(key: "original_text") var originalText: String
    @Field(key: "repaired_text") var repairedText: String
    @OptionalField(key: "encoding") var encoding: String?
    @Field(key: "repairs") var repairs: Int

    init() {}

    init(announcementID: String, originalText: String, repairedText: String, encoding: String?, repairs: Int) {
        id = announcementID
        self.originalText = originalText
        self.repairedText = repairedText
        self.encoding = encoding
        self.repairs = repairs
    }
}
