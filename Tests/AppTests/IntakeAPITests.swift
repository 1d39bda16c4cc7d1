import ClusterDomain
import DocumentIntake
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

private let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("IntakeCorpus/generated")

/// A multipart/form-data body with the given text fields and one optional file.
func multipart(_ fields: [(String, String)], file: (name: String, filename: String, bytes: [UInt8])? = nil) -> (
    HTTPHeaders, ByteBuffer
) {
    let boundary = "----ladder-test-boundary"
    var buffer = ByteBuffer()
    for (name, value) in fields {
        buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }
    if let file {
        buffer.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n")
        buffer.writeString("Content-Type: text/plain\r\n\r\n")
        buffer.writeBytes(file.bytes)
        buffer.writeString("\r\n")
    }
    buffer.writeString("--\(boundary)--\r\n")
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
    return (headers, buffer)
}

@Suite struct IntakeAPITests {
    static let damaged = "天天短訊!2022年11月30日,45個(gè)國家級(jí)集群涉及19個(gè)?。ㄗ灾螀^(qū)、直轄市)、3個(gè)計(jì)劃單列市"

    @Test(arguments: TestDatabase.enabled)
    func jsonTextIsRepairedExtractedAndReconciled(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            try await app.testing().test(
                .POST, "/api/v1/intake",
                beforeRequest: { req in
                    try req.content.encode(["text": Self.damaged])
                }
            ) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("text") == "2022年11月30日，45个国家级集群涉及19个省（自治区、直辖市）、3个计划单列市")
                #expect(json.string("as_of") == "2022-11-30")
                #expect(json.string("encoding") == "utf-8")
                let steps = Set((json.array("repairs") ?? []).compactMap { $0.string("step") })
                #expect(steps == ["pinyin", "mojibake", "traditional_to_simplified", "clickbait", "punctuation"])
                let figures = json.array("figures") ?? []
                #expect(figures.map { $0.string("text") } == ["45个", "19个", "3个"])
                #expect(figures.first?.string("subject") == "国家级集群")
                #expect(figures.first?["value"] as? Double == 45)
                #expect(figures.first?.string("unit") == "个")
                let checks = json.array("reconciliation") ?? []
                #expect(checks.map { $0.string("outcome") } == ["agrees", "agrees", "agrees"])
            }
        }
    }

    @Test func gbkAndBig5BytesAreDecodedNotRejected() async throws {
        try await withLadder(.sqlite) { app in
            let gbk = try [UInt8](Data(contentsOf: corpus.appendingPathComponent("decoding/06-2024-list.gbk.txt")))
            try await app.testing().test(
                .POST, "/api/v1/intake", headers: ["Content-Type": "text/plain; charset=gbk"],
                body: ByteBuffer(bytes: gbk)
            ) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("encoding") == "gbk")
                #expect(json.string("headline") == "第四批国家先进制造业集群名单公布")
                let ids = (json.array("clusters") ?? []).compactMap { $0.string("id") }
                #expect(ids.contains("NC078"))
            }
            let big5 = try [UInt8](
                Data(contentsOf: corpus.appendingPathComponent("decoding/01-national-list.big5.txt")))
            let (headers, body) = multipart([("charset", "auto")], file: ("file", "notice.txt", big5))
            try await app.testing().test(.POST, "/api/v1/intake", headers: headers, body: body) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("encoding") == "big5")
                #expect(json.string("text")?.hasPrefix("工业和信息化部公布国家先进制造业集群名单") == true)
            }
        }
    }

    @Test func badInputIsRefusedWithTheFieldNamed() async throws {
        try await withLadder(.sqlite) { app in
            // Binary upload.
            let (headers, body) = multipart([], file: ("file", "image.txt", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]))
            try await app.testing().test(.POST, "/api/v1/intake", headers: headers, body: body) { res in
                #expect(res.status == .unprocessableEntity)
                let json = try res.json()
                #expect((json.object("fields")?.string("file"))?.contains("binary") == true)
            }
            // A file type that is not text.
            let (h2, b2) = multipart([], file: ("file", "report.pdf", Array("集群".utf8)))
            try await app.testing().test(.POST, "/api/v1/intake", headers: h2, body: b2) { res in
                #expect(res.status == .unprocessableEntity)
                let body = try res.json()
                #expect(body.object("fields")?.string("file") != nil)
            }
            // A declared charset the bytes do not fit.
            try await app.testing().test(
                .POST, "/api/v1/intake", headers: ["Content-Type": "text/plain; charset=utf-8"],
                body: ByteBuffer(bytes: [0xB9, 0xFA, 0xBC, 0xD2])
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let body = try res.json()
                #expect(body.object("fields")?.string("body")?.contains("utf-8") == true)
            }
            // JSON without text; an unsupported content type; a query parameter; too large.
            try await app.testing().test(
                .POST, "/api/v1/intake",
                beforeRequest: { req in
                    try req.content.encode(["txt": "集群"])
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let body = try res.json()
                #expect(body.object("fields")?.string("text") != nil)
            }
            try await app.testing().test(
                .POST, "/api/v1/intake", headers: ["Content-Type": "application/pdf"],
                body: ByteBuffer(string: "x")
            ) { res in
                #expect(res.status == .unsupportedMediaType)
                let json = try res.json()
                #expect(json.string("parameter") == "Content-Type")
            }
            try await app.testing().test(
                .POST, "/api/v1/intake?format=csv", headers: ["Content-Type": "text/plain"],
                body: ByteBuffer(string: "集群")
            ) { res in
                #expect(res.status == .badRequest)
                let body = try res.json()
                #expect(body.string("parameter") == "format")
            }
            let big = String(repeating: "集", count: app.intakeMaxBytes / 3 + 10)
            try await app.testing().test(
                .POST, "/api/v1/intake", headers: ["Content-Type": "text/plain"],
                body: ByteBuffer(string: big)
            ) { res in
                #expect(res.status == .payloadTooLarge)
                let body = try res.json()
                #expect(body.string("parameter") == "body")
            }
        }
    }

    @Test(arguments: TestDatabase.enabled)
    func thePageRepairsAPastedText(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            var cookie = ""
            var csrf = ""
            try await app.testing().test(.GET, "/intake?lang=en") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("enctype=\"multipart/form-data\""))
                #expect(html.contains("<textarea id=\"text\" name=\"text\""))
                cookie = try #require(cookieValue(res))
                csrf = try #require(csrfToken(in: html))
            }
            let (headers, body) = multipart([
                ("_csrf", csrf), ("text", Self.damaged + "<script>alert(1)</script>"), ("charset", "auto"),
            ])
            var h = headers
            h.add(name: "Cookie", value: cookie)
            try await app.testing().test(.POST, "/intake", headers: h, body: body) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("<pre id=\"repaired\">2022年11月30日，45个国家级集群涉及19个省（自治区、直辖市）、3个计划单列市"))
                #expect(html.contains("<td class=\"agrees\">一致</td>"))
                #expect(!html.contains("<script>alert(1)"))
                #expect(html.contains("&lt;script&gt;"))
            }
            // Without the form's token nothing runs.
            let (h2, b2) = multipart([("text", Self.damaged)])
            try await app.testing().test(.POST, "/intake", headers: h2, body: b2) { res in
                #expect(res.status == .forbidden)
            }
            // An empty form is sent back with the reason.
            let (h3, b3) = multipart([("_csrf", csrf), ("text", "  ")])
            var h3c = h3
            h3c.add(name: "Cookie", value: cookie)
            try await app.testing().test(.POST, "/intake", headers: h3c, body: b3) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("class=\"error\""))
            }
        }
    }

    @Test func ingestCommandReadsStandardInputAndPrintsEverySection() throws {
        #expect(
            IngestCommand.arguments(["ladder", "ingest", "-", "--format", "json"]) == [
                "ladder", "ingest", "@stdin", "--format", "json",
            ])
        #expect(IngestCommand.arguments(["ladder", "stats", "-"]) == ["ladder", "stats", "-"])
        let reference = try DataFiles.reference()
        let registry = Registry(reference: reference, clusters: try DataFiles.nationalClusters(reference: reference))
        let intake = DocumentIntake(registry: registry, published: try DataFiles.publishedFigures())
        let text = IngestCommand.render(intake.process(Self.damaged, today: Day("2026-11-24")!))
        for heading in [
            "== Repaired text", "== Repairs: boilerplate 0, pinyin 6, mojibake 1", "== Figures ==",
            "== Clusters named ==",
            "== Reconciliation as of 2022-11-30 ==",
        ] {
            #expect(text.contains(heading), "\(heading)")
        }
        #expect(text.contains("45个\tcount\t45 个\texact\t国家级集群"))
        #expect(text.contains("45个\t国家级集群\tagrees\tregistry clusters = 45 (agrees)"))
    }
}

