import ClusterDomain
import DocumentIntake
import Fluent
import Plot
import SQLKit
import Vapor

/// The announcement pages: the list with tags and the most read, an item, and the Atom feed.
extension AnnouncementController {
    static let rankingWindowDays = 30

    func listPage(req: Request) async throws -> Response {
        let (params, ctx) = try req.page(.announcements, section: .announcements)
        let store = AnnouncementStore(db: req.db)
        let all = try await store.all()
        let tag = params["tag"]?.nilIfBlank.map { String($0.prefix(40)) }
        let shown = tag.map { t in all.filter { $0.tags.contains(t) } } ?? all
        let today = req.application.today()
        let since = Day(req.application.clock().addingTimeInterval(-Double(Self.rankingWindowDays) * 86_400))
        let ranking = Announcement.mostRead(try await store.counts(since: since), since: since)
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        return PageResponse.html(
            AnnouncementPages.list(
                ctx, items: shown, tag: tag,
                allTags: Array(Set(all.flatMap(\.tags))).sorted(),
                mostRead: ranking.compactMap { r in byID[r.id].map { ($0, r.views) } },
                today: today
            ).render())
    }

    func itemPage(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let (_, ctx) = try req.page(.announcement(id), section: .announcements)
        let store = AnnouncementStore(db: req.db)
        let all = try await store.all()
        guard let item = all.first(where: { $0.id == id }) else {
            throw APIError.notFound(req.language.t("没有这条公告。", "No such announcement."), parameter: "id")
        }
        if !Announcement.isBot(userAgent: req.headers.first(name: .userAgent)) {
            try await store.countView(of: item.id, on: req.application.today())
        }
        let registry = try await req.store.registry()
        let clusters = item.clusterIDs.compactMap { cid in registry.clusters.first { $0.id == cid } }
        let source = try await AnnouncementSourceModel.find(item.id, on: req.db)
        let canEdit = req.caller.map { AnnouncementService.grant(for: clusters, caller: $0) != nil } ?? false
        return PageResponse.html(
            AnnouncementPages.item(
                ctx, item: item, clusters: clusters,
                related: Announcement.related(to: item, among: all), source: source,
                canEdit: canEdit
            ).render())
    }

    func feed(req: Request) async throws -> Response {
        let all = try await AnnouncementStore(db: req.db).all()
        // Links start with the configured public address, never with the request's Host header.
        let base = req.application.operations.base(listening: req.application.http.server.configuration)
        let xml = Announcement.atom(all, base: base, updated: all.first?.publishedOn ?? req.application.today())
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        return response
    }
}
