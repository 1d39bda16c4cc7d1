import ClusterDomain
import Plot

/// `/policies` and `/policies/{id}`: the catalogue by category, and who a policy reaches and why.
enum PolicyPages {
    static func reasons(_ e: Eligibility, _ lang: Language) -> Node<HTML.BodyContext> {
        .ul(
            .class("reasons"),
            .forEach(e.reasons) { r in
                .li(.class(r.met ? "met" : "unmet"), .text((r.met ? "✓ " : "✗ ") + lang.t(r.zh, r.en)))
            })
    }

    /// The status of a support record, changeable in place by those who may edit its cluster: only the
    /// statuses it may move to are offered (a final one shows as text).
    static func statusForm(_ t: TakeUp, csrf: String, _ lang: Language) -> Node<HTML.BodyContext> {
        guard !t.status.next.isEmpty else { return .text(statusName(t.status, lang)) }
        return .form(
            .class("inline"), .method(.post), .action(attr(WebRoute.takeUpStatus(String(t.id)).path)),
            AccountPages.csrfField(csrf),
            .input(.type(.hidden), .name("version"), .value(String(t.version))),
            .label(.for(attr("status-\(t.id)")), .class("visually-hidden"), .text(lang.t("状态", "Status"))),
            .select(
                .attribute(named: "id", value: attr("status-\(t.id)")), .attribute(named: "name", value: "status"),
                .forEach([t.status] + t.status.next) { s in
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: s.rawValue),
                            s == t.status ? .attribute(named: "selected", value: "selected") : .empty,
                            .text(statusName(s, lang)),
                        ])
                }),
            .button(.type(.submit), .text(lang.t("更新", "Update"))))
    }

    static func statusName(_ s: TakeUp.Status, _ lang: Language) -> String {
        lang.t(s.nameZh, s.rawValue)
    }

    static func list(_ ctx: PageContext, catalogue: PolicyCatalogue, rows: [(Policy, Int)], asOf: Day) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("政策支持", "Policy support"),
            .h1(.text(lang.t("集群政策支持体系", "Cluster policy support"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "六类政策（产业、创新、财政、金融、区域、公共服务），截至 \(asOf.iso) 可覆盖的集群数。",
                        "Six categories (industry, innovation, fiscal, finance, regional, public services), with the clusters each reaches as of \(asOf.iso)."
                    ))),
            .form(
                .class("asof"), .action(WebRoute.policies.path), .method(.get),
                .label(.for("as_of"), .text(lang.t("截至日期", "As of"))),
                .input(.type(.date), .id("as_of"), .name("as_of"), .value(attr(asOf.iso))),
                .button(.type(.submit), .text(lang.t("更新", "Update")))),
            .forEach(catalogue.categories) { category in
                let inCategory = rows.filter { $0.0.categoryCode == category.code }
                return .section(
                    .attribute(named: "data-category", value: attr(category.code)),
                    .h2(.text(lang.t(category.nameZh, category.nameEn) + " (\(inCategory.count))")),
                    inCategory.isEmpty
                        ? .p(.class("muted"), .text(lang.t("暂无收录。", "None recorded yet.")))
                        : .ul(
                            .class("policies"),
                            .forEach(inCategory) { policy, reached in
                                .li(
                                    .a(
                                        .href(attr(WebRoute.policy(policy.id).path)),
                                        .text(lang.t(policy.titleZh, policy.titleEn))),
                                    .text(
                                        " · " + (policy.documentNumber ?? lang.t("文号未录", "no document number")) + " · "),
                                    .text(lang.t("覆盖 \(reached) 个集群", "reaches \(reached) clusters")),
                                    .if(
                                        !policy.inForce(on: asOf),
                                        .span(.class("tag"), .text(lang.t("不在有效期", "not in force")))))
                            })
                )
            },
            .p(
                .a(.href(attr(APIRoute.policies.path)), .text("JSON")), .text(" · "),
                .a(.href(attr(APIRoute.policies.path + "?format=csv")), .text("CSV")),
                .if(
                    ctx.caller != nil,
                    .group(
                        .text(" · "), .a(.href(attr(WebRoute.newPolicy.path)), .text(lang.t("新增政策", "New policy"))),
                        .text(" · "),
                        .a(.href(attr(WebRoute.newTakeUp.path)), .text(lang.t("记录政策支持", "Record support granted"))))))
        )
    }

    /// The create / edit form. Department codes are typed (the list of codes is shown beside it),
    /// the eligibility rule is JSON; every rejected field is shown next to it.
    static func form(
        _ ctx: PageContext, csrf: String, draft d: PolicyDraft, id: String?, version: Int?, catalogue: PolicyCatalogue,
        reference: ReferenceData, indicators: [IndicatorDefinition], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        let title = id.map { lang.t("修改政策 \($0)", "Edit policy \($0)") } ?? lang.t("新增政策", "New policy")
        func err(_ field: String) -> Node<HTML.FormContext> { FormFields.error(field, errors) }
        func input(_ field: String, _ zh: String, _ en: String, _ value: String?, hint: String? = nil) -> Node<
            HTML.FormContext
        > {
            FormFields.field(lang, field, zh, en, value, errors, hint: hint)
        }
        func select(_ field: String, _ zh: String, _ en: String, _ options: [(String, String)], _ chosen: String?)
            -> Node<HTML.FormContext>
        {
            FormFields.select(lang, field, zh, en, options, chosen, errors)
        }
        func area(_ field: String, _ zh: String, _ en: String, _ value: String?, rows: Int = 3) -> Node<
            HTML.FormContext
        > {
            FormFields.field(lang, field, zh, en, value, errors, area: true, rows: rows)
        }
        let codes = lang.t(
            "填部门名称，多个用空格或顿号分隔，如“工业和信息化部、财政部”；省里的部门可写“江苏省工信厅”“广东省财政厅”",
            "Department names or codes, separated by spaces: "
                + catalogue.departments.map { "\($0.code) = \($0.nameEn)" }.joined(separator: "; "))
        /// Stored codes shown as the names people type.
        func departmentNames(_ codes: [String]?) -> String? {
            codes.map { list in
                list.map { c in catalogue.department(code: c).map { lang.t($0.nameZh, $0.code) } ?? c }.joined(
                    separator: lang.t("、", " "))
            }
        }
        return Layout.page(
            ctx, title: title,
            .nav(.class("crumbs"), .a(.href(WebRoute.policies.path), .text(lang.t("政策支持", "Policy support")))),
            .h1(.text(title)),
            .if(
                !errors.isEmpty,
                .p(
                    .class("error"), .attribute(named: "role", value: "alert"),
                    .text(lang.t("请修改标出的字段。", "Please correct the fields marked below.")))),
            .form(
                .class("stack"), .method(.post),
                .action(attr(id.map { WebRoute.editPolicy($0).path } ?? WebRoute.newPolicy.path)),
                AccountPages.csrfField(csrf),
                .unwrap(version) { .input(.type(.hidden), .name("version"), .value("\($0)")) },
                err("version"), err("id"),
                select(
                    "category", "类别", "Category", catalogue.categories.map { ($0.code, lang.t($0.nameZh, $0.nameEn)) },
                    d.category),
                select(
                    "level", "层级", "Level",
                    [
                        ("central", lang.t("中央", "central")), ("provincial", lang.t("省级", "provincial")),
                        ("municipal", lang.t("市级", "municipal")),
                    ], d.level),
                input(
                    "jurisdiction", "适用地区", "Jurisdiction",
                    d.jurisdiction.map { j in ctx.reference?.province(code: j)?.shortNameZh ?? j },
                    hint: lang.t(
                        "省级政策填省份（如 江苏），市级填城市（如 苏州），中央政策留空",
                        "a province (e.g. Jiangsu or 32) for a provincial policy, a city (苏州) for a municipal one, empty for central"
                    )),
                input("issuers", "发文部门", "Issuing departments", departmentNames(d.issuers), hint: codes),
                input("owners", "负责部门", "Owning departments", departmentNames(d.owners)),
                input("document_number", "文号", "Document number", d.documentNumber),
                input("title_zh", "标题（中文）", "Title (Chinese)", d.titleZh),
                input("title_en", "标题（英文）", "Title (English)", d.titleEn),
                area("summary_zh", "摘要（中文，用自己的话）", "Summary (Chinese, in your own words)", d.summaryZh),
                area("summary_en", "摘要（英文）", "Summary (English)", d.summaryEn),
                input("issued_on", "发布日期", "Issued on", d.issuedOn, hint: FormFields.dateHint(lang)),
                input("effective_on", "生效日期", "Effective from", d.effectiveOn, hint: FormFields.dateHint(lang)),
                input("expires_on", "截止日期", "Expires on", d.expiresOn, hint: FormFields.dateHint(lang)),
                input("url", "原文链接", "Link", d.url),
                area("source", "来源说明", "Source", d.source, rows: 2),
                RuleBuilderFields.fieldset(ctx, ruleJSON: d.ruleJSON, indicators: indicators, errors: errors),
                .button(.type(.submit), .text(lang.t("保存", "Save")))
            )
        )
    }

    static func detail(
        _ ctx: PageContext, policy p: Policy, catalogue: PolicyCatalogue, reached: [(Cluster, Eligibility)],
        asOf: Day, takeUps: [TakeUp] = [], canEdit: Bool = false, editableTakeUps: Set<Int> = [], csrf: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        let depts = { (codes: [String]) in
            codes.compactMap(catalogue.department(code:)).map { lang.t($0.nameZh, $0.nameEn) }.joined(
                separator: lang.t("、", ", "))
        }
        return Layout.page(
            ctx, title: lang.t(p.titleZh, p.titleEn),
            .nav(
                .class("crumbs"), .a(.href(WebRoute.policies.path), .text(lang.t("政策支持", "Policy support"))),
                .text(" / \(p.id)")),
            .h1(.text(lang.t(p.titleZh, p.titleEn))),
            .if(
                canEdit,
                .p(
                    .a(
                        .class("edit"), .href(attr(WebRoute.editPolicy(p.id).path)),
                        .text(lang.t("修改这项政策", "Edit this policy"))))),
            .p(
                .class("other-name"), .attribute(named: "lang", value: attr(lang.other.tag)),
                .text(lang.t(p.titleEn, p.titleZh))),
            .dl(
                .dt(.text(lang.t("类别", "Category"))),
                .dd(
                    .text(
                        catalogue.category(code: p.categoryCode).map { lang.t($0.nameZh, $0.nameEn) } ?? p.categoryCode)
                ),
                .dt(.text(lang.t("层级", "Level"))),
                .dd(
                    .text(
                        lang.t(
                            ["central": "中央", "provincial": "省级", "municipal": "市级"][p.level.rawValue] ?? "",
                            p.level.rawValue)
                            + (p.jurisdiction.map { " · " + $0 } ?? ""))),
                .dt(.text(lang.t("发文部门", "Issued by"))), .dd(.text(depts(p.issuerCodes))),
                .dt(.text(lang.t("负责部门", "Owned by"))), .dd(.text(depts(p.ownerCodes))),
                .dt(.text(lang.t("文号", "Document"))), .dd(.text(p.documentNumber ?? "—")),
                .dt(.text(lang.t("发布 / 生效 / 截止", "Issued / effective / expires"))),
                .dd(
                    .text(
                        [p.issuedOn, p.effectiveOn, p.expiresOn].map { $0?.description ?? "—" }.joined(separator: " / ")
                    )),
                .dt(.text(lang.t("来源", "Source"))),
                .dd(
                    p.url.map { url in
                        .a(.href(attr(url)), .attribute(named: "rel", value: "noopener nofollow"), .text(url))
                    } ?? .text("—"),
                    .element(named: "small", nodes: [.text(" " + p.source)]))
            ),
            .if(
                (lang == .zh ? p.summaryZh : p.summaryEn) != nil,
                .p(.text((lang == .zh ? p.summaryZh : p.summaryEn) ?? ""))),
            .h2(
                .text(
                    lang.t(
                        "截至 \(asOf.iso) 符合条件的集群（\(reached.count)）",
                        "Clusters that qualify as of \(asOf.iso) (\(reached.count))"))),
            reached.isEmpty
                ? .p(.class("empty"), .text(lang.t("没有。", "None.")))
                : .ul(
                    .class("reached"),
                    .forEach(reached) { cluster, e in
                        .li(
                            .a(.href(attr(WebRoute.cluster(cluster.id).path)), .text(lang.name(cluster))),
                            reasons(e, lang))
                    }),
            .h2(.text(lang.t("已记录的支持（\(takeUps.count)）", "Support recorded (\(takeUps.count))"))),
            takeUps.isEmpty
                ? .p(.class("empty"), .text(lang.t("尚无记录。", "None recorded yet.")))
                : .table(
                    .thead(
                        .tr(
                            .th(.text(lang.t("集群", "Cluster"))), .th(.text(lang.t("日期", "Date"))),
                            .th(.text(lang.t("金额（元）", "Amount (yuan)"))), .th(.text(lang.t("状态", "Status"))))),
                    .tbody(
                        .forEach(takeUps) { t in
                            .tr(
                                .td(.a(.href(attr(WebRoute.cluster(t.clusterID).path)), .text(t.clusterID))),
                                .td(.text(t.grantedOn.iso)),
                                .td(.class("num"), .text(t.amount.map { String(format: "%.0f", $0) } ?? "—")),
                                .td(
                                    editableTakeUps.contains(t.id) && csrf != nil
                                        ? statusForm(t, csrf: csrf ?? "", lang) : .text(statusName(t.status, lang))))
                        })
                ),
            .p(
                .a(.href(attr(APIRoute.policy(p.id).path)), .text("JSON")), .text(" · "),
                .a(.href(attr(APIRoute.policy(p.id).path + "?format=csv&as_of=" + asOf.iso)), .text("CSV")),
                .text(" · "),
                .a(
                    .href(attr(APIRoute.takeUps.path + "?policy=" + WebRoute.encode(p.id))),
                    .text(lang.t("支持记录 JSON", "Take-up JSON"))))
        )
    }
}
