import ClusterDomain
import Fluent
import Plot
import Vapor

/// `/ratings`: the ratings by year and tier, and for admins the proposals with their decision forms,
/// running the rules and entering benchmarks (each form calls the same function as its API route).
extension MonitoringPagesController {
    // MARK: ratings and adjustments

    func ratingsPage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let (params, ctx) = try req.page(.ratings, section: .monitoring)
        let today = req.application.today()
        let year = try QueryValue.dataYear(params["year"] ?? values["year"], today: today)
        let tier = try QueryValue.tier(params["tier"])
        let examples = (params["examples"] ?? values["examples"]) == "true"
        let ratings = try await RatingService(context: req.services()).rate(year: year, tier: tier, examples: examples)
        let clusters = try await req.store.registry().clusters
        let shown = Set(clusters.filter { $0.isExample == examples }.map(\.id))
        let proposals =
            req.caller == nil
            ? []
            : try await RatingService(context: req.services()).proposals(year: year).filter {
                shown.contains($0.cluster)
            }
        let benchmarks =
            req.caller == nil
            ? [] : try await BenchmarkModel.query(on: req.db).sort(\.$id).all().filter { shown.contains($0.clusterID) }
        return MonitoringPages.ratings(
            ctx, ratings: ratings, set: try await IndicatorSets.current(req.db), proposals: proposals,
            benchmarks: benchmarks, years: Array((2019..<today.year).reversed()),
            clusters: clusters.filter { $0.isExample == examples }, hasExamples: clusters.contains(where: \.isExample),
            isAdmin: req.caller?.isAdmin == true,
            csrf: req.caller == nil ? "" : CSRF.token(for: req), values: values, errors: errors)
    }

    func ratings(req: Request) async throws -> Response {
        PageResponse.html(try await ratingsPage(req, values: [:], errors: [:]).render())
    }

    func propose(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await ratingsPage(req, values: $0, errors: $1) }) {
            caller, f in
            let today = req.application.today()
            guard let year = f["year"].flatMap({ Int($0) }), (2019..<today.year).contains(year) else {
                throw FieldErrors(["year": .dataYear(through: today.year - 1)])
            }
            let examples = f["examples"] == "true"
            _ = try await RatingService(context: req.services(caller: caller))
                .propose(year: year, examples: examples, caller: caller)
            return WebRoute.ratings.link(["year": String(year), "examples": examples ? "true" : ""])
        }
    }

    func decide(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await ratingsPage(req, values: $0, errors: $1) }) {
            caller, f in
            guard let id = req.parameters.get("id").flatMap({ Int($0) }) else {
                throw APIError.notFound("no such proposal", parameter: "id")
            }
            let decided = try await AdjustmentService(context: req.services(caller: caller)).decide(
                id: id, .init(decision: f["decision"], note: f["note"], documentNumber: f["document_number"]))
            return WebRoute.ratings.link(["year": String(decided.year), "examples": f["examples"] ?? ""])
        }
    }

    func benchmark(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await ratingsPage(req, values: $0, errors: $1) }) {
            caller, f in
            guard let cluster = try await req.store.registry().clusters.first(where: { $0.id == f["cluster"] }) else {
                throw FieldErrors(["cluster": Message("field.choose_cluster")])
            }
            _ = try await RatingService(context: req.services(caller: caller)).enterBenchmark(
                cluster: cluster, .init(description: f["description"], source: f["source"]), caller: caller)
            return WebRoute.ratings.link(["year": f["year"] ?? "", "examples": f["examples"] ?? ""])
        }
    }
}

extension MonitoringPages {
    static func tierName(_ tier: String, _ lang: Language) -> String {
        switch tier {
        case "provincial": lang.t("省级", "provincial")
        case "world_class": lang.t("世界级", "world-class")
        default: lang.t("国家级", "national")
        }
    }

