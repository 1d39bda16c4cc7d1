import ClusterDomain
import Fluent
import Plot
import Vapor

/// `/rounds` and `/rounds/{id}`: the competition rounds, their stages, entries, ranking and
/// objections, for everyone to read (the work itself is on the work pages and the API).
struct RoundPagesController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.rounds, use: list)
        app.register(.GET, WebRoute.round(":id"), use: one)
    }

    func list(req: Request) async throws -> Response {
        let (_, ctx) = try req.page(.rounds, section: .rounds)
        return PageResponse.html(
            RoundPages.list(ctx, rounds: try await CompetitionStore.rounds(req.db), today: req.application.today())
                .render())
    }

    func one(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let (_, ctx) = try req.page(.round(id), section: .rounds)
        guard let round = try await RoundModel.find(id, on: req.db)?.round() else {
            throw APIError.notFound(req.language.t("没有这一轮竞赛。", "No such round."), parameter: "id")
        }
        let ranking =
            RankingReport.readable(round, by: req.caller, on: req.application.today())
            ? try await RankingReport.ranking(round, db: req.db, rules: req.application.rules) : nil
        let entries = try await CompetitionStore.recommendations(req.db, round: round.id)
        let objections = try await ObjectionModel.query(on: req.db).filter(\.$roundID == round.id).sort(\.$id).all()
        let registry = try await req.store.registry()
        let names = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        let set = try await CompetitionStore.set(for: round, db: req.db)
        return PageResponse.html(
            RoundPages.detail(
                ctx, round: round, ranking: ranking, entries: entries, objections: objections, clusters: names,
                dimensions: set.dimensions, today: req.application.today()
            ).render())
    }
}

enum RoundPages {
    static func stageName(_ kind: RoundStageKind, _ format: RoundFormat, _ lang: Language) -> String {
        switch kind {
        case .recommendation: lang.t("推荐", "Recommendation")
        case .dossier: lang.t("申报材料", "Dossier")
        case .firstStage: lang.t(format.firstStage.zh, format.firstStage.en)
        case .finalStage: lang.t(format.finalStage.zh, format.finalStage.en)
        case .notice: lang.t("公示", "Public notice")
        }
    }

    static func stages(_ r: CompetitionRound, _ lang: Language, today: Day) -> Node<HTML.BodyContext> {
        .ol(
            .class("timeline"),
            .forEach(r.stages) { s in
                .li(
                    .if(r.isOpen(s.kind, on: today), .class("current")),
                    .text("\(stageName(s.kind, r.format, lang))：\(s.opensOn) — \(s.closesOn)"),
                    .if(r.isOpen(s.kind, on: today), .strong(.text(lang.t("（进行中）", " (open)")))))
            })
    }

