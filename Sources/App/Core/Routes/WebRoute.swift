import ClusterDomain
import Foundation
import Vapor

/// Every page and form of the site: registered from here (`Application.register`) and used to build
/// every link, with the values a path takes as typed parameters. `WebRouteTests` fails when a route is
/// registered that is not here, or a case here is not registered.
enum WebRoute: Hashable {
    // The registry
    case home
    case clusters
    case cluster(String)
    case province(String)
    case figures
    case stylesheet
    /// Prometheus metrics, for the operator's scraper only (METRICS_TOKEN).
    case metrics
    case newCluster
    case editCluster(String)
    case retireCluster(String)
    case audit
    // Accounts
    case login
    case logout
    case account
    case changePassword
    case twoFactor
    case signInCode
    case newToken
    case revokeToken(String)
    case users
    case grantRole
    case revokeRole
    // Policies and support
    case policies
    case policy(String)
    case newPolicy
    case editPolicy(String)
    case newTakeUp
    case takeUpStatus(String)
    // Cooperation and announcements
    case cooperation
    case newActivity
    case activityDocuments(String)
    case announcements
    case announcementFeed
    case announcement(String)
    case newAnnouncement
    case editAnnouncement(String)
    case intake
    case attachment(String)
    // Rounds and their steps
    case rounds
    case round(String)
    case indicators
    case work
    case recommend(round: String)
    case dossier(round: String, cluster: String)
    case dossierFiles(round: String, cluster: String)
    case assign(round: String)
    case score(round: String, cluster: String)
    case object(round: String)
    case resolve(round: String, objection: String)
    case decide(cluster: String)
    case signOff(cluster: String)
    // Monitoring
    case returns
    case clusterReturn(String, String)
    case ratings
    case proposeAdjustments
    case benchmarks
    case decideAdjustment(String)

    enum Section: Sendable {
        case dashboard, clusters, figures, policies, cooperation, announcements, rounds, monitoring, intake, api, work
    }

    /// Every route, with placeholders for its parameters: what the app registers.
    static let all: [WebRoute] = [
        .home, .clusters, .cluster("{id}"), .province("{code}"), .figures, .stylesheet, .metrics, .newCluster,
        .editCluster("{id}"), .retireCluster("{id}"), .audit, .login, .logout, .account, .changePassword, .twoFactor,
        .signInCode, .newToken,
        .revokeToken("{id}"), .users, .grantRole, .revokeRole, .policies, .policy("{id}"), .newPolicy,
        .editPolicy("{id}"), .newTakeUp, .takeUpStatus("{id}"), .cooperation, .newActivity,
        .activityDocuments("{id}"), .announcements, .announcementFeed, .announcement("{id}"), .newAnnouncement,
        .editAnnouncement("{id}"), .intake, .attachment("{id}"), .rounds, .round("{id}"), .indicators, .work,
        .recommend(round: "{id}"), .dossier(round: "{id}", cluster: "{cluster}"),
        .dossierFiles(round: "{id}", cluster: "{cluster}"), .assign(round: "{id}"),
        .score(round: "{id}", cluster: "{cluster}"), .object(round: "{id}"),
        .resolve(round: "{id}", objection: "{objection}"), .decide(cluster: "{id}"), .signOff(cluster: "{id}"),
        .returns, .clusterReturn("{id}", "{year}"), .ratings, .proposeAdjustments, .benchmarks,
        .decideAdjustment("{id}"),
    ]

