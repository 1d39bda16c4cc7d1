import ClusterDomain
import Vapor

/// Every JSON resource, used both to register the routes and to build links, so the two agree.
enum APIRoute: Hashable, CaseIterable {
    case clusters
    case cluster(String)
    case provinces
    case domains
    case keyRegions
    case stats
    case figures
    case reconciliation
    case health
    case openAPI
    case audit
    case tokens
    case policies
    case policy(String)
    case clusterPolicies(String)
    case cooperation
    case clusterPartners(String)
    case announcements
    case takeUps
    case takeUpTotals
    case intake
    case activityDocuments(String)
    case takeUp(String)
    case announcement(String)
    case ladder(String)
    case rounds
    case round(String)
    case roundRecommendations(String)
    case roundAssignments(String)
    case roundScores(String)
    case roundRanking(String)
    case roundObjections(String)
    case objectionResolution(String, String)
    case ladderSignOffs(String)
    case dossier(String, String)
    case dossierFiles(String, String)
    case closeStage(String, String)
    case indicatorSets
    case indicatorSet(String)
    case returns
    case clusterReturn(String, String)
    case returnActions(String, String)
    case ratings
    case adjustments
    case adjustmentDecision(String)
    case benchmarks(String)

    static let prefix = "/api/v1"

    /// The resources that answer GET (intake only takes POST).
    static var allCases: [APIRoute] {
        [
            .clusters, .cluster(":id"), .provinces, .domains, .keyRegions, .stats, .figures, .reconciliation,
            .health, .openAPI, .audit, .tokens, .policies, .policy(":id"), .clusterPolicies(":id"),
            .cooperation, .clusterPartners(":id"), .announcements, .takeUps, .takeUpTotals, .ladder(":id"), .rounds,
            .round(":id"), .roundRanking(":id"), .roundObjections(":id"),
            .dossier(":id", ":cluster"), .indicatorSets, .indicatorSet(":version"),
            .returns, .clusterReturn(":id", ":year"), .ratings, .adjustments,
        ]
    }

    /// Path below the prefix, as the OpenAPI document writes it.
    var template: String {
        switch self {
        case .clusters: "/clusters"
        case .cluster: "/clusters/{id}"
        case .provinces: "/provinces"
        case .domains: "/domains"
        case .keyRegions: "/key-regions"
        case .stats: "/stats"
        case .figures: "/figures"
        case .reconciliation: "/reconciliation"
        case .health: "/health"
        case .openAPI: "/openapi.json"
        case .audit: "/audit"
        case .tokens: "/tokens"
        case .policies: "/policies"
        case .policy: "/policies/{id}"
        case .clusterPolicies: "/clusters/{id}/policies"
        case .cooperation: "/cooperation"
        case .clusterPartners: "/clusters/{id}/partners"
        case .announcements: "/announcements"
        case .takeUps: "/takeups"
        case .takeUpTotals: "/takeups/totals"
        case .intake: "/intake"
        case .activityDocuments: "/cooperation/{id}/documents"
        case .takeUp: "/takeups/{id}"
        case .announcement: "/announcements/{id}"
        case .ladder: "/clusters/{id}/ladder"
        case .rounds: "/rounds"
        case .round: "/rounds/{id}"
        case .roundRecommendations: "/rounds/{id}/recommendations"
        case .roundAssignments: "/rounds/{id}/assignments"
        case .roundScores: "/rounds/{id}/scores"
        case .roundRanking: "/rounds/{id}/ranking"
        case .roundObjections: "/rounds/{id}/objections"
        case .objectionResolution: "/rounds/{id}/objections/{objection}/resolution"
        case .ladderSignOffs: "/clusters/{id}/ladder/sign-offs"
        case .dossier: "/rounds/{id}/dossiers/{cluster}"
        case .dossierFiles: "/rounds/{id}/dossiers/{cluster}/files"
        case .closeStage: "/rounds/{id}/stages/{stage}/close"
        case .indicatorSets: "/indicator-sets"
        case .indicatorSet: "/indicator-sets/{version}"
        case .returns: "/returns"
        case .clusterReturn: "/clusters/{id}/returns/{year}"
        case .returnActions: "/clusters/{id}/returns/{year}/actions"
        case .ratings: "/ratings"
        case .adjustments: "/adjustments"
        case .adjustmentDecision: "/adjustments/{id}/decision"
        case .benchmarks: "/clusters/{id}/benchmarks"
        }
    }

