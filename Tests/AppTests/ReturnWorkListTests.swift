import ClusterDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// `/returns` as a work list: filtered by province (by name), state and lateness, with counts per
/// state, a provincial user's own clusters first.
@Suite struct ReturnWorkListPageTests {
    @Test func aProvinceFiltersItsReturnsAndSeesItsOwnFirst() async throws {
        try await withLadder(.sqlite) { app in
            try await MonitoringAPITests.accepted(app, "NC011", 2025, MonitoringAPITests.values(4))
            try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            let jiangsu = try await signIn(app, "js@example.org")
            let all = try await getPage(app, "/returns?year=2025&lang=zh", jiangsu)
            #expect(all.status == 200)
            // Jiangsu's clusters come first: the first row is one of them, which it may open.
            let firstRow =
                all.body.components(separatedBy: "<tbody>").last?.components(separatedBy: "</tr>").first ?? ""
            let firstID = firstRow.components(separatedBy: "href=\"/clusters/").dropFirst().first?.prefix(5)
            let jiangsuIDs = try await app.store.registry().clusters.filter { $0.provinceCodes.contains("32") }.map(
                \.id)
            #expect(firstID.map { jiangsuIDs.contains(String($0)) } == true)
            #expect(all.body.contains("已采纳 1"))
            // By name: 江苏 is province 32; the counts follow the province.
            let own = try await getPage(app, "/returns?year=2025&province=" + WebRoute.encode("江苏"), jiangsu)
            #expect(own.status == 200)
            #expect(own.body.contains("NC011"))
            #expect(!own.body.contains("/clusters/NC001/returns"))
            #expect(own.body.contains("<option value=\"32\" selected=\"selected\">江苏省</option>"))
            let accepted = try await getPage(app, "/returns?year=2025&province=32&state=accepted", jiangsu)
            #expect(accepted.body.contains("显示 1 个集群"))
            #expect(accepted.body.contains("aria-current=\"true\""))
            let unknown = try await getPage(app, "/returns?year=2025&province=" + WebRoute.encode("火星"), jiangsu)
            #expect(unknown.status == 400)
            #expect(unknown.body.contains("省份"))
        }
    }
}
