import ClusterDomain
import Foundation
import Plot

/// The work pages: the inbox and the forms of a round's steps.
enum WorkPages {
    static func banner(_ lang: Language, _ errors: [String: String]) -> Node<HTML.BodyContext> {
        .if(
            !errors.isEmpty,
            .div(
                .class("error"), .attribute(named: "role", value: "alert"),
                .p(
                    .text(
                        errors["saved"].map {
                            $0
                                + lang.t(
                                    "。提交前请处理下面标出的各项：", ". Before it can be submitted, see to the items marked below:")
                        }
                            ?? lang.t("未能保存，请修改标出的字段。", "Nothing was saved; please correct the fields marked below."))),
                .unwrap(errors["form"]) { .p(.text($0)) },
                .unwrap(errors["round"]) { .p(.text($0)) }))
    }

    static func crumbs(_ lang: Language, round: CompetitionRound?) -> Node<HTML.BodyContext> {
        .nav(
            .class("crumbs"), .a(.href(WebRoute.work.path), .text(lang.t("我的待办", "My work"))),
            .unwrap(round) { r in
                .group(.text(" › "), .a(.href(attr(WebRoute.round(r.id).path)), .text("\(r.year) · \(r.id)")))
            })
    }

    /// A form posting to `action` with the form token and a submit button.
    static func form(
        _ action: String, csrf: String, multipart: Bool = false, submit: String,
        _ fields: Node<HTML.FormContext>...
    ) -> Node<HTML.BodyContext> {
        .form(
            .class("stack"), .method(.post), .action(attr(action)), .if(multipart, .enctype(.multipartData)),
            AccountPages.csrfField(csrf), .group(fields), .button(.type(.submit), .text(submit)))
    }

    /// A fieldset with its legend (Plot has no typed `legend`).
    static func fieldset(_ legend: String, _ nodes: [Node<HTML.FormContext>]) -> Node<HTML.FormContext> {
        .element(named: "fieldset", nodes: [.element(named: "legend", text: legend)] + nodes)
    }

    static func due(_ day: Day?, _ lang: Language) -> String { day.map { lang.t("截止 \($0)", "by \($0)") } ?? "" }

    static func kindName(_ kind: InboxItem.Kind, _ lang: Language) -> String {
        switch kind {
        case .recommend: lang.t("推荐", "Recommend")
        case .dossier: lang.t("申报材料", "Dossiers")
        case .assign: lang.t("指派专家", "Assign experts")
        case .score: lang.t("评分", "Score")
        case .object: lang.t("公示", "Public notice")
        case .resolve: lang.t("处理异议", "Resolve objections")
        case .decide: lang.t("决定", "Decide")
        case .signOff: lang.t("会签", "Sign off")
        case .fileReturn: lang.t("填报监测数据", "File returns")
        case .reviewReturn: lang.t("审核监测数据", "Review returns")
        case .adjust: lang.t("动态调整", "Adjustments")
        }
    }

