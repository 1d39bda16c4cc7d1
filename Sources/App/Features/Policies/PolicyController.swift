import ClusterDomain
import Vapor

/// The policy catalogue and matching, both ways, as of a day: JSON, CSV and pages.
struct PolicyController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.policies, use: list)
        app.register(.GET, APIRoute.policy(":id"), use: one)
        app.register(.GET, APIRoute.clusterPolicies(":id"), use: forCluster)
        app.register(.GET, WebRoute.policies, use: listPage)
        app.register(.GET, WebRoute.policy(":id"), use: policyPage)
    }

    struct ReasonDTO: Content {
        let met: Bool
        let zh: String
        let en: String
    }

    struct PolicyDTO: Content {
        let id: String
        let category: NamedCode?
        let level: String
        let issuers: [NamedCode]
        let owners: [NamedCode]
        let documentNumber: String?
        let titleZh: String
        let titleEn: String
        let summaryZh: String?
        let summaryEn: String?
        let issuedOn: String?
        let effectiveOn: String?
        let expiresOn: String?
        let url: String?
        let source: String
        let rule: EligibilityRule
        let inForce: Bool
        let jurisdiction: String?
        let version: Int
        var clustersReached: Int?

        init(_ p: Policy, catalogue: PolicyCatalogue, asOf: Day) {
            id = p.id
            jurisdiction = p.jurisdiction
            version = p.version
            category = catalogue.category(code: p.categoryCode).map {
                NamedCode(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn)
            }
            level = p.level.rawValue
            func depts(_ codes: [String]) -> [NamedCode] {
                codes.compactMap(catalogue.department(code:)).map {
                    NamedCode(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn)
                }
            }
            issuers = depts(p.issuerCodes)
            owners = depts(p.ownerCodes)
            documentNumber = p.documentNumber
            titleZh = p.titleZh
            titleEn = p.titleEn
            summaryZh = p.summaryZh
            summaryEn = p.summaryEn
            issuedOn = p.issuedOn?.description
            effectiveOn = p.effectiveOn?.description
            expiresOn = p.expiresOn?.description
            url = p.url
            source = p.source
            rule = p.rule
            inForce = p.inForce(on: asOf)
        }
    }

    struct MatchDTO: Content {
        let qualifies: Bool
        let reasons: [ReasonDTO]
        var policy: PolicyDTO?
        var clusterId: String?
        var clusterNameZh: String?
        var clusterNameEn: String?

        init(_ e: Eligibility) {
            qualifies = e.qualifies
            reasons = e.reasons.map { ReasonDTO(met: $0.met, zh: $0.zh, en: $0.en) }
        }
    }

    struct PolicyDetailDTO: Content {
        let asOf: String
        let policy: PolicyDTO
        let clusters: [MatchDTO]
    }

    func list(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .policies)
        let asOf = try req.asOf(params)
        let catalogue = (try await req.policyCatalogue())
        if let c = params["category"]?.nilIfBlank, catalogue.category(code: c) == nil {
            throw APIError(
                .badRequest, "parameter 'category': unknown category '\(c.prefix(40))'", parameter: "category",
                allowed: catalogue.categories.map(\.code))
        }
        if let l = params["level"]?.nilIfBlank, PolicyLevel(rawValue: l) == nil {
            throw APIError(
                .badRequest, "parameter 'level': unknown level '\(l.prefix(40))'", parameter: "level",
                allowed: PolicyLevel.allCases.map(\.rawValue))
        }
        let csv = try params.wantsCSV()
        let registry = try await req.store.registry()
        let values = try await ReturnStore.acceptedValues(asOf: asOf, on: req.db)
        let policies = catalogue.policies.filter { p in
            (params["category"]?.nilIfBlank.map { $0 == p.categoryCode } ?? true)
                && (params["level"]?.nilIfBlank.map { $0 == p.level.rawValue } ?? true)
        }
        let items = policies.map { p in
            var dto = PolicyDTO(p, catalogue: catalogue, asOf: asOf)
            dto.clustersReached = registry.clusters(reachedBy: p, on: asOf, indicators: values).count
            return dto
        }
        if csv {
            var text = CSV.line([
                "id", "category", "level", "document_number", "title_zh", "title_en", "issued_on",
                "expires_on", "in_force", "clusters_reached", "issuers", "owners", "url", "source",
            ])
            for i in items {
                text += CSV.line([
                    i.id, i.category?.code ?? "", i.level, i.documentNumber ?? "", i.titleZh, i.titleEn,
                    i.issuedOn ?? "", i.expiresOn ?? "", i.inForce ? "yes" : "no", String(i.clustersReached ?? 0),
                    i.issuers.map(\.code).joined(separator: ";"), i.owners.map(\.code).joined(separator: ";"),
                    i.url ?? "", i.source,
                ])
            }
            return .csv(text, filename: "policies-\(asOf.iso).csv")
        }
        return try await items.encodeResponse(for: req)
    }

    func detail(_ req: Request, id: String, asOf: Day) async throws -> (Policy, [(Cluster, Eligibility)]) {
        guard let policy = (try await req.policyCatalogue()).policy(id: id) else {
            throw APIError.notFound(
                req.language.t("没有编号为“\(id.prefix(32))”的政策。", "No policy has the id '\(id.prefix(32))'."),
                parameter: "id")
        }
        let values = try await ReturnStore.acceptedValues(asOf: asOf, on: req.db)
        return (policy, try await req.store.registry().clusters(reachedBy: policy, on: asOf, indicators: values))
    }

    static func matchCSV(_ rows: [(Policy, Cluster, Eligibility)], asOf: Day, filename: String) -> Response {
        var text = CSV.line([
            "as_of", "policy_id", "policy_title_zh", "cluster_id", "cluster_name_zh", "qualifies", "reasons_zh",
            "reasons_en",
        ])
        for (p, c, e) in rows {
            text += CSV.line([
                asOf.iso, p.id, p.titleZh, c.id, c.nameZh, e.qualifies ? "yes" : "no",
                e.reasons.map { ($0.met ? "✓ " : "✗ ") + $0.zh }.joined(separator: "；"),
                e.reasons.map { ($0.met ? "yes: " : "no: ") + $0.en }.joined(separator: "; "),
            ])
        }
        return .csv(text, filename: filename)
    }

    func one(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .policy(""))
        let asOf = try req.asOf(params)
        let csv = try params.wantsCSV()
        let (policy, reached) = try await detail(req, id: req.parameters.get("id") ?? "", asOf: asOf)
        if csv {
            return Self.matchCSV(
                reached.map { (policy, $0.0, $0.1) }, asOf: asOf, filename: "\(policy.id)-clusters-\(asOf.iso).csv")
        }
        return try await PolicyDetailDTO(
            asOf: asOf.iso, policy: PolicyDTO(policy, catalogue: (try await req.policyCatalogue()), asOf: asOf),
            clusters: reached.map { cluster, e in
                var m = MatchDTO(e)
                m.clusterId = cluster.id
                m.clusterNameZh = cluster.nameZh
                m.clusterNameEn = cluster.nameEn
                return m
            }
        ).encodeResponse(for: req)
    }

    /// Every policy evaluated for one cluster: those it qualifies for first, each with its reasons.
    func forCluster(req: Request) async throws -> Response {
        let params = try req.queryParameters(for: .clusterPolicies(""))
        let asOf = try req.asOf(params)
        let csv = try params.wantsCSV()
        let id = req.parameters.get("id") ?? ""
        let registry = try await req.store.registry()
        guard let cluster = registry.clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
        }
        let catalogue = (try await req.policyCatalogue())
        let evaluations = catalogue.evaluations(
            for: cluster, registry: registry, on: asOf,
            indicators: try await ReturnStore.acceptedValues(asOf: asOf, on: req.db, cluster: cluster.id)[
                cluster.id] ?? [:])
        if csv {
            return Self.matchCSV(
                evaluations.map { ($0.0, cluster, $0.1) }, asOf: asOf,
                filename: "\(cluster.id)-policies-\(asOf.iso).csv")
        }
        return try await evaluations.map { policy, e in
            var m = MatchDTO(e)
            m.policy = PolicyDTO(policy, catalogue: catalogue, asOf: asOf)
            return m
        }.encodeResponse(for: req)
    }

    // MARK: pages

    func listPage(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.policies, section: .policies)
        let asOf = try req.asOf(params)
        let registry = try await req.store.registry()
        let catalogue = (try await req.policyCatalogue())
        let values = try await ReturnStore.acceptedValues(asOf: asOf, on: req.db)
        let rows = catalogue.policies.map { ($0, registry.clusters(reachedBy: $0, on: asOf, indicators: values).count) }
        return PageResponse.html(PolicyPages.list(ctx, catalogue: catalogue, rows: rows, asOf: asOf).render())
    }

    func policyPage(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let (params, ctx) = try req.page(.policy(id), section: .policies)
        let asOf = try req.asOf(params)
        let (policy, reached) = try await detail(req, id: id, asOf: asOf)
        let takeUps = try await TakeUpService.all(req.db).filter { $0.policyID == policy.id }
        let catalogue = try await req.policyCatalogue()
        let scope = PolicyScope(policy, catalogue: catalogue, reference: req.application.reference)
        let canEdit = req.caller?.grants.contains { AccessRules.allowsPolicy($0, on: scope) } ?? false
        let registry = try await req.store.registry()
        let editable = Set(
            takeUps.filter { t in
                guard let caller = req.caller, let cluster = registry.clusters.first(where: { $0.id == t.clusterID })
                else { return false }
                return AccessRules.grant(among: caller.grants, for: .edit, on: ClusterScope(cluster)) != nil
            }.map(\.id))
        return PageResponse.html(
            PolicyPages.detail(
                ctx, policy: policy, catalogue: catalogue,
                reached: reached, asOf: asOf, takeUps: takeUps, canEdit: canEdit,
                editableTakeUps: editable, csrf: req.caller == nil ? nil : CSRF.token(for: req)
            ).render())
    }
}
