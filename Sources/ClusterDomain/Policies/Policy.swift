import Foundation

/// The six categories of the cluster policy support system.
public struct PolicyCategory: Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
}

/// A department that issues or owns policy instruments.
public struct Department: Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
}

/// Who may receive a policy's support, as data. Evaluated by `Eligibility.evaluate`, which says why.
public indirect enum EligibilityRule: Hashable, Sendable, Codable {
    case all([EligibilityRule])
    case any([EligibilityRule])
    case tier([Tier])
    case domain([String])
    case region([Region])
    case keyRegion([String])
    /// Any member province among these.
    case province([String])
    /// Any member city among these.
    case city([String])
    /// A yearly indicator from monitoring returns, e.g. leading-industry output ≥ 1e11 yuan.
    case indicator(name: String, atLeast: Double)

    private enum CodingKeys: String, CodingKey {
        case all, any, tier, domain, region, keyRegion = "key_region", province, city, indicator
    }
    private struct IndicatorBody: Codable {
        let name: String
        let at_least: Double
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = c.allKeys.first, c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "a rule is an object with exactly one of: all, any, tier, domain, region, key_region, province, city, indicator"
                ))
        }
        switch key {
        case .all: self = .all(try c.decode([EligibilityRule].self, forKey: key))
        case .any: self = .any(try c.decode([EligibilityRule].self, forKey: key))
        case .tier: self = .tier(try c.decode([Tier].self, forKey: key))
        case .domain: self = .domain(try c.decode([String].self, forKey: key))
        case .region: self = .region(try c.decode([Region].self, forKey: key))
        case .keyRegion: self = .keyRegion(try c.decode([String].self, forKey: key))
        case .province: self = .province(try c.decode([String].self, forKey: key))
        case .city: self = .city(try c.decode([String].self, forKey: key))
        case .indicator:
            let body = try c.decode(IndicatorBody.self, forKey: key)
            self = .indicator(name: body.name, atLeast: body.at_least)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .all(let r): try c.encode(r, forKey: .all)
        case .any(let r): try c.encode(r, forKey: .any)
        case .tier(let t): try c.encode(t, forKey: .tier)
        case .domain(let d): try c.encode(d, forKey: .domain)
        case .region(let r): try c.encode(r, forKey: .region)
        case .keyRegion(let k): try c.encode(k, forKey: .keyRegion)
        case .province(let p): try c.encode(p, forKey: .province)
        case .city(let x): try c.encode(x, forKey: .city)
        case .indicator(let name, let value):
            try c.encode(IndicatorBody(name: name, at_least: value), forKey: .indicator)
        }
    }
}

public enum PolicyLevel: String, CaseIterable, Codable, Sendable { case central, provincial, municipal }

/// A policy instrument of the support system.
public struct Policy: Hashable, Sendable {
    public let id: String
    public let categoryCode: String
    public let level: PolicyLevel
    public let issuerCodes: [String]
    public let ownerCodes: [String]
    public let documentNumber: String?
    public let titleZh: String
    public let titleEn: String
    public let summaryZh: String?
    public let summaryEn: String?
    public let issuedOn: Day?
    public let effectiveOn: Day?
    public let expiresOn: Day?
    public let url: String?
    public let source: String
    public let rule: EligibilityRule
    /// Where a provincial or municipal policy applies: a province code, or a city name as in the
    /// reference data. Nil for central policies.
    public let jurisdiction: String?
    /// Bumped by every edit; an update must name the version it read.
    public let version: Int

    public init(
        id: String, categoryCode: String, level: PolicyLevel, issuerCodes: [String], ownerCodes: [String],
        documentNumber: String?, titleZh: String, titleEn: String, summaryZh: String?, summaryEn: String?,
        issuedOn: Day?, effectiveOn: Day?, expiresOn: Day?, url: String?, source: String, rule: EligibilityRule,
        jurisdiction: String? = nil, version: Int = 1
    ) {
        self.jurisdiction = jurisdiction
        self.version = version
        self.id = id
        self.categoryCode = categoryCode
        self.level = level
        self.issuerCodes = issuerCodes
        self.ownerCodes = ownerCodes
        self.documentNumber = documentNumber
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.summaryZh = summaryZh
        self.summaryEn = summaryEn
        self.issuedOn = issuedOn
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.url = url
        self.source = source
        self.rule = rule
    }