    static func ratings(
        _ ctx: PageContext, ratings r: RatingController.RatingsDTO, set: IndicatorSet,
        proposals: [RatingController.ProposalDTO],
        benchmarks: [BenchmarkModel], years: [Int], clusters: [Cluster], hasExamples: Bool, isAdmin: Bool, csrf: String,
        values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        let dimensions = r.ratings.first?.contributions.map(\.dimension) ?? []
        let names = Dictionary(uniqueKeysWithValues: clusters.map { ($0.id, $0) })
        let examples = r.examples ? "true" : ""
        func link(year: Int? = nil, tier: String? = nil, examples ex: String? = nil) -> String {
            WebRoute.ratings.link([
                "year": String(year ?? r.year), "tier": (tier ?? r.tier) == "national" ? "" : (tier ?? r.tier),
                "examples": ex ?? examples,
            ])
        }
        func hidden() -> Node<HTML.FormContext> {
            .group(
                .input(.type(.hidden), .name("year"), .value(String(r.year))),
                .if(r.examples, .input(.type(.hidden), .name("examples"), .value("true"))))
        }
        return Layout.page(
            ctx, title: lang.t("竞争力评价", "Competitiveness ratings"),
            .h1(
                .text(
                    lang.t(
                        "\(r.year) 年度\(tierName(r.tier, lang))集群竞争力评价",
                        "Competitiveness of the \(tierName(r.tier, lang)) clusters, \(r.year)")
                        + (r.examples ? lang.t("（示例集群）", " (example clusters)") : ""))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "依据已采纳的年度监测数据（\(r.rated)/\(r.clusters) 个集群），指标体系第 \(r.indicatorSetVersion) 版。",
                        "From the accepted returns (\(r.rated) of \(r.clusters) clusters), indicator set \(r.indicatorSet) v\(r.indicatorSetVersion)."
                    ))),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "计算方法：每项指标在参评集群之间按极差标准化到 0–100（指标体系规定的取对数后再标准化），各维度内取平均后按权重加总；按名次分为十档（1 档为前 10%）。",
                        r.method))),
            .nav(
                .class("inline-links"), .attribute(named: "aria-label", value: attr(lang.t("数据年度", "Data year"))),
                .forEach(years) { y in
                    y == r.year ? .strong(.text(" \(y) ")) : .a(.href(attr(link(year: y))), .text(" \(y) "))
                }),
            .nav(
                .class("inline-links"), .attribute(named: "aria-label", value: attr(lang.t("层级", "Tier"))),
                .forEach(["national", "provincial"]) { t in
                    t == r.tier
                        ? .strong(.text(" " + tierName(t, lang) + " "))
                        : .a(.href(attr(link(tier: t))), .text(" " + tierName(t, lang) + " "))
                },
                .if(
                    hasExamples || r.examples,
                    r.examples
                        ? .a(.href(attr(link(examples: ""))), .text(lang.t(" · 查看正式集群", " · the real clusters")))
                        : .a(.href(attr(link(examples: "true"))), .text(lang.t(" · 查看示例集群", " · the example clusters")))
                )),
            r.ratings.isEmpty
                ? .p(.class("empty"), .text(lang.t("该年度尚无已采纳的监测数据。", "No accepted returns for this year yet.")))
                : .div(
                    .class("table-scroll"),
                    .table(
                        .class("ratings"),
                        .thead(
                            .tr(
                                .th(.text("#")), .th(.text(lang.t("集群", "Cluster"))),
                                .th(.class("num"), .text(lang.t("得分", "Score"))),
                                .th(.class("num"), .text(lang.t("十分位", "Decile"))),
                                .forEach(dimensions) { code in
                                    .th(
                                        .class("num"),
                                        .text(
                                            set.dimension(code: code).map {
                                                lang.t($0.nameZh, $0.nameEn) + " \(String(format: "%g", $0.weight))%"
                                            } ?? code))
                                })),
                        .tbody(
                            .forEach(r.ratings) { row in
                                .tr(
                                    .td(.text(String(row.rank))),
                                    .td(
                                        .a(
                                            .href(attr(WebRoute.cluster(row.cluster).path)),
                                            .text(lang.t(row.nameZh, row.nameEn)))),
                                    .td(.class("num"), .text(String(format: "%.2f", row.score))),
                                    .td(.class("num"), .text(String(row.decile))),
                                    .forEach(row.contributions) { c in
                                        .td(
                                            .class("num"),
                                            .attribute(
                                                named: "title", value: attr("\(c.dimension): \(c.score) × \(c.weight)%")
                                            ),
                                            .text(String(format: "%.2f", c.points)))
                                    })
                            }))),
            .p(
                .a(
                    .href(
                        attr(APIRoute.ratings.path + "?year=\(r.year)&tier=\(r.tier)&examples=\(r.examples)&format=csv")
                    ), .text("CSV")), .text(" · "),
                .a(
                    .href(attr(APIRoute.ratings.path + "?year=\(r.year)&tier=\(r.tier)&examples=\(r.examples)")),
                    .text("JSON")), .text(" · "),
                .a(.href(attr(WebRoute.returns.link(["year": String(r.year)]))), .text(lang.t("年度监测数据", "The returns")))
            ),
            .h2(.text(lang.t("动态调整建议", "Adjustment proposals"))),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "系统依据配置的规则提出建议，由管理员决定；采纳后按培育阶梯执行（需会签的须先会签）。",
                        "The system proposes under the configured rules; an admin decides, and an accepted proposal is applied to the ladder (after the sign-off where co-review is configured)."
                    ))),
            WorkPages.banner(lang, errors),
            proposals.isEmpty
                ? .p(.class("empty"), .text(lang.t("暂无建议（或未登录）。", "No proposals (or not signed in).")))
                : .ul(
                    .forEach(proposals) { p in
                        .li(
                            .text(
                                "#\(p.id) · \(p.cluster) \(p.clusterName) · " + eventName(p.event, lang) + " · "
                                    + lang.t(p.reasonZh, p.reasonEn) + " · "),
                            .strong(
                                .text(
                                    p.decision == "pending"
                                        ? lang.t("待决定", "pending")
                                        : p.decision == "accepted"
                                            ? lang.t("已采纳", "accepted") : lang.t("未采纳", "rejected"))),
                            .unwrap(p.decisionNote) { .text(" — " + $0) },
                            .if(
                                isAdmin && p.decision == "pending",
                                WorkPages.form(
                                    "/adjustments/\(p.id)/decide", csrf: csrf,
                                    submit: lang.t("提交决定", "Record the decision"),
                                    hidden(),
                                    FormFields.select(
                                        lang, "decision", "决定", "Decision",
                                        [("accept", lang.t("采纳", "accept")), ("reject", lang.t("不采纳", "reject"))], nil,
                                        errors),
                                    FormFields.field(
                                        lang, "note", "理由（不采纳时必填）", "Reason (needed to reject)", nil, errors),
                                    FormFields.field(
                                        lang, "document_number", "文号（如有）", "Document number (if any)", nil, errors))))
                    }),
            .if(
                !benchmarks.isEmpty,
                .group(
                    .h2(.text(lang.t("国际对标", "Global benchmarks"))),
                    .ul(
                        .forEach(benchmarks) { b in
                            .li(
                                .text(
                                    "\(b.clusterID) " + (names[b.clusterID].map { lang.name($0) } ?? "") + " · "
                                        + b.description + " · "),
                                .small(.text(lang.t("来源：", "source: ") + b.source)))
                        }))),
            .if(
                isAdmin,
                .group(
                    .p(
                        .class("muted"),
                        .text(lang.t("调整规则只适用于国家级集群。", "The adjustment rules apply to national clusters."))),
                    WorkPages.form(
                        "/ratings/propose", csrf: csrf,
                        submit: lang.t("按规则提出 \(r.year) 年调整建议", "Run the adjustment rules for \(r.year)"),
                        hidden(), FormFields.error("year", errors)),
                    .h2(.text(lang.t("录入国际对标", "Enter a global benchmark"))),
                    WorkPages.form(
                        "/ratings/benchmarks", csrf: csrf, submit: lang.t("录入", "Enter"),
                        hidden(),
                        FormFields.select(
                            lang, "cluster", "集群", "Cluster", clusters.map { ($0.id, "\($0.id) · " + lang.name($0)) },
                            values["cluster"], errors),
                        FormFields.field(
                            lang, "description", "对标内容（如全球产值份额）", "Benchmark (e.g. share of world output)",
                            values["description"], errors),
                        FormFields.field(lang, "source", "来源", "Source", values["source"], errors))
                ))
        )
    }
}