    static func inbox(_ ctx: PageContext, caller: Caller, items: [InboxItem]) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("我的待办", "My work"),
            .h1(.text(lang.t("我的待办", "My work"))),
            .p(
                .class("lead"),
                .text(
                    lang.t("按您的角色列出等待您处理的事项：", "What awaits you, from your roles: ")
                        + caller.grants.map(ctx.name).joined(separator: lang.t("、", ", ")))),
            items.isEmpty
                ? .p(.class("empty"), .text(lang.t("目前没有待办事项。", "Nothing awaits you now.")))
                : .group(
                    .forEach(InboxItem.Kind.allCases.filter { k in items.contains { $0.kind == k } }) { kind in
                        .section(
                            .class("inbox"), .attribute(named: "aria-label", value: attr(kindName(kind, lang))),
                            .h2(.text(kindName(kind, lang) + " (\(items.filter { $0.kind == kind }.count))")),
                            .ul(
                                .forEach(items.filter { $0.kind == kind }) { item in
                                    .li(
                                        .a(.href(attr(item.href)), .text(lang.t(item.zh, item.en))),
                                        .if(item.due != nil, .span(.class("muted"), .text(" · " + due(item.due, lang))))
                                    )
                                }))
                    }),
            .p(.a(.href(attr(WebRoute.rounds.path)), .text(lang.t("全部竞赛轮次", "All competition rounds"))))
        )
    }

    static func recommend(
        _ ctx: PageContext, round: CompetitionRound, options: [(String, String)], csrf: String,
        values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        let stage = round.stage(.recommendation)
        return Layout.page(
            ctx, title: lang.t("推荐集群", "Recommend a cluster"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("向 \(round.id) 推荐集群", "Recommend a cluster into \(round.id)"))),
            .p(
                .text(
                    lang.t(
                        "推荐期：\(stage?.opensOn.description ?? "?") 至 \(stage?.closesOn.description ?? "?")；每省不超过 \(round.quotaPerProvince) 个（另有规定的除外）。",
                        "Recommendations from \(stage?.opensOn.description ?? "?") to \(stage?.closesOn.description ?? "?"); up to \(round.quotaPerProvince) per province unless set otherwise."
                    ))),
            banner(lang, errors),
            options.isEmpty && errors.isEmpty
                ? .p(
                    .class("empty"),
                    .text(
                        lang.t(
                            "没有可推荐的省级集群（须为本省牵头、属本轮赛道、处于省级培育或已认定）。",
                            "No provincial cluster to recommend (led by your province, in one of the round's tracks, cultivating or designated)."
                        )))
                : form(
                    WebRoute.recommend(round: round.id).path, csrf: csrf, submit: lang.t("推荐", "Recommend"),
                    FormFields.select(lang, "cluster", "集群", "Cluster", options, values["cluster"], errors),
                    FormFields.error("province", errors), FormFields.error("quota", errors),
                    FormFields.error("track", errors))
        )
    }

    static func dossier(
        _ ctx: PageContext, round: CompetitionRound, cluster: Cluster, dossier d: DossierController.DossierDTO,
        set: IndicatorSet, editable: Bool, maxBytes: Int, csrf: String, values: [String: String]?,
        errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        func value(_ key: String, _ stored: String) -> String { values?[key] ?? stored }
        let path = WebRoute.dossier(round: round.id, cluster: cluster.id).path
        return Layout.page(
            ctx, title: lang.t("申报材料", "Dossier"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("申报材料：", "Dossier: ") + lang.name(cluster))),
            .p(
                .text(
                    lang.t("版本 \(d.version)", "Version \(d.version)") + " · "
                        + (d.submittedAt.map {
                            lang.t("已提交（", "handed in (") + ISO8601DateFormatter().string(from: $0) + lang.t("）", ")")
                        }
                            ?? lang.t("尚未提交", "not handed in yet"))
                        + " · "
                        + lang.t(
                            "截止 \(round.stage(.dossier)?.closesOn.description ?? "?")",
                            "closes \(round.stage(.dossier)?.closesOn.description ?? "?")"))),
            banner(lang, errors),
            editable
                ? form(
                    path, csrf: csrf, submit: lang.t("保存", "Save"),
                    .input(.type(.hidden), .name("version"), .value(attr(values?["version"] ?? String(d.version)))),
                    FormFields.field(
                        lang, "promotion_body", "促进机构", "Promotion body", value("promotion_body", d.promotionBody),
                        errors),
                    FormFields.field(
                        lang, "plan", "培育提升方案（摘要）", "Upgrading plan (in brief)", value("plan", d.plan), errors,
                        area: true, rows: 6),
                    FormFields.field(
                        lang, "highlights", "主要亮点", "Highlights", value("highlights", d.highlights), errors, area: true),
                    fieldset(
                        lang.t("指标数据", "Figures") + "（" + lang.name(indicatorSet: set.id, version: set.version) + "）",
                        [FormFields.error("values", errors)]
                            + set.indicators.map { i in
                                let stored = d.values[i.code].map { String(format: "%g", $0) } ?? ""
                                let name = MonitoringPages.label(i)
                                return FormFields.field(
                                    lang, "value_" + i.code, name.zh, name.en, value("value_" + i.code, stored), errors)
                            }),
                    FormFields.error("version", errors),
                    .label(
                        .input(.type(.checkbox), .name("submit"), .value("yes"), .checked(d.submittedAt != nil)),
                        .text(lang.t(" 提交（截止前仍可修改）", " Hand it in (it can still be corrected until the stage closes)")))
                )
                : .group(
                    .dl(
                        .dt(.text(lang.t("促进机构", "Promotion body"))), .dd(.text(d.promotionBody)),
                        .dt(.text(lang.t("培育提升方案", "Upgrading plan"))), .dd(.text(d.plan)),
                        .dt(.text(lang.t("主要亮点", "Highlights"))), .dd(.text(d.highlights))),
                    figures(lang, set: set, values: d.values)),
            .h2(.text(lang.t("证明材料（\(d.files.count)）", "Evidence files (\(d.files.count))"))),
            files(lang, d.files),
            .if(
                editable,
                form(
                    WebRoute.dossierFiles(round: round.id, cluster: cluster.id).path, csrf: csrf, multipart: true,
                    submit: lang.t("上传", "Upload"),
                    .label(
                        .for("file"),
                        .text(
                            lang.t(
                                "文件（PDF、Word、Excel、图片或文本，最大 \(maxBytes / 1_048_576) MB）",
                                "File (PDF, Word, Excel, image or text; at most \(maxBytes / 1_048_576) MB)"))),
                    .input(
                        .type(.file), .id("file"), .name("file"),
                        .attribute(
                            named: "accept", value: AttachmentStore.allowed.map { "." + $0 }.joined(separator: ","))),
                    FormFields.error("file", errors)))
        )
    }

    static func figures(_ lang: Language, set: IndicatorSet, values: [String: Double]) -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"),
            .table(
                .thead(
                    .tr(
                        .th(.text(lang.t("指标", "Indicator"))), .th(.class("num"), .text(lang.t("数值", "Value"))),
                        .th(.text(lang.t("单位", "Unit"))))),
                .tbody(
                    .forEach(set.indicators) { i in
                        .tr(
                            .td(.text(lang.t(i.nameZh, i.nameEn))),
                            .td(.class("num"), .text(values[i.code].map { String(format: "%g", $0) } ?? "—")),
                            .td(.text(lang.unit(i.unit))))
                    })))
    }

    static func files(_ lang: Language, _ files: [DossierController.FileDTO]) -> Node<HTML.BodyContext> {
        files.isEmpty
            ? .p(.class("empty"), .text(lang.t("尚无文件。", "No files yet.")))
            : .ul(
                .forEach(files) { f in
                    .li(
                        .a(.href(attr(f.url)), .text(f.filename)), .text(" · \(f.size) B · "),
                        .code(.text("sha256 " + f.sha256.prefix(16) + "…")))
                })
    }

    static func assign(
        _ ctx: PageContext, round: CompetitionRound, entries: [(String, Cluster?)],
        assigned: [(String, String, String)],
        experts: [String], provinces: [Province], expertsPerEntry: Int, csrf: String, values: [String: String],
        errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("指派评审专家", "Assign experts"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("为 \(round.id) 指派评审专家", "Assign experts in \(round.id)"))),
            .p(
                .text(
                    lang.t(
                        "专家不评本省推荐的集群；每个参赛集群宜有 \(expertsPerEntry) 位专家。",
                        "An expert never scores an entry from their own province; each entry should have \(expertsPerEntry) experts."
                    ))),
            banner(lang, errors),
            form(
                WebRoute.assign(round: round.id).path, csrf: csrf, submit: lang.t("指派", "Assign"),
                FormFields.select(
                    lang, "cluster", "参赛集群", "Entry",
                    entries.map { ($0.0, "\($0.0) · " + ($0.1.map { lang.name($0) } ?? "")) }, values["cluster"], errors
                ),
                FormFields.select(lang, "expert", "专家", "Expert", experts.map { ($0, $0) }, values["expert"], errors),
                FormFields.select(
                    lang, "expert_province", "专家所在省份", "The expert's home province",
                    provinces.map { ($0.code, lang.name($0)) }, values["expert_province"], errors)),
            .h2(.text(lang.t("已指派", "Assigned"))),
            assigned.isEmpty
                ? .p(.class("empty"), .text(lang.t("尚无。", "None yet.")))
                : .ul(.forEach(assigned) { a in .li(.text("\(a.0) ← \(a.1) (\(a.2))")) })
        )
    }

    static func score(
        _ ctx: PageContext, round: CompetitionRound, cluster: Cluster, dossier: DossierController.DossierDTO,
        set: IndicatorSet,
        csrf: String, values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("评分", "Score"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("评分：", "Score: ") + lang.name(cluster))),
            .p(
                .text(
                    lang.t(
                        "每项指标 0–100 分，并写明理由。可分次提交，再次提交会替换该项的分数。",
                        "Score each indicator from 0 to 100 with a comment. You may submit in parts; submitting an indicator again replaces its score."
                    ))),
            // On a wide screen the dossier stands beside the fields (`.beside` in the stylesheet).
            .div(
                .class("beside"),
                .section(
                    .class("dossier"),
                    .h2(.text(lang.t("申报材料与证明材料", "The dossier and its evidence"))),
                    .p(.text(dossier.promotionBody)), .p(.text(dossier.plan)),
                    figures(lang, set: set, values: dossier.values), files(lang, dossier.files)),
                .section(
                    scoreForm(
                        lang, round: round, cluster: cluster, set: set, csrf: csrf, values: values, errors: errors)))
        )
    }

    static func scoreForm(
        _ lang: Language, round: CompetitionRound, cluster: Cluster, set: IndicatorSet, csrf: String,
        values: [String: String], errors: [String: String]
    ) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(lang.t("评分", "Scores"))),
            banner(lang, errors),
            .unwrap(errors["scores"]) {
                .p(.class("field-error"), .attribute(named: "role", value: "alert"), .text($0))
            },
            runningTotal(lang, set: set, values: values),
            form(
                WebRoute.score(round: round.id, cluster: cluster.id).path, csrf: csrf,
                submit: lang.t("提交评分", "Submit scores"),
                .forEach(set.dimensions) { d in
                    fieldset(
                        lang.t(d.nameZh, d.nameEn) + " · \(String(format: "%g", d.weight))%",
                        set.indicators(in: d.code).map { i in
                            .group(
                                FormFields.field(
                                    lang, "score_" + i.code, i.nameZh + "（0–100）", i.nameEn + " (0–100)",
                                    values["score_" + i.code], errors),
                                FormFields.field(
                                    lang, "comment_" + i.code, "理由", "Comment", values["comment_" + i.code], errors))
                        })
                }))
    }

    /// The weighted total of the scores on the form (those saved, or those just sent back with an
    /// error), by the round's weights; indicators not yet scored count as 0 until they are.
    static func runningTotal(_ lang: Language, set: IndicatorSet, values: [String: String]) -> Node<HTML.BodyContext> {
        let scores = set.indicators.compactMap { i -> ExpertScore? in
            guard let v = values["score_" + i.code].flatMap({ TypedNumber.parse($0) }), (0...100).contains(v) else {
                return nil
            }
            return ExpertScore(entryID: "form", expertID: "me", indicator: i.code, score: v, comment: "")
        }
        guard !scores.isEmpty else { return .empty }
        let entry = RoundScoring(set: set, aggregation: .mean, tieBreak: []).score(entryID: "form", scores)
        let total = String(format: "%.2f", entry.total)
        let open = entry.unscored.count
        return .p(
            .class("running-total"), .attribute(named: "role", value: "status"),
            .text(
                lang.t(
                    "按已填分数加权合计 \(total) 分" + (open > 0 ? "（另有 \(open) 项未打分，暂按 0 分计）" : "") + "。",
                    "Weighted total of the scores so far: \(total)"
                        + (open > 0 ? " (\(open) indicators not scored yet count as 0)" : "") + ".")))
    }

    static func object(
        _ ctx: PageContext, round: CompetitionRound, options: [(String, String)], csrf: String,
        values: [String: String],
        errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        let notice = round.stage(.notice)
        return Layout.page(
            ctx, title: lang.t("提出异议", "Lodge an objection"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("对 \(round.id) 的公示结果提出异议", "Object to the results of \(round.id)"))),
            .p(
                .text(
                    lang.t(
                        "公示期：\(notice?.opensOn.description ?? "?") 至 \(notice?.closesOn.description ?? "?")。异议由管理员书面答复。",
                        "Public notice from \(notice?.opensOn.description ?? "?") to \(notice?.closesOn.description ?? "?"). An admin answers each objection in writing."
                    ))),
            banner(lang, errors),
            form(
                WebRoute.object(round: round.id).path, csrf: csrf, submit: lang.t("提交异议", "Lodge"),
                FormFields.select(lang, "cluster", "参赛集群", "Entry", options, values["cluster"], errors),
                FormFields.field(
                    lang, "text", "异议内容与依据", "The objection and its grounds", values["text"], errors, area: true,
                    rows: 6))
        )
    }

    static func resolve(
        _ ctx: PageContext, round: CompetitionRound, objection o: ObjectionModel, cluster: Cluster?, csrf: String,
        values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("处理异议", "Resolve an objection"),
            crumbs(lang, round: round),
            .h1(.text(lang.t("处理异议 #\(o.id ?? 0)", "Resolve objection #\(o.id ?? 0)"))),
            .p(.strong(.text(cluster.map { lang.name($0) } ?? o.clusterID)), .text("：" + o.text)),
            banner(lang, errors),
            o.resolution.map { .p(.text(lang.t("已处理：", "Resolved: ") + $0)) }
                ?? form(
                    WebRoute.resolve(round: round.id, objection: String(o.id ?? 0)).path, csrf: csrf,
                    submit: lang.t("答复", "Resolve"),
                    FormFields.field(
                        lang, "resolution", "书面答复", "Written reason", values["resolution"], errors, area: true, rows: 6),
                    FormFields.error("objection", errors))
        )
    }

}
