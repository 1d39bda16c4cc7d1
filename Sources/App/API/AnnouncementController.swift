import ClusterDomain
import Plot
import Vapor

/// Announcements: list and tag pages, each item with related items, a most-read ranking from
/// per-day counters, an Atom feed, and the JSON.
struct AnnouncementController: Sendable {
    func register(on app: Application) {
        app.get(APIRoute.announcements.components, use: list)
        app.post(APIRoute.announcements.components, use: publish)
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

        init(_ a: Announcement) {
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
        }
    }

    func list(req: Request) async throws -> [AnnouncementDTO] {
        let params = try req.queryParameters(for: .announcements)
        let all = try await AnnouncementStore(db: req.db).all()
        return all.filter { a in
            (params["tag"]?.nilIfBlank.map { a.tags.contains($0) } ?? true)
                && (params["cluster"]?.nilIfBlank.map { a.clusterIDs.contains($0) } ?? true)
        }.map(AnnouncementDTO.init)
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
    }

    /// Publishes an announcement. An admin may publish any; others only about clusters they may
    /// edit (every linked cluster must be theirs, and at least one must be linked).
    func publish(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(AnnouncementInput.self)
        let registry = try await req.store.registry()
        var errors: [String: String] = [:]
        func text(_ v: String?, _ field: String, max: Int, required: Bool = true) -> String {
            let t = (v ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if (required && t.isEmpty) || t.count > max { errors[field] = required ? "1 to \(max) characters" : "at most \(max) characters" }
            return t
        }
        let titleZh = text(input.titleZh, "title_zh", max: 200)
        let titleEn = text(input.titleEn, "title_en", max: 200)
        let bodyZh = text(input.bodyZh, "body_zh", max: 10_000)
        let bodyEn = text(input.bodyEn, "body_en", max: 10_000, required: false)
        let source = text(input.source, "source", max: 500)
        let url = input.sourceUrl?.nilIfBlank
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.count > 500 || url.contains(where: \.isWhitespace) {
            errors["source_url"] = "an http(s) address of at most 500 characters"
        }
        let day = input.publishedOn.flatMap { Day($0) } ?? (input.publishedOn == nil ? req.application.today() : nil)
        if day == nil { errors["published_on"] = "a date: YYYY-MM-DD" }
        let tags = (input.tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if tags.count > 10 || tags.contains(where: { $0.count > 30 || $0.contains("/") }) { errors["tags"] = "at most 10 tags of at most 30 characters, without '/'" }
        let ids = input.clusters ?? []
        let clusters = ids.compactMap { id in registry.clusters.first { $0.id == id } }
        if clusters.count != ids.count || ids.count > 100 { errors["clusters"] = "unknown cluster id (or more than 100)" }
        guard errors.isEmpty, let day else { throw FieldErrors(errors) }
        let scopes = clusters.map(ClusterScope.init)
        let grant: Grant? = caller.isAdmin ? caller.grants.first { $0.role == .admin }
            : (scopes.isEmpty ? nil : caller.grants.first { g in scopes.allSatisfy { AccessRules.allows(g, .edit, on: $0) } })
        guard let grant else {
            try await AuditLog.record(on: req.db, request: req, caller: caller, grant: nil, action: "publish_announcement",
                                      outcome: .refused, entity: "announcement", entityID: nil, scope: scopes.first)
            throw AuthError.forbidden("only an admin, or an authority for every linked cluster, may publish this")
        }
        let existing = try await AnnouncementModel.query(on: req.db).all(\.$id)
        let next = (existing.compactMap { Int($0.dropFirst(2)) }.max() ?? 0) + 1
        let item = Announcement(id: String(format: "AN%03d", next), titleZh: titleZh, titleEn: titleEn.isEmpty ? titleZh : titleEn,
                                bodyZh: bodyZh, bodyEn: bodyEn, source: source, sourceURL: url, publishedOn: day, tags: tags,
                                clusterIDs: ids)
        try await req.db.transaction { tx in
            try await AnnouncementModel(item).create(on: tx)
            try await AuditLog.record(on: tx, request: req, caller: caller, grant: grant.description, action: "publish_announcement",
                                      outcome: .done, entity: "announcement", entityID: item.id,
                                      after: AuditLog.json(AnnouncementDTO(item)), scope: scopes.first)
        }
        return try await AnnouncementDTO(item).encodeResponse(status: .created, for: req)
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
        return WebController.html(AnnouncementPages.list(ctx, items: shown, tag: tag,
                                                         allTags: Array(Set(all.flatMap(\.tags))).sorted(),
                                                         mostRead: ranking.compactMap { r in byID[r.id].map { ($0, r.views) } },
                                                         today: today).render())
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
        return WebController.html(AnnouncementPages.item(ctx, item: item, clusters: clusters,
                                                         related: Announcement.related(to: item, among: all)).render())
    }

    func feed(req: Request) async throws -> Response {
        let all = try await AnnouncementStore(db: req.db).all()
        let scheme = req.application.authSettings.secureCookies ? "https" : "http"
        let host = req.headers.first(name: .host).flatMap { h in
            h.allSatisfy { $0.isLetter || $0.isNumber || ".:-[]".contains($0) } ? h : nil
        } ?? "127.0.0.1:8080"
        let xml = Announcement.atom(all, base: "\(scheme)://\(host)", updated: all.first?.publishedOn ?? req.application.today())
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        return response
    }
}

/// The announcement pages.
enum AnnouncementPages {
    static func list(_ ctx: PageContext, items: [Announcement], tag: String?, allTags: [String],
                     mostRead: [(Announcement, Int)], today: Day) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("公告与动态", "Announcements"),
            .h1(.text(lang.t("公告与动态", "Announcements") + (tag.map { " · #" + $0 } ?? ""))),
            .p(.a(.href("/announcements.atom"), .text(lang.t("Atom 订阅", "Atom feed"))),
               .if(tag != nil, .group(.text(" · "), .a(.href("/announcements"), .text(lang.t("全部", "All")))))),
            .p(.class("tags"), .forEach(allTags) { t in
                .a(.class("tag"), .href(attr("/announcements?tag=" + WebRoute.encode(t))), .text("#" + t))
            }),
            .ul(.class("announcements"), .forEach(items) { a in
                .li(.element(named: "time", nodes: [.attribute(named: "datetime", value: a.publishedOn.description), .text(a.publishedOn.description)]),
                    .text(" "), .a(.href(attr(WebRoute.announcement(a.id).path)), .text(lang.t(a.titleZh, a.titleEn))))
            }),
            .h2(.text(lang.t("近 30 天阅读最多", "Most read in the last 30 days"))),
            mostRead.isEmpty ? .p(.class("empty"), .text(lang.t("暂无阅读记录。", "No reads counted yet.")))
                : .ol(.class("most-read"), .forEach(mostRead) { a, views in
                    .li(.a(.href(attr(WebRoute.announcement(a.id).path)), .text(lang.t(a.titleZh, a.titleEn))),
                        .text(lang.t("（\(views) 次）", " (\(views))")))
                }),
            .p(.class("muted"), .text(lang.t("阅读数按日累计，不记录任何读者信息，自报为爬虫的程序不计。",
                                             "Reads are daily counters; nothing about readers is kept, and programs that say they are crawlers are not counted.")))
        )
    }

