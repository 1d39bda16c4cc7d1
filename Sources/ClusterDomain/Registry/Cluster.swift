/// The tiers of the cultivation system: provincial → national → world-class.
public enum Tier: String, CaseIterable, Codable, Sendable {
    case provincial
    case national
    case worldClass = "world_class"
}

/// Where a cluster stands within (or on the way to) a tier.
public enum Status: String, CaseIterable, Codable, Sendable {
    /// Named a winner of a competition round, not yet designated.
    case winner
    /// Designated and in good standing.
    case active
    /// Designated, under warning after monitoring.
    case warned
    /// Removed from the tier.
    case exited
}

/// One dated step in a cluster's history.
public struct TierEvent: Hashable, Sendable {
    public let date: Day
    public let tier: Tier?
    public let status: Status
    public let document: String?
    public let note: String?

    public init(date: Day, tier: Tier?, status: Status, document: String?, note: String?) {
        self.date = date
        self.tier = tier
        self.status = status
        self.document = document
        self.note = note
    }
}

/// How well the sources support a cluster's row.
public enum Confidence: String, CaseIterable, Codable, Sendable {
    case high, medium, low
}

/// A cluster as the registry holds it.
public struct Cluster: Hashable, Sendable {
    public let id: String
    public var nameZh: String
    public var nameEn: String
    public var domainCode: String
    /// Member cities in the order the designation gives them; the first leads.
    public var cityNames: [String]
    /// Member provinces, in order. May name a province none of whose cities is listed
    /// (the Beijing–Tianjin–Hebei life-and-health cluster lists Hebei without a city).
    public var provinceCodes: [String]
    /// The batch of the example clusters `ladder seed --examples` loads; the statistics leave them out.
    public static let exampleBatch = "example"
    public var isExample: Bool { batchCode == Self.exampleBatch }
    public var batchCode: String
    public var confidence: Confidence
    public var sources: [String]
    public var notes: String
    /// Dated steps, oldest first.
    public var history: [TierEvent]
    /// The cluster's promotion organisation (集群发展促进组织), where known.
    public var promotionOrg: String?
    /// The day the record was withdrawn from the registry; from then on it is in no list or figure.
    public var retiredOn: Day?
    /// Bumped on every change; an update naming an older version is refused.
    public var version: Int

    public init(
        id: String, nameZh: String, nameEn: String, domainCode: String, cityNames: [String],
        provinceCodes: [String], batchCode: String, confidence: Confidence, sources: [String],
        notes: String, history: [TierEvent], promotionOrg: String? = nil, retiredOn: Day? = nil,
        version: Int = 1
    ) {
        self.version = version
        self.promotionOrg = promotionOrg
        self.retiredOn = retiredOn
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.domainCode = domainCode
        self.cityNames = cityNames
        self.provinceCodes = provinceCodes
        self.batchCode = batchCode
        self.confidence = confidence
        self.sources = sources
        self.notes = notes
        self.history = history.sorted { $0.date < $1.date }
    }

    /// The latest step on or before `day`, or nil when the cluster did not yet exist.
    public func state(asOf day: Day) -> TierEvent? {
        if let retiredOn, retiredOn <= day { return nil }
        return history.last { $0.date <= day }
    }

    /// The date on which the cluster first held national tier.
    public var designatedOn: Day? {
        history.first { $0.tier == .national && $0.status != .exited }?.date
    }

    /// The document that made the cluster national.
    public var designationDocument: String? {
        history.first { $0.tier == .national && $0.status != .exited }?.document
    }

    public var isCrossProvince: Bool { Set(provinceCodes).count > 1 }
}
