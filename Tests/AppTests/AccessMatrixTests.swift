import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every role against every write endpoint and form, expected outcome taken from the scope table
/// (`AccessRules`). A test below fails when the app gains a write route that the matrix lacks.
@Suite struct AccessMatrixTests {
    /// One grant per role, with a scope that makes the difference visible on NC011 (苏州, Jiangsu).
    static let roles: [Grant?] = [
        nil,
        Grant(role: .admin, scope: nil),
        Grant(role: .ministryReviewer, scope: "工业和信息化部规划司"),
        Grant(role: .provincial, scope: "32"),
        Grant(role: .provincial, scope: "44"),
        Grant(role: .city, scope: "苏州"),
        Grant(role: .promotionOrg, scope: "NC011"),
        Grant(role: .expert, scope: nil),
    ]

    enum Channel { case api, form }

    struct Endpoint {
        let name: String
        let method: HTTPMethod
        /// The route as registered, for the completeness check.
        let route: String
        let channel: Channel
        let action: Action
        /// The cluster it acts on, nil for a create.
        let target: String?
        /// For policy endpoints: the policy's scope (both before and after), instead of a cluster's.
        var policy: PolicyScope? = nil
        /// For endpoints open to given roles whatever the scope (ladder decisions, sign-offs).
        var roles: Set<Role>? = nil
        /// For endpoints open to exactly these grants (their descriptions).
        var grants: Set<String>? = nil
    }

    static let jiangsuPolicy = PolicyScope(
        level: .provincial, jurisdiction: "32", provinceCode: "32",
        owners: ["provincial_finance", "省级财政部门", "Provincial finance department"])
    static let guangdongPolicy = PolicyScope(
        level: .provincial, jurisdiction: "44", provinceCode: "44",
        owners: ["provincial_iit", "省级工业和信息化主管部门", "Provincial industry and IT department"])

    static let suzhouNew = ClusterScope(id: nil, provinceCodes: ["32"], cityNames: ["苏州"])

