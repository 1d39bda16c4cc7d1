import ClusterDomain
import Vapor

// Response bodies of the JSON API. Property names are camelCase here and snake_case on the wire
// (the API's encoder converts them).

struct NamedCode: Content {
    let code: String
    let nameZh: String
    let nameEn: String
}

struct CityDTO: Content {
    let nameZh: String
    let nameEn: String
    let provinceCode: String
    let planned: Bool
}

struct EventDTO: Content {
    let date: String
    let tier: String?
    let status: String
    let document: String?
    let note: String?

    init(_ event: TierEvent) {
        date = event.date.description
        tier = event.tier?.rawValue
        status = event.status.rawValue
        document = event.document
        note = event.note
    }
}

struct ClusterDTO: Content {
    let id: String
    let nameZh: String
    let nameEn: String
    let domain: NamedCode?
    let cities: [CityDTO]
    let provinces: [NamedCode]
    let crossProvince: Bool
    let region: String?
    let keyRegions: [String]
    let asOf: String
    let tier: String?
    let status: String?
    let batch: NamedCode?
    let designatedOn: String?
    let designationDocument: String?
    let history: [EventDTO]
    let confidence: String
    let sources: [String]
    let notes: String
    let promotionOrg: String?
    let retiredOn: String?
    /// Send it back with an update; a stale one gets 409.
    let version: Int
    let links: [String: String]

    init(_ cluster: Cluster, registry: Registry, asOf: Day) {
        let ref = registry.reference
        let state = cluster.state(asOf: asOf)
        id = cluster.id
        nameZh = cluster.nameZh
        nameEn = cluster.nameEn
        domain = ref.domain(code: cluster.domainCode).map {
            NamedCode(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn)
        }
        cities = cluster.cityNames.map { name in
            let city = ref.city(named: name)
            return CityDTO(
                nameZh: name, nameEn: city?.nameEn ?? name, provinceCode: city?.provinceCode ?? "",
                planned: city?.isPlanned ?? false)
        }
        provinces = cluster.provinceCodes.compactMap(ref.province(code:)).map {
            NamedCode(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn)
        }
        crossProvince = cluster.isCrossProvince
        region = registry.region(of: cluster)?.rawValue
        keyRegions = registry.keyRegions(of: cluster).map(\.code)
        self.asOf = asOf.iso
        tier = state?.tier?.rawValue
        status = state?.status.rawValue
        batch = ref.batch(code: cluster.batchCode).map {
            NamedCode(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn)
        }
        designatedOn = cluster.designatedOn?.description
        designationDocument = cluster.designationDocument
        history = cluster.history.map(EventDTO.init)
        confidence = cluster.confidence.rawValue
        sources = cluster.sources
        notes = cluster.notes
        promotionOrg = cluster.promotionOrg
        retiredOn = cluster.retiredOn?.iso
        version = cluster.version
        links = ["self": APIRoute.cluster(cluster.id).path]
    }
}

struct FacetCountDTO: Content {
    let value: String
    let count: Int
}

struct ClusterListDTO: Content {
    let asOf: String
    let total: Int
    let page: Int
    let perPage: Int
    let pages: Int
    let items: [ClusterDTO]
    let facets: [String: [FacetCountDTO]]
    let links: [String: String]
}

struct KeyRegionCounts: Content {
    let total: Int
    let share: Double
    let byCode: [String: Int]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(total: Int, share: Double, byCode: [String: Int]) {
        self.total = total
        self.share = share
        self.byCode = byCode
    }

    /// Flat on the wire: `{"total": 30, "share": 0.667, "jing_jin_ji": 2, …}`.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(total, forKey: Key(stringValue: "total"))
        try c.encode(share, forKey: Key(stringValue: "share"))
        for (code, count) in byCode { try c.encode(count, forKey: Key(stringValue: code)) }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        total = try c.decode(Int.self, forKey: Key(stringValue: "total"))
        share = try c.decode(Double.self, forKey: Key(stringValue: "share"))
        var codes: [String: Int] = [:]
        for key in c.allKeys where key.stringValue != "total" && key.stringValue != "share" {
            codes[key.stringValue] = try c.decode(Int.self, forKey: key)
        }
        byCode = codes
    }
}

