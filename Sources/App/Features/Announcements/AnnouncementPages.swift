import ClusterDomain
import DocumentIntake
import Fluent
import Plot
import SQLKit
import Vapor

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
                .a(.href(WebRoute.announcementFeed.path), .text(lang.t("Atom 订阅", "Atom feed"))),
                .if(
                    ctx.caller != nil,
                    .group(.text(" · "), .a(.href(WebRoute.newAnnouncement.path), .text(lang.t("发布公告", "Publish"))))),
                .if(
                    tag != nil, .group(.text(" · "), .a(.href(WebRoute.announcements.path), .text(lang.t("全部", "All"))))
                )),
            .p(
                .class("tags"),
                .forEach(allTags) { t in
                    .a(.class("tag"), .href(attr(WebRoute.announcements.link(["tag": t]))), .text("#" + t))
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
            .class("stack"), .id("publish"), .action(WebRoute.newAnnouncement.path), .method(.post),
            AccountPages.csrfField(csrf),
            field("title_zh", "标题（中文）", "Title (Chinese)", value: intake?.headline ?? "", required: true),
            field("title_en", "标题（英文）", "Title (English)", required: intake == nil),
            .label(.for("body_zh"), .text(lang.t("正文（中文）", "Text (Chinese)"))),
            .textarea(.id("body_zh"), .name("body_zh"), .attribute(named: "rows", value: "8"), .text(body)),
            .label(.for("body_en"), .text(lang.t("正文（英文，可空）", "Text (English, optional)"))),
            .textarea(.id("body_en"), .name("body_en"), .attribute(named: "rows", value: "4")),
            field("source", "来源", "Source", required: true),
            field("source_url", "来源网址", "Source address"),
            field("published_on", "日期", "Date", value: stated ?? today.description, hint: FormFields.dateHint(lang)),
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
            .nav(.class("crumbs"), .a(.href(WebRoute.announcements.path), .text(lang.t("公告与动态", "Announcements")))),
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
                    .a(.class("tag"), .href(attr(WebRoute.announcements.link(["tag": t]))), .text("#" + t))
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