@Suite struct AnnouncementFromIntakeTests {
    @Test(arguments: TestDatabase.enabled)
    func apiPublishesTheRepairedTextAndKeepsTheOriginal(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let admin = try await makeUser(app, "admin@example.org", [Grant(role: .admin, scope: nil)])
            let token = try await makeToken(app, for: admin, [Grant(role: .admin, scope: nil)])
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            let original = "環(huán)球資訊:名單公佈\n2022年11月30日,45個(gè)國家級(jí)集群涉及19個(gè)?。ㄗ灾螀^(qū)、直轄市)。"
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/announcements", headers: headers,
                beforeRequest: { req in
                    let body: [String: AnyCodable] = [
                        "original_text": AnyCodable(stringLiteral: original), "source": "a repost",
                        "tags": AnyCodable(["名单"]),
                    ]
                    try req.content.encode(body, as: .json)
                }
            ) { res in
                #expect(res.status == .created)
                let json = try res.json()
                id = json.string("id") ?? ""
                #expect(json.string("title_zh") == "名单公布")
                #expect(json.string("body_zh") == "2022年11月30日，45个国家级集群涉及19个省（自治区、直辖市）。")
                #expect(json.string("published_on") == "2022-11-30")
                let intake = json.object("intake")
                #expect(intake?.string("original_text") == original)
                #expect(intake?.string("repaired_text")?.hasPrefix("名单公布\n2022年11月30日") == true)
                #expect((intake?["repairs"] as? Int ?? 0) > 5)
            }
            #expect(try await AnnouncementSourceModel.find(id, on: app.db)?.originalText == original)
            try await app.testing().test(.GET, "/announcements/\(id)") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("<details id=\"intake-original\">"))
                #expect(html.contains("45個(gè)國家級"))
            }
            let entries = try await AuditEntryModel.query(on: app.db).filter(\.$action == "publish_announcement").all()
            #expect(entries.count == 1)
            #expect(entries.first?.after?.contains("from intake") == true)
        }
    }

    @Test func theIntakePageOffersPublishingToSignedInPeople() async throws {
        try await withLadder(.sqlite) { app in
            try await makeUser(app, "nano@example.org", [Grant(role: .promotionOrg, scope: "NC011")])
            let browser = try await signIn(app, "nano@example.org")
            let original = "蘇州市納米新材料集群舉辦年會\n2025年6月18日,蘇州市納米新材料集群舉辦年會。"
            let (headers, body) = multipart([("_csrf", browser.csrf), ("text", original)])
            var h = headers
            h.add(name: "Cookie", value: browser.cookie)
            var publishForm = ""
            try await app.testing().test(.POST, "/intake", headers: h, body: body) { res in
                #expect(res.status == .ok)
                publishForm = res.body.string
            }
            #expect(publishForm.contains("<section id=\"publish-section\">"))
            #expect(publishForm.contains("name=\"clusters\" value=\"NC011\""))
            #expect(publishForm.contains("name=\"published_on\" value=\"2025-06-18\""))
            // Publishing from that form: the clusters prefilled are the caller's, so it is allowed.
            var id = ""
            try await app.testing().test(
                .POST, "/announcements/new", headers: ["Cookie": browser.cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "_csrf": browser.csrf, "title_zh": "苏州市纳米新材料集群举办年会", "source": "集群网站",
                            "published_on": "2025-06-18", "clusters": "NC011", "original_text": original,
                        ],
                        as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .seeOther)
                id = String(res.headers.first(name: .location)?.split(separator: "/").last ?? "")
            }
            let item = try #require(try await AnnouncementModel.find(id, on: app.db))
            #expect(item.bodyZh == "2025年6月18日，苏州市纳米新材料集群举办年会。")
            #expect(item.clusterIDs == ["NC011"])
            // Someone else's cluster: refused and audited.
            try await app.testing().test(
                .POST, "/announcements/new", headers: ["Cookie": browser.cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "_csrf": browser.csrf, "title_zh": "别的集群", "source": "x", "clusters": "NC001",
                            "original_text": original,
                        ], as: .urlEncodedForm)
                }
            ) { res in
                #expect(res.status == .forbidden)
            }
        }
    }
}

