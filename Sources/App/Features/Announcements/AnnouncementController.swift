import ClusterDomain
import DocumentIntake
import Fluent
import Plot
import SQLKit
import Vapor

/// Announcements: list and tag pages, each item with related items, a most-read ranking from
/// per-day counters, an Atom feed, and the JSON.
struct AnnouncementController: Sendable {
    func register(on app: Application) {
        // Room for an intake original of the largest accepted size.
        let collect = ByteCount(value: app.intakeMaxBytes * 2 + 64 * 1024)
        app.get(APIRoute.announcements.components, use: list)
        app.on(.POST, APIRoute.announcements.components, body: .collect(maxSize: collect), use: publish)
        app.put(APIRoute.announcement(":id").components, use: update)
        app.get("announcements", ":id", "edit", use: editForm)
        app.post("announcements", ":id", "edit", use: updateForm)
        app.get("announcements", "new", use: newForm)
        app.on(.POST, "announcements", "new", body: .collect(maxSize: collect), use: publishForm)
        app.get("announcements", use: listPage)
        app.get("announcements.atom", use: feed)
        app.get("announcements", ":id", use: itemPage)
    }

    struct AnnouncementDTO: Content {
        let id: String
        let titleZh: String
        let titleEn: String
        let bodyZh: String
        let bodyEn: String
        let source: String
        let sourceUrl: String?
        let publishedOn: String
        let tags: [String]
        let clusters: [String]
        let version: Int
        /// For an announcement made from a damaged document: the original and its repair.
        var intake: IntakeSourceDTO?

        init(_ a: Announcement, source intakeSource: AnnouncementSourceModel? = nil) {
            id = a.id
            titleZh = a.titleZh
            titleEn = a.titleEn
            bodyZh = a.bodyZh
            bodyEn = a.bodyEn
            source = a.source
            sourceUrl = a.sourceURL
            publishedOn = a.publishedOn.description
            tags = a.tags
            clusters = a.clusterIDs
            intake = intakeSource.map(IntakeSourceDTO.init)
            version = a.version
        }
    }

    struct IntakeSourceDTO: Content {
        let originalText: String
        let repairedText: String
        let encoding: String?
        let repairs: Int

        init(_ m: AnnouncementSourceModel) {
            originalText = m.originalText
            repairedText = m.repairedText
            encoding = m.encoding
            repairs = m.repairs
        }
    }

    func list(req: Request) async throws -> [AnnouncementDTO] {
        let params = try req.queryParameters(for: .announcements)
        let all = try await AnnouncementStore(db: req.db).all()
        let sources = Dictionary(
            uniqueKeysWithValues: try await AnnouncementSourceModel.query(on: req.db).all()
                .compactMap { m in m.id.map { ($0, m) } })
        return all.filter { a in
            (params["tag"]?.nilIfBlank.map { a.tags.contains($0) } ?? true)
                && (params["cluster"]?.nilIfBlank.map { a.clusterIDs.contains($0) } ?? true)
        }.map { AnnouncementDTO($0, source: sources[$0.id]) }
    }

    struct AnnouncementInput: Content {
        var titleZh: String?
        var titleEn: String?
        var bodyZh: String?
        var bodyEn: String?
        var source: String?
        var sourceUrl: String?
        var publishedOn: String?
        var tags: [String]?
        var clusters: [String]?
        /// For an update: the version read.
        var version: Int?
        /// A damaged document to publish: it goes through intake, the repaired text becomes the
        /// body (and its headline the title, its latest date the date) unless those are given,
        /// and both texts are kept.
        var originalText: String?
    }

    /// `POST /api/v1/announcements`, with a token.
    func publish(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(AnnouncementInput.self)
        let (item, source) = try await Self.publish(input, caller: caller, req: req)
        return try await AnnouncementDTO(item, source: source).encodeResponse(status: .created, for: req)
    }

    /// The form's fields: tags and clusters as text separated by spaces, commas or new lines.
    struct AnnouncementForm: Content {
        var titleZh: String?
        var titleEn: String?
        var bodyZh: String?
        var bodyEn: String?
        var source: String?
        var sourceUrl: String?
        var publishedOn: String?
        var tags: String?
        var clusters: String?
        var originalText: String?
        var version: Int?

