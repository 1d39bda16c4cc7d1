import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The server chooses sequential ids, so a create never conflicts with another: fifty creates of
/// each kind fired at once all succeed, each with an id of its own.
@Suite struct IdAllocationTests {
    static let concurrent = 50

    /// What one create sends, by kind: the path, the body for the n-th request, and where the id is.
    static func creates() -> [(kind: String, path: String, body: @Sendable (Int) -> [String: AnyCodable])] {
        [
            (
                "cluster", "/api/v1/clusters",
                { n in
                    [
                        "name_zh": AnyCodable(stringLiteral: "苏州市并发测试集群\(n)"),
                        "name_en": AnyCodable(stringLiteral: "Suzhou concurrency cluster \(n)"),
                        "domain": "new_materials", "cities": ["苏州"],
                    ]
                }
            ),
            (
                "policy", "/api/v1/policies",
                { _ in
                    AccessMatrixTests.policyBody(
                        level: "provincial", jurisdiction: "32", owner: "provincial_finance", version: nil)
                }
            ),
            (
                "activity", "/api/v1/cooperation",
                { n in
                    [
                        "kind": "exchange_visit", "title_zh": AnyCodable(stringLiteral: "苏常交流\(n)"),
                        "title_en": AnyCodable(stringLiteral: "Suzhou–Changzhou visit \(n)"),
                        "started_on": "2026-05-01", "clusters": AnyCodable(["NC011", "NC024"]),
                    ]
                }
            ),
            (
                "announcement", "/api/v1/announcements",
                { n in
                    [
                        "title_zh": AnyCodable(stringLiteral: "苏州纳米集群通知\(n)"),
                        "title_en": AnyCodable(stringLiteral: "Suzhou nano notice \(n)"), "body_zh": "通知。",
                        "source": "test", "published_on": "2026-05-01", "clusters": AnyCodable(["NC011"]),
                    ]
                }
            ),
            (
                "round", "/api/v1/rounds",
                { _ in
                    [
                        "year": AnyCodable(2027), "format": "group_overall",
                        "tracks": AnyCodable(["new_materials"]), "stages": .json(RoundAPITests.stagesJSON),
                    ]
                }
            ),
        ]
    }

    @Test(arguments: TestDatabase.enabled)
    func concurrentCreatesAllSucceedWithDistinctIds(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let headers = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            for create in Self.creates() {
                let answers = try await withThrowingTaskGroup(of: (UInt, String?).self) { group in
                    for n in 0..<Self.concurrent {
                        group.addTask {
                            let (status, json) = try await postJSON(app, create.path, headers, create.body(n))
                            return (status, json.string("id"))
                        }
                    }
                    return try await group.reduce(into: [(UInt, String?)]()) { $0.append($1) }
                }
                let failed = answers.filter { !(200..<300).contains($0.0) }.map(\.0)
                #expect(failed.isEmpty, "\(create.kind): \(failed.count) of \(Self.concurrent) failed: \(failed)")
                let ids = answers.compactMap(\.1)
                #expect(ids.count == Self.concurrent, "\(create.kind): \(ids.count) ids")
                #expect(Set(ids).count == ids.count, "\(create.kind): duplicate ids in \(ids.sorted())")
            }
            // The series go on from the ids stored before, without gaps.
            let clusters = try await ClusterModel.query(on: app.db).filter(\.$id >= "PC").filter(\.$id < "PD")
                .all(\.$id)
            #expect(clusters.sorted().first == "PC0001" && clusters.sorted().last == "PC0050")
            let rounds = try await RoundModel.query(on: app.db).filter(\.$year == 2027).all(\.$id)
            #expect(Set(rounds.compactMap { $0 }) == Set(["R2027"] + (2...50).map { "R2027-\($0)" }))
            let policies = try await PolicyModel.query(on: app.db).all(\.$id)
            let shipped = app.policies.policies.count
            #expect(policies.count == shipped + Self.concurrent)
            #expect(policies.max() == String(format: "POL%03d", shipped + Self.concurrent))
        }
    }

    @Test func seriesFormatAndReadTheirIds() {
        #expect(IdSeries.nationalCluster.id(79) == "NC079")
        #expect(IdSeries.provincialCluster.id(12) == "PC0012")
        #expect(IdSeries.policy.id(1234) == "POL1234")
        #expect(IdSeries.round(year: 2027).id(1) == "R2027")
        #expect(IdSeries.round(year: 2027).id(3) == "R2027-3")
        #expect(IdSeries.round(year: 2027).number(of: "R2027-3") == 3)
        #expect(IdSeries.round(year: 2027).number(of: "R2027") == 1)
        #expect(IdSeries.round(year: 2027).number(of: "R20271") == nil)
        #expect(IdSeries.activity.number(of: "COOP007") == 7)
        #expect(IdSeries.activity.number(of: "COOPX") == nil)
        #expect(IdSeries.nationalCluster.number(of: "EX01") == nil)
    }

    /// An id written by other means (an import with its own ids) is stepped over, never reused.
    @Test(arguments: TestDatabase.enabled)
    func anIdStoredByOtherMeansIsSteppedOver(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let first = try await app.db.writeTransaction { tx in try await IdAllocator.next(.announcement, on: tx) }
            let number = try #require(IdSeries.announcement.number(of: first))
            let imported = IdSeries.announcement.id(number + 1)
            try await AnnouncementModel(
                Announcement(
                    id: imported, titleZh: "导入的公告", titleEn: "Imported", bodyZh: "。", bodyEn: "", source: "test",
                    sourceURL: nil, publishedOn: Day(year: 2026, month: 5, day: 1)!, tags: [], clusterIDs: [])
            ).create(on: app.db)
            let next = try await app.db.writeTransaction { tx in try await IdAllocator.next(.announcement, on: tx) }
            #expect(next == IdSeries.announcement.id(number + 2))
        }
    }
}
