import ClusterDomain
import Foundation
import Plot

/// The cluster form (new and edit) and the audit trail page.
enum EditPages {
    struct FormModel {
        /// nil for a new cluster.
        let id: String?
        let input: ClusterInput
        let errors: [String: String]
        let message: String?
        let reference: ReferenceData
        let canRetire: Bool
    }

    static func form(_ m: FormModel, _ ctx: PageContext, csrf: String) -> HTML {
        let lang = ctx.lang
        let isNew = m.id == nil
        let title = isNew ? lang.t("新建集群", "New cluster") : lang.t("编辑集群 \(m.id ?? "")", "Edit cluster \(m.id ?? "")")
        let action = isNew ? WebRoute.newCluster.path : WebRoute.editCluster(m.id ?? "").path
        func error(_ field: String) -> Node<HTML.FormContext> {
            guard let message = m.errors[field] else { return .empty }
            return .element(
                named: "span",
                nodes: [
                    .attribute(named: "class", value: "field-error"),
                    .attribute(named: "id", value: "\(field)-error"), .text(message),
                ])
        }
        func described(_ field: String) -> Attribute<HTML.InputContext> {
            m.errors[field] == nil ? .empty : .attribute(named: "aria-describedby", value: "\(field)-error")
        }
        return Layout.page(
            ctx, title: title,
            .h1(.text(title)),
            .if(
                m.message != nil, .p(.class("error"), .attribute(named: "role", value: "alert"), .text(m.message ?? ""))
            ),
            .if(
                !m.errors.isEmpty,
                .p(
                    .class("error"), .attribute(named: "role", value: "alert"),
                    .text(lang.t("请修改标出的字段。", "Please correct the marked fields.")))),
            .form(
                .class("stack"), .action(attr(action)), .method(.post),
                AccountPages.csrfField(csrf),
                .if(!isNew, .input(.type(.hidden), .name("version"), .value(attr(String(m.input.version ?? 0))))),
                .label(.for("name_zh"), .text(lang.t("中文名称", "Chinese name"))),
                .input(
                    .type(.text), .id("name_zh"), .name("name_zh"), .value(attr(m.input.nameZh ?? "")),
                    described("name_zh"),
                    .attribute(named: "maxlength", value: "200"), .attribute(named: "required", value: "required")),
                error("name_zh"),
                .label(.for("name_en"), .text(lang.t("英文名称", "English name"))),
                .input(
                    .type(.text), .id("name_en"), .name("name_en"), .value(attr(m.input.nameEn ?? "")),
                    described("name_en"),
                    .attribute(named: "maxlength", value: "200"), .attribute(named: "required", value: "required")),
                error("name_en"),
                .label(.for("domain"), .text(lang.t("领域", "Domain"))),
                .select(
                    .attribute(named: "id", value: "domain"), .attribute(named: "name", value: "domain"),
                    .forEach(m.reference.domains) { d in
                        .element(
                            named: "option",
                            nodes: [
                                .attribute(named: "value", value: d.code),
                                d.code == m.input.domain ? .attribute(named: "selected", value: "selected") : .empty,
                                .text(lang.name(d)),
                            ])
                    }),
                error("domain"),
                .label(
                    .for("cities"),
                    .text(lang.t("成员城市（每行一个，首个为牵头城市）", "Member cities (one a line, the lead city first)"))),
                .textarea(
                    .id("cities"), .name("cities"), .attribute(named: "rows", value: "4"),
                    .text((m.input.cities ?? []).joined(separator: "\n"))),
                error("cities"),
                .label(
                    .for("provinces"),
                    .text(lang.t("另列成员省份代码（可空，空格分隔）", "Further member province codes (optional, space-separated)"))),
                .input(
                    .type(.text), .id("provinces"), .name("provinces"),
                    .value(attr((m.input.provinces ?? []).joined(separator: " ")))),
                error("provinces"),
                .label(.for("promotion_org"), .text(lang.t("集群发展促进组织", "Promotion organisation"))),
                .input(
                    .type(.text), .id("promotion_org"), .name("promotion_org"),
                    .value(attr(m.input.promotionOrg ?? "")),
                    .attribute(named: "maxlength", value: "200")),
                error("promotion_org"),
                .label(.for("sources"), .text(lang.t("来源网址（每行一个）", "Source addresses (one a line)"))),
                .textarea(
                    .id("sources"), .name("sources"), .attribute(named: "rows", value: "4"),
                    .text((m.input.sources ?? []).joined(separator: "\n"))),
                error("sources"),
                .label(.for("notes"), .text(lang.t("备注", "Notes"))),
                .textarea(
                    .id("notes"), .name("notes"), .attribute(named: "rows", value: "4"), .text(m.input.notes ?? "")),
                error("notes"),
                .if(
                    isNew,
                    .group(
                        .label(.for("tier"), .text(lang.t("层级", "Tier"))),
                        .select(
                            .attribute(named: "id", value: "tier"), .attribute(named: "name", value: "tier"),
                            .forEach(Tier.allCases) { t in
                                .element(
                                    named: "option",
                                    nodes: [
                                        .attribute(named: "value", value: t.rawValue),
                                        t.rawValue == (m.input.tier ?? "provincial")
                                            ? .attribute(named: "selected", value: "selected") : .empty,
                                        .text(lang.name(t)),
                                    ])
                            }),
                        error("tier"),
                        .label(.for("designated_on"), .text(lang.t("认定日期", "Designated on"))),
                        .input(
                            .type(.date), .id("designated_on"), .name("designated_on"),
                            .value(attr(m.input.designatedOn ?? ""))),
                        error("designated_on"),
                        .label(.for("document"), .text(lang.t("认定文件", "Designation document"))),
                        .input(
                            .type(.text), .id("document"), .name("document"), .value(attr(m.input.document ?? "")),
                            .attribute(named: "maxlength", value: "200")),
                        error("document"),
                        .label(.for("batch"), .text(lang.t("国家级批次（国家级必填）", "National batch (required for national)"))),
                        .input(.type(.text), .id("batch"), .name("batch"), .value(attr(m.input.batch ?? ""))),
                        error("batch")
                    )),
                .button(.type(.submit), .text(isNew ? lang.t("创建", "Create") : lang.t("保存", "Save")))
            ),
            .if(
                m.canRetire,
                .form(
                    .action(attr(WebRoute.retireCluster(m.id ?? "").path)), .method(.post),
                    AccountPages.csrfField(csrf),
                    .input(.type(.hidden), .name("version"), .value(attr(String(m.input.version ?? 0)))),
                    FormFields.confirmedButton(
                        lang.t("从登记中撤下…", "Withdraw from the registry…"),
                        confirm: lang.t(
                            "确认撤下此集群（留有记录，可在审计中查到）", "Yes, withdraw this cluster (it stays in the audit trail)"))
                ))
        )
    }

