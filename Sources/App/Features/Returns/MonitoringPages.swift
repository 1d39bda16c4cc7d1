import ClusterDomain
import Fluent
import Plot
import Vapor

/// The monitoring pages: `/returns` (a data year's returns, signed in), a return's page and form
/// (`/clusters/{id}/returns/{year}`: the filer saves and submits, the province reviews, an admin
/// accepts or sends back), and `/ratings` (public ratings; for admins, the adjustment proposals with
/// their decisions and the benchmark form). Each form calls the same function as its API route.
struct MonitoringPagesController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.returns, use: list)
        app.register(.GET, WebRoute.clusterReturn(":id", ":year"), use: returnPage)
        app.register(.POST, WebRoute.clusterReturn(":id", ":year"), use: fileReturn)
        app.register(.GET, WebRoute.ratings, use: ratings)
        app.register(.POST, WebRoute.proposeAdjustments, use: propose)
        app.register(.POST, WebRoute.benchmarks, use: benchmark)
        app.register(.POST, WebRoute.decideAdjustment(":id"), use: decide)
    }

    // MARK: returns

    func list(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.returns, section: .monitoring)
        let caller = try req.requireCaller()
        let today = req.application.today()
        let year = try QueryValue.dataYear(params["year"], today: today)
        let registry = try await req.store.registry()
        let filter = try MonitoringPages.filter(params, reference: registry.reference)
        let rows = Dictionary(
            uniqueKeysWithValues: try await ReturnModel.query(on: req.db).filter(\.$dataYear == year).all()
                .map { ($0.clusterID, $0) })
        let monitored = registry.clusters.filter { $0.isMonitored(year: year) || rows[$0.id] != nil }
        let rules = req.application.rules.monitoring
        let items = try monitored.map { c -> MonitoringPages.ListItem in
            let row = rows[c.id]
            let (submitted, late) = ReturnStore.lateness(year: year, row: row, rules: rules, today: today)
            let state = try row?.returnState()
            return .init(
                cluster: c, state: state, submittedOn: submitted, late: late,
                readable: ReturnAccess.mayRead(caller, cluster: c, state: state))
        }
        let list = ReturnWorkList(
            items, filter: filter, provinces: \.cluster.provinceCodes, state: \.state, late: \.late,
            own: { ReturnAccess.isParty(caller, cluster: $0.cluster) && !caller.isAdmin })
        return PageResponse.html(
            MonitoringPages.list(
                ctx, year: year, due: rules.dueDate(dataYear: year), list: list, filter: filter,
                reference: registry.reference, years: Array((2019..<today.year).reversed())
            ).render())
    }

    func page(_ req: Request, values: [String: String]?, errors: [String: String]) async throws -> HTML {
        let id = req.parameters.get("id") ?? ""
        let yearText = req.parameters.get("year") ?? ""
        let (_, ctx) = try req.page(.clusterReturn(id, yearText), section: .monitoring)
        let caller = try req.requireCaller()
        let (cluster, year, row) = try await ReturnService(context: req.services()).load(cluster: id, year: yearText)
        guard ReturnAccess.mayRead(caller, cluster: cluster, state: try row?.returnState()) else {
            throw ReturnAccess.unreadable
        }
        let dto = try await ReturnService(context: req.services()).dto(cluster: cluster, year: year, row: row)
        let set = try await ReturnStore.set(for: row, db: req.db)
        return MonitoringPages.returnPage(
            ctx, cluster: cluster, ret: dto, set: set, csrf: CSRF.token(for: req), values: values, errors: errors)
    }

    func returnPage(req: Request) async throws -> Response {
        PageResponse.html(try await page(req, values: nil, errors: [:]).render())
    }

    /// The form's `step`: save or submit the values (a submission saves them first, so nothing typed
    /// is lost when it is refused), or a review step with its comment.
    func fileReturn(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await page(req, values: $0, errors: $1) }) { caller, f in
            let (cluster, year, row) = try await ReturnService(context: req.services()).load(
                cluster: req.parameters.get("id") ?? "",
                year: req.parameters.get("year") ?? "")
            guard let step = f["step"].flatMap(ReturnAction.init(rawValue:)) else {
                throw FieldErrors(["form": Message("form.choose_action")])
            }
            let version = f["version"].flatMap { Int($0) }
            let path = WebRoute.clusterReturn(cluster.id, String(year)).path
            switch step {
            case .save, .submit:
                try await saveOrSubmit(
                    req, step, fields: f, cluster: cluster, year: year, row: row, version: version, caller: caller)
            case .provinceReview, .accept, .return:
                _ = try await ReturnService(context: req.services(caller: caller)).step(
                    step, cluster: cluster, year: year, row: row, values: nil, comment: f["review_comment"],
                    version: version, caller: caller)
            }
            return path
        }
    }

    /// Saves the values typed (every problem named at once), and for a submission submits them
    /// after; when only the submission is refused, the errors say the draft was saved.
    func saveOrSubmit(
        _ req: Request, _ step: ReturnAction, fields f: [String: String], cluster: Cluster, year: Int,
        row: ReturnModel?, version: Int?, caller: Caller
    ) async throws {
        let set = try await ReturnStore.set(for: row, db: req.db)
        var (values, errors) = set.typedValues(f)
        if !errors.isEmpty {
            // Every problem at once: the values that are not numbers, and what the checks
            // say of the ones that are.
            let check = ReturnCheck.check(values, previous: nil, set: set, rules: req.application.rules.monitoring)
            for (code, message) in check.errors {
                errors["value_" + code] = message
            }
            throw FieldErrors(errors)
        }
        var saved: Int?
        do {
            var current = row
            let canSave = ReturnWorkflow.table[.save]?.from.contains(try row?.returnState()) ?? false
            if canSave {
                _ = try await ReturnService(context: req.services(caller: caller)).step(
                    .save, cluster: cluster, year: year, row: row, values: values, comment: f["comment"],
                    version: version, caller: caller)
                current = try await ReturnModel.find(
                    ReturnModel.key(cluster: cluster.id, year: year), on: req.db)
                saved = current?.version
            }
            if step == .submit {
                _ = try await ReturnService(context: req.services(caller: caller)).step(
                    .submit, cluster: cluster, year: year, row: current, values: nil,
                    comment: f["comment"], version: canSave ? current?.version : version,
                    caller: caller)
            }
        } catch let e as FieldErrors {
            // The draft was saved and only the submission was refused: the page says so.
            guard let saved else { throw e.formKeys }
            throw e.formKeys.adding("saved", Message("return.saved_not_submitted", ["version": "\(saved)"]))
        }
    }

}