struct StatsDTO: Content {
    let asOf: String
    let tier: String
    let clusters: Int
    let provinces: Int
    let provinceCodes: [String]
    let plannedCities: Int
    let plannedCityNames: [String]
    let byRegion: [String: Int]
    let keyRegions: KeyRegionCounts
    let byDomain: [String: Int]
    let byProvince: [String: Int]
    let crossProvince: Int
    let byBatch: [String: Int]

    init(_ s: Statistics) {
        asOf = s.asOf.iso
        tier = s.tier.rawValue
        clusters = s.clusters
        provinces = s.provinces
        provinceCodes = s.provinceCodes
        plannedCities = s.plannedCities
        plannedCityNames = s.plannedCityNames
        byRegion = Dictionary(uniqueKeysWithValues: s.byRegion.map { ($0.key.rawValue, $0.value) })
        keyRegions = KeyRegionCounts(
            total: s.keyRegionsTotal, share: (s.keyRegionsShare * 10000).rounded() / 10000,
            byCode: s.byKeyRegion)
        byDomain = s.byDomain
        byProvince = s.byProvince
        crossProvince = s.crossProvince
        byBatch = s.byBatch
    }
}

struct SourceDTO: Content {
    let id: String
    let titleZh: String
    let titleEn: String
    let publisher: String
    let publishedOn: String
    let url: String?
    let note: String?
}

struct FigureDTO: Content {
    let id: String
    let metric: String?
    let derivable: Bool
    let labelZh: String
    let labelEn: String
    let value: Double
    let display: String?
    let qualifier: String
    let unit: String
    let scope: String
    let dataYear: Int?
    let referenceDate: String
    let source: SourceDTO
    let note: String?

    init(_ f: PublishedFigure, derivable: Bool) {
        id = f.id
        metric = f.metric
        self.derivable = derivable
        labelZh = f.labelZh
        labelEn = f.labelEn
        value = f.value
        display = f.display
        qualifier = f.qualifier.rawValue
        unit = f.unit
        scope = f.scope
        dataYear = f.dataYear
        referenceDate = f.referenceDate.iso
        source = SourceDTO(
            id: f.source.id, titleZh: f.source.titleZh, titleEn: f.source.titleEn,
            publisher: f.source.publisher, publishedOn: f.source.publishedOn.iso,
            url: f.source.url, note: f.source.note)
        note = f.note
    }
}

struct ReconciliationRowDTO: Content {
    let figure: FigureDTO
    let published: Double
    let derived: Double?
    let outcome: String
}

struct ReconciliationDTO: Content {
    let asOf: String?
    let agrees: Int
    let disagrees: Int
    let notDerivable: Int
    let rows: [ReconciliationRowDTO]

    init(asOf: Day?, rows: [ReconciliationRow]) {
        self.asOf = asOf?.iso
        agrees = rows.filter { $0.outcome == .agrees }.count
        disagrees = rows.filter { $0.outcome == .disagrees }.count
        notDerivable = rows.filter { $0.outcome == .notDerivable }.count
        self.rows = rows.map {
            ReconciliationRowDTO(
                figure: FigureDTO($0.figure, derivable: $0.outcome != .notDerivable),
                published: $0.figure.value, derived: $0.derived, outcome: $0.outcome.rawValue)
        }
    }
}

struct ProvinceDTO: Content {
    let code: String
    let shortNameZh: String
    let nameZh: String
    let nameEn: String
    let region: String
    let keyRegions: [String]
    /// National clusters with a member in this province on `as_of`.
    let clusters: Int
    /// Of those, clusters wholly within this province.
    let singleProvinceClusters: Int
}

struct DomainDTO: Content {
    let code: String
    let nameZh: String
    let nameEn: String
    let clusters: Int
}

struct KeyRegionDTO: Content {
    let code: String
    let nameZh: String
    let nameEn: String
    let provinceCodes: [String]
    let cities: [String]
    let note: String
    let clusters: Int
}

struct HealthDTO: Content {
    let status: String
    let database: String
}
