import ClusterDomain
import Plot
import Vapor

/// `/indicators`: the current set with its dimensions and indicators, its versions, and for admins
/// the form that makes the next version.
enum IndicatorPages {
    static func kindName(_ kind: IndicatorDefinition.Kind, _ lang: Language) -> String {
        switch kind {
        case .amount: lang.t("金额", "amount")
        case .count: lang.t("数量", "count")
        case .share: lang.t("比例", "share")
        case .boolean: lang.t("是否", "yes or no")
        }
    }

    static func normalisationName(_ n: IndicatorDefinition.Normalisation, _ lang: Language) -> String {
        switch n {
        case .minMax: lang.t("极差标准化", "min–max")
        case .logMinMax: lang.t("取对数后极差标准化", "min–max of log10")
        }
    }

    static func page(
        _ ctx: PageContext, current set: IndicatorSet, versions: [IndicatorSet], isAdmin: Bool, csrf: String,
        values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("评价指标体系", "Indicator set"),
            .nav(.class("crumbs"), .a(.href(attr(WebRoute.rounds.path)), .text(lang.t("集群竞赛", "Competition rounds")))),
            .h1(
                .text(lang.t("评价指标体系", "Indicator set") + " · " + lang.name(indicatorSet: set.id, version: set.version))
            ),
            .p(.class("lead"), .text(set.note)),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "标有“假设”的权重未见官方公布，可由管理员修订；修订产生新版本，已开始的竞赛沿用其开始时的版本。",
                        "Weights marked “assumed” are not published officially and an admin may revise them; a revision makes a new version, and a round keeps the version it started with."
                    ))),
            .forEach(set.dimensions) { d in
                .group(
                    .h2(
                        .text(
                            lang.t(d.nameZh, d.nameEn) + " · \(String(format: "%g", d.weight))%"
                                + (d.assumed ? lang.t("（假设）", " (assumed)") : ""))),
                    .div(
                        .class("table-scroll"),
                        .table(
                            .thead(
                                .tr(
                                    .th(.text(lang.t("指标", "Indicator"))), .th(.text(lang.t("类型", "Type"))),
                                    .th(.text(lang.t("单位", "Unit"))),
                                    .th(.text(lang.t("方向", "Direction"))), .th(.text(lang.t("标准化", "Normalisation"))))),
                            .tbody(
                                .forEach(set.indicators(in: d.code)) { i in
                                    .tr(
                                        .td(.text(lang.t(i.nameZh, i.nameEn))),
                                        .td(.text(Self.kindName(i.kind, lang))), .td(.text(lang.unit(i.unit))),
                                        .td(
                                            .text(
                                                i.direction == .higher
                                                    ? lang.t("越高越好", "higher is better")
                                                    : lang.t("越低越好", "lower is better"))),
                                        .td(.text(Self.normalisationName(i.normalisation, lang))))
                                })))
                )
            },
            .h2(.text(lang.t("版本", "Versions"))),
            .ol(
                .forEach(versions) { v in
                    .li(
                        .text(
                            lang.t("第 \(v.version) 版：", "v\(v.version): ")
                                + v.dimensions.map {
                                    "\(lang.t($0.nameZh, $0.nameEn)) \(String(format: "%g", $0.weight))%"
                                }
                                .joined(separator: lang.t("、", ", ")) + " — " + v.note))
                }),
            .if(
                isAdmin,
                .group(
                    .h2(.text(lang.t("修订权重（生成新版本）", "Revise the weights (makes a new version)"))),
                    WorkPages.banner(lang, errors),
                    WorkPages.form(
                        WebRoute.indicators.path, csrf: csrf, submit: lang.t("保存为新版本", "Save as a new version"),
                        .group(
                            set.dimensions.map { d in
                                FormFields.field(
                                    lang, "weight_" + d.code, d.nameZh + "（%）", d.nameEn + " (%)",
                                    values["weight_" + d.code] ?? String(format: "%g", d.weight), errors)
                            }),
                        FormFields.field(
                            lang, "note", "修订说明", "Why the weights change", values["note"], errors, area: true)),
                    .p(
                        .class("muted"),
                        .text(
                            lang.t(
                                "各维度权重合计须为 100%。增删或修改指标本身，请联系系统管理员通过开放数据接口提交新版本。",
                                "The weights must total 100%; to change the indicators themselves use the API (POST /api/v1/indicator-sets)."
                            )))
                )),
            .p(.a(.href(attr(APIRoute.indicatorSets.path)), .text("JSON")))
        )
    }
}
