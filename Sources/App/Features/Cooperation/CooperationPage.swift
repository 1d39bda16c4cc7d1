import ClusterDomain
import Foundation
import Plot

/// `/cooperation`: the network of clusters linked by shared activities, drawn on the server, and the ledger.
enum CooperationPage {
    /// The strongest links drawn at most (the ledger lists every activity below the drawing).
    static let maxEdges = 60
    /// An activity joining more clusters than this (an alliance) is drawn as a hub with a spoke to each.
    static let hubSize = 6

    /// The clusters that share an activity, on a circle grouped by region then id, each labelled with
    /// its short name. An alliance is a labelled hub inside the circle with a spoke to each member; the
    /// other activities are links between clusters, the strongest only, a link's width growing with the
    /// activities shared. Clusters without a shared activity are counted above the drawing, not drawn.
    static func network(
        id: String, title: String, nodes: [ClusterRow], edges: [(String, String, Int)],
        activities: [CooperationActivity], lang: Language
    ) -> String {
        let drawn = Set(nodes.map(\.cluster.id))
        let hubs = activities.filter { $0.clusterIDs.filter(drawn.contains).count > hubSize }
        let strongest = links(edges, besides: hubs, among: drawn)
        let linked = Set(strongest.flatMap { [$0.0, $0.1] } + hubs.flatMap { $0.clusterIDs.filter(drawn.contains) })
        let size = 760.0
        let radius = 230.0
        let centre = size / 2
        let ordered = nodes.filter { linked.contains($0.cluster.id) }.sorted {
            ($0.region?.rawValue ?? "", $0.cluster.id) < ($1.region?.rawValue ?? "", $1.cluster.id)
        }
        var position: [String: (Double, Double, Double)] = [:]
        for (i, row) in ordered.enumerated() {
            let angle = 2 * Double.pi * Double(i) / Double(max(ordered.count, 1)) - Double.pi / 2
            position[row.cluster.id] = (centre + radius * cos(angle), centre + radius * sin(angle), angle)
        }
        var svg =
            #"<svg class="network" viewBox="0 0 \#(Int(size)) \#(Int(size))" role="group" aria-labelledby="\#(id)-title" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="\#(id)-title">\#(SVG.escape(title))</title>"#
        for (a, b, weight) in strongest {
            guard let p = position[a], let q = position[b] else { continue }
            svg += String(
                format: #"<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="edge" stroke-width="%.1f"/>"#,
                p.0, p.1, q.0, q.1, min(1.5 + Double(weight - 1) * 1.5, 8))
        }
        svg += hubsSVG(hubs, position: position, centre: centre, lang: lang)
        for row in ordered {
            guard let p = position[row.cluster.id] else { continue }
            let name = lang == .zh ? row.cluster.nameZh : row.cluster.nameEn
            // Labels run outward from the circle, on the left side turned to read left to right.
            let degrees = p.2 * 180 / Double.pi
            let left = cos(p.2) < 0
            let (lx, ly) = (centre + (radius + 12) * cos(p.2), centre + (radius + 12) * sin(p.2))
            svg +=
                #"<a href="\#(SVG.escape(WebRoute.cluster(row.cluster.id).path))" aria-label="\#(SVG.escape(name))">"#
            svg += String(
                format: #"<circle cx="%.1f" cy="%.1f" r="7" class="node %@ linked">"#, p.0, p.1,
                row.region?.rawValue ?? "none")
            svg += "<title>\(SVG.escape(row.cluster.id + " " + name))</title></circle>"
            svg += String(
                format:
                    #"<text x="%.1f" y="%.1f" class="node-label" text-anchor="%@" dominant-baseline="middle" transform="rotate(%.1f %.1f %.1f)">%@</text>"#,
                lx, ly, left ? "end" : "start", left ? degrees + 180 : degrees, lx, ly,
                SVG.escape(shortName(row.cluster, lang)))
            svg += "</a>"
        }
        return svg + "</svg>"
    }

