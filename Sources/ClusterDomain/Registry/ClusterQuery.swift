import Foundation

/// A bad query parameter: which one, why, and what it accepts.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    public let parameter: String
    public let reason: String
    public let allowed: [String]?

    public init(parameter: String, reason: String, allowed: [String]? = nil) {
        self.parameter = parameter
        self.reason = reason
        self.allowed = allowed
    }

    public var description: String {
        var text = "parameter '\(parameter)': \(reason)"
        if let allowed { text += "; allowed: \(allowed.joined(separator: ", "))" }
        return text
    }
}

/// What can be counted per value over a list of clusters.
public enum Facet: String, CaseIterable, Sendable {
    case tier, status, domain, region
    case keyRegion = "key_region"
    case province, batch
}

/// A list request: filters, order, page and facets, already validated.
public struct ClusterQuery: Equatable, Sendable {
    public enum SortKey: String, CaseIterable, Sendable {
        case id
        case nameZh = "name_zh"
        case nameEn = "name_en"
        case designatedOn = "designated_on"
        case domain, region, batch
    }

    public static let defaultPerPage = 50
    public static let maxPerPage = 200
    public static let maxSearchLength = 100
    /// Every parameter the list accepts.
    public static let parameters = [
        "tier", "domain", "region", "key_region", "province", "batch", "as_of", "q",
        "sort", "page", "per_page", "facet", "format",
    ]

    public var asOf: Day
    public var tier: Tier?
    public var domain: String?
    public var region: Region?
    public var keyRegion: String?
    public var province: String?
    public var batch: String?
    public var search: String?
    public var sort: SortKey = .id
    public var descending = false
    public var page = 1
    public var perPage = ClusterQuery.defaultPerPage
    public var facets: [Facet] = []

    public init(asOf: Day) { self.asOf = asOf }

    /// Reads query parameters. Unknown parameters and values are errors that name the parameter
    /// and list what it accepts.
    public static func parse(_ params: [String: String], reference: ReferenceData, today: Day) throws(QueryError)
        -> ClusterQuery
    {
        for key in params.keys.sorted() where !parameters.contains(key) {
            throw QueryError(parameter: key, reason: "unknown parameter", allowed: parameters)
        }
        func value(_ name: String) -> String? {
            guard let v = params[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        var query = ClusterQuery(asOf: try parseAsOf(value("as_of"), today: today))
        if let v = value("tier") {
            guard let tier = Tier(rawValue: v) else {
                throw QueryError(
                    parameter: "tier", reason: "unknown tier '\(v)'", allowed: Tier.allCases.map(\.rawValue))
            }
            query.tier = tier
        }
        query.domain = try member(value("domain"), "domain", reference.domains.map(\.code))
        if let v = value("region") {
            guard let region = Region(rawValue: v) else {
                throw QueryError(
                    parameter: "region", reason: "unknown region '\(v)'",
                    allowed: Region.allCases.map(\.rawValue))
            }
            query.region = region
        }
        query.keyRegion = try member(value("key_region"), "key_region", reference.keyRegions.map(\.code))
        query.province = try member(value("province"), "province", reference.provinces.map(\.code))
        query.batch = try member(value("batch"), "batch", reference.batches.map(\.code))
        if let v = value("q") {
            guard v.count <= maxSearchLength else {
                throw QueryError(parameter: "q", reason: "longer than \(maxSearchLength) characters")
            }
            query.search = v
        }
        try query.readListing(value)
        return query
    }

    /// The listing parameters: sort, page, page size and facets.
    mutating func readListing(_ value: (String) -> String?) throws(QueryError) {
        if let v = value("sort") {
            let descending = v.hasPrefix("-")
            guard let key = SortKey(rawValue: descending ? String(v.dropFirst()) : v) else {
                throw QueryError(
                    parameter: "sort", reason: "unknown sort key '\(v)'",
                    allowed: SortKey.allCases.flatMap { [$0.rawValue, "-" + $0.rawValue] })
            }
            self.sort = key
            self.descending = descending
        }
        if let v = value("page") {
            guard let page = Int(v), page >= 1, page <= 1_000_000 else {
                throw QueryError(parameter: "page", reason: "must be a whole number from 1 to 1000000")
            }
            self.page = page
        }
        if let v = value("per_page") {
            guard let size = Int(v), size >= 1, size <= Self.maxPerPage else {
                throw QueryError(parameter: "per_page", reason: "must be a whole number from 1 to \(Self.maxPerPage)")
            }
            self.perPage = size
        }
        if let v = value("facet") {
            var facets: [Facet] = []
            for name in v.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let facet = Facet(rawValue: name) else {
                    throw QueryError(
                        parameter: "facet", reason: "unknown facet '\(name)'",
                        allowed: Facet.allCases.map(\.rawValue))
                }
                if !facets.contains(facet) { facets.append(facet) }
            }
            self.facets = facets
        }
    }

    /// `as_of` as a day; today when absent.
    public static func parseAsOf(_ text: String?, today: Day) throws(QueryError) -> Day {
        guard let text, !text.isEmpty else { return today }
        guard let day = Day(text), day.precision == .day else {
            throw QueryError(parameter: "as_of", reason: "'\(text)' is not a date in the form YYYY-MM-DD")
        }
        return day
    }

    static func member(_ value: String?, _ name: String, _ allowed: [String]) throws(QueryError) -> String? {
        guard let value else { return nil }
        guard allowed.contains(value) else {
            throw QueryError(parameter: name, reason: "unknown \(name) '\(value)'", allowed: allowed)
        }
        return value
    }
}

/// A cluster as a list shows it on a given day: its state then and where it lies.
public struct ClusterRow: Sendable {
    public let cluster: Cluster
    public let state: TierEvent
    public let region: Region?
    public let keyRegions: [KeyRegion]
}

public struct ClusterPage: Sendable {
    public struct Count: Equatable, Sendable {
        public let value: String
        public let count: Int
    }

