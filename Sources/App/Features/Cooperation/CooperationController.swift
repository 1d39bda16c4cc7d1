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
        let activity = try await Self.record(input, caller: caller, req: req)
        return try await ActivityDTO(activity).encodeResponse(status: .created, for: req)
    }

    /// Records an activity. The caller must be allowed to edit at least one participating cluster.
    static func record(_ input: ActivityInput, caller: Caller, req: Request) async throws -> CooperationActivity {
        let registry = try await req.store.registry()
        var errors: [String: String] = [:]
        let kind = ActivityKind(rawValue: input.kind ?? "")
        if kind == nil { errors["kind"] = "one of " + ActivityKind.allCases.map(\.rawValue).joined(separator: ", ") }
        let titleZh = (input.titleZh ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let titleEn = (input.titleEn ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if titleZh.isEmpty || titleZh.count > 200 { errors["title_zh"] = "1 to 200 characters" }
        if titleEn.isEmpty || titleEn.count > 200 { errors["title_en"] = "1 to 200 characters" }
        let start = input.startedOn.flatMap { Day($0) }
        if start == nil { errors["started_on"] = "a date: YYYY-MM-DD (or YYYY-MM)" }
        let end = input.endedOn?.nilIfBlank.flatMap { Day($0) }
        if input.endedOn?.nilIfBlank != nil && end == nil { errors["ended_on"] = "a date: YYYY-MM-DD" }
        if let start, let end, end < start { errors["ended_on"] = "before started_on" }
        let ids = Array(NSOrderedSet(array: input.clusters ?? []).compactMap { $0 as? String })
        let clusters = ids.compactMap { id in registry.clusters.first { $0.id == id } }
        if ids.count < 2 || ids.count > 100 {
            errors["clusters"] = "2 to 100 cluster ids"
        } else if clusters.count != ids.count {
            errors["clusters"] = "unknown cluster id"
        }
        let organisations = (input.organisations ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        if organisations.count > 20 || organisations.contains(where: { $0.count > 200 }) {
            errors["organisations"] = "at most 20 names of at most 200 characters"
        }
        if (input.outcomes ?? "").count > 2000 { errors["outcomes"] = "at most 2000 characters" }
        if (input.source ?? "").count > 500 { errors["source"] = "at most 500 characters" }
        let outputs = (input.outputs ?? []).map { o in
            ActivityOutput(
                name: (o.name ?? "").trimmingCharacters(in: .whitespaces), value: o.value ?? .nan,
                unit: (o.unit ?? "").trimmingCharacters(in: .whitespaces))
        }
        let documents = (input.documents ?? []).map { d in
            ActivityDocument(
                title: (d.title ?? "").trimmingCharacters(in: .whitespaces), url: d.url?.nilIfBlank,
                documentNumber: d.documentNumber?.nilIfBlank)
        }
        errors.merge(ActivityDetails.validate(outputs: outputs, documents: documents)) { a, _ in a }
        guard errors.isEmpty, let kind, let start else { throw FieldErrors(errors) }
        let scopes = clusters.map(ClusterScope.init)
        guard
            let (grant, scope) = scopes.lazy.compactMap({ s in
                AccessRules.grant(among: caller.grants, for: .edit, on: s).map { ($0, s) }
            }).first
        else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "record_activity", outcome: .refused,
                entity: "cooperation_activity", entityID: nil, scope: scopes.first)
            throw AuthError.forbidden("your roles allow editing none of the participating clusters")
        }
        return try await req.db.writeTransaction { tx in
            let activity = CooperationActivity(
                id: try await IdAllocator.next(.activity, on: tx), kind: kind, titleZh: titleZh, titleEn: titleEn,
                startedOn: start,
                endedOn: end, clusterIDs: ids, organisations: organisations, outcomes: input.outcomes ?? "",
                source: input.source ?? "", outputs: outputs, documents: documents)
            try await CooperationActivityModel(activity).create(on: tx)
            if !outputs.isEmpty || !documents.isEmpty {
                try await CooperationDetailModel(
                    activityID: activity.id, outputs: outputs, documents: documents
                ).create(on: tx)
            }
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "record_activity",
                outcome: .done, entity: "cooperation_activity", entityID: activity.id,
                after: AuditLog.json(ActivityDTO(activity)), scope: scope)
            return activity
        }
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
