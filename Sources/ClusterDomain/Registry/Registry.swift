/// The registry: reference data and clusters, with the rules that place a cluster.
public struct Registry: Sendable {
    public let reference: ReferenceData
    public let clusters: [Cluster]

    public init(reference: ReferenceData, clusters: [Cluster]) {
        self.reference = reference
        self.clusters = clusters
    }

    /// The region of the province of the first member city (or, with no city, the first province).
    public func region(of cluster: Cluster) -> Region? {
        if let first = cluster.cityNames.first, let city = reference.city(named: first) {
            return reference.province(code: city.provinceCode)?.region
        }
        return cluster.provinceCodes.first.flatMap { reference.province(code: $0)?.region }
    }

    /// The key regions that hold every member city of the cluster.
    public func keyRegions(of cluster: Cluster) -> [KeyRegion] {
        let cities = cluster.cityNames.compactMap(reference.city(named:))
        guard !cities.isEmpty, cities.count == cluster.cityNames.count else { return [] }
        return reference.keyRegions.filter { region in cities.allSatisfy(region.contains) }
    }

    public func plannedCities(of cluster: Cluster) -> [City] {
        cluster.cityNames.compactMap(reference.city(named:)).filter(\.isPlanned)
    }

    /// Clusters that hold `tier` (and have not exited) on `day`.
    public func clusters(in tier: Tier, asOf day: Day) -> [Cluster] {
        clusters.filter { cluster in
            guard let state = cluster.state(asOf: day) else { return false }
            return state.tier == tier && state.status != .exited
        }
    }

    /// Checks that every cluster names known cities, provinces, domain and batch, and that each
    /// member city lies in a member province. Returns one message per problem.
    public func problems() -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        for cluster in clusters {
            if !seen.insert(cluster.id).inserted { found.append("\(cluster.id): duplicate id") }
            if reference.domain(code: cluster.domainCode) == nil {
                found.append("\(cluster.id): unknown domain \(cluster.domainCode)")
            }
            if !cluster.batchCode.isEmpty, !cluster.isExample, reference.batch(code: cluster.batchCode) == nil {
                found.append("\(cluster.id): unknown batch \(cluster.batchCode)")
            }
            if cluster.cityNames.isEmpty { found.append("\(cluster.id): no member city") }
            for code in cluster.provinceCodes where reference.province(code: code) == nil {
                found.append("\(cluster.id): unknown province \(code)")
            }
            for name in cluster.cityNames {
                guard let city = reference.city(named: name) else {
                    found.append("\(cluster.id): unknown city \(name)")
                    continue
                }
                if !cluster.provinceCodes.contains(city.provinceCode) {
                    found.append("\(cluster.id): city \(name) lies outside the member provinces")
                }
            }
        }
        return found
    }
}