    static let endpoints: [Endpoint] = [
        Endpoint(
            name: "api create", method: .POST, route: "api/v1/clusters", channel: .api, action: .create, target: nil),
        Endpoint(
            name: "api update NC011", method: .PUT, route: "api/v1/clusters/:id", channel: .api, action: .edit,
            target: "NC011"),
        Endpoint(
            name: "api update NC001", method: .PUT, route: "api/v1/clusters/:id", channel: .api, action: .edit,
            target: "NC001"),
        Endpoint(
            name: "form create", method: .POST, route: "clusters/new", channel: .form, action: .create, target: nil),
        Endpoint(
            name: "form update NC011", method: .POST, route: "clusters/:id/edit", channel: .form, action: .edit,
            target: "NC011"),
        Endpoint(
            name: "form update NC001", method: .POST, route: "clusters/:id/edit", channel: .form, action: .edit,
            target: "NC001"),
        Endpoint(
            name: "form create user", method: .POST, route: "admin/users", channel: .form, action: .manageUsers,
            target: nil),
        Endpoint(
            name: "form grant", method: .POST, route: "admin/users/grant", channel: .form, action: .manageUsers,
            target: nil),
        Endpoint(
            name: "form revoke grant", method: .POST, route: "admin/users/revoke", channel: .form, action: .manageUsers,
            target: nil),
        Endpoint(
            name: "api record take-up NC011", method: .POST, route: "api/v1/takeups", channel: .api, action: .edit,
            target: "NC011"),
        Endpoint(
            name: "api record take-up NC001", method: .POST, route: "api/v1/takeups", channel: .api, action: .edit,
            target: "NC001"),
        Endpoint(
            name: "api record activity NC011+NC024", method: .POST, route: "api/v1/cooperation", channel: .api,
            action: .edit, target: "NC011"),
        Endpoint(
            name: "api publish about NC011", method: .POST, route: "api/v1/announcements", channel: .api, action: .edit,
            target: "NC011"),
        Endpoint(
            name: "api attach document to COOP001", method: .POST, route: "api/v1/cooperation/:id/documents",
            channel: .api,
            action: .edit, target: "NC011"),
        Endpoint(
            name: "form record activity NC011+NC024", method: .POST, route: "cooperation/new", channel: .form,
            action: .edit,
            target: "NC011"),
        Endpoint(
            name: "form attach document to COOP001", method: .POST, route: "cooperation/:id/documents", channel: .form,
            action: .edit, target: "NC011"),
        Endpoint(
            name: "api edit announcement about NC011", method: .PUT, route: "api/v1/announcements/:id", channel: .api,
            action: .edit,
            target: "NC011"),
        Endpoint(
            name: "form edit announcement about NC011", method: .POST, route: "announcements/:id/edit", channel: .form,
            action: .edit,
            target: "NC011"),
        Endpoint(
            name: "api change take-up 1 (NC011)", method: .PUT, route: "api/v1/takeups/:id", channel: .api,
            action: .edit, target: "NC011"),
        Endpoint(
            name: "form change take-up 1 (NC011)", method: .POST, route: "takeups/:id/status", channel: .form,
            action: .edit, target: "NC011"),
        Endpoint(
            name: "form record take-up NC011", method: .POST, route: "takeups/new", channel: .form, action: .edit,
            target: "NC011"),
        Endpoint(
            name: "api ladder: warn NC011", method: .POST, route: "api/v1/clusters/:id/ladder", channel: .api,
            action: .edit,
            target: "NC011", roles: [.admin]),
        Endpoint(
            name: "api ladder: sign off exiting NC011", method: .POST, route: "api/v1/clusters/:id/ladder/sign-offs",
            channel: .api,
            action: .edit, target: "NC011", roles: [.ministryReviewer]),
        Endpoint(
            name: "api open a round", method: .POST, route: "api/v1/rounds", channel: .api, action: .create,
            target: nil,
            roles: [.admin]),
        Endpoint(
            name: "api recommend a Suzhou provincial cluster", method: .POST,
            route: "api/v1/rounds/:id/recommendations",
            channel: .api, action: .edit, target: nil, grants: ["admin", "provincial:32"]),
        Endpoint(
            name: "api assign an expert to PJS01", method: .POST, route: "api/v1/rounds/:id/assignments", channel: .api,
            action: .edit, target: nil, roles: [.admin]),
        // Only experts assigned to the entry score it (ScoringAPITests); none of these grants is assigned.
        Endpoint(
            name: "api score PJS01 unassigned", method: .POST, route: "api/v1/rounds/:id/scores", channel: .api,
            action: .edit, target: nil, grants: []),
        Endpoint(
            name: "api lodge an objection to PJS01", method: .POST, route: "api/v1/rounds/:id/objections",
            channel: .api,
            action: .edit, target: nil, roles: Set(Role.allCases)),
        Endpoint(
            name: "api resolve an objection", method: .POST,
            route: "api/v1/rounds/:id/objections/:objection/resolution",
            channel: .api, action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "api file PJS01's dossier", method: .PUT, route: "api/v1/rounds/:id/dossiers/:cluster", channel: .api,
            action: .edit, target: nil, grants: ["admin", "city:苏州", "promotion_org:PJS01"]),
        Endpoint(
            name: "api add evidence to PJS01's dossier", method: .POST,
            route: "api/v1/rounds/:id/dossiers/:cluster/files",
            channel: .api, action: .edit, target: nil, grants: ["admin", "city:苏州", "promotion_org:PJS01"]),
        Endpoint(
            name: "form recommend a Suzhou provincial cluster", method: .POST, route: "rounds/:id/recommend",
            channel: .form,
            action: .edit, target: nil, grants: ["admin", "provincial:32"]),
        Endpoint(
            name: "form file PJS01's dossier", method: .POST, route: "rounds/:id/dossiers/:cluster", channel: .form,
            action: .edit, target: nil, grants: ["admin", "city:苏州", "promotion_org:PJS01"]),
        Endpoint(
            name: "form add evidence to PJS01's dossier", method: .POST, route: "rounds/:id/dossiers/:cluster/files",
            channel: .form,
            action: .edit, target: nil, grants: ["admin", "city:苏州", "promotion_org:PJS01"]),
        Endpoint(
            name: "form assign an expert to PJS01", method: .POST, route: "rounds/:id/assign", channel: .form,
            action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "form score PJS01 unassigned", method: .POST, route: "rounds/:id/scores/:cluster", channel: .form,
            action: .edit, target: nil, grants: []),
        Endpoint(
            name: "form lodge an objection to PJS01", method: .POST, route: "rounds/:id/object", channel: .form,
            action: .edit, target: nil, roles: Set(Role.allCases)),
        Endpoint(
            name: "form resolve an objection", method: .POST, route: "rounds/:id/objections/:objection/resolve",
            channel: .form,
            action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "form ladder: warn NC024", method: .POST, route: "clusters/:id/decide", channel: .form, action: .edit,
            target: "NC024", roles: [.admin]),
        Endpoint(
            name: "form ladder: sign off exiting NC024", method: .POST, route: "clusters/:id/sign-off", channel: .form,
            action: .edit, target: "NC024", roles: [.ministryReviewer]),
        Endpoint(
            name: "api close R2026's recommendation stage", method: .POST,
            route: "api/v1/rounds/:id/stages/:stage/close",
            channel: .api, action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "api revise the indicator set", method: .POST, route: "api/v1/indicator-sets", channel: .api,
            action: .create,
            target: nil, roles: [.admin]),
        Endpoint(
            name: "api file NC011's 2025 return", method: .PUT, route: "api/v1/clusters/:id/returns/:year",
            channel: .api,
            action: .edit, target: nil, grants: ["admin", "city:苏州", "promotion_org:NC011"]),
        Endpoint(
            name: "api review NC011's submitted 2024 return", method: .POST,
            route: "api/v1/clusters/:id/returns/:year/actions",
            channel: .api, action: .edit, target: nil, grants: ["admin", "provincial:32"]),
        Endpoint(
            name: "api run the adjustment rules", method: .POST, route: "api/v1/adjustments", channel: .api,
            action: .edit,
            target: nil, roles: [.admin]),
        Endpoint(
            name: "api accept a proposed warning of NC001", method: .POST, route: "api/v1/adjustments/:id/decision",
            channel: .api,
            action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "api enter a benchmark for NC011", method: .POST, route: "api/v1/clusters/:id/benchmarks",
            channel: .api,
            action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "form file NC011's 2025 return", method: .POST, route: "clusters/:id/returns/:year", channel: .form,
            action: .edit, target: nil, grants: ["admin", "city:苏州", "promotion_org:NC011"]),
        Endpoint(
            name: "form revise the indicator weights", method: .POST, route: "indicators", channel: .form,
            action: .edit,
            target: nil, roles: [.admin]),
        Endpoint(
            name: "form run the adjustment rules", method: .POST, route: "ratings/propose", channel: .form,
            action: .edit,
            target: nil, roles: [.admin]),
        Endpoint(
            name: "form accept a proposed warning of NC045", method: .POST, route: "adjustments/:id/decide",
            channel: .form,
            action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "form enter a benchmark for NC011", method: .POST, route: "ratings/benchmarks", channel: .form,
            action: .edit, target: nil, roles: [.admin]),
        Endpoint(
            name: "api create Jiangsu policy", method: .POST, route: "api/v1/policies", channel: .api, action: .create,
            target: nil, policy: jiangsuPolicy),
        Endpoint(
            name: "api update POL006 (Guangdong)", method: .PUT, route: "api/v1/policies/:id", channel: .api,
            action: .edit,
            target: nil, policy: guangdongPolicy),
        Endpoint(
            name: "form create Jiangsu policy", method: .POST, route: "policies/new", channel: .form, action: .create,
            target: nil, policy: jiangsuPolicy),
        Endpoint(
            name: "form update POL006 (Guangdong)", method: .POST, route: "policies/:id/edit", channel: .form,
            action: .edit,
            target: nil, policy: guangdongPolicy),
        Endpoint(
            name: "form publish about NC011", method: .POST, route: "announcements/new", channel: .form, action: .edit,
            target: "NC011"),
        Endpoint(
            name: "api retire NC011", method: .POST, route: "api/v1/clusters/:id/retire", channel: .api,
            action: .retire, target: "NC011"),
        Endpoint(
            name: "form retire NC001", method: .POST, route: "clusters/:id/retire", channel: .form, action: .retire,
            target: "NC001"),
    ]

