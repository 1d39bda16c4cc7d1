import ClusterDomain
import Fluent
import Vapor

/// The HTML pages and the stylesheet. Each handler validates its query string like the API
/// does (a bad value is a 400 page naming it), builds the page's model, and renders its view.
struct WebController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.home, use: dashboard)
        app.register(.GET, WebRoute.clusters, use: directory)
        app.register(.GET, WebRoute.cluster(":id"), use: cluster)
        app.register(.GET, WebRoute.province(":code"), use: province)
        app.register(.GET, WebRoute.figures, use: figures)
        app.register(.GET, WebRoute.stylesheet, use: stylesheet)
    }

    func dashboard(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.home, section: .dashboard)
        let asOf = try req.asOf(params)
        let store = req.store
        let registry = try await store.registry()
        var model = DashboardPage.Model(
            registry: registry, figures: try await store.figures(), asOf: asOf, today: req.application.today())
        let national = Set(registry.clusters(in: .national, asOf: asOf).filter { !$0.isExample }.map(\.id))
        (model.indicatorTrend, model.indicatorSet) = try await IndicatorTrendView.load(national, db: req.db)
        return PageResponse.html(DashboardPage.view(model, ctx).render())
    }

    func directory(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.clusters, section: .clusters)
        let registry = try await req.store.registry()
        let query: ClusterQuery
        do {
            query = try ClusterQuery.parse(params, reference: registry.reference, today: req.application.today())
        } catch {
            throw APIError(error)
        }
        let model = DirectoryPage.Model(registry: registry, query: query, params: params)
        return PageResponse.html(DirectoryPage.view(model, ctx).render())
    }

    func cluster(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let (params, ctx) = try req.page(.cluster(id), section: .clusters)
        let asOf = try req.asOf(params)
        let registry = try await req.store.registry()
        guard let cluster = registry.clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound(
                req.language.t("没有编号为“\(id.prefix(64))”的集群。", "No cluster has the id '\(id.prefix(64))'."),
                parameter: "id")
        }
        var model = ClusterProfilePage.Model(registry: registry, cluster: cluster, asOf: asOf)
        model.notes = req.application.shippedNotes.note(of: cluster, chinese: req.language == .zh)
        model.policies = registry.policies(
            for: cluster, among: (try await req.policyCatalogue()).policies, on: asOf,
            indicators: try await ReturnStore.acceptedValues(asOf: asOf, on: req.db, cluster: cluster.id)[
                cluster.id] ?? [:]
        )
        .map { ($0.0, $0.1) }
        let ledger = try await req.cooperationLedger()
        let byID = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        model.partners = ledger.partners(of: cluster.id, on: asOf).sorted { $0.key < $1.key }
            .compactMap { id, acts in byID[id].map { ($0, acts) } }
        model.suggestions = ledger.suggestions(for: cluster, registry: registry, on: asOf, limit: 6)
        model.announcements = try await AnnouncementStore(db: req.db).all().filter {
            $0.clusterIDs.contains(cluster.id)
        }
        model.ladder = try await LadderEventModel.query(on: req.db).filter(\.$clusterID == cluster.id).sort(\.$id).all()
            .map {
                (
                    day: $0.day, event: $0.event, from: $0.fromState, to: $0.toState, evidence: $0.evidence,
                    document: $0.event == LadderEvent.designate.rawValue ? $0.documentNumber : nil
                )
            }
        if let caller = req.caller {
            // Every monitored year for the return's parties; for anyone else the accepted returns only.
            let today = req.application.today()
            let years = (2019..<today.year).reversed().filter { cluster.isMonitored(year: $0) }
            if ReturnAccess.isParty(caller, cluster: cluster) {
                model.returnYears = years
            } else {
                let accepted = Set(
                    try await ReturnModel.query(on: req.db).filter(\.$clusterID == cluster.id)
                        .filter(\.$state == ReturnState.accepted.rawValue).all().map(\.dataYear))
                model.returnYears = years.filter(accepted.contains)
            }
        }
        if let caller = req.caller {
            model.canEdit = AccessRules.grant(among: caller.grants, for: .edit, on: ClusterScope(cluster)) != nil
            model.changes = try await AuditLog.visibleEntries(
                on: req.db, caller: caller, entityID: cluster.id, limit: 20, offset: 0
            )
            .rows.map(AuditEntryDTO.init)
        }
        return PageResponse.html(ClusterProfilePage.view(model, ctx).render())
    }

    func province(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? ""
        let (params, ctx) = try req.page(.province(code), section: nil)
        let asOf = try req.asOf(params)
        let registry = try await req.store.registry()
        guard let province = registry.reference.province(code: code) else {
            throw APIError.notFound(
                req.language.t("没有代码为“\(code.prefix(16))”的省份。", "No province has the code '\(code.prefix(16))'."),
                parameter: "code")
        }
        var model = ProvincePage.Model(
            registry: registry, province: province, asOf: asOf, today: req.application.today())
        let members = Set(
            registry.clusters.filter { !$0.isExample && $0.provinceCodes.contains(province.code) }.map(\.id))
        (model.indicatorTrend, model.indicatorSet) = try await IndicatorTrendView.load(members, db: req.db)
        return PageResponse.html(ProvincePage.view(model, ctx).render())
    }

    func figures(req: Request) async throws -> Response {
        let (_, ctx) = try req.page(.figures, section: .figures)
        let store = req.store
        let rows = try await store.registry().reconcile(try await store.figures())
        return PageResponse.html(FiguresPage.view(FiguresPage.Model(rows: rows), ctx).render())
    }

    func stylesheet(req: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "styles", withExtension: "css", subdirectory: "Resources") else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(string: try String(contentsOf: url, encoding: .utf8)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/css; charset=utf-8")
        response.headers.cacheControl = .init(isPublic: true, maxAge: 86_400)
        return response
    }
}