    /// In force on `day`: effective (or issued) on or before it, and not yet expired.
    public func inForce(on day: Day) -> Bool {
        if let start = effectiveOn ?? issuedOn, start > day { return false }
        if let end = expiresOn, end <= day { return false }
        return true
    }
}

/// One step of an eligibility decision, in both languages.
public struct Reason: Hashable, Sendable {
    public let met: Bool
    public let zh: String
    public let en: String
}

/// Whether a cluster qualifies for a policy on a day, and why.
public struct Eligibility: Hashable, Sendable {
    public let qualifies: Bool
    public let reasons: [Reason]

    /// Yearly indicator values of a cluster, by indicator code (its latest accepted monitoring return).
    public typealias Indicators = [String: Double]

    public static func evaluate(
        _ policy: Policy, for cluster: Cluster, on day: Day, registry: Registry,
        indicators: Indicators = [:]
    ) -> Eligibility {
        var reasons: [Reason] = []
        let inForce = policy.inForce(on: day)
        reasons.append(
            Reason(
                met: inForce,
                zh: inForce ? "政策在 \(day.iso) 有效" : "政策在 \(day.iso) 不在有效期内",
                en: inForce ? "the policy is in force on \(day.iso)" : "the policy is not in force on \(day.iso)"))
        let (met, ruleReasons) = check(policy.rule, cluster, day, registry, indicators)
        reasons += ruleReasons
        return Eligibility(qualifies: inForce && met, reasons: reasons)
    }

    static func check(
        _ rule: EligibilityRule, _ c: Cluster, _ day: Day, _ r: Registry,
        _ indicators: Indicators
    ) -> (Bool, [Reason]) {
        switch rule {
        case .all(let rules):
            let results = rules.map { check($0, c, day, r, indicators) }
            return (results.allSatisfy(\.0), results.flatMap(\.1))
        case .any(let rules):
            let results = rules.map { check($0, c, day, r, indicators) }
            let met = results.contains { $0.0 }
            // Of the alternatives, show the ones that held, or all when none did.
            let shown = met ? results.filter(\.0).flatMap(\.1) : results.flatMap(\.1)
            return (met, shown)
        case .tier(let tiers): return single(tierReason(tiers, c, day))
        case .domain(let codes): return single(domainReason(codes, c, r.reference))
        case .region(let regions): return single(regionReason(regions, c, r))
        case .keyRegion(let codes): return single(keyRegionReason(codes, c, r))
        case .province(let codes): return single(provinceReason(codes, c, r.reference))
        case .city(let names): return single(cityReason(names, c, r.reference))
        case .indicator(let name, let threshold): return single(indicatorReason(name, threshold, indicators))
        }
    }

    static func single(_ reason: Reason) -> (Bool, [Reason]) { (reason.met, [reason]) }

    static func list(_ items: [String]) -> String { items.joined(separator: "、") }

    static func tierReason(_ tiers: [Tier], _ c: Cluster, _ day: Day) -> Reason {
        let tier = c.state(asOf: day).flatMap { $0.status == .exited ? nil : $0.tier }
        let met = tier.map(tiers.contains) ?? false
        let have = tier?.rawValue ?? "none"
        func zh(_ t: Tier?) -> String {
            switch t {
            case .provincial: "省级"
            case .national: "国家级"
            case .worldClass: "世界级"
            case nil: "未定级"
            }
        }
        return Reason(
            met: met, zh: "层级为\(zh(tier))" + (met ? "" : "（要求 \(list(tiers.map(zh)))）"),
            en: "tier is \(have) (needs \(tiers.map(\.rawValue).joined(separator: " or ")))")
    }