    static func audit(
        _ ctx: PageContext, entries: [AuditEntryDTO], total: Int, page: Int, perPage: Int, params: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        func link(_ extra: [String: String]) -> String { WebRoute.audit.link(params.merging(extra) { _, b in b }) }
        let pages = max(1, (total + perPage - 1) / perPage)
        return Layout.page(
            ctx, title: lang.t("审计记录", "Audit trail"),
            .h1(.text(lang.t("审计记录", "Audit trail") + (params["entity_id"].map { " · " + $0 } ?? ""))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "共 \(total) 条您可查看的记录（只增不改），时间为北京时间。",
                        "\(total) entries you may read (append-only); times are Beijing time."))),
            auditFilterForm(params, lang),
            .p(
                .a(
                    .href(attr(link(["format": "csv"]))),
                    .text(lang.t("导出 CSV（协调世界时，供程序读取）", "Export CSV (UTC times)")))),
            .div(
                .class("table-scroll"),
                .table(
                    .class("audit"),
                    .thead(
                        .tr(
                            .th(.text(lang.t("时间", "When"))), .th(.text(lang.t("人员", "Who"))),
                            .th(.text(lang.t("角色", "Grant"))),
                            .th(.text(lang.t("操作", "Action"))), .th(.text(lang.t("结果", "Outcome"))),
                            .th(.text(lang.t("对象", "Entity"))), .th(.text(lang.t("修改前 → 修改后", "Before → after"))),
                            .th(.text(lang.t("地址", "Address"))))),
                    .tbody(
                        .forEach(entries) { e in
                            .tr(
                                .class("outcome-\(e.outcome)"),
                                .td(.text(beijingTime(e.at))), .td(.text(e.actorEmail ?? "—")),
                                .td(.text(Self.actedAs(e, ctx))),
                                .td(.text(lang.name(auditAction: e.action))),
                                .td(.text(e.outcome == "done" ? lang.t("完成", "done") : lang.t("拒绝", "refused"))),
                                .td(.text(lang.name(entity: e.entity) + " " + (e.entityId ?? ""))),
                                .td(
                                    .element(
                                        named: "details",
                                        nodes: [
                                            .element(named: "summary", text: lang.t("查看", "show")),
                                            .element(
                                                named: "pre",
                                                text: (e.before ?? "—") + "\n→\n" + (e.after ?? "—")
                                                    + (e.requestId.map { "\n\n" + lang.t("请求编号 ", "Request ") + $0 }
                                                        ?? "")),
                                        ])),
                                .td(.text(e.clientAddress.map { lang.name(via: $0) } ?? "")))
                        })
                )),
            .nav(
                .class("pager"),
                .forEach(Array(1...min(pages, 50))) { n in
                    .a(
                        .href(attr(link(n == 1 ? [:] : ["page": String(n)]))), .text("\(n)"),
                        .if(n == page, .attribute(named: "aria-current", value: "page")))
                })
        )
    }

    /// The audit page's filters from its parameters: the dates as people type them (Beijing days,
    /// `to` included), the person by e-mail. A date that does not read is an error page naming it.
    static func auditFilter(_ params: [String: String]) throws -> AuditLog.Filter {
        func day(_ key: String) throws -> Day? {
            guard let text = params[key]?.nilIfBlank else { return nil }
            guard let day = Day(typed: text) else {
                throw APIError(
                    .badRequest, "parameter '\(key)': a date such as 2026-04-30 or 2026年4月30日", parameter: key)
            }
            return day
        }
        return AuditLog.Filter(
            entityID: params["entity_id"]?.nilIfBlank.map { String($0.prefix(64)) },
            actorEmail: params["actor"]?.nilIfBlank.map { Accounts.normalise(email: String($0.prefix(254))) },
            action: params["action"]?.nilIfBlank.map { String($0.prefix(64)) },
            from: try day("from")?.start(), until: try day("to")?.adding(days: 1)?.start())
    }

    static func auditFilterForm(_ params: [String: String], _ lang: Language) -> Node<HTML.BodyContext> {
        func field(_ id: String, _ zh: String, _ en: String, type: String = "text") -> Node<HTML.FormContext> {
            .group(
                .label(.for(id), .text(lang.t(zh, en))),
                .input(
                    .attribute(named: "type", value: type), .id(id), .name(id), .value(attr(params[id] ?? ""))))
        }
        return .form(
            .class("filters"), .action(WebRoute.audit.path), .method(.get),
            field("actor", "人员邮箱", "Person (e-mail)"),
            actionChooser(params["action"], lang),
            field("entity_id", "对象编号", "Record"), field("from", "起始日期", "From"), field("to", "截止日期", "To"),
            .button(.type(.submit), .text(lang.t("筛选", "Filter"))))
    }

    /// Under which roles and how a person acted (省级工业和信息化主管部门（江苏省） · 网页登录), or 服务器命令行.
    static func actedAs(_ e: AuditEntryDTO, _ ctx: PageContext) -> String {
        let grants = (e.grant ?? "").split(separator: ",").map { g in
            g == "command line" ? ctx.lang.name(via: "command line") : AccountPages.grantName(String(g), ctx)
        }
        let via = e.via.map { ctx.lang.name(via: $0) }
        return (grants + (via.map { [$0] } ?? [])).joined(separator: " · ")
    }

    /// The audited actions by name, the one filtered on chosen.
    static func actionChooser(_ chosen: String?, _ lang: Language) -> Node<HTML.FormContext> {
        let actions: [String] = MessageCatalogue.entries.keys.filter { $0.hasPrefix("audit_action.") }
            .map { String($0.dropFirst("audit_action.".count)) }.sorted()
        let options: [(String, String)] = [("", lang.t("全部", "All"))] + actions.map { ($0, lang.name(auditAction: $0)) }
        return FormFields.select(lang, "action", "操作", "Action", options, chosen ?? "", [:])
    }

    /// An audit time (ISO 8601, UTC) as Beijing time to the minute: `2026-04-30 09:15`.
    static func beijingTime(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.beijing
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