    /// Writes that every signed-in person (or token holder) may do to their own account, and sign-in itself.
    static let ownAccountRoutes: Set<String> = [
        "POST login", "POST logout", "POST account/password", "POST account/tokens", "POST account/tokens/:id/revoke",
        "POST account/two-factor", "POST login/code",
        "POST api/v1/tokens", "DELETE api/v1/tokens/:id",
    ]

    /// POST routes that change nothing (document intake repairs and reports, and stores nothing);
    /// open to everyone. `IntakeAPITests` checks them.
    static let processingRoutes: Set<String> = ["POST api/v1/intake", "POST intake"]

    @Test func everyWriteRouteIsInTheMatrix() async throws {
        try await withLadder(.sqlite) { app in
            let writes = Set(
                app.routes.all.filter { $0.method != .GET && $0.method != .HEAD }
                    .map { $0.method.rawValue + " " + $0.path.map(\.description).joined(separator: "/") })
            let covered = Set(Self.endpoints.map { $0.method.rawValue + " " + $0.route }).union(Self.ownAccountRoutes)
                .union(Self.processingRoutes)
            #expect(writes == covered, "write routes missing from the access matrix: \(writes.subtracting(covered))")
        }
    }

    static func expected(_ grant: Grant?, _ e: Endpoint, reference: ReferenceData, clusters: [String: Cluster]) -> UInt
    {
        guard let grant else { return 401 }
        if let policy = e.policy { return AccessRules.allowsPolicy(grant, on: policy) ? 200 : 403 }
        if let roles = e.roles { return roles.contains(grant.role) ? 200 : 403 }
        if let grants = e.grants { return grants.contains(grant.description) ? 200 : 403 }
        let scope =
            e.target.flatMap { clusters[$0] }.map(ClusterScope.init) ?? (e.action == .manageUsers ? nil : suzhouNew)
        return AccessRules.allows(grant, e.action, on: scope) ? 200 : 403
    }

