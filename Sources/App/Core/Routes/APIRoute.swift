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
    case healthLive
    case healthReady
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
    case retireCluster(String)
    case token(String)

    static let prefix = "/api/v1"

    /// Every route of the API, with placeholders for its parameters: what the app registers.
    static let every: [APIRoute] =
        allCases + [
            .intake, .activityDocuments(":id"), .takeUp(":id"), .announcement(":id"), .roundRecommendations(":id"),
            .roundAssignments(":id"), .roundScores(":id"), .objectionResolution(":id", ":objection"),
            .ladderSignOffs(":id"), .dossierFiles(":id", ":cluster"), .closeStage(":id", ":stage"),
            .returnActions(":id", ":year"), .adjustmentDecision(":id"), .benchmarks(":id"), .retireCluster(":id"),
            .token(":id"),
        ]

    /// The resources that answer GET (intake only takes POST).
    static var allCases: [APIRoute] {
        [
            .clusters, .cluster(":id"), .provinces, .domains, .keyRegions, .stats, .figures, .reconciliation,
            .health, .healthLive, .healthReady, .openAPI, .audit, .tokens, .policies, .policy(":id"),
            .clusterPolicies(":id"),
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
        case .healthLive: "/health/live"
        case .healthReady: "/health/ready"
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
        case .retireCluster: "/clusters/{id}/retire"
        case .token: "/tokens/{id}"
        }
    }

    /// The values the path takes, in the order of the template's placeholders.
    var values: [String] {
        switch self {
        case .cluster(let a), .policy(let a), .clusterPolicies(let a), .round(let a), .roundRecommendations(let a),
            .roundAssignments(let a), .roundScores(let a), .roundRanking(let a), .roundObjections(let a),
            .indicatorSet(let a), .adjustmentDecision(let a), .benchmarks(let a), .ladder(let a),
            .ladderSignOffs(let a), .announcement(let a), .takeUp(let a), .activityDocuments(let a),
            .clusterPartners(let a), .retireCluster(let a), .token(let a):
            [a]
        case .objectionResolution(let a, let b), .dossier(let a, let b), .dossierFiles(let a, let b),
            .closeStage(let a, let b), .clusterReturn(let a, let b), .returnActions(let a, let b):
            [a, b]
        default: []
        }
    }

    /// Route components for Vapor (`:id` for parameters).
    var components: [PathComponent] { ["api", "v1"] + RouteTemplate.components(template) }

    /// A link to the resource: the template with each value percent-encoded in its place.
    var path: String { Self.prefix + RouteTemplate.fill(template, values) }

    /// The query parameters each resource accepts; anything else is a 400.
    var parameters: [String] {
        switch self {
        case .clusters: ClusterDomain.ClusterQuery.parameters
        case .cluster: ["as_of"]
        case .provinces, .domains, .keyRegions: ["as_of"]
        case .stats: ["as_of", "tier"]
        case .reconciliation: ["as_of"]
        case .figures, .health, .healthLive, .healthReady, .openAPI, .tokens: []
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
            .indicatorSets, .indicatorSet, .clusterReturn, .returnActions, .adjustmentDecision, .benchmarks,
            .retireCluster, .token:
            []
        case .returns: ["year", "cluster", "state", "format"]
        case .ratings: ["year", "tier", "examples", "format"]
        case .adjustments: ["year"]
        case .roundRanking: ["format"]
        }
    }
}
