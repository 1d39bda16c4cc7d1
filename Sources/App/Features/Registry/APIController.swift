import ClusterDomain
import Fluent
import Vapor

/// The open-data API under `/api/v1`. Handlers read the parameters, load the registry,
/// ask the domain, and shape the answer.
struct APIController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.clusters, use: clusters)
        app.register(.GET, APIRoute.cluster(":id"), use: cluster)
        app.register(.GET, APIRoute.provinces, use: provinces)
        app.register(.GET, APIRoute.domains, use: domains)
        app.register(.GET, APIRoute.keyRegions, use: keyRegions)
        app.register(.GET, APIRoute.stats, use: stats)
        app.register(.GET, APIRoute.figures, use: figures)
        app.register(.GET, APIRoute.reconciliation, use: reconciliation)
        app.register(.GET, APIRoute.health, use: health)
        app.register(.GET, APIRoute.healthLive, use: liveness)
        app.register(.GET, APIRoute.healthReady, use: readiness)
        app.register(.GET, APIRoute.openAPI, use: openAPI)
    }

    func clusters(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .clusters)
        let registry = try await req.store.registry()
        let query: ClusterQuery
        do {
            query = try ClusterQuery.parse(params, reference: registry.reference, today: req.application.today())
        } catch {
            throw APIError(error)
        }
        let csv = try params.wantsCSV()
        let page = registry.run(query, search: .withPinyin)
        if csv {
            return ClusterCSV.response(page.rows, registry: registry, asOf: query.asOf)
        }
        let pages = max(1, (page.total + query.perPage - 1) / query.perPage)
        var links = ["self": Self.link(params, page: query.page)]
        if query.page < pages { links["next"] = Self.link(params, page: query.page + 1) }
        if query.page > 1 { links["prev"] = Self.link(params, page: min(query.page - 1, pages)) }
        var csvParams = params
        csvParams["format"] = "csv"
        links["csv"] = Self.link(csvParams, page: query.page)
        let body = ClusterListDTO(
            asOf: query.asOf.iso, total: page.total, page: query.page, perPage: query.perPage, pages: pages,
            items: page.rows.map { ClusterDTO($0.cluster, registry: registry, asOf: query.asOf) },
            facets: Dictionary(
                uniqueKeysWithValues: page.facets.map { entry in
                    (entry.facet.rawValue, entry.counts.map { FacetCountDTO(value: $0.value, count: $0.count) })
                }),
            links: links)
        return try await body.encodeResponse(for: req)
    }

    /// A link to the list with the same parameters and another page.
    static func link(_ params: [String: String], page: Int) -> String {
        var items = params.filter { $0.key != "page" }
        if page > 1 { items["page"] = String(page) }
        guard !items.isEmpty else { return APIRoute.clusters.path }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~,"))
        let query = items.sorted { $0.key < $1.key }.map { key, value in
            key + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
        return APIRoute.clusters.path + "?" + query
    }

    func cluster(req: Request) async throws -> ClusterDTO {
        let params = try req.queryParameters(for: .cluster(""))
        let asOf = try req.asOf(params)
        let id = req.parameters.get("id") ?? ""
        let registry = try await req.store.registry()
        guard let cluster = registry.clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
        }
        return ClusterDTO(cluster, registry: registry, asOf: asOf)
    }

    func provinces(req: Request) async throws -> [ProvinceDTO] {
        let asOf = try req.asOf(req.queryParameters(for: .provinces))
        let registry = try await req.store.registry()
        let national = registry.clusters(in: .national, asOf: asOf)
        return registry.reference.provinces.map { p in
            let touching = national.filter { $0.provinceCodes.contains(p.code) }
            return ProvinceDTO(
                code: p.code, shortNameZh: p.shortNameZh, nameZh: p.nameZh, nameEn: p.nameEn,
                region: p.region.rawValue,
                keyRegions: registry.reference.keyRegions.filter { $0.provinceCodes.contains(p.code) }.map(\.code),
                clusters: touching.count,
                singleProvinceClusters: touching.filter { !$0.isCrossProvince }.count)
        }
    }

    func domains(req: Request) async throws -> [DomainDTO] {
        let asOf = try req.asOf(req.queryParameters(for: .domains))
        let registry = try await req.store.registry()
        let stats = registry.statistics(asOf: asOf)
        return registry.reference.domains.map {
            DomainDTO(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, clusters: stats.byDomain[$0.code] ?? 0)
        }
    }

    func keyRegions(req: Request) async throws -> [KeyRegionDTO] {
        let asOf = try req.asOf(req.queryParameters(for: .keyRegions))
        let registry = try await req.store.registry()
        let stats = registry.statistics(asOf: asOf)
        return registry.reference.keyRegions.map {
            KeyRegionDTO(
                code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, provinceCodes: $0.provinceCodes,
                cities: $0.cityNames, note: $0.note, clusters: stats.byKeyRegion[$0.code] ?? 0)
        }
    }

    func stats(req: Request) async throws -> StatsDTO {
        let params = try req.queryParameters(for: .stats)
        let asOf = try req.asOf(params)
        let tier = try Self.tier(params["tier"])
        return StatsDTO(try await req.store.registry().statistics(asOf: asOf, tier: tier))
    }

    static func tier(_ text: String?) throws -> Tier {
        guard let text, !text.isEmpty else { return .national }
        guard let tier = Tier(rawValue: text) else {
            throw APIError(
                .badRequest,
                "parameter 'tier': unknown tier '\(text)'; allowed: "
                    + Tier.allCases.map(\.rawValue).joined(separator: ", "),
                parameter: "tier", allowed: Tier.allCases.map(\.rawValue))
        }
        return tier
    }

    func figures(req: Request) async throws -> [FigureDTO] {
        _ = try req.queryParameters(for: .figures)
        let store = req.store
        let metrics = Set(Statistics.metrics(reference: store.reference))
        return try await store.figures().map { FigureDTO($0, derivable: $0.metric.map(metrics.contains) ?? false) }
    }

    func reconciliation(req: Request) async throws -> ReconciliationDTO {
        let params = try req.queryParameters(for: .reconciliation)
        let asOf: Day? = params["as_of"] == nil ? nil : try req.asOf(params)
        let store = req.store
        let rows = try await store.registry().reconcile(try await store.figures(), publishedBy: asOf)
        return ReconciliationDTO(asOf: asOf, rows: rows)
    }

    /// The process answers; nothing else is asked.
    func liveness(req: Request) async throws -> Response {
        _ = try req.queryParameters(for: .healthLive)
        return try await HealthDTO(status: "ok", database: "not_checked").encodeResponse(for: req)
    }

    /// The database answers and the server is not stopping.
    func readiness(req: Request) async throws -> Response {
        _ = try req.queryParameters(for: .healthReady)
        guard !req.application.drain.isSet else {
            let response = try await HealthDTO(status: "stopping", database: "not_checked").encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
        return try await health(req: req, route: .healthReady)
    }

    func health(req: Request) async throws -> Response {
        try await health(req: req, route: .health)
    }

    private func health(req: Request, route: APIRoute) async throws -> Response {
        _ = try req.queryParameters(for: route)
        do {
            _ = try await ClusterModel.query(on: req.db).count()
            return try await HealthDTO(status: "ok", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.error("health check: database unreachable: \(String(reflecting: error))")
            let response = try await HealthDTO(status: "unavailable", database: "unreachable").encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
    }

    func openAPI(req: Request) async throws -> Response {
        _ = try req.queryParameters(for: .openAPI)
        let response = Response(status: .ok, body: .init(string: try OpenAPIDocument.text()))
        response.headers.contentType = .json
        response.headers.cacheControl = .init(maxAge: 300)
        return response
    }
}