    /// Each alliance as a labelled hub inside the circle, with a spoke to each member drawn.
    static func hubsSVG(
        _ hubs: [CooperationActivity], position: [String: (Double, Double, Double)], centre: Double, lang: Language
    ) -> String {
        var out = ""
        for (k, hub) in hubs.enumerated() {
            let angle = 2 * Double.pi * Double(k) / Double(hubs.count)
            let h = hubs.count == 1 ? (centre, centre) : (centre + 70 * cos(angle), centre + 70 * sin(angle))
            for member in hub.clusterIDs {
                guard let p = position[member] else { continue }
                out += String(
                    format: #"<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="edge spoke"/>"#, h.0, h.1, p.0, p.1)
            }
            let name = lang == .zh ? hub.titleZh : hub.titleEn
            out += #"<g class="hub"><title>\#(SVG.escape(name))</title>"#
            out += String(format: #"<circle cx="%.1f" cy="%.1f" r="12" class="hub-node"/>"#, h.0, h.1)
            out += String(
                format: #"<text x="%.1f" y="%.1f" class="hub-label" text-anchor="middle">%@</text>"#, h.0, h.1 + 30,
                SVG.escape(SVG.shorten(name, toWidth: 20)))
            out += "</g>"
        }
        return out
    }

    /// The links between clusters that no alliance already joins (an alliance's pairs are drawn through
    /// its hub), the strongest first, at most `maxEdges`.
    static func links(_ edges: [(String, String, Int)], besides hubs: [CooperationActivity], among drawn: Set<String>)
        -> [(String, String, Int)]
    {
        var weights: [String: Int] = [:]
        for (a, b, w) in edges { weights[a + "|" + b] = w }
        for hub in hubs {
            let members = hub.clusterIDs.filter(drawn.contains)
            for a in members { for b in members where a != b { weights[a + "|" + b]? -= 1 } }
        }
        let pairs = edges.compactMap { a, b, _ in weights[a + "|" + b].flatMap { $0 > 0 ? (a, b, $0) : nil } }
        return Array(pairs.sorted { ($0.2, $1.0) > ($1.2, $0.0) }.prefix(maxEdges))
    }

    /// A cluster's name as a label: without its member cities and the word 集群 / cluster
    /// (深圳市新一代信息通信集群 → 新一代信息通信), cut to a readable length.
    static func shortName(_ cluster: Cluster, _ lang: Language) -> String {
        var name = lang == .zh ? cluster.nameZh : cluster.nameEn
        if lang == .zh {
            if let last = name.lastIndex(where: { $0 == "市" || $0 == "、" }),
                name.distance(from: name.startIndex, to: last) < 16
            {
                name = String(name[name.index(after: last)...])
            }
            if name.hasSuffix("集群") { name.removeLast(2) }
        } else {
            for city in cluster.cityNames {
                name = name.replacingOccurrences(of: city, with: "")
            }
            name = name.replacingOccurrences(of: " cluster", with: "").trimmingCharacters(in: .whitespaces)
        }
        return SVG.shorten(name.isEmpty ? cluster.id : name, toWidth: 16)
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
                        "截至 \(asOf.iso)：\(nodes.count) 个集群，\(edges.count) 条合作连线。图中只画有合作的集群，标注简称；"
                            + "联盟画在圆内，连向每个成员；其他合作画成集群间的连线（最多 \(maxEdges) 条最强的）。",
                        "As of \(asOf.iso): \(nodes.count) clusters, \(edges.count) links through shared activities. "
                            + "The drawing shows the clusters that cooperate, by short name; an alliance is a hub joined "
                            + "to each member; other activities are links between clusters (the \(maxEdges) strongest at most)."
                    ))),
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
                .class("network-wrap"),
                .raw(
                    network(
                        id: "network", title: lang.t("集群合作网络", "Cluster cooperation network"),
                        nodes: nodes, edges: edges, activities: activities, lang: lang))),
            .ul(
                .class("legend"), .attribute(named: "aria-label", value: attr(lang.t("图例", "Legend"))),
                .forEach(Region.allCases) { r in
                    .li(
                        .span(.class("dot \(r.rawValue)"), .attribute(named: "aria-hidden", value: "true")),
                        .text(lang.name(r)))
                },
                .li(
                    .text(
                        lang.t(
                            "线越粗，共同参与的活动越多；深灰色圆点为联盟。",
                            "Thicker lines: more shared activities; the dark grey dot is an alliance.")
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
