import ClusterDomain
import Plot
import Vapor

/// Creating and editing policy instruments: `POST /api/v1/policies`, `PUT /api/v1/policies/{id}`
/// (with a token), and the forms `/policies/new` and `/policies/{id}/edit` (signed in). Who may
/// edit which policy is `AccessRules.allowsPolicy`; `PolicyEditor` does the work.
struct PolicyWriteController: Sendable {
    func register(on app: Application) {
        app.register(.POST, APIRoute.policies, use: create)
        app.register(.PUT, APIRoute.policy(":id"), use: update)
        app.register(.GET, WebRoute.newPolicy, use: newForm)
        app.register(.POST, WebRoute.newPolicy, use: createForm)
        app.register(.GET, WebRoute.editPolicy(":id"), use: editForm)
        app.register(.POST, WebRoute.editPolicy(":id"), use: updateForm)
    }

    /// Any JSON value, so that a bad rule is reported as the field `rule`, not as a malformed body.
    enum JSONValue: Codable, Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSONValue])
        case object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? c.decode(Double.self) {
                self = .number(n)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([JSONValue].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: JSONValue].self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .number(let n): try c.encode(n)
            case .string(let s): try c.encode(s)
            case .array(let a): try c.encode(a)
            case .object(let o): try c.encode(o)
            }
        }

        /// Rules are written with snake_case keys, so they are re-encoded as they came.
        var text: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }

    struct PolicyInput: Content {
        var category: String?
        var level: String?
        var jurisdiction: String?
        var issuers: [String]?
        var owners: [String]?
        var documentNumber: String?
        var titleZh: String?
        var titleEn: String?
        var summaryZh: String?
        var summaryEn: String?
        var issuedOn: String?
        var effectiveOn: String?
        var expiresOn: String?
        var url: String?
        var source: String?
        var rule: JSONValue?
        var version: Int?

        init() {}

        /// Decodes the snake_case keys of policies.json and the API without a key strategy.
        init(snakeCase decoder: any Decoder) throws {
            struct Key: CodingKey {
                let stringValue: String
                init(stringValue: String) { self.stringValue = stringValue }
                var intValue: Int? { nil }
                init?(intValue: Int) { nil }
            }
            let c = try decoder.container(keyedBy: Key.self)
            func s(_ k: String) throws -> String? { try c.decodeIfPresent(String.self, forKey: Key(stringValue: k)) }
            func list(_ k: String) throws -> [String]? {
                try c.decodeIfPresent([String].self, forKey: Key(stringValue: k))
            }
            category = try s("category")
            level = try s("level")
            jurisdiction = try s("jurisdiction")
            issuers = try list("issuers")
            owners = try list("owners")
            documentNumber = try s("document_number")
            titleZh = try s("title_zh")
            titleEn = try s("title_en")
            summaryZh = try s("summary_zh")
            summaryEn = try s("summary_en")
            issuedOn = try s("issued_on")
            effectiveOn = try s("effective_on")
            expiresOn = try s("expires_on")
            url = try s("url")
            source = try s("source")
            rule = try c.decodeIfPresent(JSONValue.self, forKey: Key(stringValue: "rule"))
        }

        var draft: PolicyDraft {
            var d = PolicyDraft()
            d.category = category
            d.level = level
            d.jurisdiction = jurisdiction
            d.issuers = issuers
            d.owners = owners
            d.documentNumber = documentNumber
            d.titleZh = titleZh
            d.titleEn = titleEn
            d.summaryZh = summaryZh
            d.summaryEn = summaryEn
            d.issuedOn = issuedOn
            d.effectiveOn = effectiveOn
            d.expiresOn = expiresOn
            d.url = url
            d.source = source
            d.ruleJSON = rule.map { if case .string(let s) = $0 { return s } else { return $0.text } }
            return d
        }
    }

    /// One policy of an import file: the `policies.json` format (snake_case keys, `rule` an object).
    struct ImportItem: Decodable {
        let id: String?
        let input: PolicyInput

        enum CodingKeys: String, CodingKey { case id }

        init(from decoder: any Decoder) throws {
            id = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .id)
            // policies.json uses snake_case keys, like the API.
            input = try PolicyInput(snakeCase: decoder)
        }
    }

    static func dto(_ p: Policy, _ req: Request) async throws -> PolicyController.PolicyDTO {
        PolicyController.PolicyDTO(p, catalogue: try await req.policyCatalogue(), asOf: req.application.today())
    }

    func create(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(PolicyInput.self)
        let policy = try await PolicyEditor(request: req, caller: caller).create(input.draft)
        let response = try await Self.dto(policy, req).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIRoute.policy(policy.id).path)
        return response
    }

    func update(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(PolicyInput.self)
        do {
            let policy = try await PolicyEditor(request: req, caller: caller)
                .update(id: req.parameters.get("id") ?? "", version: input.version, input.draft)
            return try await Self.dto(policy, req).encodeResponse(for: req)
        } catch let stale as PolicyEditor.Stale {
            throw APIError(
                .conflict,
                "the policy was changed by someone else (now version \(stale.current.version)); reload it and apply your change again",
                parameter: "version")
        }
    }

    // MARK: forms

    /// The urlencoded form: department codes separated by spaces or commas, the rule as JSON text.
    struct PolicyForm: Content {
        var category: String?
        var level: String?
        var jurisdiction: String?
        var issuers: String?
        var owners: String?
        var document_number: String?
        var title_zh: String?
        var title_en: String?
        var summary_zh: String?
        var summary_en: String?
        var issued_on: String?
        var effective_on: String?
        var expires_on: String?
        var url: String?
        var source: String?
        var rule: String?
        var rule_mode: String?
        var rule_join: String?
        var rule_tier: [String]?
        var rule_domain: [String]?
        var rule_region: [String]?
        var rule_key_region: [String]?
        var rule_provinces: String?
        var rule_cities: String?
        var rule_indicator: String?
        var rule_at_least: String?
        var version: Int?

        /// The draft with the rule built from the chosen fields (unless the JSON is chosen), and what
        /// does not read in those fields.
        func draft(reference: ReferenceData, indicators: [String]) -> (PolicyDraft, Message?) {
            var d = draft
            guard rule_mode != "json" else { return (d, nil) }
            var fields = RuleFields()
            fields.join = rule_join ?? "all"
            fields.tiers = rule_tier ?? []
            fields.domains = rule_domain ?? []
            fields.regions = rule_region ?? []
            fields.keyRegions = rule_key_region ?? []
            fields.provinces = rule_provinces ?? ""
            fields.cities = rule_cities ?? ""
            fields.indicator = rule_indicator ?? ""
            fields.atLeast = rule_at_least ?? ""
            switch fields.rule(reference: reference, indicators: indicators) {
            case .success(let rule?): d.ruleJSON = rule.json
            case .success(nil): break
            case .failure(let message): return (d, message)
            }
            return (d, nil)
        }

        var draft: PolicyDraft {
            func codes(_ t: String?) -> [String] {
                (t ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0.isWhitespace }).map(
                    String.init)
            }
            var d = PolicyDraft()
            d.category = category
            d.level = level
            d.jurisdiction = jurisdiction
            d.issuers = codes(issuers)
            d.owners = codes(owners)
            d.documentNumber = document_number
            d.titleZh = title_zh
            d.titleEn = title_en
            d.summaryZh = summary_zh
            d.summaryEn = summary_en
            d.issuedOn = issued_on
            d.effectiveOn = effective_on
            d.expiresOn = expires_on
            d.url = url
            d.source = source
            d.ruleJSON = rule
            return d
        }
    }

    /// The form's draft, its rule built from the chosen fields against the indicator set in force.
    static func draft(_ form: PolicyForm, _ req: Request) async throws -> (PolicyDraft, Message?) {
        let indicators = try await IndicatorSets.current(req.db).indicators.map(\.code)
        return form.draft(reference: req.application.reference, indicators: indicators)
    }

    static func signedIn(_ req: Request) throws -> Caller {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        return caller
    }

    func page(
        _ req: Request, _ route: WebRoute, draft: PolicyDraft, id: String?, version: Int?, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (_, ctx) = try req.page(route, section: .policies)
        let catalogue = try await req.policyCatalogue()
        let response = PageResponse.html(
            PolicyPages.form(
                ctx, csrf: CSRF.token(for: req), draft: draft, id: id, version: version,
                catalogue: catalogue, reference: req.application.reference,
                indicators: try await IndicatorSets.current(req.db).indicators, errors: errors
            ).render())
        response.status = status
        return response
    }

    func newForm(req: Request) async throws -> Response {
        _ = try Self.signedIn(req)
        var draft = PolicyDraft()
        draft.ruleJSON = #"{"tier": ["national"]}"#
        return try await page(req, .newPolicy, draft: draft, id: nil, version: nil, errors: [:])
    }

    func createForm(req: Request) async throws -> Response {
        let caller = try Self.signedIn(req)
        try CSRF.verify(req)
        let form = try req.content.decode(PolicyForm.self)
        let (draft, ruleProblem) = try await Self.draft(form, req)
        do {
            if let ruleProblem { throw FieldErrors(["rule": ruleProblem]) }
            let policy = try await PolicyEditor(request: req, caller: caller).create(draft)
            return req.redirect(to: WebRoute.policy(policy.id).path, redirectType: .normal)
        } catch let errors as FieldErrors {
            return try await page(
                req, .newPolicy, draft: draft, id: nil, version: nil,
                errors: errors.messages(chinese: req.language == .zh),
                status: .unprocessableEntity)
        }
    }

    func editForm(req: Request) async throws -> Response {
        _ = try Self.signedIn(req)
        let id = req.parameters.get("id") ?? ""
        guard let policy = try await req.policyCatalogue().policy(id: id) else {
            throw APIError.notFound(req.language.t("没有这项政策。", "No such policy."), parameter: "id")
        }
        return try await page(
            req, .editPolicy(id), draft: PolicyDraft(policy), id: id, version: policy.version, errors: [:])
    }

    func updateForm(req: Request) async throws -> Response {
        let caller = try Self.signedIn(req)
        try CSRF.verify(req)
        let id = req.parameters.get("id") ?? ""
        let form = try req.content.decode(PolicyForm.self)
        let (draft, ruleProblem) = try await Self.draft(form, req)
        do {
            if let ruleProblem { throw FieldErrors(["rule": ruleProblem]) }
            let policy = try await PolicyEditor(request: req, caller: caller).update(
                id: id, version: form.version, draft)
            return req.redirect(to: WebRoute.policy(policy.id).path, redirectType: .normal)
        } catch let errors as FieldErrors {
            return try await page(
                req, .editPolicy(id), draft: draft, id: id, version: form.version,
                errors: errors.messages(chinese: req.language == .zh),
                status: .unprocessableEntity)
        } catch let stale as PolicyEditor.Stale {
            return try await page(
                req, .editPolicy(id), draft: PolicyDraft(stale.current), id: id, version: stale.current.version,
                errors: [
                    "version": req.language.t(
                        "别人已修改了这项政策；下面是现在的内容，请重新修改。",
                        "Someone else changed this policy; it is shown as it is now — apply your change again.")
                ],
                status: .conflict)
        }
    }
}

extension PolicyEditor {
    /// The editor for a request's caller, on the request's database, audited with its origin.
    init(request: Request, caller: Caller) {
        self.init(
            db: request.db, origin: AuditLog.Origin(request), caller: caller, shipped: request.application.policies,
            reference: request.application.reference)
    }
}
