import ClusterDomain
import DocumentIntake
import Fluent
import Plot
import SQLKit
import Vapor

/// Announcements: list and tag pages, each item with related items, a most-read ranking from
/// per-day counters, an Atom feed, and the JSON.
struct AnnouncementController: Sendable {
    func register(on app: Application) {
        // Room for an intake original of the largest accepted size.
        let collect = ByteCount(value: app.intakeMaxBytes * 2 + 64 * 1024)
        app.register(.GET, APIRoute.announcements, use: list)
        app.register(.POST, APIRoute.announcements, body: .collect(maxSize: collect), use: publish)
        app.register(.PUT, APIRoute.announcement(":id"), use: update)
        app.register(.GET, WebRoute.editAnnouncement(":id"), use: editForm)
        app.register(.POST, WebRoute.editAnnouncement(":id"), use: updateForm)
        app.register(.GET, WebRoute.newAnnouncement, use: newForm)
        app.register(.POST, WebRoute.newAnnouncement, body: .collect(maxSize: collect), use: publishForm)
        app.register(.GET, WebRoute.announcements, use: listPage)
        app.register(.GET, WebRoute.announcementFeed, use: feed)
        app.register(.GET, WebRoute.announcement(":id"), use: itemPage)
    }

    struct AnnouncementDTO: Content {
        let id: String
        let titleZh: String
        let titleEn: String
        let bodyZh: String
        let bodyEn: String
        let source: String
        let sourceUrl: String?
        let publishedOn: String
        let tags: [String]
        let clusters: [String]
        let version: Int
        /// For an announcement made from a damaged document: the original and its repair.
        var intake: IntakeSourceDTO?

        init(_ a: Announcement, source intakeSource: AnnouncementSourceModel? = nil) {
            id = a.id
            titleZh = a.titleZh
            titleEn = a.titleEn
            bodyZh = a.bodyZh
            bodyEn = a.bodyEn
            source = a.source
            sourceUrl = a.sourceURL
            publishedOn = a.publishedOn.description
            tags = a.tags
            clusters = a.clusterIDs
            intake = intakeSource.map(IntakeSourceDTO.init)
            version = a.version
        }
    }

    struct IntakeSourceDTO: Content {
        let originalText: String
        let repairedText: String
        let encoding: String?
        let repairs: Int

        init(_ m: AnnouncementSourceModel) {
            originalText = m.originalText
            repairedText = m.repairedText
            encoding = m.encoding
            repairs = m.repairs
        }
    }

    func list(req: Request) async throws -> [AnnouncementDTO] {
        let params = try req.queryParameters(for: .announcements)
        let all = try await AnnouncementStore(db: req.db).all()
        let sources = Dictionary(
            uniqueKeysWithValues: try await AnnouncementSourceModel.query(on: req.db).all()
                .compactMap { m in m.id.map { ($0, m) } })
        return all.filter { a in
            (params["tag"]?.nilIfBlank.map { a.tags.contains($0) } ?? true)
                && (params["cluster"]?.nilIfBlank.map { a.clusterIDs.contains($0) } ?? true)
        }.map { AnnouncementDTO($0, source: sources[$0.id]) }
    }

    struct AnnouncementInput: Content {
        var titleZh: String?
        var titleEn: String?
        var bodyZh: String?
        var bodyEn: String?
        var source: String?
        var sourceUrl: String?
        var publishedOn: String?
        var tags: [String]?
        var clusters: [String]?
        /// For an update: the version read.
        var version: Int?
        /// A damaged document to publish: it goes through intake, the repaired text becomes the
        /// body (and its headline the title, its latest date the date) unless those are given,
        /// and both texts are kept.
        var originalText: String?
    }

    /// `POST /api/v1/announcements`, with a token.
    func publish(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(AnnouncementInput.self)
        let (item, source) = try await Self.publish(input, caller: caller, req: req)
        return try await AnnouncementDTO(item, source: source).encodeResponse(status: .created, for: req)
    }

    /// The form's fields: tags and clusters as text separated by spaces, commas or new lines.
    struct AnnouncementForm: Content {
        var titleZh: String?
        var titleEn: String?
        var bodyZh: String?
        var bodyEn: String?
        var source: String?
        var sourceUrl: String?
        var publishedOn: String?
        var tags: String?
        var clusters: String?
        var originalText: String?
        var version: Int?