enum MonitoringPages {
    struct ListItem {
        let cluster: Cluster
        let state: ReturnState?
        let submittedOn: Day?
        let late: Bool
        /// Whether the caller may open it (`ReturnController.mayRead`); others see only its state.
        let readable: Bool
    }

    static func stateName(_ state: ReturnState?, _ lang: Language) -> String {
        state.map { lang.t($0.zh, $0.en) } ?? lang.t("未填报", "not started")
    }

    static func actionName(_ action: ReturnAction, _ lang: Language) -> String {
        switch action {
        case .save: lang.t("保存草稿", "Save the draft")
        case .submit: lang.t("保存并报送", "Save and submit")
        case .provinceReview: lang.t("省级审核通过", "Reviewed by the province")
        case .accept: lang.t("采纳", "Accept")
        case .return: lang.t("退回修改", "Send back")
        }
    }

    static func eventName(_ event: String, _ lang: Language) -> String {
        switch event {
        case "warn": lang.t("预警", "warning")
        case "exit": lang.t("调出", "exit")
        case "clear_warning": lang.t("解除预警", "clear the warning")
        case "promote": lang.t("认定为世界级", "world-class")
        default: event
        }
    }

    static func yearLinks(_ route: WebRoute, years: [Int], current: Int, _ lang: Language) -> Node<HTML.BodyContext> {
        .nav(
            .class("inline-links"), .attribute(named: "aria-label", value: attr(lang.t("数据年度", "Data year"))),
            .forEach(years) { y in
                y == current
                    ? .strong(.text(" \(y) ")) : .a(.href(attr(route.link(["year": String(y)]))), .text(" \(y) "))
            })
    }