    @Test(arguments: TestDatabase.enabled)
    func everyRoleAgainstEveryWrite(db: TestDatabase) async throws {
        for (index, grant) in Self.roles.enumerated() {
            try await withLadder(db) { app in
                let reference = app.reference
                let registry = try await app.store.registry()
                let clusters = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
                var token: String?
                var browser: Browser?
                if let grant {
                    let user = try await makeUser(app, "user\(index)@example.org", [grant])
                    token = try await makeToken(app, for: user, [grant])
                    browser = try await signIn(app, "user\(index)@example.org")
                }
                try await makeUser(app, "someone@example.org", [Grant(role: .expert, scope: nil)])
                for endpoint in Self.endpoints {
                    let want = Self.expected(grant, endpoint, reference: reference, clusters: clusters)
                    let got = try await Self.call(app, endpoint, token: token, browser: browser)
                    let ok = want == 200 ? (200..<400).contains(got) : got == want
                    #expect(ok, "\(grant?.description ?? "public") · \(endpoint.name): expected \(want), got \(got)")
                }
            }
        }
    }

    static func call(_ app: Application, _ e: Endpoint, token: String?, browser: Browser?) async throws -> UInt {
        var version = 0
        if let target = e.target { version = try await currentVersion(app, target) }
        var status: UInt = 0
        switch e.channel {
        case .api:
            var headers = HTTPHeaders()
            if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
            let path: String
            let body: [String: AnyCodable]
            let policyVersion = try await PolicyModel.find("POL006", on: app.db)?.version ?? 0
            switch e.action {
            case .create where e.route == "api/v1/rounds":
                path = "/api/v1/rounds"
                body = [
                    "year": AnyCodable(2027), "format": "group_overall", "tracks": AnyCodable(["new_materials"]),
                    "stages": .json(RoundAPITests.stagesJSON),
                ]
            case .edit where e.route == "api/v1/rounds/:id/assignments":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                // Not someone@example.org: the user-management forms above revoke that one's role.
                if try await UserModel.query(on: app.db).filter(\.$email == "assessor@example.org").first() == nil {
                    try await makeUser(app, "assessor@example.org", [Grant(role: .expert, scope: nil)])
                }
                path = "/api/v1/rounds/\(round)/assignments"
                body = [
                    "cluster": AnyCodable(stringLiteral: cluster), "expert": "assessor@example.org",
                    "expert_province": "44",
                ]
            case .edit where e.route == "api/v1/rounds/:id/scores":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                path = "/api/v1/rounds/\(round)/scores"
                body = [
                    "cluster": AnyCodable(stringLiteral: cluster),
                    "scores": .json(#"[{"indicator": "output", "score": 80, "comment": "ok"}]"#),
                ]
            case .edit where e.route == "api/v1/rounds/:id/objections":
                let (round, cluster, _) = try await NoticeAPITests.noticeFixture(app)
                path = "/api/v1/rounds/\(round)/objections"
                body = ["cluster": AnyCodable(stringLiteral: cluster), "text": "申报数据与年报不符"]
            case .edit where e.route == "api/v1/rounds/:id/objections/:objection/resolution":
                let (round, _, objection) = try await NoticeAPITests.noticeFixture(app)
                path = "/api/v1/rounds/\(round)/objections/\(objection)/resolution"
                body = ["resolution": "经核实，数据口径不同，不影响结果"]
            case .edit where e.route == "api/v1/rounds/:id/recommendations":
                let (round, cluster) = try await RoundAPITests.fixture(app)
                path = "/api/v1/rounds/\(round)/recommendations"
                body = ["cluster": AnyCodable(stringLiteral: cluster), "track": "new_materials"]
            case .edit where e.route == "api/v1/rounds/:id/dossiers/:cluster":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                path = "/api/v1/rounds/\(round)/dossiers/\(cluster)"
                body = DossierAPITests.body
            case .edit where e.route == "api/v1/rounds/:id/dossiers/:cluster/files":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                path = "/api/v1/rounds/\(round)/dossiers/\(cluster)/files"
                body = [:]
            case .edit where e.route == "api/v1/rounds/:id/stages/:stage/close":
                // Opened 2026-11-01, planned to close 2026-12-15; each admin run gets a fresh app.
                let (round, _) = try await RoundAPITests.fixture(app)
                path = "/api/v1/rounds/\(round)/stages/recommendation/close"
                body = [:]
            case .edit where e.route == "api/v1/clusters/:id/returns/:year":
                path = "/api/v1/clusters/NC011/returns/2025"
                let existing = try await ReturnModel.find("NC011|2025", on: app.db)
                body = [
                    "values": MonitoringAPITests.json(MonitoringAPITests.values(4)),
                    "version": AnyCodable(existing?.version ?? 0),
                ]
            case .edit where e.route == "api/v1/clusters/:id/returns/:year/actions":
                let row = try await Self.submittedReturn(app)
                path = "/api/v1/clusters/NC011/returns/2024/actions"
                body = ["action": "province_review", "version": AnyCodable(row.version)]
            case .edit where e.route == "api/v1/adjustments":
                path = "/api/v1/adjustments"
                body = ["year": 2025]
            case .edit where e.route == "api/v1/adjustments/:id/decision":
                path = "/api/v1/adjustments/\(try await Self.proposedWarning(app, "NC001"))/decision"
                body = ["decision": "accept"]
            case .edit where e.route == "api/v1/clusters/:id/benchmarks":
                path = "/api/v1/clusters/NC011/benchmarks"
                body = ["description": "全球纳米材料产值份额约 8%", "source": "test"]
            case .create where e.route == "api/v1/indicator-sets":
                path = "/api/v1/indicator-sets"
                body = [
                    "dimensions": .json(try IndicatorSetAPITests.revisedDimensions(innovation: 30, openness: 5)),
                    "note": "matrix",
                ]
            case .create where e.route == "api/v1/policies":
                path = "/api/v1/policies"
                body = Self.policyBody(
                    level: "provincial", jurisdiction: "32", owner: "provincial_finance", version: nil)
            case .edit where e.route == "api/v1/policies/:id":
                path = "/api/v1/policies/POL006"
                body = Self.policyBody(
                    level: "provincial", jurisdiction: "44", owner: "provincial_iit", version: policyVersion)
            case .create:
                path = "/api/v1/clusters"
                body = [
                    "name_zh": "苏州市测试集群", "name_en": "Suzhou test cluster", "domain": "new_materials", "cities": ["苏州"],
                ]
            case .retire:
                path = "/api/v1/clusters/\(e.target ?? "")/retire"
                body = ["version": AnyCodable(version)]
            case .edit where e.route == "api/v1/cooperation":
                path = "/api/v1/cooperation"
                body = [
                    "kind": "exchange_visit", "title_zh": "苏常交流", "title_en": "Suzhou–Changzhou visit",
                    "started_on": "2026-05-01", "clusters": AnyCodable(["NC011", "NC024"]),
                ]
            case .edit where e.route == "api/v1/cooperation/:id/documents":
                path = "/api/v1/cooperation/COOP001/documents"
                body = ["title": "长三角集群联盟章程", "url": "https://example.org/charter", "document_number": "YRD-2025-01"]
            case .edit where e.route == "api/v1/clusters/:id/ladder":
                path = "/api/v1/clusters/NC011/ladder"
                body = ["event": "warn", "on": "2026-06-01", "evidence": AnyCodable(["rating"])]
            case .edit where e.route == "api/v1/clusters/:id/ladder/sign-offs":
                path = "/api/v1/clusters/NC011/ladder/sign-offs"
                body = ["event": "exit", "comment": "同意调出"]
            case .edit where e.route == "api/v1/announcements/:id":
                let (id, version) = try await Self.announcementRecord(app)
                path = "/api/v1/announcements/\(id)"
                body = [
                    "title_zh": "苏州纳米集群通知（改）", "title_en": "Suzhou nano notice (edited)", "body_zh": "改。",
                    "source": "test",
                    "published_on": "2026-05-03", "clusters": AnyCodable(["NC011"]), "version": AnyCodable(version),
                ]
            case .edit where e.route == "api/v1/takeups/:id":
                let id = try await Self.takeUpRecord(app)
                path = "/api/v1/takeups/\(id)"
                let version = try #require(try await TakeUpModel.find(id, on: app.db)).version
                body = ["status": "granted", "version": AnyCodable(version)]
            case .edit where e.route == "api/v1/announcements":
                path = "/api/v1/announcements"
                body = [
                    "title_zh": "苏州纳米集群年会", "title_en": "Suzhou nano cluster annual meeting", "body_zh": "年会召开。",
                    "source": "test", "published_on": "2026-05-01", "clusters": AnyCodable(["NC011"]),
                ]
            case .edit where e.route == "api/v1/takeups":
                path = "/api/v1/takeups"
                body = [
                    "policy": "POL003", "cluster": AnyCodable(e.target ?? ""), "amount": AnyCodable(1_000_000),
                    "granted_on": "2026-01-15", "status": "granted",
                ]
            default:
                path = "/api/v1/clusters/\(e.target ?? "")"
                let c = try #require(try await app.store.registry().clusters.first { $0.id == e.target })
                body = [
                    "name_zh": AnyCodable(c.nameZh), "name_en": AnyCodable(c.nameEn + " (edited)"),
                    "domain": AnyCodable(c.domainCode), "cities": AnyCodable(c.cityNames),
                    "provinces": AnyCodable(c.provinceCodes), "version": AnyCodable(version),
                ]
            }
            if e.route.hasSuffix("/files") {
                let (formHeaders, form) = multipart([], file: ("file", "evidence.pdf", Array("%PDF-1.4\n%%EOF".utf8)))
                headers.add(contentsOf: formHeaders)
                try await app.testing().test(e.method, path, headers: headers, body: form) { res in
                    status = res.status.code
                }
            } else {
                try await app.testing().test(
                    e.method, path, headers: headers,
                    beforeRequest: { req in
                        try req.content.encode(body, as: .json)
                    }
                ) { res in status = res.status.code }
            }
        case .form:
            var headers = HTTPHeaders()
            if let browser { headers.replaceOrAdd(name: .cookie, value: browser.cookie) }
            let csrf = browser?.csrf ?? ""
            let path: String
            var form: [String: String] = ["_csrf": csrf]
            let policyVersion = try await PolicyModel.find("POL006", on: app.db)?.version ?? 0
            switch e.action {
            case .create where e.route == "policies/new":
                path = "/policies/new"
                form.merge(Self.policyForm(jurisdiction: "32", owner: "provincial_finance", version: nil)) { _, b in b }
            case .edit where e.route == "policies/:id/edit":
                path = "/policies/POL006/edit"
                form.merge(Self.policyForm(jurisdiction: "44", owner: "provincial_iit", version: policyVersion)) {
                    _, b in b
                }
            case .create:
                path = "/clusters/new"
                form.merge([
                    "name_zh": "苏州市表单集群", "name_en": "Suzhou form cluster", "domain": "new_materials", "cities": "苏州",
                ]) { _, b in b }
            case .retire:
                path = "/clusters/\(e.target ?? "")/retire"
                form["version"] = String(version)
            case .edit where e.route == "cooperation/new":
                path = "/cooperation/new"
                form.merge([
                    "kind": "exchange_visit", "title_zh": "苏常交流（表单）", "title_en": "Suzhou–Changzhou visit (form)",
                    "started_on": "2026-05-01", "clusters": "NC011 NC024", "outputs": "互访人次 = 40 人次",
                ]) { _, b in b }
            case .edit where e.route == "cooperation/:id/documents":
                path = "/cooperation/COOP001/documents"
                form.merge(["title": "长三角集群联盟章程（表单）", "document_number": "YRD-2025-02"]) { _, b in b }
            case .edit where e.route == "announcements/:id/edit":
                let (id, version) = try await Self.announcementRecord(app)
                path = "/announcements/\(id)/edit"
                form.merge([
                    "title_zh": "苏州纳米集群通知（表单改）", "title_en": "Suzhou nano notice (form edit)", "body_zh": "改。",
                    "source": "test", "published_on": "2026-05-04", "clusters": "NC011", "version": String(version),
                ]) { _, b in b }
            case .edit where e.route == "takeups/:id/status":
                let id = try await Self.takeUpRecord(app)
                path = "/takeups/\(id)/status"
                form["status"] = "granted"
                form["version"] = String(try #require(try await TakeUpModel.find(id, on: app.db)).version)
            case .edit where e.route == "takeups/new":
                path = "/takeups/new"
                form.merge([
                    "policy": "POL003", "cluster": e.target ?? "", "amount": "1,000,000", "granted_on": "2026-01-15",
                    "status": "granted",
                ]) { _, b in b }
            case .edit where e.route == "announcements/new":
                path = "/announcements/new"
                form.merge([
                    "title_zh": "苏州纳米集群表单公告", "title_en": "Suzhou form notice", "body_zh": "召开。", "source": "test",
                    "published_on": "2026-05-02", "clusters": e.target ?? "",
                ]) { _, b in b }
            case .edit where e.route == "rounds/:id/recommend":
                let (round, _) = try await RoundAPITests.fixture(app)
                path = "/rounds/\(round)/recommend"
                form["cluster"] = try await Self.secondSuzhouCluster(app)
            case .edit where e.route == "rounds/:id/dossiers/:cluster":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                path = "/rounds/\(round)/dossiers/\(cluster)"
                let current =
                    try await DossierModel.find(DossierModel.key(round: round, cluster: cluster), on: app.db)?.version
                    ?? 0
                form.merge([
                    "promotion_body": "苏州市新材料产业集群促进中心", "plan": "三年培育方案（表单）", "value_output": "1.2e11",
                    "version": String(current),
                ]) { _, b in b }
            case .edit where e.route == "rounds/:id/dossiers/:cluster/files":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                let (formHeaders, body) = multipart(
                    [("_csrf", csrf)], file: ("file", "evidence.pdf", Array("%PDF-1.4\n%%EOF".utf8)))
                headers.add(contentsOf: formHeaders)
                try await app.testing().test(
                    .POST, "/rounds/\(round)/dossiers/\(cluster)/files", headers: headers, body: body
                ) { res in
                    status = res.status.code
                }
                return status
            case .edit where e.route == "rounds/:id/assign":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                if try await UserModel.query(on: app.db).filter(\.$email == "assessor2@example.org").first() == nil {
                    try await makeUser(app, "assessor2@example.org", [Grant(role: .expert, scope: nil)])
                }
                path = "/rounds/\(round)/assign"
                form.merge(["cluster": cluster, "expert": "assessor2@example.org", "expert_province": "44"]) { _, b in b
                }
            case .edit where e.route == "rounds/:id/scores/:cluster":
                let (round, cluster) = try await RoundAPITests.fixture(app, recommended: true)
                path = "/rounds/\(round)/scores/\(cluster)"
                form.merge(["score_output": "80", "comment_output": "ok"]) { _, b in b }
            case .edit where e.route == "rounds/:id/object":
                let (round, cluster, _) = try await NoticeAPITests.noticeFixture(app)
                path = "/rounds/\(round)/object"
                form.merge(["cluster": cluster, "text": "申报数据与年报不符（表单）"]) { _, b in b }
            case .edit where e.route == "rounds/:id/objections/:objection/resolve":
                let (round, _, objection) = try await NoticeAPITests.noticeFixture(app)
                path = "/rounds/\(round)/objections/\(objection)/resolve"
                form["resolution"] = "经核实，不影响结果（表单）"
            case .edit where e.route == "clusters/:id/returns/:year":
                path = "/clusters/NC011/returns/2025"
                let current = try await ReturnModel.find("NC011|2025", on: app.db)?.version ?? 0
                form.merge(MonitoringPagesTests.form(4)) { _, b in b }
                form.merge(["step": "save", "version": String(current)]) { _, b in b }
            case .edit where e.route == "indicators":
                path = "/indicators"
                form.merge([
                    "weight_scale": "20", "weight_innovation": "30", "weight_quality_firms": "15",
                    "weight_ecosystem": "15",
                    "weight_openness": "5", "weight_governance": "15", "note": "matrix",
                ]) { _, b in b }
            case .edit where e.route == "ratings/propose":
                path = "/ratings/propose"
                form["year"] = "2025"
            case .edit where e.route == "adjustments/:id/decide":
                path = "/adjustments/\(try await Self.proposedWarning(app, "NC045"))/decide"
                form["decision"] = "accept"
            case .edit where e.route == "ratings/benchmarks":
                path = "/ratings/benchmarks"
                form.merge(["cluster": "NC011", "description": "全球纳米材料产值份额约 8%（表单）", "source": "test"]) { _, b in b }
            case .edit where e.route == "clusters/:id/decide":
                path = "/clusters/NC024/decide"
                form.merge(["event": "warn", "on": "2026-06-01", "attest_rating": "yes"]) { _, b in b }
            case .edit where e.route == "clusters/:id/sign-off":
                path = "/clusters/NC024/sign-off"
                form.merge(["event": "exit", "comment": "同意调出（表单）"]) { _, b in b }
            case .manageUsers:
                path = "/" + e.route
                form.merge([
                    "email": e.route.hasSuffix("users")
                        ? "new\(UUID().uuidString.prefix(6))@example.org" : "someone@example.org",
                    "name": "New", "password": "Another-Password-2026", "role": "expert", "scope": "",
                    "grant": "expert",
                ]) { _, b in b }
            default:
                path = "/clusters/\(e.target ?? "")/edit"
                let c = try #require(try await app.store.registry().clusters.first { $0.id == e.target })
                form.merge([
                    "name_zh": c.nameZh, "name_en": c.nameEn + " (form)", "domain": c.domainCode,
                    "cities": c.cityNames.joined(separator: "\n"), "provinces": c.provinceCodes.joined(separator: " "),
                    "version": String(version),
                ]) { _, b in b }
            }
            try await app.testing().test(
                .POST, path, headers: headers,
                beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }
            ) { res in status = res.status.code }
        }
        return status
    }
}

extension AccessMatrixTests {
    /// An announcement about NC011 only, to edit (made directly, so that every role finds one).
    /// A second provincial Suzhou cluster, for recommending through the form.
    static func secondSuzhouCluster(_ app: Application) async throws -> String {
        try await RoundAPITests.provincialCluster(app, "PJS02", "苏州市测试新材料集群二", "Suzhou test materials cluster 2")
        return "PJS02"
    }

