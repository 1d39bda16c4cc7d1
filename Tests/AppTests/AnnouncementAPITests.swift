import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct AnnouncementAPITests {
    static let browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"

    @Test(arguments: TestDatabase.enabled)
    func pagesFeedAndReadCounts(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(.GET, "/api/v1/announcements?tag=%E5%90%8D%E5%8D%95") { res in
                let list = try res.jsonArray()
                #expect(list.compactMap { $0.string("id") } == ["AN003", "AN001"])
            }
            for _ in 0..<3 {
                try await app.testing().test(.GET, "/announcements/AN003", headers: ["User-Agent": Self.browser]) {
                    res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("href=\"/announcements/AN001\""))  // related by tag
                }
            }
            try await app.testing().test(.GET, "/announcements/AN001", headers: ["User-Agent": "Googlebot/2.1"]) {
                res in
                #expect(res.status == .ok)
            }
            // One counter row per announcement and day; the bot's read was not counted; nothing names a reader.
            let rows = try await AnnouncementViewModel.query(on: app.db).all()
            #expect(rows.count == 1)
            #expect(rows.first?.announcementID == "AN003" && rows.first?.views == 3)
            try await app.testing().test(.GET, "/announcements?lang=en") { res in
                let html = res.body.string
                #expect(html.contains("Most read in the last 30 days"))
                #expect(html.contains("The 2024 national cluster list brings the total to 80</a> (3)"))
            }
            try await app.testing().test(.GET, "/announcements.atom") { res in
                #expect(res.headers.first(name: .contentType) == "application/atom+xml; charset=utf-8")
                #expect(res.body.string.components(separatedBy: "<entry>").count - 1 == 4)
            }
            try await app.testing().test(.GET, "/clusters/NC011") { res in
                #expect(res.body.string.contains("href=\"/announcements/AN004\""))
            }
            try await app.testing().test(.GET, "/announcements/AN999") { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/announcements?x=1") { res in #expect(res.status == .ok) }
        }
    }
}

@Suite struct AnnouncementWriteTests {
    @Test(arguments: TestDatabase.enabled)
    func authoritiesPublishAboutTheirOwnClusters(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let user = try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let token = try await makeToken(app, for: user, [Grant(role: .provincial, scope: "32")])
            let headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            func publish(_ clusters: [String], title: String = "苏州纳米集群年会") async throws -> UInt {
                var status: UInt = 0
                try await app.testing().test(
                    .POST, "/api/v1/announcements", headers: headers,
                    beforeRequest: { req in
                        try req.content.encode(
                            [
                                "title_zh": AnyCodable(title), "title_en": "Suzhou nano cluster meeting",
                                "body_zh": "年会在苏州召开。", "source": "江苏省工业和信息化厅",
                                "published_on": "2026-11-20", "tags": AnyCodable(["会议"]),
                                "clusters": AnyCodable(clusters),
                            ], as: .json)
                    }
                ) { res in status = res.status.code }
                return status
            }
            #expect(try await publish(["NC011"]) == 201)
            #expect(try await publish(["NC011", "NC001"]) == 403)  // Shenzhen is not Jiangsu's
            #expect(try await publish([]) == 403)  // only admins publish about no cluster
            #expect(try await publish(["NC011"], title: "") == 422)
            try await app.testing().test(.GET, "/clusters/NC011") { res in
                #expect(res.body.string.contains("苏州纳米集群年会"))
            }
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(\.$action == "publish_announcement").count() == 3)
        }
    }
}
