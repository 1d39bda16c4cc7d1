/// Where a published figure comes from.
public struct FigureSource: Hashable, Sendable {
    public let id: String
    public let titleZh: String
    public let titleEn: String
    public let publisher: String
    public let publishedOn: Day
    public let url: String?
    public let note: String?

    public init(
        id: String, titleZh: String, titleEn: String, publisher: String, publishedOn: Day,
        url: String?, note: String?
    ) {
        self.id = id
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.publisher = publisher
        self.publishedOn = publishedOn
        self.url = url
        self.note = note
    }
}

/// A figure an authority published, kept with its provenance.
public struct PublishedFigure: Hashable, Sendable {
    /// How the published value bounds the true one.
    public enum Qualifier: String, CaseIterable, Codable, Sendable {
        case exact
        /// "1,700余家": at least the value.
        case atLeast = "at_least"
        /// "超过": more than the value.
        case moreThan = "more_than"
    }

    public let id: String
    /// The registry metric this figure states (see `Statistics.metrics`), or nil when the
    /// registry holds nothing it could be derived from.
    public let metric: String?
    public let labelZh: String
    public let labelEn: String
    public let value: Double
    /// The value as published, where that differs from a plain number ("2/3", "1700余家").
    public let display: String?
    public let qualifier: Qualifier
    public let unit: String
    public let scope: String
    public let dataYear: Int?
    /// The day the figure describes; the registry is asked about that day.
    public let referenceDate: Day
    public let source: FigureSource
    public let note: String?

    public init(
        id: String, metric: String?, labelZh: String, labelEn: String, value: Double,
        display: String?, qualifier: Qualifier, unit: String, scope: String, dataYear: Int?,
        referenceDate: Day, source: FigureSource, note: String?
    ) {
        self.id = id
        self.metric = metric
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.value = value
        self.display = display
        self.qualifier = qualifier
        self.unit = unit
        self.scope = scope
        self.dataYear = dataYear
        self.referenceDate = referenceDate
        self.source = source
        self.note = note
    }

    /// Whether a derived value is consistent with this figure. Shares are compared to three
    /// decimal places, since they are published rounded ("2/3", "70%").
    public func accepts(_ derived: Double) -> Bool {
        let tolerance = unit == "share" ? 0.0005 : 1e-9
        switch qualifier {
        case .exact: return abs(derived - value) <= tolerance
        case .atLeast: return derived >= value - tolerance
        case .moreThan: return derived > value
        }
    }
}

/// A published figure side by side with what the registry derives.
public struct ReconciliationRow: Hashable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        case agrees, disagrees
        /// The registry holds nothing to derive the figure from.
        case notDerivable = "not_derivable"
    }

    public let figure: PublishedFigure
    public let derived: Double?
    public let outcome: Outcome
}

extension Registry {
    /// Checks each figure published on or before `publishedBy` (all, when nil) against the
    /// national-tier statistics on the figure's own reference date.
    public func reconcile(_ figures: [PublishedFigure], publishedBy: Day? = nil) -> [ReconciliationRow] {
        var cache: [Day: Statistics] = [:]
        return
            figures
            .filter { figure in publishedBy.map { figure.source.publishedOn <= $0 } ?? true }
            .map { figure in
                guard let metric = figure.metric else {
                    return ReconciliationRow(figure: figure, derived: nil, outcome: .notDerivable)
                }
                let stats = cache[figure.referenceDate] ?? statistics(asOf: figure.referenceDate)
                cache[figure.referenceDate] = stats
                guard let derived = stats.value(of: metric) else {
                    return ReconciliationRow(figure: figure, derived: nil, outcome: .notDerivable)
                }
                return ReconciliationRow(
                    figure: figure, derived: derived,
                    outcome: figure.accepts(derived) ? .agrees : .disagrees)
            }
    }
}