    /// A value as typed into the form: whole numbers without an exponent (1.2e11 → 120000000000).
    static func plain(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(format: "%.0f", v) : String(format: "%g", v)
    }

    /// An indicator's form label with its unit, in Chinese and English: amounts in 元 / yuan, shares as
    /// 比例 / share, counts with their Chinese measure word (English pages say "number").
    static func label(_ indicator: IndicatorDefinition) -> (zh: String, en: String) {
        let unit: (zh: String, en: String) =
            switch indicator.kind {
            case .amount where indicator.unit == "CNY": ("元", "yuan")
            case .share: ("比例", "share")
            case .count: (indicator.unit, "number")
            default: (indicator.unit, indicator.unit)
            }
        return (indicator.nameZh + "（\(unit.zh)）", indicator.nameEn + " (\(unit.en))")
    }

    /// A value as read: amounts in 亿元 / billion yuan, shares as percentages, counts as they are.
    static func display(_ v: Double?, _ indicator: IndicatorDefinition, _ lang: Language) -> String {
        guard let v else { return "—" }
        switch indicator.kind {
        case .amount where indicator.unit == "CNY":
            return lang == .zh ? String(format: "%.2f 亿元", v / 1e8) : String(format: "%.2f bn yuan", v / 1e9)
        case .share: return String(format: "%.1f%%", v * 100)
        default: return plain(v)
        }
    }

