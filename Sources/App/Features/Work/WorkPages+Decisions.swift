import ClusterDomain
import Foundation
import Plot

/// The ladder decision and sign-off forms: the evidence each step needs, what the round's records show.
extension WorkPages {
    static func evidenceName(_ e: LadderEvidence, _ lang: Language) -> String {
        switch e {
        case .clusterProfile: lang.t("集群概况", "cluster profile")
        case .promotionBody: lang.t("促进机构", "promotion body")
        case .dossier: lang.t("已提交的申报材料", "dossier handed in")
        case .assessment: lang.t("省级评估结果", "provincial assessment")
        case .recommendation: lang.t("省级推荐", "provincial recommendation")
        case .scores: lang.t("专家评分", "expert scores")
        case .ranking: lang.t("完整排名", "complete ranking")
        case .noticeClosed: lang.t("公示期结束", "notice ended")
        case .objectionsResolved: lang.t("异议均已处理", "objections resolved")
        case .documentNumber: lang.t("文号", "document number")
        case .rating: lang.t("竞争力评级", "competitiveness rating")
        case .benchmark: lang.t("国际对标", "global benchmark")
        case .coReview: lang.t("部门会签", "ministry co-review")
        }
    }

    static func needs(_ n: LadderController.NextDTO, derived: Set<LadderEvidence>, _ lang: Language) -> String {
        let items: [String] = n.evidence.compactMap(LadderEvidence.init(rawValue:)).map { e in
            evidenceName(e, lang) + (derived.contains(e) ? " ✓" : "")
        }
        let signed = n.signedOff == true ? lang.t("（已会签）", " (signed off)") : ""
        return lang.t("需要：", "needs: ") + items.joined(separator: lang.t("，", ", ")) + signed
    }

    static func attest(_ e: LadderEvidence, checked: Bool, _ lang: Language) -> Node<HTML.FormContext> {
        .label(
            .input(.type(.checkbox), .name(attr("attest_" + e.rawValue)), .value("yes"), .checked(checked)),
            .text(" " + evidenceName(e, lang)))
    }

    static func decide(
        _ ctx: PageContext, cluster: Cluster, ladder: LadderController.LadderDTO, events: [LadderController.NextDTO],
        round: CompetitionRound?, derived: Set<LadderEvidence>, today: Day, csrf: String, values: [String: String],
        errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        let attestable = LadderEvidence.allCases.filter {
            !RoundEvidence.derivable.contains($0) && !RoundEvidence.checkedByLadder.contains($0)
        }
        return Layout.page(
            ctx, title: lang.t("梯度培育决定", "Ladder decision"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("梯度培育决定：", "Ladder decision: ") + lang.name(cluster))),
            .p(
                .text(
                    lang.t("当前状态：", "Now: ") + lang.name(ladderState: ladder.state)
                        + (ladder.since.map { lang.t("（自 \($0)）", " (since \($0))") } ?? "")
                        + (round.map { lang.t(" · 最近参赛：\($0.id)", " · latest round: \($0.id)") } ?? ""))),
            .h2(.text(lang.t("可进行的决定", "Possible decisions"))),
            .ul(
                .forEach(events) { n in
                    .li(
                        .strong(.text(lang.name(ladderEvent: n.event))), .text(" — " + needs(n, derived: derived, lang))
                    )
                }),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "✓ 表示登记数据已表明；公示与异议由系统按轮次核对；会签来自部门审核人。",
                        "✓: shown by the round's records; the notice and the objections are checked from the round; co-review comes from a ministry reviewer."
                    ))),
            banner(lang, errors),
            .if(
                !events.isEmpty,
                form(
                    WebRoute.decide(cluster: cluster.id).path, csrf: csrf, submit: lang.t("决定", "Decide"),
                    FormFields.select(
                        lang, "event", "决定", "Decision", events.map { ($0.event, lang.name(ladderEvent: $0.event)) },
                        values["event"], errors),
                    FormFields.field(
                        lang, "on", "日期", "Dated", values["on"] ?? today.iso, errors,
                        hint: FormFields.dateHint(lang)),
                    FormFields.field(
                        lang, "document_number", "文号（认定时必填）", "Document number (for a designation)",
                        values["document_number"], errors),
                    fieldset(
                        lang.t("由决定人确认的依据", "Evidence the decider attests"),
                        attestable.map { e in
                            attest(e, checked: values["attest_" + e.rawValue] == "yes", lang)
                        } + [FormFields.error("evidence", errors)]))),
            .h2(.text(lang.t("梯度记录", "Ladder history"))),
            ladder.history.isEmpty
                ? .p(.class("empty"), .text(lang.t("尚无。", "None yet.")))
                : .ol(
                    .forEach(ladder.history) { h in
                        .li(
                            .text(
                                "\(h.on) · \(lang.name(ladderEvent: h.event))：\(lang.name(ladderState: h.from)) → "
                                    + lang.name(ladderState: h.to)
                                    + (h.documentNumber.map { " · " + $0 } ?? "")))
                    })
        )
    }

    static func signOff(
        _ ctx: PageContext, cluster: Cluster, ladder: LadderController.LadderDTO, events: [String], csrf: String,
        values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("部门会签", "Co-review sign-off"),
            crumbs(lang, round: nil),
            .h1(.text(lang.t("部门会签：", "Co-review: ") + lang.name(cluster))),
            .p(.text(lang.t("当前状态：", "Now: ") + lang.name(ladderState: ladder.state))),
            banner(lang, errors),
            form(
                WebRoute.signOff(cluster: cluster.id).path, csrf: csrf, submit: lang.t("会签", "Sign off"),
                FormFields.select(
                    lang, "event", "决定", "Decision", events.map { ($0, lang.name(ladderEvent: $0)) }, values["event"],
                    errors),
                FormFields.field(
                    lang, "comment", "审核意见", "The reviewer's reasons", values["comment"], errors, area: true))
        )
    }
}
