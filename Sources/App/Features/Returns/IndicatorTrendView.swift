import ClusterDomain
import Fluent
import Plot

/// Each indicator over the years from the accepted returns of some clusters (the nation's, a
/// province's), for the dashboard and the province pages.
enum IndicatorTrendView {
    /// The trend of the accepted returns of `clusters`, by the indicator set in force.
    static func load(_ clusters: Set<String>, db: any Database) async throws -> (IndicatorTrend, IndicatorSet) {
        let rows = try await ReturnModel.query(on: db).filter(\.$state == ReturnState.accepted.rawValue).all()
        var returns: [(year: Int, values: [String: Double])] = []
        for row in rows where clusters.contains(row.clusterID) {
            returns.append((row.dataYear, try row.valueMap()))
        }
        let set = try await IndicatorSets.current(db)
        return (IndicatorTrend(returns: returns, set: set), set)
    }

    /// A table: indicators down, years across; nothing where no return has been accepted yet.
    static func table(_ trend: IndicatorTrend, set: IndicatorSet, lang: Language) -> Node<HTML.BodyContext> {
        guard !trend.isEmpty else { return .empty }
        return .section(
            .attribute(named: "aria-labelledby", value: "indicator-trend"),
            .h2(.id("indicator-trend"), .text(lang.t("监测指标历年变化", "Indicators over the years"))),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "依据已采纳的年度监测数据：数量和金额为合计，比例为平均。",
                        "From the accepted returns: counts and amounts summed, shares averaged."))),
            .div(
                .class("table-scroll"),
                .table(
                    .thead(
                        .tr(
                            .th(.text(lang.t("指标", "Indicator"))),
                            .forEach(trend.years) { y in
                                .th(
                                    .class("num"),
                                    .text(
                                        lang.t(
                                            "\(y) 年（\(trend.clusters[y] ?? 0) 个集群）",
                                            "\(y) (\(trend.clusters[y] ?? 0) clusters)")))
                            })),
                    .tbody(
                        .forEach(set.indicators.filter { trend.values[$0.code] != nil }) { i in
                            .tr(
                                .th(.attribute(named: "scope", value: "row"), .text(lang.t(i.nameZh, i.nameEn))),
                                .forEach(trend.years) { y in
                                    .td(
                                        .class("num"), .text(MonitoringPages.display(trend.values[i.code]?[y], i, lang))
                                    )
                                })
                        }))))
    }
}
