import ClusterDomain
import Plot

/// `/figures`: every published figure with its source and date, beside what the registry derives.
enum FiguresPage {
    /// The scope of a shipped figure in the page's language.
    static func scope(_ scope: String, _ lang: Language) -> String {
        let zh = [
            "2022 national list": "2022 年国家级名单", "45 national clusters": "45 个国家级集群",
            "2022 and 2024 national lists": "2022 年和 2024 年国家级名单",
        ]
        return lang == .zh ? zh[scope] ?? scope : scope
    }

    struct Model {
        let rows: [ReconciliationRow]
    }

    static func view(_ m: Model, _ ctx: PageContext) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("公布数字", "Published figures"),
            .h1(.text(lang.t("已公布数字与登记数据核对", "Published figures and the registry"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "每个数字按其所述日期与登记数据比较。登记数据无法得出的数字只列出来源。",
                        "Each figure is compared with the registry on the day it describes. Figures the registry cannot derive are listed with their source only."
                    ))),
            .div(
                .class("table-scroll"),
                .table(
                    .class("figures"),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("数字", "Figure"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("公布值", "Published"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("所述日期", "Describes"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("来源", "Source"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("登记数据", "Registry"))),
                            .th(.attribute(named: "scope", value: "col"), .text(lang.t("核对", "Check")))
                        )),
                    .tbody(
                        .forEach(m.rows) { row in
                            let f = row.figure
                            return .tr(
                                .attribute(named: "id", value: attr(f.id)),
                                .th(
                                    .attribute(named: "scope", value: "row"), .text(lang.t(f.labelZh, f.labelEn)),
                                    .element(named: "small", nodes: [.text(" · " + Self.scope(f.scope, lang))])),
                                .td(.class("num"), .text(lang.display(f))),
                                .td(
                                    .text(
                                        f.referenceDate.iso
                                            + (f.dataYear.map { lang.t("（\($0)年数据）", " (data for \($0))") } ?? ""))),
                                .td(
                                    f.source.url.map { url in
                                        .a(
                                            .href(attr(url)), .attribute(named: "rel", value: "noopener nofollow"),
                                            .text(lang.t(f.source.titleZh, f.source.titleEn)))
                                    }
                                        ?? .text(lang.t(f.source.titleZh, f.source.titleEn)),
                                    .text(" · " + f.source.publisher + " · " + f.source.publishedOn.iso)),
                                .td(.class("num"), .text(row.derived.map { lang.format($0, unit: f.unit) } ?? "—")),
                                .td(
                                    .class(row.outcome.rawValue), .text(lang.name(row.outcome)),
                                    .if(f.note != nil, .element(named: "small", nodes: [.text(" " + (f.note ?? ""))])))
                            )
                        })
                )),
            .p(
                .a(.href(attr(APIRoute.figures.path)), .text("JSON")), .text(" · "),
                .a(.href(attr(APIRoute.reconciliation.path)), .text(lang.t("核对 JSON", "Reconciliation JSON"))))
        )
    }
}
