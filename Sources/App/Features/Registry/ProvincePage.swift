import ClusterDomain
import Plot

/// `/provinces/{code}`: a province's clusters, region and key regions as of a day.
enum ProvincePage {
    struct Model {
        let province: Province
        let asOf: Day
        let isToday: Bool
        /// National clusters with a member in the province on `asOf`.
        let rows: [ClusterRow]
        let keyRegions: [KeyRegion]
        let reference: ReferenceData
        /// National clusters with a member in the province at the end of each year since 2019.
        let trend: [(year: Int, count: Int)]
        /// Each indicator over the years from the accepted returns of the province's clusters.
        var indicatorTrend: IndicatorTrend? = nil
        var indicatorSet: IndicatorSet? = nil

        init(registry: Registry, province: Province, asOf: Day, today: Day) {
            self.province = province
            self.asOf = asOf
            isToday = asOf == today
            rows = registry.rows(asOf: asOf).filter { row in
                row.cluster.provinceCodes.contains(province.code) && row.state.tier == .national
                    && row.state.status != .exited
            }
            keyRegions = registry.reference.keyRegions.filter {
                $0.provinceCodes.contains(province.code)
                    || $0.cityNames.contains { registry.reference.city(named: $0)?.provinceCode == province.code }
            }
            reference = registry.reference
            trend = registry.nationalTrend(asOf: asOf, province: province.code)
        }

        var single: Int { rows.filter { !$0.cluster.isCrossProvince }.count }
        var cross: Int { rows.count - single }
    }

    static func view(_ m: Model, _ ctx: PageContext) -> HTML {
        let lang = ctx.lang
        let p = m.province
        let asOf = m.isToday ? [:] : ["as_of": m.asOf.iso]
        return Layout.page(
            ctx, title: lang.name(p),
            .h1(.text(lang.name(p))),
            .p(
                .class("other-name"), .attribute(named: "lang", value: attr(lang.other.tag)),
                .text(lang.t(p.nameEn, p.nameZh))),
            .form(
                .class("asof"), .action(attr(WebRoute.province(p.code).path)), .method(.get),
                .label(.for("as_of"), .text(lang.t("截至日期", "As of"))),
                .input(.type(.date), .id("as_of"), .name("as_of"), .value(attr(m.asOf.iso))),
                .button(.type(.submit), .text(lang.t("更新", "Update")))),
            .dl(
                .dt(.text(lang.t("行政区划代码", "Division code"))), .dd(.text(p.code)),
                .dt(.text(lang.t("地区", "Region"))), .dd(.text(lang.name(p.region))),
                .dt(.text(lang.t("重点区域", "Key regions"))),
                .dd(
                    .text(
                        m.keyRegions.isEmpty ? lang.t("无", "none") : m.keyRegions.map(lang.name).joined(separator: ", ")
                    )),
                .dt(.text(lang.t("国家级集群（截至 \(m.asOf.iso)）", "National clusters (as of \(m.asOf.iso))"))),
                .dd(.class("num"), .text("\(m.rows.count)")),
                .dt(.text(lang.t("其中省内集群", "of which within the province"))), .dd(.class("num"), .text("\(m.single)")),
                .dt(.text(lang.t("其中跨省集群", "of which cross-province"))), .dd(.class("num"), .text("\(m.cross)"))
            ),
            DashboardPage.trendChart(m.trend, id: "province-trend", lang),
            .unwrap(m.indicatorTrend) { t in
                m.indicatorSet.map { IndicatorTrendView.table(t, set: $0, lang: lang) } ?? .empty
            },
            .h2(.text(lang.t("集群", "Clusters"))),
            m.rows.isEmpty
                ? .p(.class("empty"), .text(lang.t("该日期无国家级集群。", "No national cluster on this day.")))
                : .ul(
                    .class("cluster-list"),
                    .forEach(m.rows) { row in
                        .li(
                            .a(.href(attr(WebRoute.cluster(row.cluster.id).link(asOf))), .text(lang.name(row.cluster))),
                            .text(" · " + (m.reference.domain(code: row.cluster.domainCode).map(lang.name) ?? "")),
                            .if(
                                row.cluster.isCrossProvince, .span(.class("tag"), .text(lang.t("跨省", "cross-province")))
                            ))
                    }),
            .p(
                .a(
                    .href(attr(WebRoute.clusters.link(asOf.merging(["province": p.code]) { a, _ in a }))),
                    .text(lang.t("在名录中筛选本省 →", "Filter the directory by this province →"))))
        )
    }
}
