import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct MonitoringAPITests {
    /// Every indicator of the shipped set at level `k` (1…20): amounts and counts grow with k, shares are k %.
    static func values(_ k: Int) -> [String: Double] {
        let k = Double(k)
        return [
            "output": k * 1e10, "above_size_firms": k * 100, "profit": k * 1e9, "rd_intensity": k / 100,
            "national_carriers": k,
            "invention_patents": k * 1000, "champions": k, "little_giants": k * 10, "listed_firms": k,
            "local_supply": k / 100,
            "public_platforms": k, "export_share": k / 100, "cross_region_projects": k, "body_staff": k,
            "body_events": k,
        ]
    }

    static func json(_ values: [String: Double]) -> AnyCodable {
        .json(
            "{" + values.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}")
    }

    /// An accepted return, written directly (for the ratings).
    static func accepted(_ app: Application, _ cluster: String, _ year: Int, _ values: [String: Double]) async throws {
        let row = ReturnModel()
        row.id = ReturnModel.key(cluster: cluster, year: year)
        row.clusterID = cluster
        row.dataYear = year
        row.indicatorSetID = "cluster-competitiveness"
        row.indicatorSetVersion = 1
        try row.setValues(values)
        row.comment = ""
        row.state = ReturnState.accepted.rawValue
        row.version = 1
        row.submittedOn = "\(year + 1)-04-15"
        row.updatedBy = "test"
        row.updatedAt = Date()
        try await row.create(on: app.db)
    }

    @Test(arguments: TestDatabase.enabled)
    func aReturnGoesFromDraftToAcceptedWithChecksScopeAndLateness(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let body = try await bearer(app, "body@example.org", Grant(role: .promotionOrg, scope: "NC011"))
            let jiangsu = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            let guangdong = try await bearer(app, "gd@example.org", Grant(role: .provincial, scope: "44"))
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let path = "/api/v1/clusters/NC011/returns/2025"
            func put(_ headers: HTTPHeaders, _ b: [String: AnyCodable]) async throws -> (UInt, [String: Any]) {
                try await postJSON(app, path, headers, b, method: .PUT)
            }
            func act(_ headers: HTTPHeaders, _ b: [String: AnyCodable]) async throws -> (UInt, [String: Any]) {
                try await postJSON(app, path + "/actions", headers, b)
            }
            // Last year's return, for the year-on-year check (its state does not matter).
            #expect(
                try await postJSON(
                    app, "/api/v1/clusters/NC011/returns/2024", body, ["values": Self.json(Self.values(5))],
                    method: .PUT
                ).0 == 201)

            // A share above 1 is refused and named; nothing is stored.
            var bad = Self.values(5)
            bad["rd_intensity"] = 1.4
            let refused = try await put(body, ["values": Self.json(bad)])
            #expect(refused.0 == 422)
            #expect(
                (refused.1["fields"] as? [String: String])?["values.rd_intensity"]?.hasPrefix("a share between 0 and 1")
                    == true)
            #expect(try await ReturnModel.find("NC011|2025", on: app.db) == nil)

            // A partial draft is kept; submitting it names the missing values.
            let draft = try await put(body, ["values": Self.json(["output": 1e11, "body_staff": 5])])
            #expect(draft.0 == 201)
            #expect(draft.1["state"] as? String == "draft")
            #expect((draft.1["missing"] as? [String])?.count == 13)
            let early = try await act(body, ["action": "submit", "version": 1])
            #expect(early.0 == 422)
            #expect((early.1["fields"] as? [String: String])?["values.champions"] == "a value is needed to submit")

            // Output doubled and staff sixfold on last year: flagged, and a submission must explain them.
            var full = Self.values(5)
            full["output"] = 1e11
            full["body_staff"] = 30
            #expect(try await put(body, ["values": Self.json(full)]).0 == 422)  // no version
            let saved = try await put(body, ["values": Self.json(full), "version": 1])
            #expect(saved.0 == 200)
            #expect(saved.1["version"] as? Int == 2)
            #expect((saved.1["warnings"] as? [String: String])?.keys.sorted() == ["body_staff", "output"])
            #expect((saved.1["warnings_zh"] as? [String: String])?["output"]?.hasPrefix("较上年 +100%") == true)
            #expect(try await put(body, ["values": Self.json(full), "version": 1]).0 == 409)
            let unexplained = try await act(body, ["action": "submit", "version": 2])
            #expect(
                (unexplained.1["fields"] as? [String: String])?["comment"]
                    == "explain the flagged changes (body_staff, output)")
            let submitted = try await act(body, ["action": "submit", "version": 2, "comment": "两条新产线投产；促进机构扩编"])
            #expect(submitted.0 == 200)
            #expect(submitted.1["state"] as? String == "submitted")
            // Due 2026-04-30, submitted on the tests' today (2026-11-24): late.
            #expect(submitted.1["due_on"] as? String == "2026-04-30")
            #expect(submitted.1["submitted_on"] as? String == "2026-11-24")
            #expect(submitted.1["late"] as? Bool == true)

            // Before acceptance only the return's parties (and ministry reviewers) read its values.
            let reviewer = try await bearer(app, "reviewer@example.org", Grant(role: .ministryReviewer, scope: "规划司"))
            let expert = try await bearer(app, "expert@example.org", Grant(role: .expert, scope: nil))
            for (headers, status) in [(guangdong, 403), (expert, 403), (jiangsu, 200), (reviewer, 200), (body, 200)]
                as [(HTTPHeaders, UInt)]
            {
                try await app.testing().test(.GET, path, headers: headers) { res in #expect(res.status.code == status) }
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC011/returns/2024", headers: guangdong) { res in
                #expect(res.status == .forbidden)
                let reason = try res.json().string("reason")
                #expect(reason?.contains("until it is accepted") == true)
            }

            // Only a member province reviews; the filer does not accept.
            #expect(try await act(guangdong, ["action": "province_review", "version": 3]).0 == 403)
            #expect(try await act(body, ["action": "accept", "version": 3]).0 == 403)
            #expect(try await act(admin, ["action": "accept", "version": 3]).0 == 409)  // not reviewed yet
            // Jiangsu sends it back with a comment; the filer corrects it and submits again.
            #expect(try await act(jiangsu, ["action": "return", "version": 3]).0 == 422)
            let returned = try await act(jiangsu, ["action": "return", "version": 3, "comment": "请核对利润口径"])
            #expect(returned.1["state"] as? String == "returned")
            #expect(returned.1["review_comment"] as? String == "请核对利润口径")
            full["profit"] = 4.5e9
            let corrected = try await put(body, ["values": Self.json(full), "version": 4])
            #expect(corrected.1["state"] as? String == "returned")
            #expect(try await act(body, ["action": "submit", "version": 5]).1["state"] as? String == "submitted")
            #expect(
                try await act(jiangsu, ["action": "province_review", "version": 6, "comment": "已核"]).1["state"]
                    as? String == "province_reviewed")
            let accepted = try await act(admin, ["action": "accept", "version": 7])
            #expect(accepted.0 == 200)
            #expect(accepted.1["state"] as? String == "accepted")
            #expect((accepted.1["values"] as? [String: Double])?["profit"] == 4.5e9)
            // Lateness stays with the first submission.
            #expect(accepted.1["submitted_on"] as? String == "2026-11-24")
            #expect(try await act(admin, ["action": "accept", "version": 8]).0 == 409)
            #expect(try await put(body, ["values": Self.json(full), "version": 8]).0 == 409)

            // Accepted, it is readable by anyone signed in, but last year's unaccepted values stay with the parties.
            try await app.testing().test(.GET, path, headers: guangdong) { res in
                #expect(res.status == .ok)
                let dto = try res.json()
                #expect((dto["values"] as? [String: Double])?["profit"] == 4.5e9)
                #expect((dto["previous_values"] as? [String: Double])?.isEmpty == true)
            }
            try await app.testing().test(.GET, path, headers: jiangsu) { res in
                let previous = try res.json()["previous_values"] as? [String: Double]
                #expect(previous?["output"] == 5e10)
            }

            // The list needs a sign-in and says what is late.
            try await app.testing().test(.GET, "/api/v1/returns?year=2025") { res in
                #expect(res.status == .unauthorized)
            }
            try await app.testing().test(.GET, "/api/v1/returns?year=2025&state=accepted", headers: jiangsu) { res in
                #expect(res.status == .ok)
                let rows = try res.jsonArray()
                #expect(rows.count == 1)
                #expect(rows.first?["cluster"] as? String == "NC011")
                #expect(rows.first?["late"] as? Bool == true)
            }
            try await app.testing().test(.GET, "/api/v1/returns?state=lost", headers: jiangsu) { res in
                #expect(res.status == .badRequest)
            }
            // The values come with the list, JSON or CSV, only where the caller may read them: Guangdong gets
            // the accepted 2025 return's values but not the 2024 draft's.
            try await app.testing().test(.GET, "/api/v1/returns?cluster=NC011", headers: guangdong) { res in
                let rows = try res.jsonArray()
                #expect(rows.map { $0["year"] as? Int } == [2025, 2024])
                #expect((rows.first?["values"] as? [String: Double])?["profit"] == 4.5e9)
                #expect(rows.last?["values"] is NSNull || rows.last?["values"] == nil)
            }
            for (headers, draftOutput) in [(guangdong, ""), (jiangsu, "50000000000.0")] {
                try await app.testing().test(.GET, "/api/v1/returns?cluster=NC011&format=csv", headers: headers) {
                    res in
                    #expect(res.headers.contentType?.description.hasPrefix("text/csv") == true)
                    let lines = res.body.string.split(separator: "\r\n").map {
                        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    }
                    #expect(lines.count == 3)
                    let output = try #require(lines.first?.firstIndex(of: "output"))
                    #expect(lines.first?.prefix(4) == ["year", "cluster", "name_zh", "state"])
                    #expect(lines[1][0] == "2025" && lines[1][output] == "100000000000.0")
                    #expect(lines[2][0] == "2024" && lines[2][3] == "draft" && lines[2][output] == draftOutput)
                }
            }
            try await app.testing().test(.GET, "/api/v1/returns?format=xml", headers: jiangsu) { res in
                #expect(res.status == .badRequest)
            }
            // A year not yet over, and a cluster that was not monitored that year, have no return.
            try await app.testing().test(.GET, "/api/v1/clusters/NC011/returns/2026", headers: jiangsu) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/api/v1/clusters/NC078/returns/2020", headers: jiangsu) { res in
                #expect(res.status == .notFound)
            }

            // Every step and refusal is in the audit trail.
            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$entity == "monitoring_return").all()
                .map { "\($0.action):\($0.outcome)" }
            for a in [
                "return_save:done", "return_submit:done", "return_return:done", "return_province_review:done",
                "return_accept:done",
                "return_province_review:refused", "return_accept:refused", "return_save:refused",
            ] {
                #expect(actions.contains(a), "\(a)")
            }

            // Two first saves at once: one lands, the other is told to reload — never a server error.
            let city = try await bearer(app, "sz@example.org", Grant(role: .city, scope: "苏州"))
            async let a = postJSON(
                app, "/api/v1/clusters/NC011/returns/2023", body, ["values": Self.json(Self.values(3))], method: .PUT)
            async let b = postJSON(
                app, "/api/v1/clusters/NC011/returns/2023", city, ["values": Self.json(Self.values(4))], method: .PUT)
            let (first, second) = try await (a, b)
            #expect([first.0, second.0].filter { $0 == 201 }.count == 1, "\(first.0) \(second.0)")
            #expect([first.0, second.0].allSatisfy { [201, 409, 422].contains($0) }, "\(first.0) \(second.0)")
            #expect(try await ReturnModel.find("NC011|2023", on: app.db)?.version == 1)

            // Handed in before the due date: not late.
            app.clock = { WorkPagesTests.noon("2026-04-20") }
            let onTime = try await postJSON(
                app, "/api/v1/clusters/NC024/returns/2025", admin, ["values": Self.json(Self.values(3))], method: .PUT)
            #expect(onTime.1["late"] as? Bool == false)
            let handedIn = try await postJSON(
                app, "/api/v1/clusters/NC024/returns/2025/actions", admin, ["action": "submit", "version": 1])
            #expect(handedIn.1["late"] as? Bool == false)
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func ratingsProposalsAndDecisions(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            // Twenty national clusters at levels 1…20. NC001 is last in 2024 and 2025, NC002 second to last in 2025 only.
            let ids = (1...20).map { String(format: "NC%03d", $0) }
            for (i, id) in ids.enumerated() {
                try await Self.accepted(app, id, 2025, Self.values(i + 1))
                let k2024 = id == "NC001" ? 1 : id == "NC002" ? 20 : id == "NC020" ? 2 : i + 1
                try await Self.accepted(app, id, 2024, Self.values(k2024))
            }
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            let reviewer = try await bearer(app, "review@example.org", Grant(role: .ministryReviewer, scope: "miit"))
            let jiangsu = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))

            try await app.testing().test(.GET, "/api/v1/ratings?year=2025") { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json["rated"] as? Int == 20)
                #expect(json["clusters"] as? Int == 78)
                let rows = json["ratings"] as? [[String: Any]] ?? []
                #expect(rows.first?["cluster"] as? String == "NC020")
                #expect(rows.first?["score"] as? Double == 100)
                #expect(rows.last?["cluster"] as? String == "NC001")
                #expect(rows.last?["score"] as? Double == 0)
                #expect(rows.compactMap { $0["decile"] as? Int }.suffix(2) == [10, 10])
                // By hand, level 10: linear indicators (10 − 1) / 19 = 47.37, log ones log10(10) / log10(20) = 76.86;
                // scale (2 logs + 1 linear) 67.03 × 20% + innovation (1 log + 2 linear) × 25% + the rest 47.37 × 55% = 53.76.
                let ten = rows.first { $0["cluster"] as? String == "NC010" }
                #expect(ten?["score"] as? Double == 53.76)
                let scale = (ten?["contributions"] as? [[String: Any]])?.first { $0["dimension"] as? String == "scale" }
                #expect(scale?["score"] as? Double == 67.03)
            }
            try await app.testing().test(.GET, "/api/v1/ratings?year=2025&format=csv") { res in
                #expect(res.headers.contentType?.subType == "csv")
                #expect(res.body.string.split(whereSeparator: \.isNewline).count == 1 + 20 * 6)
            }
            try await app.testing().test(.GET, "/api/v1/ratings?year=2026") { res in #expect(res.status == .badRequest)
            }

            // Only an admin runs the rules; they propose an exit for NC001 and a warning for NC002.
            func propose(_ headers: HTTPHeaders) async throws -> (HTTPStatus, [[String: Any]]) {
                var out: (HTTPStatus, [[String: Any]]) = (.ok, [])
                try await app.testing().test(
                    .POST, "/api/v1/adjustments", headers: headers,
                    beforeRequest: { req in
                        try req.content.encode(["year": 2025], as: .json)
                    }
                ) { res in out = (res.status, res.status == .created ? try res.jsonArray() : []) }
                return out
            }
            #expect(try await propose(jiangsu).0 == .forbidden)
            // Two runs at once make the two proposals once.
            async let run1 = propose(admin)
            async let run2 = propose(admin)
            let (proposed, other) = try await (run1, run2)
            #expect(proposed.0 == .created && other.0 == .created)
            #expect(proposed.1.count + other.1.count == 2)
            var proposals: [[String: Any]] = []
            try await app.testing().test(.GET, "/api/v1/adjustments?year=2025", headers: admin) { res in
                proposals = try res.jsonArray()
            }
            #expect(
                proposals.map { "\($0["cluster"] as? String ?? "") \($0["event"] as? String ?? "")" } == [
                    "NC001 exit", "NC002 warn",
                ])
            // Running them again proposes nothing new.
            #expect(try await propose(admin).1.isEmpty)
            #expect(try await ProposalModel.query(on: app.db).count() == 2)
            let exitID = proposals[0]["id"] as? Int ?? 0
            let warnID = proposals[1]["id"] as? Int ?? 0

            // Accepting the warning applies it to the ladder and the history.
            #expect(
                try await postJSON(app, "/api/v1/adjustments/\(warnID)/decision", jiangsu, ["decision": "accept"]).0
                    == 403)
            let warned = try await postJSON(
                app, "/api/v1/adjustments/\(warnID)/decision", admin, ["decision": "accept"])
            #expect(warned.0 == 200)
            #expect(warned.1["decision"] as? String == "accepted")
            try await app.testing().test(.GET, "/api/v1/clusters/NC002/ladder") { res in
                let state = try res.json().string("state")
                #expect(state == "warned")
            }
            #expect(
                try await postJSON(app, "/api/v1/adjustments/\(warnID)/decision", admin, ["decision": "accept"]).0
                    == 409)
            // An exit needs the reviewer's sign-off first; without it the proposal stays pending.
            let unsigned = try await postJSON(
                app, "/api/v1/adjustments/\(exitID)/decision", admin, ["decision": "accept"])
            #expect(unsigned.0 == 422)
            #expect(try await ProposalModel.find(exitID, on: app.db)?.decision == "pending")
            #expect(
                try await postJSON(app, "/api/v1/adjustments/\(exitID)/decision", admin, ["decision": "reject"]).0
                    == 422)
            #expect(
                try await postJSON(
                    app, "/api/v1/clusters/NC001/ladder/sign-offs", reviewer, ["event": "exit", "comment": "同意"]
                ).0 == 201)
            let exited = try await postJSON(
                app, "/api/v1/adjustments/\(exitID)/decision", admin,
                ["decision": "accept", "note": "连续两年末位", "document_number": "工信部规函〔2026〕1号"])
            #expect(exited.0 == 200)
            try await app.testing().test(.GET, "/api/v1/stats") { res in
                let count = try res.json().int("clusters")
                #expect(count == 77)
            }
            // The profile lists the ladder steps with their evidence.
            try await app.testing().test(.GET, "/clusters/NC001?lang=en") { res in
                let html = res.body.string
                #expect(html.contains("Ladder steps"))
                #expect(html.contains("exit：national → exited"))
                #expect(html.contains("co-review, document number, competitiveness rating"))
                // The exit's own notice is in the tier history.
                #expect(html.contains("National · Exited — 工信部规函〔2026〕1号"))
            }
            let audit = try await AuditEntryModel.query(on: app.db).all().map { "\($0.action):\($0.outcome)" }
            for a in [
                "propose_adjustment:done", "decide_adjustment:done", "decide_adjustment:refused",
                "propose_adjustments:refused",
                "ladder_exit:done", "ladder_warn:done",
            ] {
                #expect(audit.contains(a), "\(a)")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func indicatorRulesOfPoliciesReadTheLatestAcceptedReturn(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let admin = try await bearer(app, "admin@example.org", Grant(role: .admin, scope: nil))
            var body = AccessMatrixTests.policyBody(
                level: "provincial", jurisdiction: "32", owner: "provincial_finance", version: nil)
            body["title_zh"] = "千亿级集群奖励"
            body["title_en"] = "Award for clusters above 100 bn yuan"
            body["rule"] = .json(
                #"{"all": [{"province": ["32"]}, {"indicator": {"name": "output", "at_least": 1e11}}]}"#)
            let created = try await postJSON(app, "/api/v1/policies", admin, body)
            #expect(created.0 == 201)
            let id = try #require(created.1["id"] as? String)
            func reached() async throws -> [String] {
                var ids: [String] = []
                try await app.testing().test(.GET, "/api/v1/policies/\(id)") { res in
                    ids = (try res.json().array("clusters") ?? []).compactMap { $0.string("cluster_id") }
                }
                return ids
            }
            // No return yet: no Jiangsu cluster qualifies, and the profile says why.
            #expect(try await reached().isEmpty)
            // NC011's 2025 return (output 1.2e11) counts once accepted; NC024's (5e10) does not reach the threshold;
            // a draft with a larger output does not count.
            var big = Self.values(5)
            big["output"] = 1.2e11
            try await Self.accepted(app, "NC011", 2025, big)
            try await Self.accepted(app, "NC024", 2025, Self.values(5))
            #expect(
                try await postJSON(
                    app, "/api/v1/clusters/NC002/returns/2025", admin, ["values": Self.json(["output": 9e11])],
                    method: .PUT
                ).0 == 201)
            #expect(try await reached() == ["NC011"])
            try await app.testing().test(.GET, "/api/v1/clusters/NC024/policies?format=csv") { res in
                #expect(res.body.string.contains("output is 500亿 (needs ≥ 1000亿)"))
            }
            // As of a day in 2025, the 2025 return is not yet the latest year's: nobody qualifies.
            try await app.testing().test(.GET, "/api/v1/policies/\(id)?as_of=2025-12-31") { res in
                let clusters = try res.json().array("clusters") ?? []
                #expect(clusters.isEmpty)
            }
        }
    }
}
