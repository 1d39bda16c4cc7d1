import ClusterDomain
import Fluent
import Plot
import Vapor

/// Served as it is stored (its own snake_case keys).
extension IndicatorSet: Content {}

/// The versioned indicator sets: every version can be read; an admin makes the next version
/// (weights must total 100%); rounds keep the version they were opened with.
struct IndicatorSetController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.indicatorSets, use: list)
        app.register(.POST, APIRoute.indicatorSets, use: revise)
        app.register(.GET, APIRoute.indicatorSet(":version"), use: one)
        app.register(.GET, WebRoute.indicators, use: page)
        app.register(.POST, WebRoute.indicators, use: reviseForm)
    }

    struct VersionDTO: Content {
        let id: String
        let version: Int
        let createdAt: Date
        let weights: [String: Double]
        let note: String
    }

    struct ListDTO: Content {
        let current: IndicatorSet
        let versions: [VersionDTO]
    }

    func list(req: Request) async throws -> ListDTO {
        _ = try req.queryParameters(for: .indicatorSets)
        let rows = try await IndicatorSets.all(req.db)
        return ListDTO(
            current: try await IndicatorSets.current(req.db),
            versions: try rows.map { row in
                let s = try row.set()
                return VersionDTO(
                    id: s.id, version: s.version, createdAt: row.createdAt,
                    weights: Dictionary(uniqueKeysWithValues: s.dimensions.map { ($0.code, $0.weight) }),
                    note: s.note)
            })
    }

    func one(req: Request) async throws -> IndicatorSet {
        _ = try req.queryParameters(for: .indicatorSet(""))
        let current = try await IndicatorSets.current(req.db)
        guard let version = req.parameters.get("version").flatMap(Int.init),
            let set = try await IndicatorSets.version(current.id, version, on: req.db)
        else {
            throw APIError.notFound("no such version of \(current.id)", parameter: "version")
        }
        return set
    }

    /// The next version: dimensions and/or indicators replacing the current ones, and a note saying why.
    struct RevisionInput: Decodable {
        var dimensions: [IndicatorDimension]?
        var indicators: [IndicatorDefinition]?
        var note: String?
    }

    /// The next version, made by an admin from `input`; refusals and the revision are audited.
    static func revise(_ input: RevisionInput, caller: Caller, req: Request) async throws -> IndicatorSet {
        let grant = try await AuditLog.adminGrant(
            caller, request: req, action: "revise_indicator_set", entity: "indicator_set", entityID: nil,
            refusal: "only an admin revises the indicator set")
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= 2000 else {
            throw FieldErrors(["note": "why the set changes, 1 to 2000 characters"])
        }
        guard input.dimensions != nil || input.indicators != nil else {
            throw FieldErrors(["dimensions": "new dimensions, new indicators, or both"])
        }
        if (input.dimensions?.count ?? 0) > 20 || (input.indicators?.count ?? 0) > 100 {
            throw FieldErrors(["indicators": "at most 20 dimensions and 100 indicators"])
        }
        try await req.db.writeTransaction { tx in
            let current = try await IndicatorSets.current(tx)
            switch current.revised(dimensions: input.dimensions, indicators: input.indicators, note: note) {
            case .failure(let errors): throw FieldErrors(errors.fields)
            case .success(let revised):
                let tieBreak = req.application.rules.scoring
                if let problem = tieBreak.tieBreakProblem(dimensions: revised.dimensions.map(\.code)) {
                    // Rankings compare the configured dimensions when totals are equal.
                    throw FieldErrors(["dimensions": "the programme rules' tie-break order no longer fits: " + problem])
                }
                try await IndicatorSetModel(revised, at: req.application.clock(), by: caller.userID.uuidString).create(
                    on: tx)
                try await AuditLog.record(
                    on: tx, request: req, caller: caller, grant: grant.description, action: "revise_indicator_set",
                    outcome: .done, entity: "indicator_set", entityID: "\(revised.id)@\(revised.version)",
                    before: "version \(current.version)", after: note)
            }
        }
        return try await IndicatorSets.current(req.db)
    }

    func revise(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        guard req.headers.contentType == .json, let body = req.body.data else {
            throw APIError(.unsupportedMediaType, "send the revision as JSON")
        }
        let input: RevisionInput
        do {
            // The set's own field names (name_zh, …), as in GET; not the API's key conversion.
            input = try JSONDecoder().decode(RevisionInput.self, from: body)
        } catch {
            throw APIError(.badRequest, "the body is not a revision: \(String(describing: error).prefix(300))")
        }
        return try await Self.revise(input, caller: caller, req: req).encodeResponse(status: .created, for: req)
    }

    /// The admin's form: a weight per dimension and a note; the indicators stay as they are.
    func reviseForm(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await Self.render(req, values: $0, errors: $1) }) {
            caller, f in
            let current = try await IndicatorSets.current(req.db)
            var errors: [String: String] = [:]
            let dimensions = current.dimensions.map { d -> IndicatorDimension in
                let text = (f["weight_" + d.code] ?? "").trimmingCharacters(in: .whitespaces)
                guard let w = Double(text), w.isFinite else {
                    errors["weight_" + d.code] = "a weight in percent"
                    return d
                }
                return IndicatorDimension(
                    code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, weight: w,
                    assumed: w == d.weight ? d.assumed : true)
            }
            guard errors.isEmpty else { throw FieldErrors(errors) }
            do {
                _ = try await Self.revise(
                    RevisionInput(dimensions: dimensions, indicators: nil, note: f["note"]), caller: caller, req: req)
            } catch let e as FieldErrors where e.fields["indicator_set"] != nil {
                throw FieldErrors(["form": e.fields["indicator_set"] ?? ""])
            }
            return WebRoute.indicators.path
        }
    }

    static func render(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let (_, ctx) = try req.page(.indicators, section: .rounds)
        let rows = try await IndicatorSets.all(req.db)
        return IndicatorPages.page(
            ctx, current: try await IndicatorSets.current(req.db), versions: try rows.map { try $0.set() },
            isAdmin: req.caller?.isAdmin == true, csrf: req.caller == nil ? "" : CSRF.token(for: req),
            values: values, errors: errors)
    }

    func page(req: Request) async throws -> Response {
        PageResponse.html(try await Self.render(req, values: [:], errors: [:]).render())
    }
}