    static func list(_ ctx: PageContext, rounds: [CompetitionRound], today: Day) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("集群竞赛", "Competition rounds"),
            .h1(.text(lang.t("先进制造业集群竞赛", "Cluster competition rounds"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "各轮竞赛的赛程、参赛集群、专家评分排名与公示异议。",
                        "Each round's stages, entries, expert ranking and the objections lodged during its notice."))),
            .p(
                .a(
                    .href(attr(WebRoute.indicators.path)),
                    .text(lang.t("评价指标体系及其版本", "The indicator set and its versions")))),
            rounds.isEmpty
                ? .p(.class("empty"), .text(lang.t("尚无竞赛轮次。", "No rounds yet.")))
                : .ul(
                    .class("rounds"),
                    .forEach(rounds) { r in
                        .li(
                            .a(.href(attr(WebRoute.round(r.id).path)), .text("\(r.year) · \(r.id)")),
                            .if(
                                ExampleData.isExample(round: r.id),
                                .strong(.class("example"), .text(lang.t("（示例）", " (example)")))),
                            .text(
                                " · "
                                    + lang.t(
                                        "\(r.format.firstStage.zh)/\(r.format.finalStage.zh)",
                                        "\(r.format.firstStage.en) / \(r.format.finalStage.en)")
                                    + " · " + lang.t("赛道 \(r.tracks.count) 个", "\(r.tracks.count) tracks")),
                            stages(r, lang, today: today))
                    }),
            .p(.a(.href(attr(APIRoute.rounds.path)), .text("JSON")))
        )
    }

    static func detail(
        _ ctx: PageContext, round r: CompetitionRound, ranking: ScoringController.RankingDTO?,
        entries: [Recommendation], objections: [ObjectionModel],
        clusters: [String: Cluster], dimensions: [IndicatorDimension], today: Day
    ) -> HTML {
        let lang = ctx.lang
        func name(_ id: String) -> String { clusters[id].map { lang.name($0) } ?? id }
        let names = Names(
            cluster: name,
            track: { code in ctx.reference?.domain(code: code).map(lang.name) ?? code },
            dimension: { code in dimensions.first { $0.code == code }.map { lang.t($0.nameZh, $0.nameEn) } ?? code })
        return Layout.page(
            ctx, title: lang.t("\(r.year) 年集群竞赛", "\(r.year) competition"),
            .nav(.class("crumbs"), .a(.href(attr(WebRoute.rounds.path)), .text(lang.t("集群竞赛", "Competition rounds")))),
            .h1(.text(lang.t("\(r.year) 年集群竞赛（\(r.id)）", "\(r.year) competition (\(r.id))"))),
            .if(
                ExampleData.isExample(round: r.id),
                .p(
                    .class("example"), .attribute(named: "role", value: "note"),
                    .text(
                        lang.t(
                            "这是示例轮次，其集群与数据均为虚构，不计入统计。",
                            "This is an example round: its clusters and data are made up and left out of the statistics."
                        )))),
            .p(
                .text(
                    (r.noticeNumber.map { lang.t("通知：", "Notice: ") + $0 + " · " } ?? "")
                        + lang.t("每省推荐不超过 \(r.quotaPerProvince) 个", "up to \(r.quotaPerProvince) entries per province")
                        + " · " + lang.name(indicatorSet: r.indicatorSetID, version: r.indicatorSetVersion))),
            .h2(.text(lang.t("赛程", "Stages"))),
            stages(r, lang, today: today),
            rankingSection(r, ranking: ranking, entries: entries, lang: lang, names: names),
            .h2(.text(lang.t("公示异议（\(objections.count)）", "Objections during the notice (\(objections.count))"))),
            objections.isEmpty
                ? .p(.class("empty"), .text(lang.t("无。", "None.")))
                : .ul(
                    .forEach(objections) { o in
                        .li(
                            .strong(.text(name(o.clusterID))), .text("：" + o.text),
                            .p(
                                .class("muted"),
                                .text(
                                    o.resolution.map { lang.t("处理结果：", "Resolution: ") + $0 }
                                        ?? lang.t("尚未处理", "Not resolved yet"))))
                    }),
            .p(
                .a(.href(attr(APIRoute.round(r.id).path)), .text("JSON")),
                .if(
                    ranking != nil,
                    .group(
                        .text(" · "),
                        .a(
                            .href(attr(APIRoute.roundRanking(r.id).path + "?format=csv")),
                            .text(lang.t("排名 CSV", "Ranking CSV"))))))
        )
    }

    /// The ranking per track with the entries no expert has scored yet (未评分, not ranked); before
    /// the results are published, for readers other than admins and ministry reviewers, only the
    /// entries and when the results will be out.
    /// How the round page names clusters, tracks and dimensions (stored as ids and codes).
    struct Names {
        let cluster: (String) -> String
        let track: (String) -> String
        let dimension: (String) -> String

        func decidedBy(_ rule: String, _ lang: Language) -> String {
            switch rule {
            case "total": lang.t("总分", "total")
            case "tied on the total and every tie-break": lang.t("总分及各比较项均相同", rule)
            default: dimension(rule)
            }
        }
    }

    static func rankingSection(
        _ r: CompetitionRound, ranking: ScoringController.RankingDTO?, entries: [Recommendation], lang: Language,
        names: Names
    ) -> Node<HTML.BodyContext> {
        let name = names.cluster
        guard let ranking else {
            return .group(
                .h2(.text(lang.t("参赛集群", "Entries"))),
                .p(
                    .class("muted"),
                    .text(
                        lang.t(
                            "专家评分和排名随公示一并公布", "The experts' scores and the ranking are published with the public notice"
                        )
                            + (r.stage(.notice).map { lang.t("（\($0.opensOn) 起）", " (from \($0.opensOn))") } ?? "")
                            + lang.t("。", "."))),
                .forEach(r.tracks) { track in
                    let inTrack = entries.filter { $0.track == track }
                    return .group(
                        .h3(.text(lang.t("赛道：", "Track: ") + names.track(track))),
                        inTrack.isEmpty
                            ? .p(.class("empty"), .text(lang.t("尚无参赛集群。", "No entries yet.")))
                            : .ul(
                                .forEach(inTrack) { e in
                                    .li(.a(.href(attr(WebRoute.cluster(e.clusterID).path)), .text(name(e.clusterID))))
                                }))
                })
        }
        return .group(
            .h2(.text(lang.t("专家评分排名", "Expert ranking"))),
            .p(
                .class("muted"),
                .text(
                    lang.t(
                        "每项指标去掉一个最高分和一个最低分后取平均（专家不少于三人时）；总分相同时依次比较：",
                        "Each indicator's scores averaged after dropping the highest and the lowest (with three experts or more); equal totals compared by: "
                    )
                        + ranking.tieBreak.map(names.dimension).joined(separator: " → "))),
            .forEach(r.tracks) { track in
                let rows = ranking.tracks[track] ?? []
                let waiting = ranking.unscoredEntries[track] ?? []
                return .group(
                    .h3(.text(lang.t("赛道：", "Track: ") + names.track(track))),
                    rows.isEmpty && waiting.isEmpty
                        ? .p(.class("empty"), .text(lang.t("尚无参赛集群。", "No entries yet.")))
                        : rankingTable(rows, waiting: waiting, lang: lang, names: names))
            })
    }

    static func rankingTable(
        _ rows: [ScoringController.RankingDTO.Row], waiting: [String], lang: Language, names: Names
    ) -> Node<HTML.BodyContext> {
        let name = names.cluster
        return .div(
            .class("table-scroll"),
            .table(
                .thead(
                    .tr(
                        .th(.text(lang.t("名次", "Rank"))), .th(.text(lang.t("集群", "Cluster"))),
                        .th(.class("num"), .text(lang.t("总分", "Total"))),
                        .th(.text(lang.t("各维度得分", "Points by dimension"))),
                        .th(.text(lang.t("依据", "Decided by"))))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .td(.text("\(row.rank)" + (row.tied ? "=" : ""))),
                            .td(.a(.href(attr(WebRoute.cluster(row.cluster).path)), .text(name(row.cluster)))),
                            .td(.class("num"), .text(String(format: "%.2f", row.total))),
                            .td(
                                .text(
                                    row.contributions.map {
                                        "\(names.dimension($0.dimension)) \(String(format: "%.2f", $0.points))"
                                    }
                                    .joined(separator: lang.t("，", ", ")))),
                            .td(.text(names.decidedBy(row.decidedBy, lang))))
                    },
                    .forEach(waiting) { id in
                        .tr(
                            .class("unscored"),
                            .td(.text("—")),
                            .td(.a(.href(attr(WebRoute.cluster(id).path)), .text(name(id)))),
                            .td(.class("num"), .text(lang.t("未评分", "not scored"))),
                            .td(), .td())
                    })))
    }
}