        /// Form fields are snake_case on the wire (only JSON converts key case).
        enum CodingKeys: String, CodingKey {
            case titleZh = "title_zh"
            case titleEn = "title_en"
            case bodyZh = "body_zh"
            case bodyEn = "body_en"
            case source
            case sourceUrl = "source_url"
            case publishedOn = "published_on"
            case tags, clusters
            case originalText = "original_text"
            case version
        }

        static func words(_ text: String?) -> [String]? {
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return text.split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace }).map(String.init)
        }

        var input: AnnouncementInput {
            AnnouncementInput(
                titleZh: titleZh, titleEn: titleEn, bodyZh: bodyZh, bodyEn: bodyEn, source: source,
                sourceUrl: sourceUrl?.nilIfBlank, publishedOn: publishedOn?.nilIfBlank, tags: Self.words(tags),
                clusters: Self.words(clusters), version: version, originalText: originalText?.nilIfBlank)
        }
    }

    func newForm(req: Request) async throws -> Response {
        let (_, ctx) = try WebController.page(req, .newAnnouncement, section: .announcements)
        guard req.caller != nil else { throw AuthError.signInRequired }
        return WebController.html(
            AnnouncementPages.form(ctx, csrf: CSRF.token(for: req), today: req.application.today()).render())
    }

    /// `POST /announcements/new`: the same as the API, for a signed-in person, from the form on
    /// `/announcements/new` or on an intake report.
    func publishForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let form = try req.content.decode(AnnouncementForm.self)
        let (item, _) = try await Self.publish(form.input, caller: caller, req: req)
        return req.redirect(to: WebRoute.announcement(item.id).path, redirectType: .normal)
    }

    /// The announcement's fields checked one by one (id left empty), and its clusters.
    static func validated(
        _ input: AnnouncementInput, intake: IntakeReport?, repairedBody: String?, registry: Registry, req: Request,
        errors initial: [String: String] = [:]
    ) throws -> (Announcement, [Cluster]) {
        var errors = initial
        func text(_ v: String?, _ field: String, max: Int, required: Bool = true) -> String {
            let t = (v ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if (required && t.isEmpty) || t.count > max {
                errors[field] = required ? "1 to \(max) characters" : "at most \(max) characters"
            }
            return t
        }
        let titleZh = text(input.titleZh?.nilIfBlank ?? intake?.headline, "title_zh", max: 200)
        let titleEn = text(input.titleEn, "title_en", max: 200, required: intake == nil)
        let bodyZh = text(
            input.bodyZh?.nilIfBlank ?? repairedBody, "body_zh",
            max: intake == nil ? 10_000 : req.application.intakeMaxBytes)
        let bodyEn = text(input.bodyEn, "body_en", max: 10_000, required: false)
        let source = text(input.source, "source", max: 500)
        let url = input.sourceUrl?.nilIfBlank
        if let url,
            !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.count > 500
                || url.contains(where: \.isWhitespace)
        {
            errors["source_url"] = "an http(s) address of at most 500 characters"
        }
        let statedDay = intake.flatMap { report in
            report.dates.filter { $0.date.count == 10 }.isEmpty ? nil : Day(report.asOf)
        }
        let day =
            input.publishedOn.flatMap { Day($0) }
            ?? (input.publishedOn == nil ? (statedDay ?? req.application.today()) : nil)
        if day == nil { errors["published_on"] = "a date: YYYY-MM-DD" }
        let tags = (input.tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if tags.count > 10 || tags.contains(where: { $0.count > 30 || $0.contains("/") }) {
            errors["tags"] = "at most 10 tags of at most 30 characters, without '/'"
        }
        let ids = input.clusters ?? []
        let clusters = ids.compactMap { id in registry.clusters.first { $0.id == id } }
        if clusters.count != ids.count || ids.count > 100 {
            errors["clusters"] = "unknown cluster id (or more than 100)"
        }
        guard errors.isEmpty, let day else { throw FieldErrors(errors) }
        return (
            Announcement(
                id: "", titleZh: titleZh, titleEn: titleEn.isEmpty ? titleZh : titleEn, bodyZh: bodyZh, bodyEn: bodyEn,
                source: source, sourceURL: url, publishedOn: day, tags: tags, clusterIDs: ids), clusters
        )
    }

    /// Who may change an announcement: an admin, or a grant that may edit every linked cluster.
    static func grant(for clusters: [Cluster], caller: Caller) -> Grant? {
        let scopes = clusters.map(ClusterScope.init)
        return caller.isAdmin
            ? caller.grants.first { $0.role == .admin }
            : (scopes.isEmpty
                ? nil : caller.grants.first { g in scopes.allSatisfy { AccessRules.allows(g, .edit, on: $0) } })
    }

    /// Edits an announcement read at `version`: allowed for the clusters it is linked to before and
    /// after; audited with both. (The intake original, if any, stays as it was.)
    static func update(id: String, _ input: AnnouncementInput, caller: Caller, req: Request) async throws
        -> Announcement
    {
        let registry = try await req.store.registry()
        guard let row = try await AnnouncementModel.find(id, on: req.db) else {
            throw APIError.notFound(req.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        let before = try row.announcement()
        guard let version = input.version else {
            throw FieldErrors(["version": "required: the version you read (now \(before.version))"])
        }
        var fields = input
        fields.originalText = nil
        let (validated, clusters) = try Self.validated(
            fields, intake: nil, repairedBody: nil, registry: registry, req: req)
        let beforeClusters = before.clusterIDs.compactMap { cid in registry.clusters.first { $0.id == cid } }
        guard let grant = grant(for: beforeClusters, caller: caller), Self.grant(for: clusters, caller: caller) != nil
        else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "update_announcement",
                outcome: .refused, entity: "announcement", entityID: id,
                scope: beforeClusters.first.map(ClusterScope.init))
            throw AuthError.forbidden(
                "only an admin, or an authority for every linked cluster before and after, may change this")
        }
        guard version == before.version else {
            throw APIError(
                .conflict,
                "the announcement was changed by someone else (now version \(before.version)); reload it and apply your change again",
                parameter: "version")
        }
        var after = validated
        after = Announcement(
            id: id, titleZh: after.titleZh, titleEn: after.titleEn, bodyZh: after.bodyZh, bodyEn: after.bodyEn,
            source: after.source, sourceURL: after.sourceURL, publishedOn: after.publishedOn, tags: after.tags,
            clusterIDs: after.clusterIDs, version: before.version + 1)
        let saved = after
        try await req.db.writeTransaction { tx in
            guard try await VersionClaim.claim("announcements", id: id, version: version, on: tx),
                let model = try await AnnouncementModel.find(id, on: tx)
            else {
                throw APIError(
                    .conflict, "the announcement was changed by someone else; reload it and apply your change again",
                    parameter: "version")
            }
            let fresh = AnnouncementModel(saved)
            model.titleZh = fresh.titleZh
            model.titleEn = fresh.titleEn
            model.bodyZh = fresh.bodyZh
            model.bodyEn = fresh.bodyEn
            model.source = fresh.source
            model.sourceURL = fresh.sourceURL
            model.publishedOn = fresh.publishedOn
            model.datePrecision = fresh.datePrecision
            model.tags = fresh.tags
            model.clusterIDs = fresh.clusterIDs
            model.version = version + 1
            try await model.save(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "update_announcement",
                outcome: .done, entity: "announcement", entityID: id, before: AuditLog.json(AnnouncementDTO(before)),
                after: AuditLog.json(AnnouncementDTO(saved)), scope: clusters.first.map(ClusterScope.init))
        }
        return saved
    }

    func update(req: Request) async throws -> AnnouncementDTO {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(AnnouncementInput.self)
        return AnnouncementDTO(
            try await Self.update(id: req.parameters.get("id") ?? "", input, caller: caller, req: req))
    }

    func editForm(req: Request) async throws -> Response {
        guard req.caller != nil else { throw AuthError.signInRequired }
        let id = req.parameters.get("id") ?? ""
        let (_, ctx) = try WebController.page(req, .editAnnouncement(id), section: .announcements)
        guard let item = try await AnnouncementModel.find(id, on: req.db)?.announcement() else {
            throw APIError.notFound(req.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        return WebController.html(
            AnnouncementPages.editForm(ctx, csrf: CSRF.token(for: req), item: item, errors: [:]).render())
    }

    func updateForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let id = req.parameters.get("id") ?? ""
        let form = try req.content.decode(AnnouncementForm.self)
        do {
            let saved = try await Self.update(id: id, form.input, caller: caller, req: req)
            return req.redirect(to: WebRoute.announcement(saved.id).path, redirectType: .normal)
        } catch let errors as FieldErrors {
            let (_, ctx) = try WebController.page(req, .editAnnouncement(id), section: .announcements)
            guard let item = try await AnnouncementModel.find(id, on: req.db)?.announcement() else { throw errors }
            let response = WebController.html(
                AnnouncementPages.editForm(ctx, csrf: CSRF.token(for: req), item: item, errors: errors.fields).render())
            response.status = .unprocessableEntity
            return response
        }
    }

    /// Publishes an announcement. An admin may publish any; others only about clusters they may
    /// edit (every linked cluster must be theirs, and at least one must be linked).
    static func publish(_ input: AnnouncementInput, caller: Caller, req: Request) async throws -> (
        Announcement, AnnouncementSourceModel?
    ) {
        let registry = try await req.store.registry()
        var errors: [String: String] = [:]
        // A damaged original goes through intake first; what it yields fills the fields left empty.
        var intake: IntakeReport?
        if let original = input.originalText {
            let limit = req.application.intakeMaxBytes
            if original.utf8.count > limit || original.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors["original_text"] = "1 to \(limit) bytes of text"
            } else {
                intake = DocumentIntake(registry: registry, published: try await req.store.figures())
                    .process(original, today: req.application.today())
            }
        }
        let repairedBody = intake.map { report in
            report.text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first.map(
                String.init) ?? report.text
        }
        let (fields, clusters) = try validated(
            input, intake: intake, repairedBody: repairedBody, registry: registry, req: req, errors: errors)
        let (titleZh, titleEn, bodyZh, bodyEn, source, url, day, tags, ids) = (
            fields.titleZh, fields.titleEn, fields.bodyZh, fields.bodyEn,
            fields.source, fields.sourceURL, fields.publishedOn, fields.tags,
            fields.clusterIDs
        )
        let scopes = clusters.map(ClusterScope.init)
        let grant: Grant? =
            caller.isAdmin
            ? caller.grants.first { $0.role == .admin }
            : (scopes.isEmpty
                ? nil : caller.grants.first { g in scopes.allSatisfy { AccessRules.allows(g, .edit, on: $0) } })
        guard let grant else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "publish_announcement",
                outcome: .refused, entity: "announcement", entityID: nil, scope: scopes.first)
            throw AuthError.forbidden("only an admin, or an authority for every linked cluster, may publish this")
        }
        let report = intake
        return try await req.db.writeTransaction { tx in
            let item = Announcement(
                id: try await IdAllocator.next(.announcement, on: tx), titleZh: titleZh,
                titleEn: titleEn.isEmpty ? titleZh : titleEn,
                bodyZh: bodyZh, bodyEn: bodyEn, source: source, sourceURL: url, publishedOn: day, tags: tags,
                clusterIDs: ids)
            let sourceRow = report.map { report in
                AnnouncementSourceModel(
                    announcementID: item.id, originalText: input.originalText ?? "", repairedText: report.text,
                    encoding: report.encoding?.rawValue, repairs: report.repairs.count)
            }
            try await AnnouncementModel(item).create(on: tx)
            try await sourceRow?.create(on: tx)
            var after = AnnouncementDTO(item)
            after.intake = nil
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "publish_announcement",
                outcome: .done, entity: "announcement", entityID: item.id,
                after: (AuditLog.json(after) ?? "") + (sourceRow.map { " from intake: \($0.repairs) repairs" } ?? ""),
                scope: scopes.first)
            return (item, sourceRow)
        }
    }

    static let rankingWindowDays = 30

    func listPage(req: Request) async throws -> Response {
        let (params, ctx) = try WebController.page(req, .announcements, section: .announcements)
        let store = AnnouncementStore(db: req.db)
        let all = try await store.all()
        let tag = params["tag"]?.nilIfBlank.map { String($0.prefix(40)) }
        let shown = tag.map { t in all.filter { $0.tags.contains(t) } } ?? all
        let today = req.application.today()
        let since = Day(req.application.clock().addingTimeInterval(-Double(Self.rankingWindowDays) * 86_400))
        let ranking = Announcement.mostRead(try await store.counts(since: since), since: since)
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        return WebController.html(
            AnnouncementPages.list(
                ctx, items: shown, tag: tag,
                allTags: Array(Set(all.flatMap(\.tags))).sorted(),
                mostRead: ranking.compactMap { r in byID[r.id].map { ($0, r.views) } },
                today: today
            ).render())
    }

    func itemPage(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let (_, ctx) = try WebController.page(req, .announcement(id), section: .announcements)
        let store = AnnouncementStore(db: req.db)
        let all = try await store.all()
        guard let item = all.first(where: { $0.id == id }) else {
            throw APIError.notFound(req.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        if !Announcement.isBot(userAgent: req.headers.first(name: .userAgent)) {
            try await store.countView(of: item.id, on: req.application.today())
        }
        let registry = try await req.store.registry()
        let clusters = item.clusterIDs.compactMap { cid in registry.clusters.first { $0.id == cid } }
        let source = try await AnnouncementSourceModel.find(item.id, on: req.db)
        let canEdit = req.caller.map { Self.grant(for: clusters, caller: $0) != nil } ?? false
        return WebController.html(
            AnnouncementPages.item(
                ctx, item: item, clusters: clusters,
                related: Announcement.related(to: item, among: all), source: source,
                canEdit: canEdit
            ).render())
    }

    func feed(req: Request) async throws -> Response {
        let all = try await AnnouncementStore(db: req.db).all()
        let scheme = req.application.authSettings.secureCookies ? "https" : "http"
        let host =
            req.headers.first(name: .host).flatMap { h in
                h.allSatisfy { $0.isLetter || $0.isNumber || ".:-[]".contains($0) } ? h : nil
            } ?? "127.0.0.1:8080"
        let xml = Announcement.atom(
            all, base: "\(scheme)://\(host)", updated: all.first?.publishedOn ?? req.application.today())
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        return response
    }
}

/// The announcement pages.
enum AnnouncementPages {
    static func list(
        _ ctx: PageContext, items: [Announcement], tag: String?, allTags: [String],
        mostRead: [(Announcement, Int)], today: Day
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("公告与动态", "Announcements"),
            .h1(.text(lang.t("公告与动态", "Announcements") + (tag.map { " · #" + $0 } ?? ""))),
            .p(
                .a(.href("/announcements.atom"), .text(lang.t("Atom 订阅", "Atom feed"))),
                .if(
                    ctx.caller != nil,
                    .group(.text(" · "), .a(.href("/announcements/new"), .text(lang.t("发布公告", "Publish"))))),
                .if(tag != nil, .group(.text(" · "), .a(.href("/announcements"), .text(lang.t("全部", "All")))))),
            .p(
                .class("tags"),
                .forEach(allTags) { t in
                    .a(.class("tag"), .href(attr("/announcements?tag=" + WebRoute.encode(t))), .text("#" + t))
                }),
            .ul(
                .class("announcements"),
                .forEach(items) { a in
                    .li(
                        .element(
                            named: "time",
                            nodes: [
                                .attribute(named: "datetime", value: a.publishedOn.description),
                                .text(a.publishedOn.description),
                            ]),
                        .text(" "),
                        .a(.href(attr(WebRoute.announcement(a.id).path)), .text(lang.t(a.titleZh, a.titleEn))))
                }),
            .h2(.text(lang.t("近 30 天阅读最多", "Most read in the last 30 days"))),
            mostRead.isEmpty
                ? .p(.class("empty"), .text(lang.t("暂无阅读记录。", "No reads counted yet.")))
                : .ol(
                    .class("most-read"),
                    .forEach(mostRead) { a, views in
                        .li(
                            .a(.href(attr(WebRoute.announcement(a.id).path)), .text(lang.t(a.titleZh, a.titleEn))),
                            .text(lang.t("（\(views) 次）", " (\(views))")))
                    }),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "阅读数按日累计，不记录任何读者信息，自报为爬虫的程序不计。",
                        "Reads are daily counters; nothing about readers is kept, and programs that say they are crawlers are not counted."
                    )))
        )
    }

    /// The publish form. `intake` prefills it from an intake report, carrying the original text.
    static func form(_ ctx: PageContext, csrf: String, today: Day, intake: IntakeReport? = nil, original: String? = nil)
        -> HTML
    {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("发布公告", "Publish an announcement"),
            .h1(.text(lang.t("发布公告", "Publish an announcement"))),
            formBody(ctx, csrf: csrf, today: today, intake: intake, original: original))
    }

    static func formBody(_ ctx: PageContext, csrf: String, today: Day, intake: IntakeReport?, original: String?)
        -> Node<HTML.BodyContext>
    {
        let lang = ctx.lang
        let body =
            intake.map { r in r.text.split(separator: "\n", maxSplits: 1).dropFirst().first.map(String.init) ?? r.text }
            ?? ""
        let stated = intake.flatMap { r in r.dates.contains { $0.date.count == 10 } ? r.asOf : nil }
        let clusters =
            intake.map { r in r.clusters.filter { $0.match != .close }.map(\.id).joined(separator: " ") } ?? ""
        func field(
            _ id: String, _ zh: String, _ en: String, value: String = "", required: Bool = false, hint: String? = nil
        ) -> Node<HTML.FormContext> {
            .group(
                .label(.for(id), .text(lang.t(zh, en))),
                required
                    ? .input(
                        .type(.text), .id(id), .name(id), .value(attr(value)),
                        .attribute(named: "required", value: "required"))
                    : .input(.type(.text), .id(id), .name(id), .value(attr(value))),
                .unwrap(hint) { .small(.text($0)) })
        }
        return .form(
            .class("stack"), .id("publish"), .action("/announcements/new"), .method(.post),
            AccountPages.csrfField(csrf),
            field("title_zh", "标题（中文）", "Title (Chinese)", value: intake?.headline ?? "", required: true),
            field("title_en", "标题（英文）", "Title (English)", required: intake == nil),
            .label(.for("body_zh"), .text(lang.t("正文（中文）", "Text (Chinese)"))),
            .textarea(.id("body_zh"), .name("body_zh"), .attribute(named: "rows", value: "8"), .text(body)),
            .label(.for("body_en"), .text(lang.t("正文（英文，可空）", "Text (English, optional)"))),
            .textarea(.id("body_en"), .name("body_en"), .attribute(named: "rows", value: "4")),
            field("source", "来源", "Source", required: true),
            field("source_url", "来源网址", "Source address"),
            field("published_on", "日期", "Date", value: stated ?? today.description, hint: "YYYY-MM-DD"),
            field("tags", "标签", "Tags", hint: lang.t("以空格或逗号分隔", "separated by spaces or commas")),
            field(
                "clusters", "相关集群编号", "Cluster ids", value: clusters,
                hint: lang.t(
                    "管理员可不填；其他角色须填其有权编辑的集群", "admins may leave it empty; others must name clusters they may edit")),
            .unwrap(original) { .input(.type(.hidden), .name("original_text"), .value(attr($0))) },
            .button(.type(.submit), .text(lang.t("发布", "Publish")))
        )
    }

    /// The edit form, prefilled with the announcement as it is.
    static func editForm(_ ctx: PageContext, csrf: String, item a: Announcement, errors: [String: String]) -> HTML {
        let lang = ctx.lang
        let f = { (id: String, zh: String, en: String, value: String?, area: Bool) in
            FormFields.field(lang, id, zh, en, value, errors, area: area, rows: area ? 8 : 3)
        }
        return Layout.page(
            ctx, title: lang.t("修改公告", "Edit announcement"),
            .nav(.class("crumbs"), .a(.href(attr(WebRoute.announcement(a.id).path)), .text(a.id))),
            .h1(.text(lang.t("修改公告", "Edit announcement"))),
            .if(
                !errors.isEmpty,
                .p(
                    .class("error"), .attribute(named: "role", value: "alert"),
                    .text(lang.t("请修改标出的字段。", "Please correct the fields marked below.")))),
            .form(
                .class("stack"), .method(.post), .action(attr(WebRoute.editAnnouncement(a.id).path)),
                AccountPages.csrfField(csrf),
                .input(.type(.hidden), .name("version"), .value("\(a.version)")),
                FormFields.error("version", errors),
                f("title_zh", "标题（中文）", "Title (Chinese)", a.titleZh, false),
                f("title_en", "标题（英文）", "Title (English)", a.titleEn, false),
                f("body_zh", "正文（中文）", "Text (Chinese)", a.bodyZh, true),
                f("body_en", "正文（英文）", "Text (English)", a.bodyEn, true),
                f("source", "来源", "Source", a.source, false),
                f("source_url", "来源网址", "Source address", a.sourceURL, false),
                f("published_on", "日期", "Date", a.publishedOn.description, false),
                f("tags", "标签", "Tags", a.tags.joined(separator: " "), false),
                f("clusters", "相关集群编号", "Cluster ids", a.clusterIDs.joined(separator: " "), false),
                .button(.type(.submit), .text(lang.t("保存", "Save")))
            )
        )
    }

    static func item(
        _ ctx: PageContext, item a: Announcement, clusters: [Cluster], related: [Announcement],
        source: AnnouncementSourceModel? = nil, canEdit: Bool = false
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t(a.titleZh, a.titleEn),
            .nav(.class("crumbs"), .a(.href("/announcements"), .text(lang.t("公告与动态", "Announcements")))),
            .h1(.text(lang.t(a.titleZh, a.titleEn))),
            .if(
                canEdit,
                .p(
                    .a(
                        .class("edit"), .href(attr(WebRoute.editAnnouncement(a.id).path)),
                        .text(lang.t("修改这条公告", "Edit this announcement"))))),
            .p(
                .element(
                    named: "time",
                    nodes: [
                        .attribute(named: "datetime", value: a.publishedOn.description),
                        .text(a.publishedOn.description),
                    ]),
                .text(" · " + a.source),
                .if(
                    a.sourceURL != nil,
                    .group(
                        .text(" · "),
                        .a(
                            .href(attr(a.sourceURL ?? "")), .attribute(named: "rel", value: "noopener nofollow"),
                            .text(lang.t("来源", "source")))))),
            .div(.class("body"), .forEach(lang.t(a.bodyZh, a.bodyEn).split(separator: "\n")) { .p(.text(String($0))) }),
            .unwrap(source) { s in
                .details(
                    .id("intake-original"),
                    .summary(
                        .text(
                            lang.t(
                                "整理自受损转载：\(s.repairs) 处修复（编码 \(s.encoding ?? "utf-8")）。查看原文",
                                "Repaired from a damaged copy: \(s.repairs) repairs (read as \(s.encoding ?? "utf-8")). Show the original"
                            ))),
                    .pre(.text(s.originalText))
                )
            },
            .p(
                .class("tags"),
                .forEach(a.tags) { t in
                    .a(.class("tag"), .href(attr("/announcements?tag=" + WebRoute.encode(t))), .text("#" + t))
                }),
            .if(
                !clusters.isEmpty,
                .group(
                    .h2(.text(lang.t("相关集群（\(clusters.count)）", "Clusters concerned (\(clusters.count))"))),
                    .ul(
                        .class("cluster-list"),
                        .forEach(clusters) { c in .li(.a(.href(attr(WebRoute.cluster(c.id).path)), .text(lang.name(c))))
                        })
                )),
            .h2(.text(lang.t("相关公告", "Related"))),
            related.isEmpty
                ? .p(.class("empty"), .text(lang.t("无。", "None.")))
                : .ul(
                    .forEach(related) { r in
                        .li(.a(.href(attr(WebRoute.announcement(r.id).path)), .text(lang.t(r.titleZh, r.titleEn))))
                    })
        )
    }
}