    static func returnPage(
        _ ctx: PageContext, cluster: Cluster, ret: ReturnController.ReturnDTO, set: IndicatorSet, csrf: String,
        values: [String: String]?, errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        let actions = ret.actions.compactMap(ReturnAction.init(rawValue:))
        let filing = actions.filter { $0 == .save || $0 == .submit }
        let reviewing = actions.filter { $0 == .provinceReview || $0 == .accept || $0 == .return }
        let path = WebRoute.clusterReturn(cluster.id, String(ret.year)).path
        func buttons(_ list: [ReturnAction]) -> Node<HTML.FormContext> {
            .div(
                .class("actions"),
                .forEach(list) { a in
                    .button(.type(.submit), .name("step"), .value(attr(a.rawValue)), .text(actionName(a, lang)))
                })
        }
        let state = ReturnState(rawValue: ret.state)
        return Layout.page(
            ctx, title: lang.t("年度监测数据", "Monitoring return"),
            .nav(
                .class("crumbs"),
                .a(
                    .href(attr(WebRoute.returns.link(["year": String(ret.year)]))),
                    .text(lang.t("年度监测", "Yearly monitoring")))),
            .h1(.text(lang.name(cluster) + lang.t(" · \(ret.year) 年度监测数据", " · \(ret.year) return"))),
            .p(
                .text(
                    lang.t("状态：", "State: ") + stateName(state, lang) + " · "
                        + lang.t("版本 \(ret.version)", "version \(ret.version)")
                        + " · " + lang.t("截止 \(ret.dueOn)", "due \(ret.dueOn)")
                        + (ret.submittedOn.map { lang.t(" · 首次报送 \($0)", " · first submitted \($0)") } ?? "")),
                .if(ret.late, .strong(.class("late"), .text(lang.t(" · 逾期", " · late"))))),
            .unwrap(ret.reviewComment) {
                .div(.class("notice"), .p(.strong(.text(lang.t("审核意见：", "Reviewer's comment: "))), .text($0)))
            },
            .if(
                !ret.warnings.isEmpty,
                .div(
                    .class("notice"),
                    .p(
                        .text(
                            lang.t("与上年相比变化较大，报送时请在说明中解释：", "Large changes on last year; explain them when submitting:")
                        )),
                    .ul(
                        .forEach(ret.warnings.sorted { $0.key < $1.key }) { code, text in
                            .li(
                                .text(
                                    lang.t(
                                        set.indicator(code: code)?.nameZh ?? code,
                                        set.indicator(code: code)?.nameEn ?? code) + lang.t("：", ": ")
                                        + (lang == .zh ? ret.warningsZh[code] ?? text : text)))
                        }))),
            WorkPages.banner(lang, errors),
            filing.isEmpty
                ? .group(
                    figures(lang, set: set, ret: ret),
                    .unwrap(ret.comment.isEmpty ? nil : ret.comment) {
                        .p(.text(lang.t("填报说明：", "Filer's note: ") + $0))
                    })
                : .form(
                    .class("stack"), .method(.post), .action(attr(path)), AccountPages.csrfField(csrf),
                    .input(.type(.hidden), .name("version"), .value(String(ret.version))),
                    WorkPages.fieldset(
                        lang.t("指标数据", "Figures") + "（" + lang.name(indicatorSet: set.id, version: set.version) + "）",
                        set.indicators.map { i in
                            let stored = ret.values[i.code].map(plain) ?? ""
                            let last = ret.previousValues[i.code].map {
                                lang.t("上年 ", "last year ") + display($0, i, lang)
                            }
                            let share =
                                i.kind == .share
                                ? lang.t("填 0 到 1 之间的小数（4.5% 填 0.045）", "a fraction from 0 to 1 (4.5% is 0.045)") : nil
                            let hint = [share, last].compactMap { $0 }.joined(separator: lang.t("；", "; "))
                            let name = label(i)
                            return FormFields.field(
                                lang, "value_" + i.code, name.zh, name.en,
                                values?["value_" + i.code] ?? stored, errors, hint: hint.isEmpty ? nil : hint)
                        }),
                    FormFields.field(
                        lang, "comment", "填报说明", "Filer's note", values?["comment"] ?? ret.comment, errors, area: true),
                    FormFields.error("version", errors),
                    buttons(filing)),
            .if(
                !reviewing.isEmpty,
                .group(
                    .h2(.text(lang.t("审核", "Review"))),
                    .form(
                        .class("stack"), .method(.post), .action(attr(path)), AccountPages.csrfField(csrf),
                        .input(.type(.hidden), .name("version"), .value(String(ret.version))),
                        FormFields.field(
                            lang, "review_comment", "审核意见（退回时必填）", "Comment (needed to send back)",
                            values?["review_comment"], errors.mapKeys { $0 == "comment" ? "review_comment" : $0 },
                            area: true),
                        buttons(reviewing)))),
            .p(.a(.href(attr(APIRoute.clusterReturn(cluster.id, String(ret.year)).path)), .text("JSON")))
        )
    }

    static func figures(_ lang: Language, set: IndicatorSet, ret: ReturnController.ReturnDTO) -> Node<HTML.BodyContext>
    {
        .div(
            .class("table-scroll"),
            .table(
                .thead(
                    .tr(
                        .th(.text(lang.t("指标", "Indicator"))), .th(.class("num"), .text(lang.t("本年", "This year"))),
                        .th(.class("num"), .text(lang.t("上年", "Last year"))))),
                .tbody(
                    .forEach(set.indicators) { i in
                        .tr(
                            .td(.text(lang.t(i.nameZh, i.nameEn))),
                            .td(.class("num"), .text(display(ret.values[i.code], i, lang))),
                            .td(.class("num"), .text(display(ret.previousValues[i.code], i, lang))))
                    })))
    }

}