    public let total: Int
    public let rows: [ClusterRow]
    public let facets: [(facet: Facet, counts: [Count])]
    /// When the search as typed found nothing and a term one edit away did: the search shown instead.
    public var correctedSearch: String?
}

extension Registry {
    /// Every cluster that existed on `day`, with its state then.
    public func rows(asOf day: Day) -> [ClusterRow] {
        clusters.compactMap { cluster in
            guard let state = cluster.state(asOf: day) else { return nil }
            return ClusterRow(
                cluster: cluster, state: state, region: region(of: cluster),
                keyRegions: keyRegions(of: cluster))
        }
    }

    /// The clusters a query selects. `search` says how the search text is matched (pinyin needs the
    /// readings); with `correcting`, a search that finds nothing is tried again with its terms
    /// corrected by one edit, and the page says so (`correctedSearch`).
    public func run(_ query: ClusterQuery, search: ClusterSearch = ClusterSearch(), correcting: Bool = false)
        -> ClusterPage
    {
        var page = run(query, search: search)
        if correcting, page.total == 0, let text = query.search {
            let all = clusters.map { ClusterSearch.texts($0, reference) }
            if let fixed = search.corrected(ClusterSearch.terms(text), texts: all) {
                var retry = query
                retry.search = fixed.joined(separator: " ")
                page = run(retry, search: search)
                page.correctedSearch = retry.search
            }
        }
        return page
    }

    func run(_ query: ClusterQuery, search: ClusterSearch) -> ClusterPage {
        let terms = query.search.map(ClusterSearch.terms) ?? []
        let matching = rows(asOf: query.asOf).filter { row in
            if let tier = query.tier, row.state.tier != tier { return false }
            if let domain = query.domain, row.cluster.domainCode != domain { return false }
            if let region = query.region, row.region != region { return false }
            if let key = query.keyRegion, !row.keyRegions.contains(where: { $0.code == key }) { return false }
            if let province = query.province, !row.cluster.provinceCodes.contains(province) { return false }
            if let batch = query.batch, row.cluster.batchCode != batch { return false }
            if !terms.isEmpty, !search.matches(ClusterSearch.texts(row.cluster, reference), terms: terms) {
                return false
            }
            return true
        }
        let sorted = matching.sorted { a, b in
            let (x, y) = (sortKey(a, query.sort), sortKey(b, query.sort))
            if x != y { return query.descending ? x > y : x < y }
            return a.cluster.id < b.cluster.id
        }
        let start = min((query.page - 1) * query.perPage, sorted.count)
        let end = min(start + query.perPage, sorted.count)
        let facets = query.facets.map { facet in (facet: facet, counts: counts(of: facet, over: matching)) }
        return ClusterPage(
            total: matching.count, rows: Array(sorted[start..<end]), facets: facets, correctedSearch: nil)
    }

    /// Values of a facet with how many of the rows carry each, most first. A cluster in several
    /// provinces counts once under each.
    public func counts(of facet: Facet, over rows: [ClusterRow]) -> [ClusterPage.Count] {
        var tally: [String: Int] = [:]
        for row in rows {
            for value in values(of: facet, row) { tally[value, default: 0] += 1 }
        }
        return tally.map { ClusterPage.Count(value: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }

    func values(of facet: Facet, _ row: ClusterRow) -> [String] {
        switch facet {
        case .tier: [row.state.tier?.rawValue ?? "none"]
        case .status: [row.state.status.rawValue]
        case .domain: [row.cluster.domainCode]
        case .region: row.region.map { [$0.rawValue] } ?? []
        case .keyRegion: row.keyRegions.map(\.code)
        case .province: Array(Set(row.cluster.provinceCodes)).sorted()
        case .batch: [row.cluster.batchCode]
        }
    }

    func sortKey(_ row: ClusterRow, _ key: ClusterQuery.SortKey) -> String {
        switch key {
        case .id: row.cluster.id
        case .nameZh: row.cluster.nameZh
        case .nameEn: row.cluster.nameEn.lowercased()
        case .designatedOn: row.cluster.designatedOn?.iso ?? "9999"
        case .domain: row.cluster.domainCode
        case .region: row.region?.rawValue ?? ""
        case .batch: row.cluster.batchCode
        }
    }
}
