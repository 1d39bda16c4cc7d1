import ClusterDomain
import Foundation
import Plot

/// `/cooperation`: the network of clusters linked by shared activities, drawn on the server, and the ledger.
enum CooperationPage {
    /// Nodes on a circle, grouped by region then id; an edge's width grows with the activities shared.
    static func network(id: String, title: String, nodes: [ClusterRow], edges: [(String, String, Int)], lang: Language)
        -> String
    {
        let size = 640.0
        let radius = 260.0
        let centre = size / 2
        let ordered = nodes.sorted {
            ($0.region?.rawValue ?? "", $0.cluster.id) < ($1.region?.rawValue ?? "", $1.cluster.id)
        }
        var position: [String: (Double, Double)] = [:]
        for (i, row) in ordered.enumerated() {
            let angle = 2 * Double.pi * Double(i) / Double(max(ordered.count, 1)) - Double.pi / 2
            position[row.cluster.id] = (centre + radius * cos(angle), centre + radius * sin(angle))
        }
        var svg =
            #"<svg class="network" viewBox="0 0 \#(Int(size)) \#(Int(size))" role="group" aria-labelledby="\#(id)-title" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="\#(id)-title">\#(SVG.escape(title))</title>"#
        for (a, b, weight) in edges {
            guard let p = position[a], let q = position[b] else { continue }
            svg += String(
                format: #"<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="edge" stroke-width="%.1f"/>"#,
                p.0, p.1, q.0, q.1, min(1 + Double(weight - 1), 6))
        }
        let linked = Set(edges.flatMap { [$0.0, $0.1] })
        for row in ordered {
            guard let p = position[row.cluster.id] else { continue }
            let name = lang == .zh ? row.cluster.nameZh : row.cluster.nameEn
            svg +=
                #"<a href="\#(SVG.escape(WebRoute.cluster(row.cluster.id).path))" aria-label="\#(SVG.escape(name))">"#
            svg += String(
                format: #"<circle cx="%.1f" cy="%.1f" r="6" class="node %@ %@">"#, p.0, p.1,
                row.region?.rawValue ?? "none", linked.contains(row.cluster.id) ? "linked" : "alone")
            svg += "<title>\(SVG.escape(row.cluster.id + " " + name))</title></circle>"
            svg += String(
                format: #"<text x="%.1f" y="%.1f" class="node-label" text-anchor="middle">%@</text>"#,
                centre + (p.0 - centre) * 1.09, centre + (p.1 - centre) * 1.09 + 3, SVG.escape(row.cluster.id))
            svg += "</a>"
        }
        return svg + "</svg>"
    }

    static func documentItem(_ d: ActivityDocument, _ lang: Language) -> Node<HTML.ListContext> {
        var parts: [Node<HTML.BodyContext>] = [.text(d.title)]
        if let number = d.documentNumber { parts.append(.text("（\(number)）")) }
        if let url = d.url {
            parts.append(.text(" · "))
            parts.append(
                .a(.href(attr(url)), .attribute(named: "rel", value: "noopener nofollow"), .text(lang.t("链接", "link"))))
        }
        if let id = d.attachmentID {
            parts.append(.text(" · "))
            parts.append(.a(.href(attr(WebRoute.attachment(id).path)), .text(lang.t("下载", "download"))))
        }
        return .li(.group(parts))
    }

