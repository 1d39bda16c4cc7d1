import ClusterDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The directory's search with the intake's real pinyin table: the examples people try.
@Suite struct DirectorySearchTests {
    static func found(_ app: Application, _ q: String) async throws -> (String, Bool) {
        var out = ("", false)
        try await app.testing().test(.GET, "/clusters?per_page=100&q=" + WebRoute.encode(q)) { res in
            #expect(res.status == .ok)
            out = (res.body.string, res.status == .ok)
        }
        return out
    }

    @Test func theSearchesPeopleTry() async throws {
        try await withLadder(.sqlite) { app in
            let (wxwlw, _) = try await Self.found(app, "wxwlw")
            #expect(wxwlw.contains("href=\"/clusters/NC002\""))
            #expect(wxwlw.contains("共 1 个集群符合条件"))
            let (full, _) = try await Self.found(app, "wuxi wulianwang")
            #expect(full.contains("href=\"/clusters/NC002\""))
            let (shenzhen, _) = try await Self.found(app, "深圳")
            #expect(shenzhen.contains("href=\"/clusters/NC060\""))
            let (suzhouNano, _) = try await Self.found(app, "苏州 纳米")
            #expect(suzhouNano.contains("href=\"/clusters/NC011\""))
            #expect(suzhouNano.contains("共 1 个集群符合条件"))
            let (slip, _) = try await Self.found(app, "深川")
            #expect(slip.contains("没有找到“深川”，以下是“深圳”的结果。"))
            #expect(slip.contains("href=\"/clusters/NC001\""))
            // The API finds by pinyin too, and never corrects what was asked.
            try await app.testing().test(.GET, "/api/v1/clusters?q=wxwlw") { res in
                let total = try res.json().int("total")
                #expect(total == 1)
            }
            try await app.testing().test(.GET, "/api/v1/clusters?q=" + WebRoute.encode("深川")) { res in
                let total = try res.json().int("total")
                #expect(total == 0)
            }
        }
    }
}
