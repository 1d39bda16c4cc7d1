import ClusterDomain
import Crypto
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct DossierAPITests {
    static let body: [String: AnyCodable] = [
        "promotion_body": "苏州市新材料产业集群促进中心", "plan": "三年培育方案：强链补链，建设中试平台。",
        "values": .json(#"{"output": 1.2e11, "above_size_firms": 420, "rd_intensity": 0.031}"#),
    ]

    @Test(arguments: TestDatabase.enabled)
    func theLeadCityFilesTheDossierWithVersionsAndChecks(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
            let path = "/api/v1/rounds/\(round)/dossiers/\(cluster)"
            let suzhou = try await bearer(app, "sz@example.org", Grant(role: .city, scope: "苏州"))
            let wuxi = try await bearer(app, "wx@example.org", Grant(role: .city, scope: "无锡"))
            let province = try await bearer(app, "js@example.org", Grant(role: .provincial, scope: "32"))
            // Before the first filing: empty, version 0; read by the entry's parties only.
            try await app.testing().test(.GET, path) { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, path, headers: province) { res in
                #expect(res.status == .ok)
                let version = try res.json().int("version")
                #expect(version == 0)
            }
            try await app.testing().test(.GET, path, headers: wuxi) { res in
                #expect(res.status == .forbidden)
                let reason = try res.json().string("reason")
                #expect(reason?.hasPrefix("a dossier is read only by") == true)
            }
            try await app.testing().test(.GET, "/api/v1/rounds/\(round)/dossiers/NC001", headers: province) { res in
                #expect(res.status == .notFound)
            }
            // Another city and the province may not file it; both refusals are audited.
            let before = try await auditCount(app)
            #expect(try await postJSON(app, path, wuxi, Self.body, method: .PUT).0 == 403)
            #expect(try await postJSON(app, path, province, Self.body, method: .PUT).0 == 403)
            #expect(try await auditCount(app) == before + 2)
            // Values are checked against the round's indicator set; the field is named.
            var bad = Self.body
            bad["values"] = .json(#"{"rd_intensity": 3.1}"#)
            let refused = try await postJSON(app, path, suzhou, bad, method: .PUT)
            #expect(refused.0 == 422)
            #expect((refused.1["fields"] as? [String: String])?["values.rd_intensity"] != nil)
            bad = Self.body
            bad["plan"] = ""
            #expect(
                (try await postJSON(app, path, suzhou, bad, method: .PUT).1["fields"] as? [String: String])?.keys
                    .sorted() == ["plan"])
            // Filed, then corrected with the version read; a stale version is a conflict.
            let filed = try await postJSON(app, path, suzhou, Self.body, method: .PUT)
            #expect(filed.0 == 201)
            #expect(filed.1["version"] as? Int == 1)
            #expect(filed.1["submitted_at"] == nil || filed.1["submitted_at"] is NSNull)
            #expect(
                (try await postJSON(app, path, suzhou, Self.body, method: .PUT).1["fields"] as? [String: String])?.keys
                    .sorted() == ["version"])
            var submit = Self.body
            submit["version"] = AnyCodable(1)
            submit["submit"] = .json("true")
            let submitted = try await postJSON(app, path, suzhou, submit, method: .PUT)
            #expect(submitted.0 == 200)
            #expect(submitted.1["version"] as? Int == 2)
            #expect(submitted.1["submitted_at"] is String)
            #expect(try await postJSON(app, path, suzhou, submit, method: .PUT).0 == 409)
            // Once the dossier stage has closed, nothing changes.
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == "sz@example.org").first())
            func token(at now: Date) async throws -> HTTPHeaders {
                app.clock = { now }
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(
                    token: try await makeToken(
                        app, for: user, [Grant(role: .city, scope: "苏州")],
                        expires: now.addingTimeInterval(3600)))
                return headers
            }
            submit["version"] = AnyCodable(2)
            // 2027-01-31, the last day of the stage.
            #expect(
                try await postJSON(
                    app, path, try await token(at: Date(timeIntervalSince1970: 1_801_368_000)), submit, method: .PUT
                ).0 == 200)
            submit["version"] = AnyCodable(3)
            // 2027-02-01: closed.
            let late = try await postJSON(
                app, path, try await token(at: Date(timeIntervalSince1970: 1_801_454_400)), submit, method: .PUT)
            #expect(late.0 == 422)
            #expect((late.1["fields"] as? [String: String])?["round"]?.contains("2027-01-31") == true)
            let row = try #require(
                try await DossierModel.find(DossierModel.key(round: round, cluster: cluster), on: app.db))
            #expect(row.version == 3)
            #expect(try row.dossier().values["above_size_firms"] == 420)
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func evidenceFilesAreKeptUnderTheirDigestWithinTheLimits(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
            let path = "/api/v1/rounds/\(round)/dossiers/\(cluster)/files"
            let org = try await bearer(app, "org@example.org", Grant(role: .promotionOrg, scope: cluster))
            let pdf = Array("%PDF-1.7\n培育方案\n%%EOF".utf8)
            let (headers, body) = multipart([], file: ("file", "../../方案.pdf", pdf))
            var h = headers
            h.add(contentsOf: org)
            var fileURL = ""
            try await app.testing().test(.POST, path, headers: h, body: body) { res in
                #expect(res.status == .created)
                let files = try res.json().array("files") ?? []
                #expect(files.count == 1)
                #expect(files.first?.string("filename") == "方案.pdf")
                #expect(
                    files.first?.string("sha256") == SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined())
                fileURL = files.first?.string("url") ?? ""
            }
            try await app.testing().test(.GET, fileURL, headers: org) { res in
                #expect(res.status == .ok)
                #expect(Array(res.body.readableBytesView) == pdf)
            }
            // The evidence is read as the dossier is: not anonymously, not by another cluster's body or an expert
            // not assigned to the entry; the assigned expert and a ministry reviewer read both.
            let expert = try await bearer(app, "expert@example.org", Grant(role: .expert, scope: nil))
            let reviewer = try await bearer(app, "rev@example.org", Grant(role: .ministryReviewer, scope: "规划司"))
            let outsider = try await bearer(app, "other@example.org", Grant(role: .promotionOrg, scope: "NC001"))
            try await app.testing().test(.GET, fileURL) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login?next=" + WebRoute.encode(fileURL))
            }
            for (who, status) in [(outsider, 403), (expert, 403), (reviewer, 200)] as [(HTTPHeaders, UInt)] {
                try await app.testing().test(.GET, fileURL, headers: who) { res in #expect(res.status.code == status) }
                try await app.testing().test(.GET, "/api/v1/rounds/\(round)/dossiers/\(cluster)", headers: who) { res in
                    #expect(res.status.code == status)
                }
            }
            let assignment = AssignmentModel()
            assignment.roundID = round
            assignment.clusterID = cluster
            assignment.expertID = try #require(
                try await UserModel.query(on: app.db).filter(\.$email == "expert@example.org").first()?.id
            ).uuidString
            assignment.expertProvince = "11"
            try await assignment.create(on: app.db)
            try await app.testing().test(.GET, fileURL, headers: expert) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/rounds/\(round)/dossiers/\(cluster)", headers: expert) { res in
                #expect(res.status == .ok)
            }
            // An executable under a PDF name, an empty part, and JSON instead of a file are refused.
            for (name, bytes) in [("tool.pdf", Array("MZ\u{90}\u{0}".utf8)), ("empty.pdf", [UInt8]())] {
                let (h2, b2) = multipart([], file: ("file", name, bytes))
                var auth = h2
                auth.add(contentsOf: org)
                try await app.testing().test(.POST, path, headers: auth, body: b2) { res in
                    #expect(res.status == .unprocessableEntity)
                    let message = try res.json().object("fields")?.string("file")
                    #expect(message != nil)
                }
            }
            #expect(try await postJSON(app, path, org, ["file": "x"]).0 == 415)
            // Another cluster's promotion body may not add files.
            var h3 = headers
            h3.add(contentsOf: outsider)
            try await app.testing().test(.POST, path, headers: h3, body: body) { res in
                #expect(res.status == .forbidden)
            }
            #expect(try await AttachmentModel.query(on: app.db).filter(\.$entity == "round_dossier").count() == 1)
        }
    }
}
