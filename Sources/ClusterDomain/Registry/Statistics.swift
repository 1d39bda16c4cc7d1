/// The programme's figures as the registry derives them for one tier on one day.
public struct Statistics: Equatable, Sendable {
    public let asOf: Day
    public let tier: Tier
    public let clusters: Int
    /// Every member province of every counted cluster, by code.
    public let provinceCodes: [String]
    /// Member cities that are cities specifically designated in the state plan.
    public let plannedCityNames: [String]
    public let byRegion: [Region: Int]
    /// Clusters whose member cities all lie in one of the key regions.
    public let keyRegionsTotal: Int
    public let byKeyRegion: [String: Int]
    public let byDomain: [String: Int]
    /// Clusters within one province, by code. Cross-province clusters are tallied apart.
    public let byProvince: [String: Int]
    public let crossProvince: Int
    public let byBatch: [String: Int]

    public var provinces: Int { provinceCodes.count }
    public var plannedCities: Int { plannedCityNames.count }
    public var keyRegionsShare: Double { clusters == 0 ? 0 : Double(keyRegionsTotal) / Double(clusters) }

    /// Names of the figures this type can derive, as used by published figures' `metric`.
    public static func metrics(reference: ReferenceData) -> [String] {
        ["clusters", "provinces", "planned_cities", "key_regions.total", "key_regions.share"]
            + Region.allCases.map { "region.\($0.rawValue)" }
            + reference.keyRegions.map { "key_regions.\($0.code)" }
            + reference.domains.map { "domain.\($0.code)" }
    }

    /// The value of a named metric, or nil when the name is not one this type derives.
    public func value(of metric: String) -> Double? {
        switch metric {
        case "clusters": return Double(clusters)
        case "provinces": return Double(provinces)
        case "planned_cities": return Double(plannedCities)
        case "key_regions.total": return Double(keyRegionsTotal)
        case "key_regions.share": return keyRegionsShare
        default: break
        }
        let parts = metric.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "region": return Region(rawValue: parts[1]).flatMap { byRegion[$0] }.map(Double.init)
        case "key_regions": return byKeyRegion[parts[1]].map(Double.init)
        case "domain": return byDomain[parts[1]].map(Double.init)
        default: return nil
        }
    }
}

extension Registry {
    public func statistics(asOf day: Day, tier: Tier = .national) -> Statistics {
        // Example clusters (`ladder seed --examples`) are never counted.
        let counted = clusters(in: tier, asOf: day).filter { !$0.isExample }
        var provinces = Set<String>()
        var planned = Set<String>()
        var byRegion = Dictionary(uniqueKeysWithValues: Region.allCases.map { ($0, 0) })
        var byKeyRegion = Dictionary(uniqueKeysWithValues: reference.keyRegions.map { ($0.code, 0) })
        var byDomain = Dictionary(uniqueKeysWithValues: reference.domains.map { ($0.code, 0) })
        var byBatch: [String: Int] = [:]
        var byProvince: [String: Int] = [:]
        var keyTotal = 0
        var cross = 0
        for cluster in counted {
            provinces.formUnion(cluster.provinceCodes)
            planned.formUnion(plannedCities(of: cluster).map(\.nameZh))
            if let region = region(of: cluster) { byRegion[region, default: 0] += 1 }
            let keys = keyRegions(of: cluster)
            if !keys.isEmpty { keyTotal += 1 }
            for key in keys { byKeyRegion[key.code, default: 0] += 1 }
            byDomain[cluster.domainCode, default: 0] += 1
            if !cluster.batchCode.isEmpty { byBatch[cluster.batchCode, default: 0] += 1 }
            if cluster.isCrossProvince {
                cross += 1
            } else if let only = cluster.provinceCodes.first {
                byProvince[only, default: 0] += 1
            }
        }
        return Statistics(
            asOf: day, tier: tier, clusters: counted.count,
            provinceCodes: provinces.sorted(), plannedCityNames: planned.sorted(),
            byRegion: byRegion, keyRegionsTotal: keyTotal, byKeyRegion: byKeyRegion,
            byDomain: byDomain, byProvince: byProvince, crossProvince: cross, byBatch: byBatch)
    }
}

extension Registry {
    /// National clusters at the end of each year from `first` (the current year as of `day`), those
    /// with a member in `province` when one is given; the example clusters are left out.
    public func nationalTrend(from first: Int = 2019, asOf day: Day, province: String? = nil) -> [(
        year: Int, count: Int
    )] {
        guard first <= day.year else { return [] }
        return (first...day.year).map { year in
            let end = year == day.year ? day : Day(year: year, month: 12, day: 31) ?? day
            let count = clusters(in: .national, asOf: end).filter { c in
                !c.isExample && (province.map { c.provinceCodes.contains($0) } ?? true)
            }.count
            return (year, count)
        }
    }
}
