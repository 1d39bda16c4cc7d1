import ClusterDomain
import Plot

/// `/clusters/{id}`: one cluster — names, where it lies, its dated history and its provenance.
enum ClusterProfilePage {
    struct Model {
        let cluster: Cluster
        let asOf: Day
        let state: TierEvent?
        let region: Region?
        let keyRegions: [KeyRegion]
        let reference: ReferenceData
        /// Whether the signed-in caller may edit it.
        var canEdit = false
        /// Its note in the page's language (the shipped notes have both).
        var notes: String? = nil
        /// Its audit entries that the caller may read, newest first.
        var changes: [AuditEntryDTO] = []
        /// The policies it qualifies for on `asOf`, with reasons.
        var policies: [(Policy, Eligibility)] = []
        /// Clusters it shares activities with, and suggested partners with reasons.
        var partners: [(Cluster, [CooperationActivity])] = []
        var suggestions: [PartnerSuggestion] = []
        /// Announcements that name it.
        var announcements: [Announcement] = []
        /// Its steps on the cultivation ladder, oldest first: day, event, from → to, evidence, and for a
        /// designation its document (other steps' documents are in the tier history).
        var ladder: [(day: String, event: String, from: String?, to: String, evidence: [String], document: String?)] =
            []
        /// Data years with a monitoring return the caller may open (signed-in callers only; `ReturnAccess.mayRead`).
        var returnYears: [Int] = []

        init(registry: Registry, cluster: Cluster, asOf: Day) {
            self.cluster = cluster
            self.asOf = asOf
            state = cluster.state(asOf: asOf)
            region = registry.region(of: cluster)
            keyRegions = registry.keyRegions(of: cluster)
            reference = registry.reference
        }
    }

