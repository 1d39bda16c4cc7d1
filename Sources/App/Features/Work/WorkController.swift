import ClusterDomain
import Fluent
import Plot
import Vapor

/// The work pages: `/work` (what awaits me) and a form for each step of a round — recommend, file
/// the dossier and its evidence, assign experts, score, object, resolve, decide, sign off. Each
/// form calls the same function as its API route, so the checks, the audit and the errors agree.
struct WorkController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.work, use: inbox)
        app.register(.GET, WebRoute.recommend(round: ":id"), use: recommendForm)
        app.register(.POST, WebRoute.recommend(round: ":id"), use: recommend)
        app.register(.GET, WebRoute.dossier(round: ":id", cluster: ":cluster"), use: dossierForm)
        app.register(.POST, WebRoute.dossier(round: ":id", cluster: ":cluster"), use: fileDossier)
        app.register(.POST, WebRoute.dossierFiles(round: ":id", cluster: ":cluster"), use: attachEvidence)
        app.register(.GET, WebRoute.assign(round: ":id"), use: assignForm)
        app.register(.POST, WebRoute.assign(round: ":id"), use: assign)
        app.register(.GET, WebRoute.score(round: ":id", cluster: ":cluster"), use: scoreForm)
        app.register(.POST, WebRoute.score(round: ":id", cluster: ":cluster"), use: score)
        app.register(.GET, WebRoute.object(round: ":id"), use: objectForm)
        app.register(.POST, WebRoute.object(round: ":id"), use: object)
        app.register(.GET, WebRoute.resolve(round: ":id", objection: ":objection"), use: resolveForm)
        app.register(.POST, WebRoute.resolve(round: ":id", objection: ":objection"), use: resolve)
        app.register(.GET, WebRoute.decide(cluster: ":id"), use: decideForm)
        app.register(.POST, WebRoute.decide(cluster: ":id"), use: decide)
        app.register(.GET, WebRoute.signOff(cluster: ":id"), use: signOffForm)
        app.register(.POST, WebRoute.signOff(cluster: ":id"), use: signOff)
    }

    // MARK: plumbing

    static func context(_ req: Request) throws -> PageContext {
        try req.page(.work, section: .work).1
    }

    static func round(_ req: Request) async throws -> CompetitionRound {
        try await CompetitionStore.round(req.parameters.get("id") ?? "", on: req.db)
    }

    static func registry(_ req: Request) async throws -> [String: Cluster] {
        Dictionary(uniqueKeysWithValues: try await req.store.registry().clusters.map { ($0.id, $0) })
    }

    // MARK: inbox

    func inbox(req: Request) async throws -> Response {
        let caller = try FormSubmission.caller(req)
        let ctx = try Self.context(req)
        return PageResponse.html(
            WorkPages.inbox(
                ctx, caller: caller,
                items: try await InboxLoader.items(for: caller, context: req.services(caller: caller))
            ).render())
    }

    // MARK: recommend

    func recommendPage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let caller = try FormSubmission.caller(req)
        let round = try await Self.round(req)
        let provinces = Set(caller.grants.filter { $0.role == .provincial }.compactMap(\.scope))
        let entered = Set(try await CompetitionStore.recommendations(req.db, round: round.id).map(\.clusterID))
        let today = req.application.today()
        var options: [(String, String)] = []
        for cluster in try await req.store.registry().clusters
        where (caller.isAdmin || provinces.contains(cluster.provinceCodes.first ?? ""))
            && round.tracks.contains(cluster.domainCode)
            && !entered.contains(cluster.id)
        {
            let state = try await LadderStore.status(of: cluster, today: today, on: req.db)?.state
            if state == .provincialCultivating || state == .provincialDesignated {
                options.append((cluster.id, "\(cluster.id) · " + req.language.name(cluster)))
            }
        }
        return WorkPages.recommend(
            try Self.context(req), round: round, options: options, csrf: CSRF.token(for: req), values: values,
            errors: errors)
    }

    func recommendForm(req: Request) async throws -> Response {
        _ = try FormSubmission.caller(req)
        return PageResponse.html(try await recommendPage(req, values: [:], errors: [:]).render())
    }

    func recommend(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await recommendPage(req, values: $0, errors: $1) }) {
            caller, f in
            let round = try await Self.round(req)
            let cluster = try await Self.registry(req)[f["cluster"] ?? ""]
            _ = try await RoundService(context: req.services(caller: caller)).recommend(
                .init(cluster: f["cluster"], track: f["track"]?.nilIfBlank ?? cluster?.domainCode), round: round.id)
            return WebRoute.work.path
        }
    }

    // MARK: dossier

    func dossierPage(_ req: Request, values: [String: String]?, errors: [String: String]) async throws -> HTML {
        let caller = try FormSubmission.caller(req)
        let dossiers = DossierService(context: req.services(caller: caller))
        let (round, cluster, row) = try await dossiers.loadReadable(
            round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "")
        let dto = try await dossiers.dto(round: round, cluster: cluster, row: row)
        let editable =
            AccessRules.filingGrant(among: caller.grants, for: ClusterScope(cluster)) != nil
            && Dossier.editProblem(round: round, isEntry: true, on: req.application.today()) == nil
        return WorkPages.dossier(
            try Self.context(req), round: round, cluster: cluster, dossier: dto,
            set: try await CompetitionStore.set(for: round, db: req.db),
            editable: editable, maxBytes: req.application.attachments.maxBytes, csrf: CSRF.token(for: req),
            values: values, errors: errors)
    }

    func dossierForm(req: Request) async throws -> Response {
        _ = try FormSubmission.caller(req)
        return PageResponse.html(try await dossierPage(req, values: nil, errors: [:]).render())
    }

    func fileDossier(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await dossierPage(req, values: $0, errors: $1) }) {
            caller, f in
            let round = try await Self.round(req)
            let set = try await CompetitionStore.set(for: round, db: req.db)
            let (values, errors) = set.typedValues(f)
            guard errors.isEmpty else { throw FieldErrors(errors) }
            let cluster = req.parameters.get("cluster") ?? ""
            do {
                _ = try await DossierService(context: req.services(caller: caller)).save(
                    .init(
                        promotionBody: f["promotion_body"], plan: f["plan"], highlights: f["highlights"],
                        values: values, version: f["version"].flatMap { Int($0) }, submit: f["submit"] == "yes"),
                    round: round.id, cluster: cluster, caller: caller)
            } catch let e as FieldErrors {
                throw e.formKeys
            }
            return WebRoute.dossier(round: round.id, cluster: cluster).path
        }
    }

    func attachEvidence(req: Request) async throws -> Response {
        let caller = try FormSubmission.caller(req)
        try CSRF.verify(req)
        let form = try req.content.decode(DossierController.FileForm.self)
        let round = req.parameters.get("id") ?? ""
        let cluster = req.parameters.get("cluster") ?? ""
        do {
            _ = try await DossierService(context: req.services(caller: caller))
                .attach(form.file, round: round, cluster: cluster, caller: caller)
            return req.redirect(to: WebRoute.dossier(round: round, cluster: cluster).path, redirectType: .normal)
        } catch let e as FieldErrors {
            let response = PageResponse.html(
                try await dossierPage(req, values: nil, errors: e.messages(chinese: req.language == .zh)).render())
            response.status = .unprocessableEntity
            return response
        }
    }

    // MARK: assign

    func assignPage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let round = try await Self.round(req)
        let clusters = try await Self.registry(req)
        let entries = try await CompetitionStore.recommendations(req.db, round: round.id)
        let assignments = try await AssignmentModel.query(on: req.db).filter(\.$roundID == round.id).all()
        let experts = try await UserModel.query(on: req.db).with(\.$grants).all()
            .filter { $0.grants.contains { $0.role == Role.expert.rawValue && $0.revokedAt == nil } && !$0.disabled }
        let emails = Dictionary(uniqueKeysWithValues: experts.compactMap { u in u.id.map { ($0.uuidString, u.email) } })
        var chosen = values
        if chosen["cluster"] == nil, let c = try? req.query.get(String.self, at: "cluster") { chosen["cluster"] = c }
        return WorkPages.assign(
            try Self.context(req), round: round, entries: entries.map { ($0.clusterID, clusters[$0.clusterID]) },
            assigned: assignments.map { ($0.clusterID, emails[$0.expertID] ?? $0.expertID, $0.expertProvince) },
            experts: experts.map(\.email).sorted(), provinces: req.application.reference.provinces,
            expertsPerEntry: req.application.rules.scoring.expertsPerEntry, csrf: CSRF.token(for: req), values: chosen,
            errors: errors)
    }

    func assignForm(req: Request) async throws -> Response {
        let caller = try FormSubmission.caller(req)
        guard caller.isAdmin else { throw AuthError.forbidden(Message("access.assign_experts")) }
        return PageResponse.html(try await assignPage(req, values: [:], errors: [:]).render())
    }

    func assign(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await assignPage(req, values: $0, errors: $1) }) {
            caller, f in
            let round = try await Self.round(req)
            _ = try await ScoringService(context: req.services(caller: caller)).assign(
                .init(cluster: f["cluster"], expert: f["expert"], expertProvince: f["expert_province"]),
                round: round.id)
            return WebRoute.assign(round: round.id).link(["cluster": f["cluster"] ?? ""])
        }
    }

    // MARK: score

    func scorePage(_ req: Request, values: [String: String]?, errors: [String: String]) async throws -> HTML {
        let caller = try FormSubmission.caller(req)
        let round = try await Self.round(req)
        let clusterID = req.parameters.get("cluster") ?? ""
        let dossiers = DossierService(context: req.services(caller: caller))
        let (_, cluster, row) = try await dossiers.loadReadable(round: round.id, cluster: clusterID)
        let dossier = try await dossiers.dto(round: round, cluster: cluster, row: row)
        var current = values ?? [:]
        if values == nil {
            for s in try await ScoreModel.query(on: req.db).filter(\.$roundID == round.id).filter(
                \.$clusterID == clusterID
            )
            .filter(\.$expertID == caller.userID.uuidString).all() {
                current["score_" + s.indicator] = String(format: "%g", s.score)
                current["comment_" + s.indicator] = s.comment
            }
        }
        return WorkPages.score(
            try Self.context(req), round: round, cluster: cluster, dossier: dossier,
            set: try await CompetitionStore.set(for: round, db: req.db),
            csrf: CSRF.token(for: req), values: current, errors: errors)
    }

    func scoreForm(req: Request) async throws -> Response {
        _ = try FormSubmission.caller(req)
        return PageResponse.html(try await scorePage(req, values: nil, errors: [:]).render())
    }

    func score(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await scorePage(req, values: $0, errors: $1) }) {
            caller, f in
            let round = try await Self.round(req)
            let set = try await CompetitionStore.set(for: round, db: req.db)
            var items: [ScoringController.ScoreInput.Item] = []
            for indicator in set.indicators {
                let text = (f["score_" + indicator.code] ?? "").trimmingCharacters(in: .whitespaces)
                let comment = f["comment_" + indicator.code] ?? ""
                guard !text.isEmpty || !comment.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                // A score that is not a number, or left empty beside a comment, is refused like one out
                // of range, together with every other problem.
                let value = Double(text).flatMap { $0.isFinite ? $0 : nil } ?? -1
                items.append(.init(indicator: indicator.code, score: value, comment: comment))
            }
            // The fields of the form for the service's keys: scores.<code>.score is score_<code>.
            func formKeys(_ e: FieldErrors) -> FieldErrors {
                e.mapKeys { key in
                    let parts = key.split(separator: ".")
                    guard parts.count == 3, parts[0] == "scores" else { return key }
                    return (parts[2] == "score" ? "score_" : "comment_") + parts[1]
                }
            }
            do {
                _ = try await ScoringService(context: req.services(caller: caller)).score(
                    .init(cluster: req.parameters.get("cluster"), scores: items), round: round.id)
            } catch let e as FieldErrors {
                throw formKeys(e)
            }
            return WebRoute.work.path
        }
    }

    // MARK: objections

    func objectPage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let round = try await Self.round(req)
        let clusters = try await Self.registry(req)
        let entries = try await CompetitionStore.recommendations(req.db, round: round.id)
        return WorkPages.object(
            try Self.context(req), round: round,
            options: entries.map {
                ($0.clusterID, "\($0.clusterID) · " + (clusters[$0.clusterID].map { req.language.name($0) } ?? ""))
            },
            csrf: CSRF.token(for: req), values: values, errors: errors)
    }

    func objectForm(req: Request) async throws -> Response {
        _ = try FormSubmission.caller(req)
        return PageResponse.html(try await objectPage(req, values: [:], errors: [:]).render())
    }

    func object(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await objectPage(req, values: $0, errors: $1) }) {
            caller, f in
            let round = try await Self.round(req)
            _ = try await NoticeService(context: req.services(caller: caller)).lodge(
                .init(cluster: f["cluster"], text: f["text"]), round: round.id)
            return WebRoute.round(round.id).path + "#objections"
        }
    }

    func resolvePage(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let round = try await Self.round(req)
        guard let id = req.parameters.get("objection").flatMap(Int.init),
            let objection = try await ObjectionModel.query(on: req.db).filter(\.$id == id).filter(
                \.$roundID == round.id
            ).first()
        else {
            throw APIError.notFound(req.language.t("没有这条异议。", "No such objection."), parameter: "objection")
        }
        let cluster = try await Self.registry(req)[objection.clusterID]
        return WorkPages.resolve(
            try Self.context(req), round: round, objection: objection, cluster: cluster, csrf: CSRF.token(for: req),
            values: values, errors: errors)
    }

    func resolveForm(req: Request) async throws -> Response {
        let caller = try FormSubmission.caller(req)
        guard caller.isAdmin else { throw AuthError.forbidden(Message("access.resolve_objections")) }
        return PageResponse.html(try await resolvePage(req, values: [:], errors: [:]).render())
    }

    func resolve(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await resolvePage(req, values: $0, errors: $1) }) {
            caller, f in
            let round = try await Self.round(req)
            _ = try await NoticeService(context: req.services(caller: caller)).resolve(
                .init(resolution: f["resolution"]), round: round.id, objection: req.parameters.get("objection") ?? "")
            return WebRoute.round(round.id).path + "#objections"
        }
    }

}
