import Foundation

/// An eligibility rule built from form fields, as people choose it: tiers, domains, regions and key
/// regions ticked, provinces and cities named, an indicator threshold, all or any of them. The JSON
/// form stays for rules these fields cannot express (nested groups).
public struct RuleFields: Equatable, Sendable {
    /// `all` or `any`.
    public var join: String = "all"
    public var tiers: [String] = []
    public var domains: [String] = []
    public var regions: [String] = []
    public var keyRegions: [String] = []
    /// Province names or codes, separated by spaces, commas or 、.
    public var provinces: String = ""
    public var cities: String = ""
    public var indicator: String = ""
    /// The threshold as typed (960亿, 0.03, 3%).
    public var atLeast: String = ""

    public init() {}

    /// Whether anything is chosen.
    public var isEmpty: Bool {
        tiers.isEmpty && domains.isEmpty && regions.isEmpty && keyRegions.isEmpty
            && Self.names(provinces).isEmpty && Self.names(cities).isEmpty && indicator.isEmpty
    }

    static func names(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0.isWhitespace }).map(String.init)
    }

    /// The rule, or the message naming what does not read; nil when nothing is chosen.
    public func rule(reference: ReferenceData, indicators: [String]) -> Result<EligibilityRule?, Message> {
        guard !isEmpty else { return .success(nil) }
        var parts: [EligibilityRule] = []
        let tierValues = tiers.compactMap(Tier.init(rawValue:))
        if tierValues.count != tiers.count { return .failure(Message("rule.unknown_value")) }
        if !tierValues.isEmpty { parts.append(.tier(tierValues)) }
        if domains.contains(where: { reference.domain(code: $0) == nil }) {
            return .failure(Message("rule.unknown_value"))
        }
        if !domains.isEmpty { parts.append(.domain(domains)) }
        let regionValues = regions.compactMap(Region.init(rawValue:))
        if regionValues.count != regions.count { return .failure(Message("rule.unknown_value")) }
        if !regionValues.isEmpty { parts.append(.region(regionValues)) }
        if keyRegions.contains(where: { reference.keyRegion(code: $0) == nil }) {
            return .failure(Message("rule.unknown_value"))
        }
        if !keyRegions.isEmpty { parts.append(.keyRegion(keyRegions)) }
        var provinceCodes: [String] = []
        for name in Self.names(provinces) {
            guard let code = reference.province(named: name)?.code else {
                return .failure(Message("rule.unknown_province", ["value": String(name.prefix(20))]))
            }
            provinceCodes.append(code)
        }
        if !provinceCodes.isEmpty { parts.append(.province(provinceCodes)) }
        let cityNames = Self.names(cities)
        if let unknown = cityNames.first(where: { reference.city(named: $0) == nil }) {
            return .failure(Message("rule.unknown_city", ["value": String(unknown.prefix(20))]))
        }
        if !cityNames.isEmpty { parts.append(.city(cityNames)) }
        if !indicator.isEmpty {
            guard indicators.contains(indicator) else { return .failure(Message("rule.unknown_value")) }
            guard let threshold = TypedNumber.parse(atLeast, percent: true) else {
                return .failure(Message("rule.threshold"))
            }
            parts.append(.indicator(name: indicator, atLeast: threshold))
        }
        if parts.count == 1 { return .success(parts[0]) }
        return .success(join == "any" ? .any(parts) : .all(parts))
    }

    /// The fields of a rule they can express (one condition, or all / any of conditions of different
    /// kinds); nil for a rule only the JSON form can hold.
    public init?(_ rule: EligibilityRule, reference: ReferenceData) {
        let leaves: [EligibilityRule]
        switch rule {
        case .all(let rules): leaves = rules
        case .any(let rules):
            leaves = rules
            join = "any"
        default: leaves = [rule]
        }
        for leaf in leaves {
            switch leaf {
            case .tier(let t) where tiers.isEmpty: tiers = t.map(\.rawValue)
            case .domain(let d) where domains.isEmpty: domains = d
            case .region(let r) where regions.isEmpty: regions = r.map(\.rawValue)
            case .keyRegion(let k) where keyRegions.isEmpty: keyRegions = k
            case .province(let p) where provinces.isEmpty:
                provinces = p.map { reference.province(code: $0)?.shortNameZh ?? $0 }.joined(separator: "、")
            case .city(let c) where cities.isEmpty: cities = c.joined(separator: "、")
            case .indicator(let name, let value) where indicator.isEmpty:
                indicator = name
                atLeast = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            default: return nil
            }
        }
    }
}