    /// The path with `{…}` where the route takes a value, and the values in order.
    var shape: (template: String, values: [String]) {
        switch self {
        case .home: ("/", [])
        case .clusters: ("/clusters", [])
        case .cluster(let id): ("/clusters/{id}", [id])
        case .province(let code): ("/provinces/{code}", [code])
        case .figures: ("/figures", [])
        case .stylesheet: ("/styles.css", [])
        case .metrics: ("/metrics", [])
        case .newCluster: ("/clusters/new", [])
        case .editCluster(let id): ("/clusters/{id}/edit", [id])
        case .retireCluster(let id): ("/clusters/{id}/retire", [id])
        case .audit: ("/audit", [])
        case .login: ("/login", [])
        case .logout: ("/logout", [])
        case .account: ("/account", [])
        case .changePassword: ("/account/password", [])
        case .twoFactor: ("/account/two-factor", [])
        case .signInCode: ("/login/code", [])
        case .newToken: ("/account/tokens", [])
        case .revokeToken(let id): ("/account/tokens/{id}/revoke", [id])
        case .users: ("/admin/users", [])
        case .grantRole: ("/admin/users/grant", [])
        case .revokeRole: ("/admin/users/revoke", [])
        case .policies: ("/policies", [])
        case .policy(let id): ("/policies/{id}", [id])
        case .newPolicy: ("/policies/new", [])
        case .editPolicy(let id): ("/policies/{id}/edit", [id])
        case .newTakeUp: ("/takeups/new", [])
        case .takeUpStatus(let id): ("/takeups/{id}/status", [id])
        case .cooperation: ("/cooperation", [])
        case .newActivity: ("/cooperation/new", [])
        case .activityDocuments(let id): ("/cooperation/{id}/documents", [id])
        case .announcements: ("/announcements", [])
        case .announcementFeed: ("/announcements.atom", [])
        case .announcement(let id): ("/announcements/{id}", [id])
        case .newAnnouncement: ("/announcements/new", [])
        case .editAnnouncement(let id): ("/announcements/{id}/edit", [id])
        case .intake: ("/intake", [])
        case .attachment(let id): ("/attachments/{id}", [id])
        case .rounds: ("/rounds", [])
        case .round(let id): ("/rounds/{id}", [id])
        case .indicators: ("/indicators", [])
        case .work: ("/work", [])
        case .recommend(let round): ("/rounds/{id}/recommend", [round])
        case .dossier(let round, let cluster): ("/rounds/{id}/dossiers/{cluster}", [round, cluster])
        case .dossierFiles(let round, let cluster): ("/rounds/{id}/dossiers/{cluster}/files", [round, cluster])
        case .assign(let round): ("/rounds/{id}/assign", [round])
        case .score(let round, let cluster): ("/rounds/{id}/scores/{cluster}", [round, cluster])
        case .object(let round): ("/rounds/{id}/object", [round])
        case .resolve(let round, let objection): ("/rounds/{id}/objections/{objection}/resolve", [round, objection])
        case .decide(let cluster): ("/clusters/{id}/decide", [cluster])
        case .signOff(let cluster): ("/clusters/{id}/sign-off", [cluster])
        case .returns: ("/returns", [])
        case .clusterReturn(let id, let year): ("/clusters/{id}/returns/{year}", [id, year])
        case .ratings: ("/ratings", [])
        case .proposeAdjustments: ("/ratings/propose", [])
        case .benchmarks: ("/ratings/benchmarks", [])
        case .decideAdjustment(let id): ("/adjustments/{id}/decide", [id])
        }
    }

    /// The link: the template with each value percent-encoded in its place.
    var path: String { RouteTemplate.fill(shape.template, shape.values) }

    /// Route components for Vapor (`:id` where the path takes a value).
    var components: [PathComponent] { RouteTemplate.components(shape.template) }

    /// The page's query parameters, besides `lang` which every page accepts.
    var parameters: [String] {
        switch self {
        case .home: ["as_of"]
        case .clusters: ClusterQuery.parameters.filter { $0 != "format" }
        case .cluster, .province, .policies, .policy: ["as_of"]
        case .cooperation: ["as_of", "domain", "region"]
        case .announcements: ["tag"]
        case .login: ["next"]
        case .audit: ["entity_id", "actor", "action", "from", "to", "page", "format"]
        case .returns: ["year", "province", "state", "late"]
        case .ratings: ["year", "tier", "examples"]
        case .work, .recommend, .dossier, .assign, .score, .object, .resolve, .decide, .signOff: ["cluster"]
        default: []
        }
    }

    /// A link to this page with the given query (empty values are left out), keys in a stable order.
    func link(_ params: [String: String] = [:]) -> String {
        let items = params.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\($0.key)=\(WebRoute.encode($0.value))" }.joined(separator: "&")
    }

    static func encode(_ value: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~,"))
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension RoutesBuilder {
    /// Registers a page or form of the route table.
    @discardableResult
    func register<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ route: WebRoute, body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, route.components, body: body, use: handler)
    }

    /// Registers an API route of the route table.
    @discardableResult
    func register<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ route: APIRoute, body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, route.components, body: body, use: handler)
    }
}
