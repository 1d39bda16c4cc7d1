import Foundation

/// A policy as submitted (API body, form or import file), validated field by field into a `Policy`.
public struct PolicyDraft: Sendable {
    public var category: String?
    public var level: String?
    public var jurisdiction: String?
    public var issuers: [String]?
    public var owners: [String]?
    public var documentNumber: String?
    public var titleZh: String?
    public var titleEn: String?
    public var summaryZh: String?
    public var summaryEn: String?
    public var issuedOn: String?
    public var effectiveOn: String?
    public var expiresOn: String?
    public var url: String?
    public var source: String?
    /// The eligibility rule as JSON text, e.g. `{"all": [{"tier": ["national"]}, {"region": ["east"]}]}`.
    public var ruleJSON: String?

    public init() {}

    static let limits = (
        title: 300, summary: 2000, document: 100, source: 1000, url: 500, rule: 20_000, departments: 10
    )

    /// The policy, or every field that is wrong with a reason.
    public func validate(id: String, version: Int, catalogue: PolicyCatalogue, reference: ReferenceData) -> Result<
        Policy, FieldErrors
    > {
        var check = FieldCheck(catalogue: catalogue)
        let category = FieldCheck.clean(self.category)
        if category.flatMap(catalogue.category(code:)) == nil {
            check.errors["category"] = Message(
                "policy.category", ["codes": catalogue.categories.map(\.code).joined(separator: ", ")])
        }
        let level = FieldCheck.clean(self.level).flatMap(PolicyLevel.init(rawValue:))
        if level == nil {
            check.errors["level"] = Message("policy.level")
        }
        // A province as people write it (江苏, 江苏省) is kept as its code.
        let jurisdiction = FieldCheck.clean(self.jurisdiction).map { j in
            level == .provincial ? reference.province(named: j)?.code ?? j : j
        }
        if let level,
            let problem = PolicyCatalogue.jurisdictionProblem(level: level, jurisdiction: jurisdiction, reference)
        {
            check.errors["jurisdiction"] = problem
        }
        let issuers = check.departments(issuers, "issuers")
        let owners = check.departments(owners, "owners")
        let document = check.text(documentNumber, "document_number", max: Self.limits.document, required: false)
        let titleZh = check.text(titleZh, "title_zh", max: Self.limits.title, required: true)
        let titleEn = check.text(titleEn, "title_en", max: Self.limits.title, required: false) ?? titleZh
        let summaryZh = check.text(summaryZh, "summary_zh", max: Self.limits.summary, required: false)
        let summaryEn = check.text(summaryEn, "summary_en", max: Self.limits.summary, required: false)
        let issued = check.day(issuedOn, "issued_on")
        let effective = check.day(effectiveOn, "effective_on")
        let expires = check.day(expiresOn, "expires_on")
        if let start = effective ?? issued, let expires, expires <= start {
            check.errors["expires_on"] = Message("policy.expires_before_start")
        }
        let url = check.text(url, "url", max: Self.limits.url, required: false)
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.contains(where: \.isWhitespace) {
            check.errors["url"] = .webAddress
        }
        let source = check.text(source, "source", max: Self.limits.source, required: true)
        var rule: EligibilityRule?
        switch Self.rule(ruleJSON, reference) {
        case .success(let parsed): rule = parsed
        case .failure(let problem): check.errors["rule"] = problem.message
        }
        guard check.errors.isEmpty, let category, let level, let titleZh, let titleEn, let source, let rule else {
            return .failure(FieldErrors(check.errors))
        }
        return .success(
            Policy(
                id: id, categoryCode: category, level: level, issuerCodes: issuers, ownerCodes: owners,
                documentNumber: document, titleZh: titleZh, titleEn: titleEn, summaryZh: summaryZh,
                summaryEn: summaryEn, issuedOn: issued, effectiveOn: effective, expiresOn: expires, url: url,
                source: source, rule: rule, jurisdiction: level == .central ? nil : jurisdiction, version: version))
    }

    /// Why a rule's text is refused.
    struct RuleProblem: Error {
        let message: Message
    }

    /// The eligibility rule from its JSON text: required, bounded, and naming only known values.
    static func rule(_ text: String?, _ reference: ReferenceData) -> Result<EligibilityRule, RuleProblem> {
        guard let json = FieldCheck.clean(text) else {
            return .failure(RuleProblem(message: Message("rule.required")))
        }
        guard json.utf8.count <= limits.rule else {
            return .failure(RuleProblem(message: Message("rule.too_long", ["n": "\(limits.rule)"])))
        }
        guard let parsed = try? JSONDecoder().decode(EligibilityRule.self, from: Data(json.utf8)) else {
            return .failure(RuleProblem(message: Message("rule.not_a_rule")))
        }
        if let problem = PolicyCatalogue.ruleProblems(parsed, reference).first {
            return .failure(RuleProblem(message: problem))
        }
        return .success(parsed)
    }

    /// The field checks a draft runs, collecting one message per field.
    struct FieldCheck {
        let catalogue: PolicyCatalogue
        var errors: [String: Message] = [:]

        static func clean(_ value: String?) -> String? {
            let t = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }

        mutating func text(_ value: String?, _ field: String, max: Int, required: Bool) -> String? {
            let t = Self.clean(value)
            if required && t == nil { errors[field] = .required }
            if let t, t.count > max { errors[field] = .tooLong(max) }
            return t
        }

        mutating func day(_ value: String?, _ field: String) -> Day? {
            guard let t = Self.clean(value) else { return nil }
            guard let d = Day(typed: t) else {
                errors[field] = .date
                return nil
            }
            return d
        }

        /// At least one known department code, at most the limit, each once.
        mutating func departments(_ codes: [String]?, _ field: String) -> [String] {
            let list = (codes ?? []).compactMap(Self.clean).map { catalogue.department(named: $0)?.code ?? $0 }
            if list.isEmpty { errors[field] = Message("policy.no_department") }
            if list.count > PolicyDraft.limits.departments {
                errors[field] = .tooMany(PolicyDraft.limits.departments)
            }
            if let unknown = list.first(where: { catalogue.department(code: $0) == nil }) {
                errors[field] = Message("policy.unknown_department", ["value": String(unknown.prefix(40))])
            }
            return Array(NSOrderedSet(array: list).compactMap { $0 as? String })
        }
    }

    /// A draft holding an existing policy's values (to prefill a form).
    public init(_ p: Policy) {
        category = p.categoryCode
        level = p.level.rawValue
        jurisdiction = p.jurisdiction
        issuers = p.issuerCodes
        owners = p.ownerCodes
        documentNumber = p.documentNumber
        titleZh = p.titleZh
        titleEn = p.titleEn
        summaryZh = p.summaryZh
        summaryEn = p.summaryEn
        issuedOn = p.issuedOn?.description
        effectiveOn = p.effectiveOn?.description
        expiresOn = p.expiresOn?.description
        url = p.url
        source = p.source
        ruleJSON = p.rule.json
    }
}

extension EligibilityRule {
    /// The rule as compact JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
