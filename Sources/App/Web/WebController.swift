import ClusterDomain
import Vapor

/// The HTML pages and the stylesheet.
struct WebController: Sendable {
    func register(on app: Application) {
        app.get(use: home)
        app.get("styles.css", use: stylesheet)
    }

    func home(req: Request) async throws -> Response {
        let registry = try await req.store.registry()
        let figures = try await req.store.figures()
        // One section per day that published figures describe (the 2022 list, the 2024 total, …).
        let days = Set(figures.map(\.referenceDate)).sorted()
        let rows = registry.reconcile(figures)
        let model = HomePage.Model(
            today: registry.statistics(asOf: req.application.today()),
            published: days.map { day in
                HomePage.Model.Published(stats: registry.statistics(asOf: day),
                                         reconciliation: rows.filter { $0.figure.referenceDate == day })
            })
        return Self.html(HomePage.view(model).render())
    }

    static func html(_ text: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = .html
        return response
    }

    func stylesheet(req: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "styles", withExtension: "css", subdirectory: "Resources") else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(string: try String(contentsOf: url, encoding: .utf8)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/css; charset=utf-8")
        response.headers.cacheControl = .init(isPublic: true, maxAge: 86_400)
        return response
    }
}