enum IndicatorPages {
    static func page(
        _ ctx: PageContext, current set: IndicatorSet, versions: [IndicatorSet], isAdmin: Bool, csrf: String,
        values: [String: String], errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("评价指标体系", "Indicator set"),
            .nav(.class("crumbs"), .a(.href(attr(WebRoute.rounds.path)), .text(lang.t("集群竞赛", "Competition rounds")))),
            .h1(.text(lang.t("评价指标体系", "Indicator set") + " · \(set.id) v\(set.version)")),
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
                                        .td(.text(lang.t(i.nameZh, i.nameEn)), .code(.text(" " + i.code))),
                                        .td(.text(i.kind.rawValue)), .td(.text(i.unit)),
                                        .td(
                                            .text(
                                                i.direction == .higher
                                                    ? lang.t("越高越好", "higher is better")
                                                    : lang.t("越低越好", "lower is better"))),
                                        .td(.text(i.normalisation.rawValue)))
                                })))
                )
            },
            .h2(.text(lang.t("版本", "Versions"))),
            .ol(
                .forEach(versions) { v in
                    .li(
                        .text(
                            "v\(v.version): "
                                + v.dimensions.map { "\($0.code) \(String(format: "%g", $0.weight))%" }.joined(
                                    separator: ", ") + " — " + v.note))
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
                                "各维度权重合计须为 100%；指标本身的修订请用接口（POST /api/v1/indicator-sets）。",
                                "The weights must total 100%; to change the indicators themselves use the API (POST /api/v1/indicator-sets)."
                            )))
                )),
            .p(.a(.href(attr(APIRoute.indicatorSets.path)), .text("JSON")))
        )
    }
}
