import ClusterDomain
import Foundation
import Plot

/// `/clusters`: facet panels with counts, search, sort and pages; the filters live in the URL.
enum DirectoryPage {
    /// The facets shown as panels; each is also a filter parameter of the same name.
    static let panels: [Facet] = [.tier, .domain, .region, .keyRegion, .province, .batch]

    struct Model {
        let query: ClusterQuery
        /// The validated parameters of the request (no `lang`, no empty values).
        let params: [String: String]
        let total: Int
        let rows: [ClusterRow]
        let facets: [(facet: Facet, counts: [ClusterPage.Count])]
        let reference: ReferenceData
        /// The search shown instead of the one typed, which found nothing (a term one edit away).
        let correctedSearch: String?

        init(registry: Registry, query: ClusterQuery, params: [String: String]) {
            var q = query
            q.facets = DirectoryPage.panels
            let page = registry.run(q, search: .withPinyin, correcting: true)
            correctedSearch = page.correctedSearch
            self.query = query
            self.params = params.filter { !$0.value.isEmpty && $0.key != "facet" }
            total = page.total
            rows = page.rows
            facets = page.facets
            reference = registry.reference
        }

        var pages: Int { max(1, (total + query.perPage - 1) / query.perPage) }

        /// The current view with one parameter changed (nil removes it); any change but paging goes back to page 1.
        func link(setting key: String, to value: String?) -> String {
            var p = params
            if key != "page" { p["page"] = nil }
            p[key] = value
            if p["page"] == "1" { p["page"] = nil }
            return WebRoute.clusters.link(p)
        }
    }

    static func view(_ m: Model, _ ctx: PageContext) -> HTML {
        let lang = ctx.lang
        let apiParams = m.params.filter { $0.key != "page" || $0.value != "1" }
        let json = APIRoute.clusters.path + (apiParams.isEmpty ? "" : "?" + query(apiParams))
        let csv = APIRoute.clusters.path + "?" + query(apiParams.merging(["format": "csv"]) { _, b in b })
        return Layout.page(
            ctx, title: lang.t("集群名录", "Cluster directory"),
            .h1(.text(lang.t("集群名录", "Cluster directory"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "截至 \(m.query.asOf.iso)，共 \(m.total) 个集群符合条件。",
                        "As of \(m.query.asOf.iso), \(m.total) clusters match."))),
            .unwrap(m.correctedSearch) { fixed in
                .p(
                    .class("notice"), .attribute(named: "role", value: "status"),
                    .text(
                        lang.t(
                            "没有找到“\(m.query.search ?? "")”，以下是“\(fixed)”的结果。",
                            "Nothing matches “\(m.query.search ?? "")”; showing “\(fixed)” instead.")))
            },
            searchForm(m, lang),
            .div(
                .class("directory"),
                .aside(
                    .class("facets"), .attribute(named: "aria-label", value: attr(lang.t("分面筛选", "Facets"))),
                    // On a phone the results come first and the facets, below them, fold away; on a wide
                    // screen they stand beside the results (styles.css).
                    .element(
                        named: "details",
                        nodes: [
                            .class("fold"), .attribute(named: "open", value: "open"),
                            .element(named: "summary", text: lang.t("筛选条件", "Filters")),
                            .forEach(m.facets) { entry in facetPanel(entry.facet, entry.counts, m, lang) },
                        ])
                ),
                .div(
                    .class("results"),
                    activeFilters(m, lang),
                    .if(
                        ctx.caller != nil,
                        .p(.a(.class("new"), .href(WebRoute.newCluster.path), .text(lang.t("新建集群", "New cluster"))))),
                    .p(
                        .class("downloads"),
                        .a(.href(attr(json)), .text(lang.t("本列表 JSON", "This list as JSON"))), .text(" · "),
                        .a(.href(attr(csv)), .text(lang.t("下载 CSV", "Download CSV")))),
                    m.rows.isEmpty
                        ? .p(.class("empty"), .text(lang.t("没有符合条件的集群。", "No cluster matches.")))
                        : .div(.class("table-scroll"), resultsTable(m, lang)),
                    pager(m, lang)
                )
            )
        )
    }

    static func query(_ params: [String: String]) -> String {
        params.sorted { $0.key < $1.key }.map { "\($0.key)=\(WebRoute.encode($0.value))" }.joined(separator: "&")
    }

    static func searchForm(_ m: Model, _ lang: Language) -> Node<HTML.BodyContext> {
        let sorts: [(String, String)] = [
            ("id", lang.t("编号", "Id")), ("name_zh", lang.t("中文名称", "Chinese name")),
            ("name_en", lang.t("英文名称", "English name")),
            ("-designated_on", lang.t("认定日期（新→旧）", "Designated (newest first)")),
            ("designated_on", lang.t("认定日期（旧→新）", "Designated (oldest first)")), ("domain", lang.t("领域", "Domain")),
            ("region", lang.t("地区", "Region")), ("batch", lang.t("批次", "Batch")),
        ]
        let currentSort = (m.query.descending ? "-" : "") + m.query.sort.rawValue
        let hidden = m.params.filter { !["q", "sort", "as_of", "page"].contains($0.key) }.sorted { $0.key < $1.key }
        return .form(
            .class("search"), .action(attr(WebRoute.clusters.path)), .method(.get),
            .attribute(named: "role", value: "search"),
            .forEach(hidden) { key, value in .input(.type(.hidden), .name(key), .value(attr(value))) },
            .div(
                .label(.for("q"), .text(lang.t("搜索名称", "Search names"))),
                .input(
                    .type(.search), .id("q"), .name("q"), .value(attr(m.query.search ?? "")),
                    .attribute(named: "maxlength", value: attr("\(ClusterQuery.maxSearchLength)")))),
            .div(
                .label(.for("sort"), .text(lang.t("排序", "Sort by"))),
                .select(
                    .attribute(named: "id", value: "sort"), .attribute(named: "name", value: "sort"),
                    .forEach(sorts) { value, label in
                        .element(
                            named: "option",
                            nodes: [
                                .attribute(named: "value", value: attr(value)),
                                value == currentSort ? .attribute(named: "selected", value: "selected") : .empty,
                                .text(label),
                            ])
                    })),
            .div(
                .label(.for("as_of"), .text(lang.t("截至日期", "As of"))),
                .input(.type(.date), .id("as_of"), .name("as_of"), .value(attr(m.params["as_of"] ?? "")))),
            .button(.type(.submit), .text(lang.t("查询", "Search")))
        )
    }

