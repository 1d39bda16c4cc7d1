import ClusterDomain
import Foundation
import Plot

/// `/`: the programme at a glance as of a day — headline figures beside the published ones,
/// charts, and the province map.
enum DashboardPage {
    struct Headline {
        let metric: String
        let labelZh: String
        let labelEn: String
        /// The registry's value on the dashboard's day.
        let derived: Double
        /// The latest published figure for this metric on or before that day, with its check.
        let published: ReconciliationRow?
    }

    struct Model {
        let asOf: Day
        let today: Day
        let stats: Statistics
        let headlines: [Headline]
        /// Days worth a click: those that published figures describe, and today.
        let presets: [Day]
        /// National clusters with a member in each province on `asOf`.
        let provinceCounts: [String: Int]
        let reference: ReferenceData
        /// National clusters at the end of each year since 2019 (45 in 2022, 80 in 2024).
        let trend: [(year: Int, count: Int)]
        /// Each indicator over the years from the accepted returns of the national clusters.
        var indicatorTrend: IndicatorTrend? = nil
        var indicatorSet: IndicatorSet? = nil

        static let headlineMetrics: [(String, String, String)] = [
            ("clusters", "国家级集群", "National clusters"),
            ("provinces", "涉及省份", "Provinces touched"),
            ("planned_cities", "涉及计划单列市", "Planned cities touched"),
            ("key_regions.total", "重点区域集群", "Clusters in the key regions"),
            ("key_regions.share", "重点区域占比", "Share in the key regions"),
            ("region.east", "东部", "East"),
            ("region.central", "中部", "Central"),
            ("region.west", "西部", "West"),
            ("region.northeast", "东北", "Northeast"),
        ]

        init(registry: Registry, figures: [PublishedFigure], asOf: Day, today: Day) {
            self.asOf = asOf
            self.today = today
            reference = registry.reference
            let stats = registry.statistics(asOf: asOf)
            self.stats = stats
            let checks = registry.reconcile(figures.filter { $0.referenceDate <= asOf })
            headlines = Self.headlineMetrics.map { metric, zh, en in
                let latest = checks.filter { $0.figure.metric == metric }
                    .max { $0.figure.referenceDate < $1.figure.referenceDate }
                return Headline(
                    metric: metric, labelZh: zh, labelEn: en, derived: stats.value(of: metric) ?? 0,
                    published: latest)
            }
            presets = (Set(figures.map(\.referenceDate)).union([today])).sorted()
            var counts: [String: Int] = [:]
            for cluster in registry.clusters(in: .national, asOf: asOf) {
                for code in Set(cluster.provinceCodes) { counts[code, default: 0] += 1 }
            }
            provinceCounts = counts
            trend = registry.nationalTrend(asOf: asOf)
        }
    }