    static func domainReason(_ codes: [String], _ c: Cluster, _ ref: ReferenceData) -> Reason {
        let met = codes.contains(c.domainCode)
        let name = ref.domain(code: c.domainCode)
        let wanted = codes.compactMap { ref.domain(code: $0) }
        return Reason(
            met: met,
            zh: "领域为\(name?.nameZh ?? c.domainCode)" + (met ? "" : "（要求 \(list(wanted.map(\.nameZh)))）"),
            en: "domain is \(name?.nameEn ?? c.domainCode)"
                + (met ? "" : " (needs \(wanted.map(\.nameEn).joined(separator: " or ")))"))
    }

    static func regionReason(_ regions: [Region], _ c: Cluster, _ r: Registry) -> Reason {
        let region = r.region(of: c)
        let met = region.map(regions.contains) ?? false
        return Reason(
            met: met,
            zh: "地区为\(region?.nameZh ?? "未知")" + (met ? "" : "（要求 \(list(regions.map(\.nameZh)))）"),
            en: "region is \(region?.nameEn ?? "unknown")"
                + (met ? "" : " (needs \(regions.map(\.nameEn).joined(separator: " or ")))"))
    }

    static func keyRegionReason(_ codes: [String], _ c: Cluster, _ r: Registry) -> Reason {
        let mine = r.keyRegions(of: c).map(\.code)
        let met = mine.contains(where: codes.contains)
        let names = codes.compactMap { r.reference.keyRegion(code: $0) }
        let inside = names.filter { mine.contains($0.code) }
        return Reason(
            met: met,
            zh: met ? "位于\(list(inside.map(\.nameZh)))" : "不在\(list(names.map(\.nameZh)))",
            en: met
                ? "lies in \(inside.map(\.nameEn).joined(separator: ", "))"
                : "does not lie wholly in \(names.map(\.nameEn).joined(separator: " or "))")
    }

    static func provinceReason(_ codes: [String], _ c: Cluster, _ ref: ReferenceData) -> Reason {
        let hit = c.provinceCodes.filter(codes.contains)
        let met = !hit.isEmpty
        let names = (met ? hit : codes).compactMap { ref.province(code: $0) }
        return Reason(
            met: met, zh: (met ? "成员省份含" : "成员省份不含") + list(names.map(\.nameZh)),
            en: (met ? "member provinces include " : "no member province among ")
                + names.map(\.nameEn).joined(separator: ", "))
    }

    static func cityReason(_ names: [String], _ c: Cluster, _ ref: ReferenceData) -> Reason {
        let hit = c.cityNames.filter(names.contains)
        let met = !hit.isEmpty
        let shown = met ? hit : names
        return Reason(
            met: met, zh: (met ? "成员城市含" : "成员城市不含") + list(shown),
            en: (met ? "member cities include " : "no member city among ")
                + shown.map { ref.city(named: $0)?.nameEn ?? $0 }.joined(separator: ", "))
    }

    static func indicatorReason(_ name: String, _ threshold: Double, _ indicators: Indicators) -> Reason {
        guard let value = indicators[name] else {
            return Reason(
                met: false, zh: "没有“\(name)”的监测数据（要求 ≥ \(format(threshold))）",
                en: "no monitoring value for \(name) (needs ≥ \(format(threshold)))")
        }
        let met = value >= threshold
        return Reason(
            met: met, zh: "\(name) 为 \(format(value))（要求 ≥ \(format(threshold))）",
            en: "\(name) is \(format(value)) (needs ≥ \(format(threshold)))")
    }

    static func format(_ v: Double) -> String {
        v >= 1e8 ? String(format: "%g亿", v / 1e8) : (v == v.rounded() ? String(Int(v)) : String(v))
    }
}

extension Registry {
    /// The policies a cluster qualifies for on a day, each with its reasons; `indicators` are the
    /// cluster's latest monitoring values, for indicator rules.
    public func policies(
        for cluster: Cluster, among policies: [Policy], on day: Day,
        indicators: Eligibility.Indicators = [:]
    ) -> [(Policy, Eligibility)] {
        policies.map { ($0, Eligibility.evaluate($0, for: cluster, on: day, registry: self, indicators: indicators)) }
            .filter { $0.1.qualifies }
    }