@Suite struct AnnouncementEditingTests {
    @Test(arguments: TestDatabase.enabled)
    func editWithTheVersionReadAndOnlyForOnesOwnClusters(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let (id, version) = try await AccessMatrixTests.announcementRecord(app)
            let nano = Grant(role: .promotionOrg, scope: "NC011")
            let user = try await makeUser(app, "nano@example.org", [nano])
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try await makeToken(app, for: user, [nano]))
            func body(_ title: String, version: Int, clusters: [String] = ["NC011"]) -> [String: AnyCodable] {
                [
                    "title_zh": AnyCodable(stringLiteral: title), "title_en": "Notice", "body_zh": "正文。",
                    "source": "test",
                    "published_on": "2026-05-01", "clusters": AnyCodable(clusters), "version": AnyCodable(version),
                ]
            }
            try await app.testing().test(
                .PUT, "/api/v1/announcements/\(id)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(body("改过的通知", version: version), as: .json)
                }
            ) { res in
                #expect(res.status == .ok)
                let json = try res.json()
                #expect(json.string("title_zh") == "改过的通知")
                #expect(json["version"] as? Int == version + 1)
            }
            // The same version again is stale.
            try await app.testing().test(
                .PUT, "/api/v1/announcements/\(id)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(body("又改", version: version), as: .json)
                }
            ) { res in
                #expect(res.status == .conflict)
            }
            // Linking it to a cluster that is not one's own is refused and audited.
            try await app.testing().test(
                .PUT, "/api/v1/announcements/\(id)", headers: headers,
                beforeRequest: { req in
                    try req.content.encode(body("挪走", version: version + 1, clusters: ["NC001"]), as: .json)
                }
            ) { res in
                #expect(res.status == .forbidden)
            }
            let outcomes = try await AuditEntryModel.query(on: app.db).filter(\.$action == "update_announcement").all()
                .map(\.outcome).sorted()
            #expect(outcomes == ["done", "refused"])
            #expect(try await AnnouncementModel.find(id, on: app.db)?.titleZh == "改过的通知")
            // The page offers the edit link to those who may use it.
            let browser = try await signIn(app, "nano@example.org")
            try await app.testing().test(.GET, "/announcements/\(id)", headers: ["Cookie": browser.cookie]) { res in
                #expect(res.body.string.contains("href=\"/announcements/\(id)/edit\""))
            }
            try await app.testing().test(.GET, "/announcements/AN001", headers: ["Cookie": browser.cookie]) { res in
                #expect(!res.body.string.contains("/announcements/AN001/edit"))
            }
        }
    }
}