    /// Route components for Vapor (`:id` for parameters).
    var components: [PathComponent] {
        ["api", "v1"]
            + template.split(separator: "/").map { part in
                part.hasPrefix("{")
                    ? PathComponent.parameter(String(part.dropFirst().dropLast()))
                    : PathComponent(stringLiteral: String(part))
            }
    }

    /// A link to the resource.
    var path: String {
        switch self {
        case .cluster(let id):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .policy(let id):
            Self.prefix + "/policies/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .clusterPolicies(let id):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/policies"
        case .round(let id):
            Self.prefix + "/rounds/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .objectionResolution(let id, let objection):
            Self.prefix + "/rounds/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/objections/"
                + (objection.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? objection) + "/resolution"
        case .roundRecommendations(let id), .roundAssignments(let id), .roundScores(let id), .roundRanking(let id),
            .roundObjections(let id):
            Self.prefix + "/rounds/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id) + "/"
                + (template.split(separator: "/").last.map(String.init) ?? "")
        case .dossier(let id, let cluster), .dossierFiles(let id, let cluster):
            Self.prefix + "/rounds/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/dossiers/"
                + (cluster.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cluster)
                + (template.hasSuffix("/files") ? "/files" : "")
        case .closeStage(let id, let stage):
            Self.prefix + "/rounds/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/stages/"
                + (stage.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? stage) + "/close"
        case .indicatorSet(let version):
            Self.prefix + "/indicator-sets/"
                + (version.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? version)
        case .clusterReturn(let id, let year), .returnActions(let id, let year):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/returns/"
                + (year.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? year)
                + (template.hasSuffix("/actions") ? "/actions" : "")
        case .adjustmentDecision(let id):
            Self.prefix + "/adjustments/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/decision"
        case .benchmarks(let id):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/benchmarks"
        case .ladder(let id):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/ladder"
        case .ladderSignOffs(let id):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/ladder/sign-offs"
        case .announcement(let id):
            Self.prefix + "/announcements/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .takeUp(let id):
            Self.prefix + "/takeups/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
        case .activityDocuments(let id):
            Self.prefix + "/cooperation/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/documents"
        case .clusterPartners(let id):
            Self.prefix + "/clusters/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id)
                + "/partners"
        default:
            Self.prefix + template
        }
    }

    /// The query parameters each resource accepts; anything else is a 400.
    var parameters: [String] {
        switch self {
        case .clusters: ClusterDomain.ClusterQuery.parameters
        case .cluster: ["as_of"]
        case .provinces, .domains, .keyRegions: ["as_of"]
        case .stats: ["as_of", "tier"]
        case .reconciliation: ["as_of"]
        case .figures, .health, .openAPI, .tokens: []
        case .audit: ["entity_id", "page", "per_page", "format"]
        case .policies: ["as_of", "category", "level", "format"]
        case .policy, .clusterPolicies: ["as_of", "format"]
        case .clusterPartners: ["as_of"]
        case .cooperation: ["as_of", "cluster", "kind"]
        case .announcements: ["tag", "cluster"]
        case .takeUps: ["policy", "cluster"]
        case .takeUpTotals, .intake, .activityDocuments, .takeUp, .announcement, .ladder, .ladderSignOffs, .rounds,
            .round,
            .roundRecommendations, .roundAssignments, .roundScores, .roundObjections, .objectionResolution, .dossier,
            .dossierFiles, .closeStage,
            .indicatorSets, .indicatorSet, .clusterReturn, .returnActions, .adjustmentDecision, .benchmarks:
            []
        case .returns: ["year", "cluster", "state", "format"]
        case .ratings: ["year", "tier", "examples", "format"]
        case .adjustments: ["year"]
        case .roundRanking: ["format"]
        }
    }
}
