import ClusterDomain
import Foundation

/// Every HTML page, used to register the routes and to build links.
enum WebRoute: Hashable {
    case home
    case clusters
    case cluster(String)
    case province(String)
    case figures
    case policies
    case policy(String)
    case newPolicy
    case newTakeUp
    case editPolicy(String)
    case cooperation
    case newActivity
    case activityDocuments(String)
    case announcements
    case announcement(String)
    case newAnnouncement
    case editAnnouncement(String)
    case intake
    case rounds
    case round(String)
    case indicators
    case returns
    case clusterReturn(String, String)
    case ratings
    /// A work page (the inbox and the forms of a round's steps), by its path.
    case work(String)

    enum Section: Sendable {
        case dashboard, clusters, figures, policies, cooperation, announcements, rounds, monitoring, intake, api, work
    }

    var path: String {
        switch self {
        case .home: "/"
        case .clusters: "/clusters"
        case .cluster(let id): "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .province(let code):
            "/provinces/" + (code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? code)
        case .figures: "/figures"
        case .policies: "/policies"
        case .policy(let id): "/policies/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .newPolicy: "/policies/new"
        case .newTakeUp: "/takeups/new"
        case .editPolicy(let id):
            "/policies/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id) + "/edit"
        case .cooperation: "/cooperation"
        case .newActivity: "/cooperation/new"
        case .activityDocuments(let id):
            "/cooperation/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id) + "/documents"
        case .announcements: "/announcements"
        case .announcement(let id):
            "/announcements/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .newAnnouncement: "/announcements/new"
        case .editAnnouncement(let id):
            "/announcements/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id) + "/edit"
        case .intake: "/intake"
        case .rounds: "/rounds"
        case .round(let id): "/rounds/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .indicators: "/indicators"
        case .returns: "/returns"
        case .clusterReturn(let id, let year):
            "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id) + "/returns/"
                + (year.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? year)
        case .ratings: "/ratings"
        case .work(let path): path
        }
    }

    /// The page's query parameters, besides `lang` which every page accepts.
    var parameters: [String] {
        switch self {
        case .home: ["as_of"]
        case .clusters: ClusterQuery.parameters.filter { $0 != "format" }
        case .cluster, .province, .policies, .policy: ["as_of"]
        case .figures: []
        case .cooperation: ["as_of", "domain", "region"]
        case .announcements: ["tag"]
        case .announcement, .newAnnouncement, .editAnnouncement, .intake, .rounds, .round, .newPolicy, .editPolicy,
            .newActivity, .activityDocuments, .newTakeUp, .indicators,
            .clusterReturn:
            []
        case .returns: ["year"]
        case .ratings: ["year", "tier", "examples"]
        case .work: ["cluster"]
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
