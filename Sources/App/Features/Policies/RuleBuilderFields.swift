import ClusterDomain
import Foundation
import Plot

/// The eligibility rule on the policy form: chosen from fields (tiers, domains, regions, key regions
/// ticked; provinces and cities named; an indicator threshold; all or any), with the JSON beside it
/// for rules the fields cannot hold.
enum RuleBuilderFields {
    static func fieldset(
        _ ctx: PageContext, ruleJSON: String?, indicators: [IndicatorDefinition], errors: [String: String]
    ) -> Node<HTML.FormContext> {
        let lang = ctx.lang
        let reference = ctx.reference
        let parsed = ruleJSON.flatMap { try? JSONDecoder().decode(EligibilityRule.self, from: Data($0.utf8)) }
        let fields = reference.flatMap { r in parsed.flatMap { RuleFields($0, reference: r) } } ?? RuleFields()
        let byFields =
            ruleJSON == nil
            || parsed.map { p in reference.flatMap { RuleFields(p, reference: $0) } != nil }
                ?? false
        func box(_ name: String, _ value: String, _ label: String, _ on: Bool) -> Node<HTML.FormContext> {
            .label(
                .class("check"),
                .input(.type(.checkbox), .name(attr(name + "[]")), .value(attr(value)), .checked(on)),
                .text(" " + label))
        }
        func group(_ legend: String, _ boxes: [Node<HTML.FormContext>]) -> Node<HTML.FormContext> {
            .fieldset(.class("choices"), .element(named: "legend", text: legend), .group(boxes))
        }
        return .fieldset(
            .class("rule"),
            .element(named: "legend", text: lang.t("适用条件", "Eligibility")),
            FormFields.select(
                lang, "rule_mode", "填写方式", "How the rule is given",
                [
                    ("fields", lang.t("按下面的选项", "From the choices below")),
                    ("json", lang.t("直接编辑 JSON（复杂条件）", "As JSON (nested rules)")),
                ], byFields ? "fields" : "json", errors),
            FormFields.select(
                lang, "rule_join", "条件之间", "Between the conditions",
                [("all", lang.t("全部满足", "all must hold")), ("any", lang.t("满足其一", "any one holds"))],
                fields.join, errors),
            group(
                lang.t("层级", "Tier"),
                Tier.allCases.map { box("rule_tier", $0.rawValue, lang.name($0), fields.tiers.contains($0.rawValue)) }),
            group(
                lang.t("领域", "Domain"),
                (reference?.domains ?? []).map {
                    box("rule_domain", $0.code, lang.name($0), fields.domains.contains($0.code))
                }),
            group(
                lang.t("地区", "Region"),
                Region.allCases.map {
                    box("rule_region", $0.rawValue, lang.name($0), fields.regions.contains($0.rawValue))
                }),
            group(
                lang.t("重点区域", "Key region"),
                (reference?.keyRegions ?? []).map {
                    box("rule_key_region", $0.code, lang.name($0), fields.keyRegions.contains($0.code))
                }),
            FormFields.field(
                lang, "rule_provinces", "省份", "Provinces", fields.provinces, errors,
                hint: lang.t("如“江苏 浙江”，不限省份则留空", "e.g. 江苏 浙江; empty for any")),
            FormFields.field(
                lang, "rule_cities", "城市", "Cities", fields.cities, errors,
                hint: lang.t("如“苏州 无锡”，不限城市则留空", "e.g. 苏州 无锡; empty for any")),
            FormFields.select(
                lang, "rule_indicator", "监测指标门槛", "Indicator threshold",
                [("", lang.t("不设", "None"))] + indicators.map { ($0.code, lang.t($0.nameZh, $0.nameEn)) },
                fields.indicator, errors),
            FormFields.field(
                lang, "rule_at_least", "不低于", "At least", fields.atLeast, errors,
                hint: lang.t("金额可写“100亿”，比例可写“3%”", "amounts in yuan (1e10); shares as 0.03")),
            FormFields.field(
                lang, "rule", "JSON（供熟悉格式的用户核对或直接编辑）", "The rule as JSON (for experts)", ruleJSON, errors,
                area: true, rows: 4))
    }
}