    static func view(_ m: Model, _ ctx: PageContext) -> HTML {
        let lang = ctx.lang
        let c = m.cluster
        let ref = m.reference
        let cities = c.cityNames.map { name in (name, ref.city(named: name)) }
        return Layout.page(
            ctx, title: lang.name(c),
            .nav(
                .class("crumbs"), .attribute(named: "aria-label", value: attr(lang.t("位置", "Breadcrumb"))),
                .a(.href(attr(WebRoute.clusters.path)), .text(lang.t("集群名录", "Directory"))), .text(" / \(c.id)")),
            .h1(.text(lang.name(c))),
            .p(
                .class("other-name"), .attribute(named: "lang", value: attr(lang.other.tag)),
                .text(lang.t(c.nameEn, c.nameZh))),
            .div(
                .class("profile"),
                .section(
                    .attribute(named: "aria-labelledby", value: "facts-title"),
                    .h2(.id("facts-title"), .text(lang.t("基本信息", "Facts"))),
                    .dl(
                        .dt(.text(lang.t("编号", "Id"))), .dd(.text(c.id)),
                        .dt(.text(lang.t("领域", "Domain"))),
                        .dd(
                            .a(
                                .href(attr(WebRoute.clusters.link(["domain": c.domainCode]))),
                                .text(ref.domain(code: c.domainCode).map(lang.name) ?? c.domainCode))),
                        .dt(.text(lang.t("层级与状态（截至 \(m.asOf.iso)）", "Tier and status (as of \(m.asOf.iso))"))),
                        .dd(
                            .text(
                                m.state.map { lang.name($0.tier) + " · " + lang.name($0.status) }
                                    ?? lang.t("尚未出现", "not yet recorded"))),
                        .dt(.text(lang.t("地区", "Region"))), .dd(.text(m.region.map(lang.name) ?? "—")),
                        .dt(.text(lang.t("重点区域", "Key region"))),
                        .dd(
                            .text(
                                m.keyRegions.isEmpty
                                    ? lang.t("无", "none") : m.keyRegions.map(lang.name).joined(separator: ", "))),
                        .dt(.text(lang.t("批次", "Batch"))),
                        .dd(.text(lang.name(facet: .batch, value: c.batchCode, reference: ref))),
                        .dt(.text(lang.t("认定日期", "Designated on"))), .dd(.text(c.designatedOn?.description ?? "—")),
                        .dt(.text(lang.t("认定文件", "Designation document"))), .dd(.text(c.designationDocument ?? "—"))
                    )
                ),
                .section(
                    .attribute(named: "aria-labelledby", value: "members-title"),
                    .h2(.id("members-title"), .text(lang.t("成员城市与省份", "Member cities and provinces"))),
                    .ol(
                        .class("cities"),
                        .forEach(cities) { name, city in
                            .li(
                                .text(city.map(lang.name) ?? name),
                                .if(
                                    city?.isPlanned == true,
                                    .span(.class("tag"), .text(lang.t("计划单列市", "planned city")))),
                                .text(
                                    city.flatMap { ref.province(code: $0.provinceCode) }.map { " · " + lang.name($0) }
                                        ?? ""))
                        }),
                    .p(
                        .text(lang.t("成员省份：", "Member provinces: ")),
                        .forEach(Array(c.provinceCodes.compactMap(ref.province(code:)).enumerated())) { i, p in
                            .group(
                                .if(i > 0, .text(lang.t("、", ", "))),
                                .a(
                                    .class("province-link"), .href(attr(WebRoute.province(p.code).path)),
                                    .text(lang.name(p))))
                        }),
                    .div(
                        .class("map small"),
                        .raw(
                            TileMap.svg(
                                id: "member-map", title: lang.t("成员省份位置图", "Map of the member provinces"),
                                reference: ref,
                                lang: lang, counts: [:], highlight: Set(c.provinceCodes),
                                href: { WebRoute.province($0.code).path }, cell: 30)))
                )
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "history-title"),
                .h2(.id("history-title"), .text(lang.t("层级历程", "Tier history"))),
                .ol(
                    .class("timeline"),
                    .forEach(c.history) { event in
                        .li(
                            .element(
                                named: "time",
                                nodes: [
                                    .attribute(named: "datetime", value: attr(event.date.description)),
                                    .text(event.date.description),
                                ]),
                            .text(" " + lang.name(event.tier) + " · " + lang.name(event.status)),
                            .if(event.document != nil, .text(" — " + (event.document ?? ""))))
                    })
            ),
            .if(
                !m.ladder.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "ladder-title"),
                    .h2(.id("ladder-title"), .text(lang.t("培育阶梯", "Ladder steps"))),
                    .ol(
                        .class("timeline"),
                        .forEach(m.ladder) { step in
                            .li(
                                .element(
                                    named: "time",
                                    nodes: [.attribute(named: "datetime", value: attr(step.day)), .text(step.day)]),
                                .text(
                                    " " + lang.name(ladderEvent: step.event) + "：" + lang.name(ladderState: step.from)
                                        + " → " + lang.name(ladderState: step.to)),
                                .if(
                                    !step.evidence.isEmpty,
                                    .small(
                                        .text(
                                            lang.t("　依据：", " · evidence: ")
                                                + step.evidence.map { lang.name(evidence: $0) }.joined(
                                                    separator: lang.t("、", ", "))))),
                                .unwrap(step.document) { .text(" — " + $0) })
                        }))),
            .if(
                !m.returnYears.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "returns-title"),
                    .h2(.id("returns-title"), .text(lang.t("年度监测数据", "Monitoring returns"))),
                    .p(
                        .forEach(m.returnYears) { y in
                            .group(
                                .a(.href(attr(WebRoute.clusterReturn(c.id, String(y)).path)), .text(String(y))),
                                .text(" "))
                        }))),
            .section(
                .attribute(named: "aria-labelledby", value: "provenance-title"),
                .h2(.id("provenance-title"), .text(lang.t("来源与可信度", "Provenance"))),
                .p(
                    .text(lang.t("可信度：", "Confidence: ")),
                    .strong(.class("confidence \(c.confidence.rawValue)"), .text(lang.name(c.confidence)))),
                .if(
                    c.sources.isEmpty, .p(.text(lang.t("未记录来源。", "No source recorded."))),
                    else: .ol(
                        .class("sources"),
                        .forEach(c.sources) { url in
                            .li(.a(.href(attr(url)), .attribute(named: "rel", value: "noopener nofollow"), .text(url)))
                        })),
                .if(!c.notes.isEmpty, .p(.class("notes"), .text(m.notes ?? c.notes)))
            ),
            .if(
                c.retiredOn != nil,
                .p(
                    .class("error"),
                    .text(
                        lang.t(
                            "本记录已于 \(c.retiredOn?.iso ?? "") 从登记中撤下。",
                            "This record was withdrawn from the registry on \(c.retiredOn?.iso ?? "").")))),
            .section(
                .attribute(named: "aria-labelledby", value: "policies-title"),
                .h2(
                    .id("policies-title"),
                    .text(lang.t("可享受的政策（截至 \(m.asOf.iso)）", "Policies it qualifies for (as of \(m.asOf.iso))"))),
                m.policies.isEmpty
                    ? .p(.class("empty"), .text(lang.t("无。", "None.")))
                    : .ul(
                        .class("qualifies"),
                        .forEach(m.policies) { policy, e in
                            .li(
                                .a(
                                    .href(attr(WebRoute.policy(policy.id).path)),
                                    .text(lang.t(policy.titleZh, policy.titleEn))),
                                PolicyPages.reasons(e, lang))
                        }),
                .p(
                    .a(
                        .href(attr(APIRoute.clusterPolicies(c.id).path)),
                        .text(lang.t("全部政策的判定 JSON", "Every policy's decision as JSON"))),
                    .text(" · "), .a(.href(attr(APIRoute.clusterPolicies(c.id).path + "?format=csv")), .text("CSV")))
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "partners-title"),
                .h2(.id("partners-title"), .text(lang.t("合作伙伴", "Partners"))),
                m.partners.isEmpty
                    ? .p(.class("empty"), .text(lang.t("台账中暂无双边合作。", "No bilateral activity in the ledger yet.")))
                    : .ul(
                        .class("partners"),
                        .forEach(m.partners) { other, activities in
                            .li(
                                .a(.href(attr(WebRoute.cluster(other.id).path)), .text(lang.name(other))),
                                .text(
                                    " · "
                                        + activities.map { lang.t($0.titleZh, $0.titleEn) }.joined(
                                            separator: lang.t("、", "; "))))
                        }),
                .h3(.text(lang.t("建议的合作伙伴", "Suggested partners"))),
                m.suggestions.isEmpty
                    ? .p(.class("empty"), .text(lang.t("无。", "None.")))
                    : .ul(
                        .class("suggestions"),
                        .forEach(m.suggestions) { s in
                            .li(
                                .a(.href(attr(WebRoute.cluster(s.cluster.id).path)), .text(lang.name(s.cluster))),
                                .ul(
                                    .class("reasons"),
                                    .forEach(s.reasons) { r in .li(.class("met"), .text(lang.t(r.zh, r.en))) }))
                        }),
                .p(
                    .a(.href(attr(APIRoute.clusterPartners(c.id).path)), .text("JSON")), .text(" · "),
                    .a(.href(attr(WebRoute.cooperation.path)), .text(lang.t("合作网络 →", "Cooperation network →"))))
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "news-title"),
                .h2(.id("news-title"), .text(lang.t("相关公告", "Related announcements"))),
                m.announcements.isEmpty
                    ? .p(.class("empty"), .text(lang.t("无。", "None.")))
                    : .ul(
                        .forEach(m.announcements) { a in
                            .li(
                                .text(a.publishedOn.description + " "),
                                .a(.href(attr(WebRoute.announcement(a.id).path)), .text(lang.t(a.titleZh, a.titleEn))))
                        })
            ),
            .if(
                !m.changes.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "changes-title"),
                    .h2(.id("changes-title"), .text(lang.t("修改记录", "Change history"))),
                    .ul(
                        .class("changes"),
                        .forEach(m.changes) { e in
                            .li(
                                .text(
                                    "\(EditPages.beijingTime(e.at)) · \(e.actorEmail ?? "—") · \(lang.name(auditAction: e.action)) · "
                                        + (e.outcome == "done" ? lang.t("完成", "done") : lang.t("拒绝", "refused"))))
                        }),
                    .p(
                        .a(
                            .href(attr(WebRoute.audit.link(["entity_id": c.id]))),
                            .text(lang.t("完整审计记录 →", "Full audit trail →"))))
                )),
            .p(
                .a(.href(attr(APIRoute.cluster(c.id).path)), .text(lang.t("本记录 JSON", "This record as JSON"))),
                .if(
                    m.canEdit,
                    .group(
                        .text(" · "),
                        .a(.class("edit"), .href(attr(WebRoute.editCluster(c.id).path)), .text(lang.t("编辑", "Edit"))))))
        )
    }
}
