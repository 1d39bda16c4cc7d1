import ClusterDomain
import Foundation
import Vapor

/// The cooperation ledger: activities, each cluster's partners and suggested partners, the network page.
struct CooperationController: Sendable {
    func register(on app: Application) {
        app.get(APIRoute.cooperation.components, use: activities)
        app.get(APIRoute.clusterPartners(":id").components, use: partners)
        app.get("cooperation", use: page)
    }

    struct ActivityDTO: Content {
        let id: String
        let kind: String
        let titleZh: String
        let titleEn: String
        let startedOn: String
        let endedOn: String?
        let clusters: [String]
        let organisations: [String]
        let outcomes: String
        let source: String

        init(_ a: CooperationActivity) {
            id = a.id
            kind = a.kind.rawValue
            titleZh = a.titleZh
            titleEn = a.titleEn
            startedOn = a.startedOn.description
            endedOn = a.endedOn?.description
            clusters = a.clusterIDs
            organisations = a.organisations
            outcomes = a.outcomes
            source = a.source
        }
    }

    func activities(req: Request) async throws -> [ActivityDTO] {
        let params = try req.queryParameters(for: .cooperation)
        let asOf = try req.asOf(params)
        if let kind = params["kind"]?.nilIfBlank, ActivityKind(rawValue: kind) == nil {
            throw APIError(.badRequest, "parameter 'kind': unknown kind '\(kind.prefix(40))'", parameter: "kind",
                           allowed: ActivityKind.allCases.map(\.rawValue))
        }
        return req.application.cooperation.activities.filter { a in
            a.active(on: asOf)
                && (params["cluster"]?.nilIfBlank.map { a.clusterIDs.contains($0) } ?? true)
                && (params["kind"]?.nilIfBlank.map { $0 == a.kind.rawValue } ?? true)
        }.map(ActivityDTO.init)
    }

    struct PartnerDTO: Content {
        let clusterId: String
        let nameZh: String
        let nameEn: String
        var activities: [String]?
        var reasons: [PolicyController.ReasonDTO]?
    }

    struct PartnersDTO: Content {
        let asOf: String
        let partners: [PartnerDTO]
        let suggestions: [PartnerDTO]
    }

    static func partners(of cluster: Cluster, registry: Registry, ledger: CooperationLedger, asOf: Day) -> PartnersDTO {
        let byID = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        let partners = ledger.partners(of: cluster.id, on: asOf).sorted { $0.key < $1.key }.compactMap { id, acts -> PartnerDTO? in
            guard let c = byID[id] else { return nil }
            return PartnerDTO(clusterId: id, nameZh: c.nameZh, nameEn: c.nameEn, activities: acts.map(\.id))
        }
        let suggestions = ledger.suggestions(for: cluster, registry: registry, on: asOf).map { s in
            PartnerDTO(clusterId: s.cluster.id, nameZh: s.cluster.nameZh, nameEn: s.cluster.nameEn,
                       reasons: s.reasons.map { PolicyController.ReasonDTO(met: $0.met, zh: $0.zh, en: $0.en) })
        }
        return PartnersDTO(asOf: asOf.iso, partners: partners, suggestions: suggestions)
    }

    func partners(req: Request) async throws -> PartnersDTO {
        let asOf = try req.asOf(try req.queryParameters(for: .clusterPartners("")))
        let id = req.parameters.get("id") ?? ""
        let registry = try await req.store.registry()
        guard let cluster = registry.clusters.first(where: { $0.id == id }) else {
            throw APIError.notFound("no cluster with id '\(id.prefix(64))'", parameter: "id")
        }
        return Self.partners(of: cluster, registry: registry, ledger: req.application.cooperation, asOf: asOf)
    }

    func page(req: Request) async throws -> Response {
        let (params, ctx) = try WebController.page(req, .cooperation, section: .cooperation)
        let asOf = try WebController.asOf(params, req)
        let registry = try await req.store.registry()
        let reference = registry.reference
        if let d = params["domain"]?.nilIfBlank, reference.domain(code: d) == nil {
            throw APIError(.badRequest, "parameter 'domain': unknown domain", parameter: "domain", allowed: reference.domains.map(\.code))
        }
        if let r = params["region"]?.nilIfBlank, Region(rawValue: r) == nil {
            throw APIError(.badRequest, "parameter 'region': unknown region", parameter: "region", allowed: Region.allCases.map(\.rawValue))
        }
        let nodes = registry.rows(asOf: asOf).filter { row in
            (params["domain"]?.nilIfBlank.map { $0 == row.cluster.domainCode } ?? true)
                && (params["region"]?.nilIfBlank.map { $0 == row.region?.rawValue } ?? true)
        }
        let ledger = req.application.cooperation
        let edges = ledger.edges(on: asOf, among: Set(nodes.map(\.cluster.id)))
        return WebController.html(CooperationPage.view(ctx, nodes: nodes, edges: edges,
                                                       activities: ledger.activities.filter { $0.active(on: asOf) },
                                                       params: params, asOf: asOf, reference: reference).render())
    }
}