    static func view(
        _ ctx: PageContext, nodes: [ClusterRow], edges: [(String, String, Int)], activities: [CooperationActivity],
        params: [String: String], asOf: Day, reference: ReferenceData
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("集群交流合作", "Cooperation between clusters"),
            .h1(.text(lang.t("集群交流合作", "Cooperation between clusters"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "截至 \(asOf.iso)：\(nodes.count) 个集群，\(edges.count) 条合作连线。",
                        "As of \(asOf.iso): \(nodes.count) clusters, \(edges.count) links through shared activities."))),
            .form(
                .class("asof"), .action(WebRoute.cooperation.path), .method(.get),
                .label(.for("domain"), .text(lang.t("领域", "Domain"))),
                .select(
                    .attribute(named: "id", value: "domain"), .attribute(named: "name", value: "domain"),
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: "", ignoreIfValueIsEmpty: false),
                            .text(lang.t("全部", "All")),
                        ]),
                    .forEach(reference.domains) { d in
                        .element(
                            named: "option",
                            nodes: [
                                .attribute(named: "value", value: d.code),
                                params["domain"] == d.code ? .attribute(named: "selected", value: "selected") : .empty,
                                .text(lang.name(d)),
                            ])
                    }),
                .label(.for("region"), .text(lang.t("地区", "Region"))),
                .select(
                    .attribute(named: "id", value: "region"), .attribute(named: "name", value: "region"),
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: "", ignoreIfValueIsEmpty: false),
                            .text(lang.t("全部", "All")),
                        ]),
                    .forEach(Region.allCases) { r in
                        .element(
                            named: "option",
                            nodes: [
                                .attribute(named: "value", value: r.rawValue),
                                params["region"] == r.rawValue
                                    ? .attribute(named: "selected", value: "selected") : .empty,
                                .text(lang.name(r)),
                            ])
                    }),
                .label(.for("as_of"), .text(lang.t("截至日期", "As of"))),
                .input(.type(.date), .id("as_of"), .name("as_of"), .value(attr(params["as_of"] ?? ""))),
                .button(.type(.submit), .text(lang.t("筛选", "Filter")))
            ),
            .div(
                .class("map"),
                .raw(
                    network(
                        id: "network", title: lang.t("集群合作网络", "Cluster cooperation network"),
                        nodes: nodes, edges: edges, lang: lang))),
            .ul(
                .class("legend"), .attribute(named: "aria-label", value: attr(lang.t("图例", "Legend"))),
                .forEach(Region.allCases) { r in
                    .li(
                        .span(.class("dot \(r.rawValue)"), .attribute(named: "aria-hidden", value: "true")),
                        .text(lang.name(r)))
                },
                .li(
                    .text(
                        lang.t("线越粗，共同参与的活动越多；淡色点尚无合作。", "Thicker lines: more shared activities; faint dots: none yet.")
                    ))),
            .h2(.text(lang.t("合作台账", "Cooperation ledger"))),
            .if(
                ctx.caller != nil,
                .p(.a(.href(attr(WebRoute.newActivity.path)), .text(lang.t("记录合作活动", "Record an activity"))))),
            .ul(
                .class("activities"),
                .forEach(activities) { a in
                    .li(
                        .id(attr(a.id)), .strong(.text(lang.t(a.titleZh, a.titleEn))),
                        .text(
                            " · " + lang.t(a.kind.nameZh, a.kind.nameEn) + " · " + a.startedOn.description + " · "
                                + lang.t("\(a.clusterIDs.count) 个集群", "\(a.clusterIDs.count) clusters")),
                        .p(.text(a.outcomes)),
                        .if(
                            !a.outputs.isEmpty,
                            .ul(
                                .class("outputs"),
                                .forEach(a.outputs) { o in
                                    .li(.text("\(o.name)：\(IntakePages.number(o.value)) \(o.unit)"))
                                })),
                        .if(
                            !a.documents.isEmpty,
                            .ul(.class("documents"), .forEach(a.documents) { d in documentItem(d, lang) })),
                        .element(named: "small", nodes: [.text(a.source)]),
                        .if(
                            ctx.caller != nil,
                            .p(
                                .a(
                                    .href(attr(WebRoute.activityDocuments(a.id).path)),
                                    .text(lang.t("附加文件", "Attach a document"))))))
                }),
            .p(.a(.href(attr(APIRoute.cooperation.path)), .text("JSON")))
        )
    }
}
