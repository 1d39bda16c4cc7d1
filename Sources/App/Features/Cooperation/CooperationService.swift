import ClusterDomain
import Fluent
import Foundation
import Vapor

/// Cooperation's use cases: recording an activity and attaching a document (a reference, and
/// optionally the file), each by someone who may edit one of the participating clusters, written
/// with its audit entry in one transaction. The API and the forms call these methods.
struct CooperationService: Sendable {
    let context: ServiceContext
    /// The value-chain links between the clusters' domains, from the data files.
    let valueChains: [ValueChainLink]

    /// Records an activity. The caller must be allowed to edit at least one participating cluster.
    func record(_ input: CooperationController.ActivityInput) async throws -> CooperationActivity {
        let caller = try context.requireCaller()
        let (checked, clusters) = try Self.checked(input, registry: try await context.store.registry())
        let (grant, scope) = try await editGrant(
            on: clusters.map(ClusterScope.init), action: "record_activity", entityID: nil)
        return try await context.db.writeTransaction { tx in
            let activity = checked.withID(try await IdAllocator.next(.activity, on: tx))
            try await CooperationActivityModel(activity).create(on: tx)
            if !activity.outputs.isEmpty || !activity.documents.isEmpty {
                try await CooperationDetailModel(
                    activityID: activity.id, outputs: activity.outputs, documents: activity.documents
                ).create(on: tx)
            }
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "record_activity",
                outcome: .done, entity: "cooperation_activity", entityID: activity.id,
                after: AuditLog.json(CooperationController.ActivityDTO(activity)), scope: scope)
            return activity
        }
    }

    /// The caller's grant to edit one of the clusters, and that cluster's scope; otherwise the refusal
    /// audited and a 403.
    func editGrant(on scopes: [ClusterScope], action: String, entityID: String?) async throws -> (Grant, ClusterScope) {
        let caller = try context.requireCaller()
        if let found = scopes.lazy.compactMap({ s in
            AccessRules.grant(among: caller.grants, for: .edit, on: s).map { ($0, s) }
        }).first {
            return found
        }
        try await AuditLog.record(
            on: context.db, origin: context.origin, caller: caller, grant: nil, action: action, outcome: .refused,
            entity: "cooperation_activity", entityID: entityID, scope: scopes.first)
        throw AuthError.forbidden(Message("access.cooperation_edit"))
    }

    /// Attaches a document to an activity. The caller must be allowed to edit one of its clusters.
    func attach(_ input: CooperationController.Attachment, to id: String) async throws -> CooperationActivity {
        let caller = try context.requireCaller()
        let ledger = try await CooperationStore(db: context.db, valueChains: valueChains).ledger()
        guard let activity = ledger.activities.first(where: { $0.id == id }) else {
            throw APIError.notFound(context.language.t("没有这项合作活动。", "No such activity."), parameter: "id")
        }
        let document = ActivityDocument(
            title: (input.title ?? "").trimmingCharacters(in: .whitespaces), url: input.url?.nilIfBlank,
            documentNumber: input.documentNumber?.nilIfBlank)
        var errors = ActivityDetails.validate(outputs: [], documents: [document])
        if let message = errors.removeValue(forKey: "documents") { errors["title"] = message }
        if activity.documents.count >= ActivityDetails.maxItems {
            errors["title"] = .tooMany(ActivityDetails.maxItems)
        }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        let registry = try await context.store.registry()
        let scopes = activity.clusterIDs.compactMap { cid in registry.clusters.first { $0.id == cid } }.map(
            ClusterScope.init)
        let (grant, scope) = try await editGrant(on: scopes, action: "attach_document", entityID: id)
        var upload: AttachmentModel?
        if let file = input.file {
            do {
                upload = try context.attachments.store(
                    file.bytes, filename: file.filename, entity: "cooperation_activity",
                    entityID: id, uploadedBy: caller.userID.uuidString, at: context.now)
            } catch let rejection as AttachmentStore.Rejection {
                throw FieldErrors(["file": rejection.message])
            }
        }
        let stored = upload
        let attached = ActivityDocument(
            title: document.title, url: document.url, documentNumber: document.documentNumber,
            attachmentID: stored?.id)
        try await context.db.writeTransaction { tx in
            try await stored?.create(on: tx)
            if let detail = try await CooperationDetailModel.find(id, on: tx) {
                try detail.set(
                    outputs: try detail.decodedOutputs(), documents: try detail.decodedDocuments() + [attached])
                try await detail.save(on: tx)
            } else {
                try await CooperationDetailModel(activityID: id, outputs: [], documents: [attached]).create(on: tx)
            }
            struct Audited: Encodable {
                let document: ActivityDocument
                let sha256: String?
                let size: Int?
            }
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "attach_document",
                outcome: .done, entity: "cooperation_activity", entityID: id,
                after: AuditLog.json(Audited(document: attached, sha256: stored?.sha256, size: stored?.size)),
                scope: scope)
        }
        var updated = activity
        updated.documents.append(attached)
        return updated
    }

    /// An activity's fields checked, each problem named; the clusters it joins.
    static func checked(_ input: CooperationController.ActivityInput, registry: Registry) throws -> (
        CooperationActivity, [Cluster]
    ) {
        var errors: [String: Message] = [:]
        let kind = ActivityKind(rawValue: input.kind ?? "")
        if kind == nil { errors["kind"] = Message("cooperation.kind") }
        let titleZh = (input.titleZh ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let titleEn = (input.titleEn ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if titleZh.isEmpty {
            errors["title_zh"] = .required
        } else if titleZh.count > 200 {
            errors["title_zh"] = .tooLong(200)
        }
        if titleEn.count > 200 { errors["title_en"] = .tooLong(200) }
        let start = input.startedOn.flatMap { Day(typedDayOrMonth: $0) }
        if start == nil { errors["started_on"] = .month }
        let end = input.endedOn?.nilIfBlank.flatMap { Day(typedDayOrMonth: $0) }
        if input.endedOn?.nilIfBlank != nil && end == nil { errors["ended_on"] = .month }
        if let start, let end, end < start { errors["ended_on"] = Message("cooperation.ends_before_start") }
        let ids = Array(NSOrderedSet(array: input.clusters ?? []).compactMap { $0 as? String })
        let clusters = ids.compactMap { id in registry.clusters.first { $0.id == id } }
        if ids.count < 2 || ids.count > 100 {
            errors["clusters"] = Message("cooperation.clusters")
        } else if clusters.count != ids.count {
            errors["clusters"] = .unknownCluster
        }
        let organisations = (input.organisations ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        if organisations.count > 20 || organisations.contains(where: { $0.count > 200 }) {
            errors["organisations"] = Message("cooperation.organisations")
        }
        if (input.outcomes ?? "").count > 2000 { errors["outcomes"] = .tooLong(2000) }
        if (input.source ?? "").count > 500 { errors["source"] = .tooLong(500) }
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
        let activity = CooperationActivity(
            id: "", kind: kind, titleZh: titleZh, titleEn: titleEn.isEmpty ? titleZh : titleEn, startedOn: start,
            endedOn: end, clusterIDs: ids,
            organisations: organisations, outcomes: input.outcomes ?? "", source: input.source ?? "", outputs: outputs,
            documents: documents)
        return (activity, clusters)
    }
}
