import ClusterDomain
import Fluent
import Foundation
import Vapor

/// The cooperation ledger: activities, each cluster's partners and suggested partners, the network page.
struct CooperationController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.cooperation, use: activities)
        app.register(.POST, APIRoute.cooperation, use: record)
        let upload = ByteCount(value: app.attachments.maxBytes + 64 * 1024)
        app.register(.POST, APIRoute.activityDocuments(":id"), body: .collect(maxSize: upload), use: attach)
        app.register(.GET, APIRoute.clusterPartners(":id"), use: partners)
        app.register(.GET, WebRoute.cooperation, use: page)
        app.register(.GET, WebRoute.newActivity, use: newForm)
        app.register(.POST, WebRoute.newActivity, use: recordForm)
        app.register(.GET, WebRoute.activityDocuments(":id"), use: documentForm)
        app.register(.POST, WebRoute.activityDocuments(":id"), body: .collect(maxSize: upload), use: attachForm)
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
        let outputs: [ActivityOutput]
        let documents: [DocumentDTO]

        init(_ a: CooperationActivity) {
            outputs = a.outputs
            documents = a.documents.map(DocumentDTO.init)
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

    struct DocumentDTO: Content {
        let title: String
        let url: String?
        let documentNumber: String?
        /// Where an uploaded file is downloaded.
        let file: String?

        init(_ d: ActivityDocument) {
            title = d.title
            url = d.url
            documentNumber = d.documentNumber
            file = d.attachmentID.map { "/attachments/" + $0 }
        }
    }

    func activities(req: Request) async throws -> [ActivityDTO] {
        let params = try req.queryParameters(for: .cooperation)
        let asOf = try req.asOf(params)
        if let kind = params["kind"]?.nilIfBlank, ActivityKind(rawValue: kind) == nil {
            throw APIError(
                .badRequest, "parameter 'kind': unknown kind '\(kind.prefix(40))'", parameter: "kind",
                allowed: ActivityKind.allCases.map(\.rawValue))
        }
        return try await req.cooperationLedger().activities.filter { a in
            a.active(on: asOf)
                && (params["cluster"]?.nilIfBlank.map { a.clusterIDs.contains($0) } ?? true)
                && (params["kind"]?.nilIfBlank.map { $0 == a.kind.rawValue } ?? true)
        }.map(ActivityDTO.init)
    }

    struct ActivityInput: Content {
        var kind: String?
        var titleZh: String?
        var titleEn: String?
        var startedOn: String?
        var endedOn: String?
        var clusters: [String]?
        var organisations: [String]?
        var outcomes: String?
        var source: String?
        var outputs: [OutputInput]?
        var documents: [DocumentInput]?
    }

    struct OutputInput: Content {
        var name: String?
        var value: Double?
        var unit: String?
    }

    struct DocumentInput: Content {
        var title: String?
        var url: String?
        var documentNumber: String?
    }

    /// `POST /api/v1/cooperation`, with a token.
    func record(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ActivityInput.self)
        let activity = try await CooperationService(req, caller: caller).record(input)
        return try await ActivityDTO(activity).encodeResponse(status: .created, for: req)
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
        let partners = ledger.partners(of: cluster.id, on: asOf).sorted { $0.key < $1.key }.compactMap {
            id, acts -> PartnerDTO? in
            guard let c = byID[id] else { return nil }
            return PartnerDTO(clusterId: id, nameZh: c.nameZh, nameEn: c.nameEn, activities: acts.map(\.id))
        }
        let suggestions = ledger.suggestions(for: cluster, registry: registry, on: asOf).map { s in
            PartnerDTO(
                clusterId: s.cluster.id, nameZh: s.cluster.nameZh, nameEn: s.cluster.nameEn,
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
        return Self.partners(of: cluster, registry: registry, ledger: try await req.cooperationLedger(), asOf: asOf)
    }

    func page(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.cooperation, section: .cooperation)
        let asOf = try req.asOf(params)
        let registry = try await req.store.registry()
        let reference = registry.reference
        if let d = params["domain"]?.nilIfBlank, reference.domain(code: d) == nil {
            throw APIError(
                .badRequest, "parameter 'domain': unknown domain", parameter: "domain",
                allowed: reference.domains.map(\.code))
        }
        if let r = params["region"]?.nilIfBlank, Region(rawValue: r) == nil {
            throw APIError(
                .badRequest, "parameter 'region': unknown region", parameter: "region",
                allowed: Region.allCases.map(\.rawValue))
        }
        let nodes = registry.rows(asOf: asOf).filter { row in
            (params["domain"]?.nilIfBlank.map { $0 == row.cluster.domainCode } ?? true)
                && (params["region"]?.nilIfBlank.map { $0 == row.region?.rawValue } ?? true)
        }
        let ledger = try await req.cooperationLedger()
        let edges = ledger.edges(on: asOf, among: Set(nodes.map(\.cluster.id)))
        return PageResponse.html(
            CooperationPage.view(
                ctx, nodes: nodes, edges: edges,
                activities: ledger.activities.filter { $0.active(on: asOf) },
                params: params, asOf: asOf, reference: reference
            ).render())
    }
}

extension CooperationService {
    /// The service for a request's caller (in the handlers' file: services never see a request).
    init(_ req: Request, caller: Caller) {
        self.init(context: req.services(caller: caller), valueChains: req.application.cooperation.valueChains)
    }
}