        /// Form fields are snake_case on the wire (only JSON converts key case).
        enum CodingKeys: String, CodingKey {
            case titleZh = "title_zh"
            case titleEn = "title_en"
            case bodyZh = "body_zh"
            case bodyEn = "body_en"
            case source
            case sourceUrl = "source_url"
            case publishedOn = "published_on"
            case tags, clusters
            case originalText = "original_text"
            case version
        }

        static func words(_ text: String?) -> [String]? {
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return text.split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace }).map(String.init)
        }

        var input: AnnouncementInput {
            AnnouncementInput(
                titleZh: titleZh, titleEn: titleEn, bodyZh: bodyZh, bodyEn: bodyEn, source: source,
                sourceUrl: sourceUrl?.nilIfBlank, publishedOn: publishedOn?.nilIfBlank, tags: Self.words(tags),
                clusters: Self.words(clusters), version: version, originalText: originalText?.nilIfBlank)
        }
    }

    func newForm(req: Request) async throws -> Response {
        let (_, ctx) = try req.page(.newAnnouncement, section: .announcements)
        guard req.caller != nil else { throw AuthError.signInRequired }
        return PageResponse.html(
            AnnouncementPages.form(ctx, csrf: CSRF.token(for: req), today: req.application.today()).render())
    }

    /// `POST /announcements/new`: the same as the API, for a signed-in person, from the form on
    /// `/announcements/new` or on an intake report.
    func publishForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let form = try req.content.decode(AnnouncementForm.self)
        let (item, _) = try await Self.publish(form.input, caller: caller, req: req)
        return req.redirect(to: WebRoute.announcement(item.id).path, redirectType: .normal)
    }

    /// The announcement's fields checked one by one (id left empty), and its clusters
    /// (`AnnouncementDraft.validate`).
    static func validated(
        _ input: AnnouncementInput, intake: IntakeReport?, repairedBody: String?, registry: Registry, req: Request,
        errors initial: [String: String] = [:]
    ) throws -> (Announcement, [Cluster]) {
        let draft = AnnouncementDraft(
            titleZh: input.titleZh, titleEn: input.titleEn, bodyZh: input.bodyZh, bodyEn: input.bodyEn,
            source: input.source, sourceURL: input.sourceUrl, publishedOn: input.publishedOn, tags: input.tags,
            clusters: input.clusters)
        let fromIntake = intake.map { report in
            AnnouncementDraft.FromIntake(
                headline: report.headline, body: repairedBody,
                statedDay: report.dates.filter { $0.date.count == 10 }.isEmpty ? nil : Day(report.asOf),
                maxBody: req.application.intakeMaxBytes)
        }
        return try draft.validate(
            registry: registry, intake: fromIntake, today: req.application.today(), errors: initial
        ).get()
    }

    /// Who may change an announcement: an admin, or a grant that may edit every linked cluster.
    static func grant(for clusters: [Cluster], caller: Caller) -> Grant? {
        AccessRules.announcementGrant(among: caller.grants, clusters: clusters.map(ClusterScope.init))
    }

    /// Edits an announcement read at `version`: allowed for the clusters it is linked to before and
    /// after; audited with both. (The intake original, if any, stays as it was.)
    static func update(id: String, _ input: AnnouncementInput, caller: Caller, req: Request) async throws
        -> Announcement
    {
        let registry = try await req.store.registry()
        guard let row = try await AnnouncementModel.find(id, on: req.db) else {
            throw APIError.notFound(req.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        let before = try row.announcement()
        guard let version = input.version else {
            throw FieldErrors(["version": "required: the version you read (now \(before.version))"])
        }
        var fields = input
        fields.originalText = nil
        let (validated, clusters) = try Self.validated(
            fields, intake: nil, repairedBody: nil, registry: registry, req: req)
        let beforeClusters = before.clusterIDs.compactMap { cid in registry.clusters.first { $0.id == cid } }
        guard let grant = grant(for: beforeClusters, caller: caller), Self.grant(for: clusters, caller: caller) != nil
        else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "update_announcement",
                outcome: .refused, entity: "announcement", entityID: id,
                scope: beforeClusters.first.map(ClusterScope.init))
            throw AuthError.forbidden(
                "only an admin, or an authority for every linked cluster before and after, may change this")
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
        try await req.db.writeTransaction { tx in
            guard try await VersionClaim.claim("announcements", id: id, version: version, on: tx),
                let model = try await AnnouncementModel.find(id, on: tx)
            else {
                throw APIError(
                    .conflict, "the announcement was changed by someone else; reload it and apply your change again",
                    parameter: "version")
            }
            let fresh = AnnouncementModel(saved)
            model.titleZh = fresh.titleZh
            model.titleEn = fresh.titleEn
            model.bodyZh = fresh.bodyZh
            model.bodyEn = fresh.bodyEn
            model.source = fresh.source
            model.sourceURL = fresh.sourceURL
            model.publishedOn = fresh.publishedOn
            model.datePrecision = fresh.datePrecision
            model.tags = fresh.tags
            model.clusterIDs = fresh.clusterIDs
            model.version = version + 1
            try await model.save(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "update_announcement",
                outcome: .done, entity: "announcement", entityID: id, before: AuditLog.json(AnnouncementDTO(before)),
                after: AuditLog.json(AnnouncementDTO(saved)), scope: clusters.first.map(ClusterScope.init))
        }
        return saved
    }

    func update(req: Request) async throws -> AnnouncementDTO {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(AnnouncementInput.self)
        return AnnouncementDTO(
            try await Self.update(id: req.parameters.get("id") ?? "", input, caller: caller, req: req))
    }

    func editForm(req: Request) async throws -> Response {
        guard req.caller != nil else { throw AuthError.signInRequired }
        let id = req.parameters.get("id") ?? ""
        let (_, ctx) = try req.page(.editAnnouncement(id), section: .announcements)
        guard let item = try await AnnouncementModel.find(id, on: req.db)?.announcement() else {
            throw APIError.notFound(req.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        return PageResponse.html(
            AnnouncementPages.editForm(ctx, csrf: CSRF.token(for: req), item: item, errors: [:]).render())
    }

    func updateForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let id = req.parameters.get("id") ?? ""
        let form = try req.content.decode(AnnouncementForm.self)
        do {
            let saved = try await Self.update(id: id, form.input, caller: caller, req: req)
            return req.redirect(to: WebRoute.announcement(saved.id).path, redirectType: .normal)
        } catch let errors as FieldErrors {
            let (_, ctx) = try req.page(.editAnnouncement(id), section: .announcements)
            guard let item = try await AnnouncementModel.find(id, on: req.db)?.announcement() else { throw errors }
            let response = PageResponse.html(
                AnnouncementPages.editForm(ctx, csrf: CSRF.token(for: req), item: item, errors: errors.fields).render())
            response.status = .unprocessableEntity
            return response
        }
    }

    /// Publishes an announcement. An admin may publish any; others only about clusters they may
    /// edit (every linked cluster must be theirs, and at least one must be linked).
    static func publish(_ input: AnnouncementInput, caller: Caller, req: Request) async throws -> (
        Announcement, AnnouncementSourceModel?
    ) {
        let registry = try await req.store.registry()
        var errors: [String: String] = [:]
        // A damaged original goes through intake first; what it yields fills the fields left empty.
        var intake: IntakeReport?
        if let original = input.originalText {
            let limit = req.application.intakeMaxBytes
            if original.utf8.count > limit || original.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors["original_text"] = "1 to \(limit) bytes of text"
            } else {
                intake = DocumentIntake(registry: registry, published: try await req.store.figures())
                    .process(original, today: req.application.today())
            }
        }
        let repairedBody = intake.map { report in
            report.text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first.map(
                String.init) ?? report.text
        }
        let (fields, clusters) = try validated(
            input, intake: intake, repairedBody: repairedBody, registry: registry, req: req, errors: errors)
        let (titleZh, titleEn, bodyZh, bodyEn, source, url, day, tags, ids) = (
            fields.titleZh, fields.titleEn, fields.bodyZh, fields.bodyEn,
            fields.source, fields.sourceURL, fields.publishedOn, fields.tags,
            fields.clusterIDs
        )
        let scopes = clusters.map(ClusterScope.init)
        guard let grant = Self.grant(for: clusters, caller: caller) else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "publish_announcement",
                outcome: .refused, entity: "announcement", entityID: nil, scope: scopes.first)
            throw AuthError.forbidden("only an admin, or an authority for every linked cluster, may publish this")
        }
        let report = intake
        return try await req.db.writeTransaction { tx in
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
            var after = AnnouncementDTO(item)
            after.intake = nil
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "publish_announcement",
                outcome: .done, entity: "announcement", entityID: item.id,
                after: (AuditLog.json(after) ?? "") + (sourceRow.map { " from intake: \($0.repairs) repairs" } ?? ""),
                scope: scopes.first)
            return (item, sourceRow)
        }
    }
}
