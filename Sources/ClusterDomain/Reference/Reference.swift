import Foundation

/// The four-region class used in MIIT's statistics.
public enum Region: String, CaseIterable, Codable, Sendable {
    case east, central, west, northeast

    public var nameZh: String {
        switch self {
        case .east: "东部"
        case .central: "中部"
        case .west: "西部"
        case .northeast: "东北"
        }
    }

    public var nameEn: String {
        switch self {
        case .east: "East"
        case .central: "Central"
        case .west: "West"
        case .northeast: "Northeast"
        }
    }
}

/// A mainland provincial-level division, keyed by its two-digit GB/T 2260 code.
public struct Province: Hashable, Sendable {
    public let code: String
    /// The ISO 3166-2:CN subdivision code without the country prefix (GD for Guangdong).
    public let iso: String
    public let shortNameZh: String
    public let nameZh: String
    public let nameEn: String
    public let region: Region
}

/// A city (or prefecture) that a cluster names, or that a key region lists.
public struct City: Hashable, Sendable {
    public let nameZh: String
    public let nameEn: String
    public let provinceCode: String
    /// One of the five cities specifically designated in the state plan (计划单列市).
    public let isPlanned: Bool
}

/// One of the four key regions. A member is a whole province or a listed city.
public struct KeyRegion: Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let provinceCodes: [String]
    public let cityNames: [String]
    public let note: String

    public func contains(_ city: City) -> Bool {
        provinceCodes.contains(city.provinceCode) || cityNames.contains(city.nameZh)
    }
}

/// One of the six competition domains.
public struct Domain: Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
}

/// A competition batch: when its winners were named and when they became national clusters.
public struct Batch: Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let namedOn: Day?
    public let namingEvent: String?
    public let designatedOn: Day
    public let designationDocument: String
    public let note: String
}

/// Errors in the project's own data files. They stop the start with the file and the row.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let reason: String
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
    public var description: String { "\(file): \(reason)" }
}

/// The reference tables: provinces, cities, key regions, domains and batches.
public struct ReferenceData: Sendable {
    public let provinces: [Province]
    public let cities: [City]
    public let keyRegions: [KeyRegion]
    public let domains: [Domain]
    public let batches: [Batch]

    private let provinceByCode: [String: Province]
    private let provinceByShortName: [String: Province]
    private let cityByName: [String: City]
    private let domainByCode: [String: Domain]
    private let domainByName: [String: Domain]
    private let batchByCode: [String: Batch]

    public init(
        provinces: [Province], cities: [City], keyRegions: [KeyRegion],
        domains: [Domain], batches: [Batch]
    ) throws(DataError) {
        func unique<K: Hashable, V>(_ items: [V], _ key: (V) -> K, _ file: String) throws(DataError) -> [K: V] {
            var map: [K: V] = [:]
            for item in items {
                let k = key(item)
                guard map[k] == nil else { throw DataError(file: file, reason: "duplicate key \(k)") }
                map[k] = item
            }
            return map
        }
        self.provinces = provinces
        self.cities = cities
        self.keyRegions = keyRegions
        self.domains = domains
        self.batches = batches
        provinceByCode = try unique(provinces, \.code, "provinces.csv")
        provinceByShortName = try unique(provinces, \.shortNameZh, "provinces.csv")
        cityByName = try unique(cities, \.nameZh, "cities.csv")
        domainByCode = try unique(domains, \.code, "domains.csv")
        domainByName = try unique(domains, \.nameZh, "domains.csv")
        batchByCode = try unique(batches, \.code, "batches.csv")
        _ = try unique(keyRegions, \.code, "key-regions.json")
        for city in cities where provinceByCode[city.provinceCode] == nil {
            throw DataError(file: "cities.csv", reason: "\(city.nameZh): unknown province \(city.provinceCode)")
        }
        for region in keyRegions {
            for code in region.provinceCodes where provinceByCode[code] == nil {
                throw DataError(file: "key-regions.json", reason: "\(region.code): unknown province \(code)")
            }
            for name in region.cityNames where cityByName[name] == nil {
                throw DataError(file: "key-regions.json", reason: "\(region.code): unknown city \(name)")
            }
        }
    }

    public func province(code: String) -> Province? { provinceByCode[code] }
    public func province(shortName: String) -> Province? { provinceByShortName[shortName] }
    /// A province as people write it: its code (32), short name (江苏) or full name (江苏省).
    public func province(named text: String) -> Province? {
        province(code: text) ?? province(shortName: text) ?? provinces.first { $0.nameZh == text }
    }
    public func city(named name: String) -> City? { cityByName[name] }
    public func domain(code: String) -> Domain? { domainByCode[code] }
    public func domain(nameZh: String) -> Domain? { domainByName[nameZh] }
    public func batch(code: String) -> Batch? { batchByCode[code] }
    public func keyRegion(code: String) -> KeyRegion? { keyRegions.first { $0.code == code } }
    public var plannedCities: [City] { cities.filter(\.isPlanned) }
}