    static func item(_ ctx: PageContext, item a: Announcement, clusters: [Cluster], related: [Announcement]) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t(a.titleZh, a.titleEn),
            .nav(.class("crumbs"), .a(.href("/announcements"), .text(lang.t("公告与动态", "Announcements")))),
            .h1(.text(lang.t(a.titleZh, a.titleEn))),
            .p(.element(named: "time", nodes: [.attribute(named: "datetime", value: a.publishedOn.description), .text(a.publishedOn.description)]),
               .text(" · " + a.source),
               .if(a.sourceURL != nil, .group(.text(" · "), .a(.href(attr(a.sourceURL ?? "")), .attribute(named: "rel", value: "noopener nofollow"),
                                                                .text(lang.t("来源", "source")))))),
            .p(.text(lang.t(a.bodyZh, a.bodyEn))),
            .p(.class("tags"), .forEach(a.tags) { t in .a(.class("tag"), .href(attr("/announcements?tag=" + WebRoute.encode(t))), .text("#" + t)) }),
            .if(!clusters.isEmpty, .group(
                .h2(.text(lang.t("相关集群（\(clusters.count)）", "Clusters concerned (\(clusters.count))"))),
                .ul(.class("cluster-list"), .forEach(clusters) { c in .li(.a(.href(attr(WebRoute.cluster(c.id).path)), .text(lang.name(c)))) })
            )),
            .h2(.text(lang.t("相关公告", "Related"))),
            related.isEmpty ? .p(.class("empty"), .text(lang.t("无。", "None.")))
                : .ul(.forEach(related) { r in .li(.a(.href(attr(WebRoute.announcement(r.id).path)), .text(lang.t(r.titleZh, r.titleEn)))) })
        )
    }
}
