import ClusterDomain
import DocumentIntake
import Fluent
import Vapor

/// Announcements' use cases: publishing (from fields, or from a damaged original through intake)
/// and editing under the version claim, each by an admin or an authority for every linked cluster,
/// written with its audit entry in one transaction. The API and the forms call these methods.
struct AnnouncementService: Sendable {
    let context: ServiceContext
    /// Largest original text intake accepts, in bytes.
    let intakeMaxBytes: Int

    /// Publishes an announcement. An admin may publish any; others only about clusters they may
    /// edit (every linked cluster must be theirs, and at least one must be linked).
    func publish(_ input: AnnouncementController.AnnouncementInput) async throws -> (
        Announcement, AnnouncementSourceModel?
    ) {
        let caller = try context.requireCaller()
        let registry = try await context.store.registry()
        var errors: [String: Message] = [:]
        // A damaged original goes through intake first; what it yields fills the fields left empty.
        var intake: IntakeReport?
        if let original = input.originalText {
            let limit = intakeMaxBytes
            if original.utf8.count > limit || original.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors["original_text"] = Message("intake.too_long", ["n": "\(limit)"])
            } else {
                intake = DocumentIntake(registry: registry, published: try await context.store.figures())
                    .process(original, today: context.today)
            }
        }
        let repairedBody = intake.map { report in
            report.text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first.map(
                String.init) ?? report.text
        }
        let (fields, clusters) = try validated(
            input, intake: intake, repairedBody: repairedBody, registry: registry, errors: errors)
        let (titleZh, titleEn, bodyZh, bodyEn, source, url, day, tags, ids) = (
            fields.titleZh, fields.titleEn, fields.bodyZh, fields.bodyEn,
            fields.source, fields.sourceURL, fields.publishedOn, fields.tags,
            fields.clusterIDs
        )
        let scopes = clusters.map(ClusterScope.init)
        guard let grant = Self.grant(for: clusters, caller: caller) else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: caller, grant: nil, action: "publish_announcement",
                outcome: .refused, entity: "announcement", entityID: nil, scope: scopes.first)
            throw AuthError.forbidden(Message("access.publish_announcement"))
        }
        let report = intake
        return try await context.db.writeTransaction { tx in
            let item = Announcement(
                id: try await IdAllocator.next(.announcement, on: tx), titleZh: titleZh,
                titleEn: titleEn.isEmpty ? titleZh : titleEn,
                bodyZh: bodyZh, bodyEn: bodyEn, source: source, sourceURL: url, publishedOn: day, tags: tags,
                clusterIDs: ids)
            let sourceRow = report.map { report in
                AnnouncementSourceModel(
                    announcementID: item.id, originalText: input.originalText ?? "", repairedText: report.text,
                    encoding: report.encoding?.rawValue, repairs: report.repairs.count)
            }
            try await AnnouncementModel(item).create(on: tx)
            try await sourceRow?.create(on: tx)
            var after = AnnouncementController.AnnouncementDTO(item)
            after.intake = nil
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description,
                action: "publish_announcement",
                outcome: .done, entity: "announcement", entityID: item.id,
                after: (AuditLog.json(after) ?? "") + (sourceRow.map { " from intake: \($0.repairs) repairs" } ?? ""),
                scope: scopes.first)
            return (item, sourceRow)
        }
    }

    /// Edits an announcement read at `version`: allowed for the clusters it is linked to before and
    /// after; audited with both. (The intake original, if any, stays as it was.)
    func update(id: String, _ input: AnnouncementController.AnnouncementInput) async throws -> Announcement {
        let caller = try context.requireCaller()
        let registry = try await context.store.registry()
        guard let row = try await AnnouncementModel.find(id, on: context.db) else {
            throw APIError.notFound(context.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        let before = try row.announcement()
        guard let version = input.version else {
            throw FieldErrors(["version": .staleVersion(before.version)])
        }
        var fields = input
        fields.originalText = nil
        let (validated, clusters) = try validated(
            fields, intake: nil, repairedBody: nil, registry: registry)
        let beforeClusters = before.clusterIDs.compactMap { cid in registry.clusters.first { $0.id == cid } }
        guard let grant = Self.grant(for: beforeClusters, caller: caller),
            Self.grant(for: clusters, caller: caller) != nil
        else {
            try await AuditLog.record(
                on: context.db, origin: context.origin, caller: caller, grant: nil, action: "update_announcement",
                outcome: .refused, entity: "announcement", entityID: id,
                scope: beforeClusters.first.map(ClusterScope.init))
            throw AuthError.forbidden(Message("access.change_announcement"))
        }
        guard version == before.version else {
            throw APIError(
                .conflict,
                "the announcement was changed by someone else (now version \(before.version)); reload it and apply your change again",
                parameter: "version")
        }
        var after = validated
        after = Announcement(
            id: id, titleZh: after.titleZh, titleEn: after.titleEn, bodyZh: after.bodyZh, bodyEn: after.bodyEn,
            source: after.source, sourceURL: after.sourceURL, publishedOn: after.publishedOn, tags: after.tags,
            clusterIDs: after.clusterIDs, version: before.version + 1)
        let saved = after
        try await context.db.writeTransaction { tx in
            guard try await VersionClaim.claim("announcements", id: id, version: version, on: tx),
                let model = try await AnnouncementModel.find(id, on: tx)
            else {
                throw APIError(
                    .conflict, "the announcement was changed by someone else; reload it and apply your change again",
                    parameter: "version")
            }
            model.set(saved)
            model.version = version + 1
            try await model.save(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "update_announcement",
                outcome: .done, entity: "announcement", entityID: id,
                before: AuditLog.json(AnnouncementController.AnnouncementDTO(before)),
                after: AuditLog.json(AnnouncementController.AnnouncementDTO(saved)),
                scope: clusters.first.map(ClusterScope.init))
        }
        return saved
    }

    /// The announcement's fields checked one by one (id left empty), and its clusters
    /// (`AnnouncementDraft.validate`).
    func validated(
        _ input: AnnouncementController.AnnouncementInput, intake: IntakeReport?, repairedBody: String?,
        registry: Registry,
        errors initial: [String: Message] = [:]
    ) throws -> (Announcement, [Cluster]) {
        let draft = AnnouncementDraft(
            titleZh: input.titleZh, titleEn: input.titleEn, bodyZh: input.bodyZh, bodyEn: input.bodyEn,
            source: input.source, sourceURL: input.sourceUrl, publishedOn: input.publishedOn, tags: input.tags,
            clusters: input.clusters)
        let fromIntake = intake.map { report in
            AnnouncementDraft.FromIntake(
                headline: report.headline, body: repairedBody,
                statedDay: report.dates.filter { $0.date.count == 10 }.isEmpty ? nil : Day(report.asOf),
                maxBody: intakeMaxBytes)
        }
        return try draft.validate(
            registry: registry, intake: fromIntake, today: context.today, errors: initial
        ).get()
    }

    /// Who may change an announcement: an admin, or a grant that may edit every linked cluster.
    static func grant(for clusters: [Cluster], caller: Caller) -> Grant? {
        AccessRules.announcementGrant(among: caller.grants, clusters: clusters.map(ClusterScope.init))
    }
}
