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
        let day2022 = Day(year: 2022, month: 11, day: 30)!
        let model = HomePage.Model(
            today: registry.statistics(asOf: req.application.today()),
            list2022: registry.statistics(asOf: day2022),
            reconciliation: registry.reconcile(figures, publishedBy: day2022),
            reference: registry.reference)
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