    static func facetPanel(_ facet: Facet, _ counts: [ClusterPage.Count], _ m: Model, _ lang: Language) -> Node<
        HTML.BodyContext
    > {
        let key = facet.rawValue
        let selected = m.params[key]
        return .section(
            .class("facet"), .attribute(named: "data-facet", value: attr(key)),
            .h2(.text(lang.name(facet))),
            .ul(
                .forEach(counts) { count in
                    let name = lang.name(facet: facet, value: count.value, reference: m.reference)
                    let isSelected = selected == count.value
                    return .li(
                        .a(
                            .href(attr(m.link(setting: key, to: isSelected ? nil : count.value))),
                            .if(isSelected, .attribute(named: "aria-current", value: "true")),
                            .if(isSelected, .class("selected")),
                            .text(name), .span(.class("count"), .text(" \(count.count)"))
                        ))
                })
        )
    }

    static func activeFilters(_ m: Model, _ lang: Language) -> Node<HTML.BodyContext> {
        let active = panels.compactMap { facet in m.params[facet.rawValue].map { (facet, $0) } }
        guard !active.isEmpty || m.query.search != nil else { return .empty }
        return .ul(
            .class("active-filters"), .attribute(named: "aria-label", value: attr(lang.t("当前筛选", "Active filters"))),
            .forEach(active) { facet, value in
                .li(
                    .a(
                        .href(attr(m.link(setting: facet.rawValue, to: nil))),
                        .text(
                            lang.name(facet) + lang.t("：", ": ")
                                + lang.name(facet: facet, value: value, reference: m.reference) + " ✕"),
                        .attribute(named: "aria-label", value: lang.t("取消筛选 ", "Remove filter ") + lang.name(facet))))
            },
            .if(
                m.query.search != nil,
                .li(
                    .a(
                        .href(attr(m.link(setting: "q", to: nil))),
                        .text(lang.t("搜索：", "Search: ") + (m.query.search ?? "") + " ✕")))),
            .li(.a(.href(attr(WebRoute.clusters.path)), .text(lang.t("全部清除", "Clear all"))))
        )
    }

    static func resultsTable(_ m: Model, _ lang: Language) -> Node<HTML.BodyContext> {
        let ref = m.reference
        let asOf = m.params["as_of"].map { ["as_of": $0] } ?? [:]
        return .table(
            .class("clusters"),
            .caption(.text(lang.t("第 \(m.query.page) 页，共 \(m.pages) 页", "Page \(m.query.page) of \(m.pages)"))),
            .thead(
                .tr(
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("编号", "Id"))),
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("名称", "Name"))),
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("领域", "Domain"))),
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("地区", "Region"))),
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("省份", "Provinces"))),
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("层级", "Tier"))),
                    .th(.attribute(named: "scope", value: "col"), .text(lang.t("认定", "Designated")))
                )),
            .tbody(
                .forEach(m.rows) { row in
                    let c = row.cluster
                    return .tr(
                        .td(.text(c.id)),
                        .td(.a(.href(attr(WebRoute.cluster(c.id).link(asOf))), .text(lang.name(c)))),
                        .td(.text(ref.domain(code: c.domainCode).map(lang.name) ?? c.domainCode)),
                        .td(.text(row.region.map(lang.name) ?? "")),
                        .td(
                            .text(
                                c.provinceCodes.compactMap(ref.province(code:)).map {
                                    lang.t($0.shortNameZh, $0.nameEn)
                                }
                                .joined(separator: lang.t("、", ", ")))),
                        .td(.text(lang.name(row.state.tier))),
                        .td(.text(c.designatedOn?.description ?? ""))
                    )
                })
        )
    }

    static func pager(_ m: Model, _ lang: Language) -> Node<HTML.BodyContext> {
        guard m.pages > 1 else { return .empty }
        let page = m.query.page
        return .nav(
            .class("pager"), .attribute(named: "aria-label", value: attr(lang.t("分页", "Pages"))),
            .if(
                page > 1,
                .a(
                    .href(attr(m.link(setting: "page", to: String(min(page - 1, m.pages))))),
                    .attribute(named: "rel", value: "prev"),
                    .text(lang.t("← 上一页", "← Previous")))),
            .forEach(1...m.pages) { n in
                .a(
                    .href(attr(m.link(setting: "page", to: String(n)))), .text("\(n)"),
                    .if(n == page, .attribute(named: "aria-current", value: "page")))
            },
            .if(
                page < m.pages,
                .a(
                    .href(attr(m.link(setting: "page", to: String(page + 1)))), .attribute(named: "rel", value: "next"),
                    .text(lang.t("下一页 →", "Next →"))))
        )
    }
}
