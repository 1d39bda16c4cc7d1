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
        let (item, source) = try await AnnouncementService(req, caller: caller).publish(input)
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
        let (item, _) = try await AnnouncementService(req, caller: caller).publish(form.input)
        return req.redirect(to: WebRoute.announcement(item.id).path, redirectType: .normal)
    }

    func update(req: Request) async throws -> AnnouncementDTO {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(AnnouncementInput.self)
        return AnnouncementDTO(
            try await AnnouncementService(req, caller: caller).update(id: req.parameters.get("id") ?? "", input))
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
            let saved = try await AnnouncementService(req, caller: caller).update(id: id, form.input)
            return req.redirect(to: WebRoute.announcement(saved.id).path, redirectType: .normal)
        } catch let errors as FieldErrors {
            let (_, ctx) = try req.page(.editAnnouncement(id), section: .announcements)
            guard let item = try await AnnouncementModel.find(id, on: req.db)?.announcement() else { throw errors }
            let response = PageResponse.html(
                AnnouncementPages.editForm(
                    ctx, csrf: CSRF.token(for: req), item: item, errors: errors.messages(chinese: req.language == .zh)
                ).render())
            response.status = .unprocessableEntity
            return response
        }
    }

}

extension AnnouncementService {
    /// The service for a request's caller (in the handlers' file: services never see a request).
    init(_ req: Request, caller: Caller) {
        self.init(context: req.services(caller: caller), intakeMaxBytes: req.application.intakeMaxBytes)
    }
}