    static func announcementRecord(_ app: Application) async throws -> (String, Int) {
        if let existing = try await AnnouncementModel.find("AN901", on: app.db) { return ("AN901", existing.version) }
        let item = Announcement(
            id: "AN901", titleZh: "苏州纳米集群通知", titleEn: "Suzhou nano notice", bodyZh: "通知。", bodyEn: "",
            source: "test", sourceURL: nil, publishedOn: Day("2026-05-01")!, tags: [], clusterIDs: ["NC011"])
        try await AnnouncementModel(item).create(on: app.db)
        return ("AN901", 1)
    }

    /// A support record for NC011 to change (made directly, so that every role finds one).
    static func takeUpRecord(_ app: Application) async throws -> Int {
        if let existing = try await TakeUpModel.query(on: app.db).filter(\.$cluster.$id == "NC011").first()?.id {
            return existing
        }
        let row = TakeUpModel()
        row.policyID = "POL003"
        row.$cluster.id = "NC011"
        row.amount = 1
        row.grantedOn = "2026-01-01"
        row.status = "applied"
        row.note = ""
        row.version = 1
        try await row.create(on: app.db)
        return try row.requireID()
    }

    static func policyBody(level: String, jurisdiction: String, owner: String, version: Int?) -> [String: AnyCodable] {
        var body: [String: AnyCodable] = [
            "category": "finance", "level": AnyCodable(stringLiteral: level),
            "jurisdiction": AnyCodable(stringLiteral: jurisdiction),
            "issuers": AnyCodable([owner]), "owners": AnyCodable([owner]), "title_zh": "省级集群贷款贴息",
            "title_en": "Provincial loan subsidy",
            "source": "test", "rule": .json(#"{"province": ["\#(jurisdiction)"]}"#),
        ]
        if let version { body["version"] = AnyCodable(version) }
        return body
    }

    /// NC011's 2024 return, submitted and awaiting the province (made once per app).
    static func submittedReturn(_ app: Application) async throws -> ReturnModel {
        if let row = try await ReturnModel.find("NC011|2024", on: app.db) { return row }
        try await MonitoringAPITests.accepted(app, "NC011", 2024, MonitoringAPITests.values(4))
        let row = try #require(try await ReturnModel.find("NC011|2024", on: app.db))
        row.state = ReturnState.submitted.rawValue
        try await row.update(on: app.db)
        return row
    }

    /// A pending proposal to warn a cluster (made once per app).
    static func proposedWarning(_ app: Application, _ cluster: String) async throws -> Int {
        if let row = try await ProposalModel.query(on: app.db).filter(\.$clusterID == cluster).first() {
            return row.id ?? 0
        }
        let row = ProposalModel()
        row.year = 2025
        row.clusterID = cluster
        row.event = "warn"
        row.reasonZh = "评级处于末位 10%（2025 年）"
        row.reasonEn = "bottom decile in 2025"
        row.proposedAt = Date()
        row.decision = "pending"
        try await row.create(on: app.db)
        return row.id ?? 0
    }

    static func policyForm(jurisdiction: String, owner: String, version: Int?) -> [String: String] {
        var form = [
            "category": "finance", "level": "provincial", "jurisdiction": jurisdiction, "issuers": owner,
            "owners": owner,
            "title_zh": "省级集群贷款贴息（表单）", "title_en": "Provincial loan subsidy (form)", "source": "test",
            "rule": #"{"province": ["\#(jurisdiction)"]}"#,
        ]
        if let version { form["version"] = String(version) }
        return form
    }
}

/// A JSON value of a few shapes, for request bodies in tests.
enum AnyCodable: Encodable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    case string(String)
    case int(Int)
    case strings([String])
    /// Raw JSON text, written as it is.
    case json(String)

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(arrayLiteral elements: String...) { self = .strings(elements) }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .strings(let a): try c.encode(a)
        case .json(let text):
            let value = try JSONDecoder().decode(PolicyWriteController.JSONValue.self, from: Data(text.utf8))
            try c.encode(value)
        }
    }
}

extension AnyCodable {
    init(_ value: Int) { self = .int(value) }
    init(_ value: [String]) { self = .strings(value) }
    init(_ value: String) { self = .string(value) }
}
