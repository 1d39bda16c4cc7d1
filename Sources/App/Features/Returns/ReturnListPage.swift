import ClusterDomain
import Plot
import Vapor

/// `/returns`: a data year's returns as a work list — filtered by province (chosen by name), state
/// and lateness, with the count of each state one click away, and the caller's own clusters first.
extension MonitoringPages {
    /// The filter from the page's parameters: a province by code or by name (江苏, 江苏省), a state,
    /// `late=yes`. An unknown value is an error page that names the parameter.
    static func filter(_ params: [String: String], reference: ReferenceData) throws
        -> ReturnWorkList<ListItem>
        .Filter
    {
        var filter = ReturnWorkList<ListItem>.Filter()
        if let text = params["province"]?.nilIfBlank {
            guard
                let province = reference.province(code: text)
                    ?? reference.provinces.first(where: { $0.nameZh == text || $0.shortNameZh == text })
            else {
                throw APIError(
                    .badRequest, "parameter 'province': unknown province '\(text.prefix(40))'", parameter: "province")
            }
            filter.province = province.code
        }
        if let state = params["state"]?.nilIfBlank {
            guard state == "not_started" || ReturnState(rawValue: state) != nil else {
                throw APIError(
                    .badRequest, "parameter 'state': unknown state '\(state.prefix(40))'", parameter: "state",
                    allowed: ["not_started"] + ReturnState.allCases.map(\.rawValue))
            }
            filter.state = state
        }
        filter.lateOnly = params["late"] == "yes"
        return filter
    }

    static func list(
        _ ctx: PageContext, year: Int, due: Day?, list: ReturnWorkList<ListItem>,
        filter: ReturnWorkList<ListItem>.Filter,
        reference: ReferenceData, years: [Int]
    ) -> HTML {
        let lang = ctx.lang
        let late = list.items.filter(\.late).count
        return Layout.page(
            ctx, title: lang.t("年度监测", "Yearly monitoring"),
            .h1(.text(lang.t("\(year) 年度监测数据", "Monitoring returns for \(year)"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "省级及以上集群按年度报送监测数据，截止 \(due?.iso ?? "?")。"
                            + "采纳前的数据仅集群促进机构、牵头城市、所在省份、管理员和部门审核人可查看。",
                        "Provincial and higher clusters report each year's figures, due \(due?.iso ?? "?"). "
                            + "Until a return is accepted, only the cluster's promotion body and lead city, its provinces, "
                            + "admins and ministry reviewers can open it."))),
            yearLinks(.returns, years: years, current: year, lang),
            filterForm(year: year, filter: filter, reference: reference, lang),
            stateCounts(year: year, list: list, filter: filter, lang),
            .p(
                .text(
                    lang.t(
                        "显示 \(list.items.count) 个集群，其中逾期 \(late) 个。",
                        "\(list.items.count) clusters shown, \(late) late."))),
            table(year: year, items: list.items, lang),
            .p(
                .a(
                    .href(attr(APIRoute.returns.path + "?year=\(year)&format=csv")),
                    .text(lang.t("下载 CSV（含可查看的指标值）", "CSV (with the values you may read)"))),
                .text(" · "),
                .a(
                    .href(attr(WebRoute.ratings.link(["year": String(year)]))),
                    .text(lang.t("竞争力评价", "Competitiveness ratings"))))
        )
    }

    static func link(year: Int, _ filter: ReturnWorkList<ListItem>.Filter) -> String {
        WebRoute.returns.link([
            "year": String(year), "province": filter.province ?? "", "state": filter.state ?? "",
            "late": filter.lateOnly ? "yes" : "",
        ])
    }

    /// Province (by name), state and lateness, as a plain GET form.
    static func filterForm(
        year: Int, filter: ReturnWorkList<ListItem>.Filter, reference: ReferenceData, _ lang: Language
    ) -> Node<HTML.BodyContext> {
        let states: [(String, String)] =
            [("not_started", stateName(nil, lang))] + ReturnState.allCases.map { ($0.rawValue, stateName($0, lang)) }
        let provinces =
            [("", lang.t("全部", "All"))] + reference.provinces.map { ($0.code, lang.t($0.nameZh, $0.nameEn)) }
        return .form(
            .class("filters"), .action(WebRoute.returns.path), .method(.get),
            .input(.type(.hidden), .name("year"), .value(String(year))),
            FormFields.select(lang, "province", "省份", "Province", provinces, filter.province ?? "", [:]),
            FormFields.select(
                lang, "state", "状态", "State", [("", lang.t("全部", "All"))] + states, filter.state ?? "", [:]),
            .label(
                .element(
                    named: "input",
                    nodes: [
                        .attribute(named: "type", value: "checkbox"), .attribute(named: "name", value: "late"),
                        .attribute(named: "value", value: "yes"),
                        filter.lateOnly ? .attribute(named: "checked", value: "checked") : .empty,
                    ]),
                .text(lang.t(" 只看逾期", " Late only"))),
            .button(.type(.submit), .text(lang.t("筛选", "Filter"))))
    }

    /// Each state with its count, a link to it; the one chosen is marked.
    static func stateCounts(
        year: Int, list: ReturnWorkList<ListItem>, filter: ReturnWorkList<ListItem>.Filter, _ lang: Language
    ) -> Node<HTML.BodyContext> {
        let order = ["not_started"] + ReturnState.allCases.map(\.rawValue)
        return .ul(
            .class("state-counts"),
            .forEach(order.filter { list.counts[$0] != nil }) { code in
                var chosen = filter
                chosen.state = filter.state == code ? nil : code
                let name = stateName(code == "not_started" ? nil : ReturnState(rawValue: code), lang)
                return .li(
                    .a(
                        .href(attr(link(year: year, chosen))),
                        .if(filter.state == code, .attribute(named: "aria-current", value: "true")),
                        .text("\(name) \(list.counts[code] ?? 0)")))
            })
    }

    static func table(year: Int, items: [ListItem], _ lang: Language) -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"),
            .table(
                .thead(
                    .tr(
                        .th(.text(lang.t("集群", "Cluster"))), .th(.text(lang.t("状态", "State"))),
                        .th(.text(lang.t("报送日期", "Submitted"))), .th(.text(lang.t("逾期", "Late"))))),
                .tbody(
                    .forEach(items) { item in
                        .tr(
                            .td(
                                item.readable
                                    ? .a(
                                        .href(attr(WebRoute.clusterReturn(item.cluster.id, String(year)).path)),
                                        .text(lang.name(item.cluster)))
                                    : .text(lang.name(item.cluster))),
                            .td(.text(stateName(item.state, lang))), .td(.text(item.submittedOn?.iso ?? "—")),
                            .td(.if(item.late, .strong(.class("late"), .text(lang.t("逾期", "late"))))))
                    })))
    }
}