    static func view(_ m: Model, _ ctx: PageContext) -> HTML {
        let lang = ctx.lang
        let day = m.asOf.iso
        let asOfParam = m.asOf == m.today ? [:] : ["as_of": day]
        func list(_ extra: [String: String]) -> String {
            WebRoute.clusters.link(extra.merging(asOfParam) { a, _ in a })
        }
        let regionBars = Region.allCases.map {
            SVG.Bar(
                label: lang.name($0), value: m.stats.byRegion[$0] ?? 0,
                href: list(["region": $0.rawValue, "tier": "national"]))
        }
        let domainBars = m.reference.domains.map {
            SVG.Bar(
                label: lang.name($0), value: m.stats.byDomain[$0.code] ?? 0,
                href: list(["domain": $0.code, "tier": "national"]))
        }
        let keyBars = m.reference.keyRegions.map {
            SVG.Bar(
                label: lang.name($0), value: m.stats.byKeyRegion[$0.code] ?? 0,
                href: list(["key_region": $0.code, "tier": "national"]))
        }
        let batchBars = m.reference.batches.map {
            SVG.Bar(
                label: lang.name($0) + " (\($0.designatedOn.year))", value: m.stats.byBatch[$0.code] ?? 0,
                href: list(["batch": $0.code, "tier": "national"]))
        }
        return Layout.page(
            ctx, title: lang.t("总览", "Dashboard"),
            .h1(.text(lang.t("国家先进制造业集群", "National advanced manufacturing clusters"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "省级—国家级—世界级梯次培育体系的登记与开放数据。以下数字均由登记数据按所选日期计算，并与已公布数字核对。",
                        "The registry and open data of the provincial → national → world-class cultivation system. Every figure below is counted from the registry for the chosen day and checked against the published figures."
                    ))),
            .form(
                .class("asof"), .action(WebRoute.home.path), .method(.get),
                .label(.for("as_of"), .text(lang.t("截至日期", "As of"))),
                .input(.type(.date), .id("as_of"), .name("as_of"), .value(attr(day))),
                .button(.type(.submit), .text(lang.t("更新", "Update"))),
                .span(
                    .class("presets"),
                    .forEach(m.presets) { preset in
                        .a(
                            .href(attr(preset == m.today ? "/" : WebRoute.home.link(["as_of": preset.iso]))),
                            .if(preset == m.asOf, .attribute(named: "aria-current", value: "true")),
                            .text(preset == m.today ? lang.t("今天", "today") : preset.iso))
                    })
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "headline-title"),
                .h2(.id("headline-title"), .text(lang.t("主要数字", "Headline figures") + " · " + day)),
                .table(
                    .class("headline"),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("指标", "Figure"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("登记数据", "Registry"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("已公布", "Published"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("核对", "Check")))
                        )),
                    .tbody(.forEach(m.headlines) { h in headlineRow(h, lang) })
                ),
                .p(
                    .a(
                        .href(attr(WebRoute.figures.path)),
                        .text(lang.t("全部公布数字与来源 →", "All published figures and their sources →"))))
            ),
            .section(
                .class("charts"),
                .attribute(named: "aria-labelledby", value: "charts-title"),
                .h2(.id("charts-title"), .text(lang.t("分布", "Distribution"))),
                chart(
                    SVG.barChart(id: "by-region", title: lang.t("按地区", "By region"), bars: regionBars),
                    lang.t("按地区", "By region")),
                chart(
                    SVG.barChart(id: "by-domain", title: lang.t("按领域", "By domain"), bars: domainBars),
                    lang.t("按领域", "By domain")),
                chart(
                    SVG.barChart(id: "by-key-region", title: lang.t("按重点区域", "By key region"), bars: keyBars),
                    lang.t("按重点区域", "By key region")),
                chart(
                    SVG.barChart(
                        id: "by-batch", title: lang.t("按批次（认定年份）", "By batch (year designated)"), bars: batchBars),
                    lang.t("按批次（认定年份）", "By batch (year designated)"))
            ),
            trendChart(m.trend, id: "trend", lang),
            .unwrap(m.indicatorTrend) { t in
                m.indicatorSet.map { IndicatorTrendView.table(t, set: $0, lang: lang) } ?? .empty
            },
            .section(
                .attribute(named: "aria-labelledby", value: "map-title"),
                .h2(
                    .id("map-title"),
                    .text(lang.t("各省集群数（含跨省集群）", "Clusters per province (cross-province clusters count in each)"))),
                .div(
                    .class("map"),
                    .raw(
                        TileMap.svg(
                            id: "province-map", title: lang.t("各省国家级集群数量地图", "Map of national clusters per province"),
                            reference: m.reference, lang: lang, counts: m.provinceCounts,
                            href: { WebRoute.province($0.code).link(asOfParam) }))),
                legend(lang)
            )
        )
    }

    /// National clusters over the years, one bar a year, the count at its end.
    static func trendChart(_ trend: [(year: Int, count: Int)], id: String, _ lang: Language) -> Node<HTML.BodyContext> {
        let title = lang.t("国家级集群数量（各年年末）", "National clusters at the end of each year")
        return .section(
            .class("trend"), .attribute(named: "aria-labelledby", value: attr(id + "-h")),
            .h2(.id(attr(id + "-h")), .text(title)),
            chart(
                SVG.barChart(
                    id: id, title: title,
                    bars: trend.map { SVG.Bar(label: lang.t("\($0.year) 年", "\($0.year)"), value: $0.count, href: nil) }
                ),
                title))
    }

    static func chart(_ svg: String, _ caption: String) -> Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [.raw(svg), .element(named: "figcaption", text: caption)])
    }

    static func legend(_ lang: Language) -> Node<HTML.BodyContext> {
        .ul(
            .class("legend"), .attribute(named: "aria-label", value: attr(lang.t("图例", "Legend"))),
            .forEach(TileMap.buckets.indices) { i in
                .li(
                    .span(.class("swatch s\(i)"), .attribute(named: "aria-hidden", value: "true")),
                    .text(TileMap.buckets[i].label + lang.t(" 个集群", " clusters")))
            })
    }

    static func headlineRow(_ h: Headline, _ lang: Language) -> Node<HTML.TableContext> {
        let unit = h.metric.hasSuffix("share") ? "share" : "count"
        guard let row = h.published else {
            return .tr(
                .th(.attribute(named: "scope", value: "row"), .text(lang.t(h.labelZh, h.labelEn))),
                .td(.class("num"), .text(lang.format(h.derived, unit: unit))),
                .td(.text("—")), .td(.text(lang.t("当日前无公布数字", "nothing published by this day"))))
        }
        let f = row.figure
        let published = lang.display(f)
        let check =
            lang.name(row.outcome)
            + (row.derived.map {
                lang.t("（\(f.referenceDate.iso) 登记数据：", " (registry on \(f.referenceDate.iso): ")
                    + lang.format($0, unit: unit) + lang.t("）", ")")
            } ?? "")
        return .tr(
            .th(.attribute(named: "scope", value: "row"), .text(lang.t(h.labelZh, h.labelEn))),
            .td(.class("num"), .text(lang.format(h.derived, unit: unit))),
            .td(
                .class("num"), .text(published + " "),
                .element(
                    named: "small",
                    nodes: [
                        f.source.url.map { url in
                            Node<HTML.BodyContext>.a(
                                .href(attr(url)), .attribute(named: "rel", value: "noopener"),
                                .text(lang.t(f.source.titleZh, f.source.titleEn)))
                        }
                            ?? .text(lang.t(f.source.titleZh, f.source.titleEn)),
                        .text(", " + f.source.publishedOn.iso),
                    ])),
            .td(.class(row.outcome.rawValue), .text(check))
        )
    }
}
