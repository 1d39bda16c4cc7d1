import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct MonitoringPagesTests {
    /// The form fields of a full return at level `k`.
    static func form(_ k: Int) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: MonitoringAPITests.values(k).map {
                ("value_" + $0.key, String(format: "%g", $0.value))
            })
    }

    @Test(arguments: TestDatabase.enabled)
    func aReturnThroughTheWebPagesThenARatingAndADecision(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await makeUser(app, "body@example.org", [Grant(role: .promotionOrg, scope: "NC011")])
            try await makeUser(app, "js@example.org", [Grant(role: .provincial, scope: "32")])
            try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            let body = try await signIn(app, "body@example.org")
            let province = try await signIn(app, "js@example.org")
            let admin = try await signIn(app, "admin@example.org")
            let path = "/clusters/NC011/returns/2025"
            func version() async throws -> String {
                String(try await ReturnModel.find("NC011|2025", on: app.db)?.version ?? 0)
            }

            // The promotion body sees last year's return to file, due 30 April.
            let inbox = try await getPage(app, "/work", body).body
            #expect(inbox.contains("href=\"\(path)\""))
            #expect(inbox.contains("2026-04-30"))
            let empty = try await getPage(app, path, body)
            #expect(empty.status == 200)
            #expect(empty.body.contains("name=\"value_output\""))
            #expect(empty.body.contains("value=\"submit\""))

            // A bad number and a share above 1 are named; submitting with values missing keeps what was typed as a draft.
            var fields = ["version": "0", "value_output": "lots", "step": "save"]
            let notANumber = try await postForm(app, path, body, fields)
            #expect(notANumber.status == 422)
            #expect(notANumber.body.contains("id=\"error-value_output\""))
            fields = ["version": "0", "value_output": "1e11", "value_rd_intensity": "3", "step": "save"]
            let share = try await postForm(app, path, body, fields)
            #expect(share.status == 422)
            #expect(share.body.contains("应为 0 到 1 之间的小数（4.5% 填 0.045）"))
            // Every problem at once: a value that is not a number beside a share out of range.
            fields = ["version": "0", "value_output": "lots", "value_rd_intensity": "3", "step": "save"]
            let both = try await postForm(app, path, body, fields)
            #expect(both.status == 422)
            #expect(
                both.body.contains("id=\"error-value_output\"") && both.body.contains("id=\"error-value_rd_intensity\"")
            )
            let shareEn = try await postForm(app, path + "?lang=en", body, fields)
            #expect(shareEn.status == 422 && shareEn.body.contains("a share between 0 and 1 (4.5% is 0.045)"))
            #expect(try await ReturnModel.find("NC011|2025", on: app.db) == nil)
            fields = ["version": "0", "value_output": "1e11", "step": "submit"]
            let partial = try await postForm(app, path, body, fields)
            #expect(partial.status == 422)
            #expect(partial.body.contains("报送前须填写此项"))
            // It says the draft was saved (not "nothing was saved"), and the form now carries its version.
            #expect(partial.body.contains("已保存为草稿（第 1 版），尚未报送"))
            #expect(!partial.body.contains("未能保存"))
            #expect(partial.body.contains("name=\"version\" value=\"1\""))
            #expect(try await ReturnModel.find("NC011|2025", on: app.db)?.state == "draft")

            // The whole return, submitted from the form.
            var full = Self.form(5)
            full["version"] = try await version()
            full["step"] = "submit"
            #expect(try await postForm(app, path, body, full).status == 303)
            #expect(try await ReturnModel.find("NC011|2025", on: app.db)?.state == "submitted")
            #expect(!(try await getPage(app, "/work", body).body.contains("href=\"\(path)\"")))

            // The province reviews it from its inbox; sending back needs a comment.
            #expect(try await getPage(app, "/work", province).body.contains("href=\"\(path)\""))
            let review = try await getPage(app, path, province)
            #expect(review.body.contains("value=\"province_review\""))
            #expect(!review.body.contains("name=\"value_output\""))
            let noComment = try await postForm(app, path, province, ["version": try await version(), "step": "return"])
            #expect(noComment.status == 422)
            #expect(noComment.body.contains("请写明需要修改之处"))
            #expect(
                try await postForm(
                    app, path, province,
                    ["version": try await version(), "step": "province_review", "review_comment": "已核"]
                ).status == 303)
            // The promotion body cannot accept its own return.
            #expect(
                try await postForm(app, path, body, ["version": try await version(), "step": "accept"]).status == 403)
            // The admin accepts it.
            #expect(try await getPage(app, "/work", admin).body.contains("href=\"\(path)\""))
            #expect(
                try await postForm(app, path, admin, ["version": try await version(), "step": "accept"]).status == 303)
            let accepted = try await getPage(app, path, admin).body
            #expect(accepted.contains("已采纳"))
            #expect(accepted.contains("逾期"))  // submitted 2026-11-24, after 30 April
            // Accepted, the return enters Jiangsu's indicators over the years (and the nation's); Anhui has none.
            let jiangsu = try await getPage(app, "/provinces/32?lang=zh", admin).body
            #expect(jiangsu.contains("监测指标历年变化") && jiangsu.contains("2025 年（1 个集群）"))
            #expect(try await getPage(app, "/?lang=zh", admin).body.contains("2025 年（1 个集群）"))
            #expect(!(try await getPage(app, "/provinces/34?lang=zh", admin).body.contains("监测指标历年变化")))

            // Nineteen other clusters' accepted returns; NC011 (level 5) is then rated among twenty.
            for k in 1...20 where k != 5 {
                try await MonitoringAPITests.accepted(
                    app, String(format: "NC%03d", k == 11 ? 5 : k), 2025, MonitoringAPITests.values(k))
            }
            let ratings = try await getPage(app, "/ratings?year=2025&lang=en", admin)
            #expect(ratings.status == 200)
            #expect(ratings.body.contains("From the accepted returns (20 of 78 clusters)"))
            #expect(ratings.body.contains("href=\"/clusters/NC011\""))
            // The admin runs the rules: a warning for NC002 and an exit for NC001 (bottom decile in 2025, and in 2024 below).
            try await MonitoringAPITests.accepted(app, "NC001", 2024, MonitoringAPITests.values(1))
            for k in 2...10 {
                try await MonitoringAPITests.accepted(
                    app, String(format: "NC%03d", k + 10), 2024, MonitoringAPITests.values(k))
            }
            #expect(try await postForm(app, "/ratings/propose", admin, ["year": "2025"]).status == 303)
            // The exit needs co-review: the reviewer's inbox asks for the sign-off, the admin's for the decision.
            try await makeUser(app, "reviewer@example.org", [Grant(role: .ministryReviewer, scope: "miit")])
            let reviewer = try await signIn(app, "reviewer@example.org")
            let reviewerInbox = try await getPage(app, "/work", reviewer).body
            #expect(reviewerInbox.contains("href=\"/clusters/NC001/sign-off\""))
            #expect(!reviewerInbox.contains("href=\"/clusters/NC002/sign-off\""))  // a warning needs no co-review
            #expect(
                try await postForm(app, "/clusters/NC001/sign-off", reviewer, ["event": "exit", "comment": "同意"]).status
                    == 303)
            #expect(!(try await getPage(app, "/work", reviewer).body.contains("href=\"/clusters/NC001/sign-off\"")))
            // The admin rejects the proposed warning with a reason; nothing changes on the ladder.
            let proposal = try #require(
                try await ProposalModel.query(on: app.db).filter(\.$clusterID == "NC002").first())
            #expect(proposal.event == "warn")
            #expect(try await getPage(app, "/work", admin).body.contains("/ratings?year=2025"))
            let noReason = try await postForm(
                app, "/adjustments/\(proposal.id ?? 0)/decide", admin, ["decision": "reject"])
            #expect(noReason.status == 422)
            #expect(
                try await postForm(
                    app, "/adjustments/\(proposal.id ?? 0)/decide", admin,
                    ["decision": "reject", "note": "数据口径调整，暂不预警"]
                ).status == 303)
            #expect(try await ProposalModel.find(proposal.id, on: app.db)?.decision == "rejected")
            try await app.testing().test(.GET, "/api/v1/clusters/NC002/ladder") { res in
                let state = try res.json().string("state")
                #expect(state == "national")
            }
            // Only an admin enters a benchmark; the province's attempt is refused.
            #expect(
                try await postForm(
                    app, "/ratings/benchmarks", province, ["cluster": "NC011", "description": "x", "source": "y"]
                ).status == 403)
            #expect(
                try await postForm(
                    app, "/ratings/benchmarks", admin,
                    ["cluster": "NC011", "description": "全球纳米材料产值份额约 8%", "source": "行业报告"]
                ).status == 303)
            #expect(try await BenchmarkModel.query(on: app.db).count() == 1)
            // The list of returns shows the state and lateness.
            let list = try await getPage(app, "/returns?year=2025&lang=en", province).body
            #expect(list.contains("href=\"\(path)\""))
            #expect(list.contains("accepted"))
            // Another province sees every state but opens only accepted returns: NC011's 2024 return (not started) is
            // not linked, NC012's accepted one is.
            try await makeUser(app, "gd@example.org", [Grant(role: .provincial, scope: "44")])
            let other = try await signIn(app, "gd@example.org")
            #expect(try await getPage(app, "/returns?year=2025", other).body.contains("href=\"\(path)\""))
            let earlier = try await getPage(app, "/returns?year=2024", other).body
            #expect(earlier.contains("未填报") && !earlier.contains("href=\"/clusters/NC011/returns/2024\""))
            #expect(earlier.contains("href=\"/clusters/NC012/returns/2024\""))
            #expect(try await getPage(app, "/clusters/NC011/returns/2024", other).status == 403)
            #expect(try await getPage(app, "/clusters/NC011/returns/2024", province).status == 200)
            // The profile links only what the caller may open.
            let profile = try await getPage(app, "/clusters/NC011", other).body
            #expect(
                profile.contains("href=\"/clusters/NC011/returns/2025\"")
                    && !profile.contains("href=\"/clusters/NC011/returns/2024\""))
            #expect(
                try await getPage(app, "/clusters/NC011", province).body.contains(
                    "href=\"/clusters/NC011/returns/2024\""))
        }
    }
}