    /// The clusters (existing on the day) a policy reaches, each with its reasons; `indicators` holds
    /// each cluster's latest monitoring values by cluster id.
    public func clusters(reachedBy policy: Policy, on day: Day, indicators: [String: Eligibility.Indicators] = [:])
        -> [(Cluster, Eligibility)]
    {
        rows(asOf: day).map {
            (
                $0.cluster,
                Eligibility.evaluate(
                    policy, for: $0.cluster, on: day, registry: self,
                    indicators: indicators[$0.cluster.id] ?? [:])
            )
        }
        .filter { $0.1.qualifies }
    }
}

/// The policy support system's catalogue.
public struct PolicyCatalogue: Sendable {
    public let categories: [PolicyCategory]
    public let departments: [Department]
    public let policies: [Policy]

    public init(categories: [PolicyCategory], departments: [Department], policies: [Policy]) {
        self.categories = categories
        self.departments = departments
        self.policies = policies
    }

    public func category(code: String) -> PolicyCategory? { categories.first { $0.code == code } }
    public func department(code: String) -> Department? { departments.first { $0.code == code } }

    /// Every policy checked for one cluster on `day`, those it qualifies for first.
    public func evaluations(
        for cluster: Cluster, registry: Registry, on day: Day, indicators: Eligibility.Indicators
    ) -> [(Policy, Eligibility)] {
        policies.map {
            ($0, Eligibility.evaluate($0, for: cluster, on: day, registry: registry, indicators: indicators))
        }
        .sorted { $0.1.qualifies && !$1.1.qualifies }
    }
    public func policy(id: String) -> Policy? { policies.first { $0.id == id } }

    /// Unknown codes anywhere in the catalogue, one message each.
    public func problems(reference: ReferenceData) -> [String] {
        var found: [String] = []
        if Set(policies.map(\.id)).count != policies.count { found.append("duplicate policy id") }
        for p in policies {
            if category(code: p.categoryCode) == nil { found.append("\(p.id): unknown category \(p.categoryCode)") }
            for code in p.issuerCodes + p.ownerCodes where department(code: code) == nil {
                found.append("\(p.id): unknown department \(code)")
            }
            found += Self.ruleProblems(p.rule, reference).map { "\(p.id): \($0.english)" }
            if let problem = Self.jurisdictionProblem(level: p.level, jurisdiction: p.jurisdiction, reference) {
                found.append("\(p.id): \(problem.english)")
            }
        }
        return found
    }

    /// A central policy names no jurisdiction; a provincial one may name a province code and a
    /// municipal one a city (none: an instrument every province or city runs in its own way, which
    /// only an admin may edit).
    public static func jurisdictionProblem(level: PolicyLevel, jurisdiction: String?, _ ref: ReferenceData) -> Message?
    {
        guard let jurisdiction else { return nil }
        switch level {
        case .central: return Message("policy.central_no_jurisdiction")
        case .provincial:
            return ref.province(code: jurisdiction) == nil
                ? Message("policy.jurisdiction_province") : nil
        case .municipal:
            return ref.city(named: jurisdiction) == nil
                ? Message("policy.jurisdiction_city") : nil
        }
    }

    public static func ruleProblems(_ rule: EligibilityRule, _ ref: ReferenceData) -> [Message] {
        switch rule {
        case .all(let rules), .any(let rules):
            return rules.isEmpty ? [Message("rule.empty_group")] : rules.flatMap { ruleProblems($0, ref) }
        case .domain(let codes):
            return codes.filter { ref.domain(code: $0) == nil }.map { Message("rule.unknown_domain", ["value": $0]) }
        case .keyRegion(let codes):
            return codes.filter { ref.keyRegion(code: $0) == nil }.map {
                Message("rule.unknown_key_region", ["value": $0])
            }
        case .province(let codes):
            return codes.filter { ref.province(code: $0) == nil }.map {
                Message("rule.unknown_province", ["value": $0])
            }
        case .city(let names):
            return names.filter { ref.city(named: $0) == nil }.map { Message("rule.unknown_city", ["value": $0]) }
        case .tier, .region, .indicator: return []
        }
    }
}
