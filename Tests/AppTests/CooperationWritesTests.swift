import ClusterDomain
import Crypto
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct CooperationWritesTests {
    @Test(arguments: TestDatabase.enabled)
    func outputsAndDocumentsAreRecordedAndShown(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let grant = Grant(role: .promotionOrg, scope: "NC011")
            let user = try await makeUser(app, "nano@example.org", [grant])
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try await makeToken(app, for: user, [grant]))
            try await app.testing().test(
                .POST, "/api/v1/cooperation", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        ActivityBody(
                            outputs: [.init(name: "联合专利", value: 12, unit: "项")],
                            documents: [
                                .init(title: "合作协议", url: "https://example.org/a.pdf", document_number: "苏纳-2026-1")
                            ]),
                        as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                let json = try res.json()
                let outputs = json.array("outputs") ?? []
                #expect(outputs.first?.string("name") == "联合专利")
                #expect(outputs.first?["value"] as? Double == 12)
                #expect(json.array("documents")?.first?.string("document_number") == "苏纳-2026-1")
            }
            // A bad output is named.
            try await app.testing().test(
                .POST, "/api/v1/cooperation", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(
                        ActivityBody(outputs: [.init(name: "", value: 1, unit: "项")], documents: []), as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let body = try res.json()
                #expect(body.object("fields")?.string("outputs") != nil)
            }
            try await app.testing().test(.GET, "/cooperation?as_of=2026-11-24") { res in
                let html = res.body.string
                #expect(html.contains("联合专利：12 项"))
                #expect(html.contains("合作协议（苏纳-2026-1）"))
            }
        }
    }

    @Test func filesAreCheckedStoredUnderTheirHashAndDownloaded() async throws {
        try await withLadder(.sqlite) { app in
            let grant = Grant(role: .promotionOrg, scope: "NC011")
            let user = try await makeUser(app, "nano@example.org", [grant])
            var auth = HTTPHeaders()
            auth.bearerAuthorization = BearerAuthorization(token: try await makeToken(app, for: user, [grant]))
            let pdf = Array("%PDF-1.4\n% test charter\n".utf8)
            let (headers, body) = multipart(
                [("title", "联盟章程"), ("document_number", "YRD-1")],
                file: ("file", "../../etc/联盟章程.pdf", pdf))
            var h = headers
            h.add(contentsOf: auth)
            var link = ""
            try await app.testing().test(.POST, "/api/v1/cooperation/COOP001/documents", headers: h, body: body) {
                res in
                #expect(res.status == .created)
                let docs = try res.json().array("documents") ?? []
                link = docs.last?.string("file") ?? ""
                #expect(link.hasPrefix("/attachments/"))
            }
            let row = try #require(try await AttachmentModel.query(on: app.db).first())
            let digest = SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined()
            #expect(row.sha256 == digest)
            #expect(row.filename == "联盟章程.pdf")
            #expect(FileManager.default.fileExists(atPath: app.attachments.path(of: row)))
            #expect(app.attachments.path(of: row).hasSuffix("/attachments/" + digest))
            try await app.testing().test(.GET, link) { res in
                #expect(res.status == .ok)
                #expect(Array(res.body.readableBytesView) == pdf)
                #expect(res.headers.first(name: .contentType) == "application/pdf")
                #expect(res.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''") == true)
            }
            // A program disguised by its name, and a file of a type not on the list, are refused by field.
            for (name, bytes) in [
                ("章程.pdf", [UInt8](repeating: 0x4D, count: 10)), ("tool.exe", [0x4D, 0x5A, 0x90, 0x00]),
            ] {
                let (h2, b2) = multipart([("title", "x")], file: ("file", name, bytes))
                var h2a = h2
                h2a.add(contentsOf: auth)
                try await app.testing().test(.POST, "/api/v1/cooperation/COOP001/documents", headers: h2a, body: b2) {
                    res in
                    #expect(res.status == .unprocessableEntity)
                    let body = try res.json()
                    #expect(body.object("fields")?.string("file")?.contains("not an accepted type") == true)
                }
            }
            #expect(try await AttachmentModel.query(on: app.db).count() == 1)
            // Someone without a cluster in the activity cannot attach.
            let other = try await makeUser(app, "gd@example.org", [Grant(role: .provincial, scope: "44")])
            var otherAuth = HTTPHeaders()
            otherAuth.bearerAuthorization = BearerAuthorization(
                token: try await makeToken(app, for: other, [Grant(role: .provincial, scope: "44")]))
            try await app.testing().test(
                .POST, "/api/v1/cooperation/COOP001/documents", headers: otherAuth,
                beforeRequest: { req in
                    try req.content.encode(["title": "x"], as: .json)
                }
            ) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/attachments/nope") { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func theFormsRecordAnActivityAndSupport() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "nano@example.org", [Grant(role: .promotionOrg, scope: "NC011")])
            let browser = try await signIn(app, "nano@example.org")
            func post(_ path: String, _ form: [String: String]) async throws -> (UInt, String) {
                var result: (UInt, String) = (0, "")
                var fields = form
                fields["_csrf"] = browser.csrf
                try await app.testing().test(
                    .POST, path, headers: ["Cookie": browser.cookie],
                    beforeRequest: { req in
                        try req.content.encode(fields, as: .urlEncodedForm)
                    }
                ) { res in result = (res.status.code, res.body.string + (res.headers.first(name: .location) ?? "")) }
                return result
            }
            var activity = [
                "kind": "joint_project", "title_zh": "纳米材料联合攻关", "title_en": "Joint nano materials project",
                "started_on": "2026-03-01", "clusters": "NC011 NC024", "outputs": "联合专利 12 项",
            ]
            let (bad, page) = try await post("/cooperation/new", activity)
            #expect(bad == 422)
            #expect(page.contains("id=\"error-outputs\""))
            activity["outputs"] = "联合专利 = 12 项\n共建实验室 = 2 个"
            activity["documents"] = "合作协议 | https://example.org/a.pdf | 苏纳-2026-1"
            let (ok, location) = try await post("/cooperation/new", activity)
            #expect(ok == 303)
            #expect(location.hasSuffix("/cooperation#COOP002"))
            let ledger = try await CooperationStore(db: app.db, valueChains: []).ledger()
            let recorded = try #require(ledger.activities.first { $0.id == "COOP002" })
            #expect(
                recorded.outputs == [
                    ActivityOutput(name: "联合专利", value: 12, unit: "项"),
                    ActivityOutput(name: "共建实验室", value: 2, unit: "个"),
                ])
            #expect(recorded.documents.first?.url == "https://example.org/a.pdf")

            let (takeUp, target) = try await post(
                "/takeups/new",
                [
                    "policy": "POL003", "cluster": "NC011", "amount": "2,500,000",
                    "granted_on": "2026-02-01", "status": "granted",
                ])
            #expect(takeUp == 303)
            #expect(target.hasSuffix("/policies/POL003"))
            #expect(try await TakeUpModel.query(on: app.db).first()?.amount == 2_500_000)
            let (refused, _) = try await post(
                "/takeups/new", ["policy": "POL003", "cluster": "NC001", "granted_on": "2026-02-01"])
            #expect(refused == 403)
            // The policy page offers the status change for the record, and it is audited with before and after.
            let id = try #require(try await TakeUpModel.query(on: app.db).first()?.id)
            try await app.testing().test(.GET, "/policies/POL003", headers: ["Cookie": browser.cookie]) { res in
                #expect(res.body.string.contains("action=\"/takeups/\(id)/status\""))
                #expect(res.body.string.contains("name=\"version\" value=\"1\""))
            }
            let (changed, _) = try await post("/takeups/\(id)/status", ["status": "paid", "version": "1"])
            #expect(changed == 303)
            #expect(try await TakeUpModel.find(id, on: app.db)?.status == "paid")
            let entry = try await AuditEntryModel.query(on: app.db).filter(\.$action == "update_takeup").first()
            #expect(entry?.before?.contains("\"granted\"") == true)
            #expect(entry?.after?.contains("\"paid\"") == true)
            let (unknownStatus, _) = try await post("/takeups/\(id)/status", ["status": "lost", "version": "2"])
            #expect(unknownStatus == 422)
            // A paid record is final; the refusal on the (Chinese) page says so in Chinese.
            let reopened = try await postForm(
                app, "/takeups/\(id)/status?lang=zh", browser, ["status": "applied", "version": "2"])
            #expect(reopened.status == 422)
            #expect(reopened.body.contains("“已拨付”是最终状态，不能改为“已申请”"))
        }
    }
}

/// A cooperation activity body with outputs and documents.
struct ActivityBody: Content {
    struct Output: Codable {
        let name: String
        let value: Double
        let unit: String
    }
    struct Document: Codable {
        let title: String
        let url: String?
        let document_number: String?
    }
    var kind = "joint_project"
    var title_zh = "苏常联合攻关"
    var title_en = "Suzhou–Changzhou joint project"
    var started_on = "2026-04-01"
    var clusters = ["NC011", "NC024"]
    let outputs: [Output]
    let documents: [Document]
}
