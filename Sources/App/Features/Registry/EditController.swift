import ClusterDomain
import Fluent
import Vapor

/// The web forms that change clusters, and the audit trail page. Every POST checks the CSRF token.
struct EditController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.newCluster, use: newForm)
        app.register(.POST, WebRoute.newCluster, use: create)
        app.register(.GET, WebRoute.editCluster(":id"), use: editForm)
        app.register(.POST, WebRoute.editCluster(":id"), use: update)
        app.register(.POST, WebRoute.retireCluster(":id"), use: retire)
        app.register(.GET, WebRoute.audit, use: audit)
    }

    /// The urlencoded form: lists arrive as text, one item a line (cities, sources) or separated by spaces (provinces).
    struct ClusterForm: Content {
        var name_zh: String?
        var name_en: String?
        var domain: String?
        var cities: String?
        var provinces: String?
        var promotion_org: String?
        var sources: String?
        var notes: String?
        var tier: String?
        var designated_on: String?
        var document: String?
        var batch: String?
        var version: Int?

        var input: ClusterInput {
            func lines(_ text: String?) -> [String] {
                (text ?? "").split(whereSeparator: { $0.isNewline || $0 == "、" || $0 == "," || $0 == ";" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            return ClusterInput(
                nameZh: name_zh, nameEn: name_en, domain: domain, cities: lines(cities),
                provinces: (provinces ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init),
                promotionOrg: promotion_org, sources: lines(sources), notes: notes, tier: tier,
                designatedOn: designated_on, document: document, batch: batch, version: version)
        }
    }

    func render(
        _ req: Request, id: String?, input: ClusterInput, errors: [String: String] = [:], message: String? = nil,
        status: HTTPStatus = .ok, canRetire: Bool = false
    ) -> Response {
        let ctx = req.plainPageContext(section: .clusters)
        let model = EditPages.FormModel(
            id: id, input: input, errors: errors, message: message,
            reference: req.application.reference, canRetire: canRetire)
        let response = PageResponse.html(EditPages.form(model, ctx, csrf: CSRF.token(for: req)).render())
        response.status = status
        return response
    }

    func newForm(req: Request) async throws -> Response {
        _ = try req.requireCaller()
        return render(req, id: nil, input: ClusterInput(domain: req.application.reference.domains.first?.code))
    }

    func create(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        let input = try req.content.decode(ClusterForm.self).input
        do {
            let new = try input.newCluster(today: req.application.today(), reference: req.application.reference)
            let cluster = try await ClusterWriter(request: req, caller: caller).create(new)
            return req.redirect(to: WebRoute.cluster(cluster.id).path)
        } catch let errors as FieldErrors {
            return render(
                req, id: nil, input: input, errors: errors.messages(chinese: req.language == .zh),
                status: .unprocessableEntity)
        }
    }

    func editForm(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        let id = req.parameters.get("id") ?? ""
        let writer = ClusterWriter(request: req, caller: caller)
        let cluster = try await writer.current(id)
        guard AccessRules.grant(among: caller.grants, for: .edit, on: ClusterScope(cluster)) != nil else {
            try await writer.refuse("update", entityID: id, scope: ClusterScope(cluster))
        }
        return render(
            req, id: id, input: Self.input(from: cluster),
            canRetire: AccessRules.grant(among: caller.grants, for: .retire, on: ClusterScope(cluster)) != nil)
    }

    static func input(from c: Cluster) -> ClusterInput {
        ClusterInput(
            nameZh: c.nameZh, nameEn: c.nameEn, domain: c.domainCode, cities: c.cityNames, provinces: c.provinceCodes,
            promotionOrg: c.promotionOrg, sources: c.sources, notes: c.notes, version: c.version)
    }

    func update(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        let id = req.parameters.get("id") ?? ""
        let input = try req.content.decode(ClusterForm.self).input
        let lang = req.language
        do {
            _ = try await ClusterWriter(request: req, caller: caller).update(
                id: id, draft: input.draft, expectedVersion: try input.requireVersion())
            return req.redirect(to: WebRoute.cluster(id).path)
        } catch let errors as FieldErrors {
            return render(
                req, id: id, input: input, errors: errors.messages(chinese: req.language == .zh),
                status: .unprocessableEntity)
        } catch let stale as ClusterWriter.Stale {
            var fresh = Self.input(from: stale.current)
            fresh.version = stale.current.version
            return render(
                req, id: id, input: fresh,
                message: lang.t(
                    "他人已修改此集群（现为第 \(stale.current.version) 版）。下面是当前内容，请重新修改后保存。",
                    "Someone else changed this cluster (now version \(stale.current.version)). The form shows it as it is now; apply your change again."
                ),
                status: .conflict)
        }
    }

    func retire(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        try CSRF.verify(req)
        let id = req.parameters.get("id") ?? ""
        let input = try req.content.decode(ClusterForm.self).input
        _ = try await ClusterWriter(request: req, caller: caller).retire(
            id: id, expectedVersion: try input.requireVersion())
        return req.redirect(to: WebRoute.cluster(id).path)
    }

    func audit(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        let (params, ctx) = try req.page(.audit, section: nil)
        let page = try QueryValue.positive(params["page"], "page", default: 1, max: 1_000_000)
        let perPage = 50
        let filter = try EditPages.auditFilter(params)
        let csv = params["format"] == "csv"
        let result = try await AuditLog.visibleEntries(
            on: req.db, caller: caller, entityID: nil, filter: filter,
            limit: csv ? 100_000 : perPage, offset: csv ? 0 : (page - 1) * perPage)
        let items = result.rows.map(AuditEntryDTO.init)
        if csv {
            return AuditEntryDTO.csvResponse(items)
        }
        return PageResponse.html(
            EditPages.audit(
                ctx, entries: items, total: result.total, page: page, perPage: perPage,
                params: params.filter { $0.key != "page" && !$0.value.isEmpty }
            ).render())
    }
}
