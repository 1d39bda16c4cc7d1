import ClusterDomain

/// A registry cluster a text names.
public struct ClusterMention: Codable, Hashable, Sendable {
    public enum Match: String, Codable, Sendable {
        case exact
        /// The name without the 市/省 of its place ("深圳新一代信息通信集群").
        case abbreviation
        /// A phrase ending in 集群 that resembles the name.
        case close
    }

    public let id: String
    public let nameZh: String
    public let text: String
    public let offset: Int
    public let match: Match
    /// 1 for an exact name; otherwise the similarity of the phrase to the name (0–1).
    public let score: Double
}

/// A province or city a text names.
public struct PlaceMention: Codable, Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let text: String
    public let offset: Int
    public let count: Int
}

/// One extracted figure checked against the registry and the published figures.
public struct FigureCheck: Codable, Hashable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        case agrees, disagrees, unknown
    }

    public struct Comparison: Codable, Hashable, Sendable {
        /// `registry` (derived from the clusters as of `asOf`) or `published` (a published figure).
        public let against: String
        public let reference: String
        public let label: String
        public let value: Double
        public let asOf: String
        public let outcome: Outcome
    }

    public let figure: String
    public let subject: String?
    public let value: Double
    public let outcome: Outcome
    public let comparisons: [Comparison]
    public let reason: String
}

/// Everything intake learns from one document.
public struct IntakeReport: Codable, Sendable {
    public let text: String
    public let headline: String?
    public let repairs: [Repair]
    public let figures: [ExtractedFigure]
    public let dates: [ExtractedDate]
    public let clusters: [ClusterMention]
    public let provinces: [PlaceMention]
    public let cities: [PlaceMention]
    /// The day the figures are checked for: the latest full date the text states, else the caller's.
    public let asOf: String
    public let reconciliation: [FigureCheck]
    /// How the input bytes were decoded, when they came as bytes.
    public var encoding: TextDecoding.Encoding?
}

/// Repairs a document, extracts what it states and checks it against the registry.
public struct DocumentIntake: Sendable {
    public let registry: Registry
    public let published: [PublishedFigure]
    public let pipeline: RepairPipeline

    public init(registry: Registry, published: [PublishedFigure], data: IntakeData = .shared) {
        self.registry = registry
        self.published = published
        var names = Set<String>()
        for cluster in registry.clusters { names.insert(cluster.nameZh) }
        for province in registry.reference.provinces { names.insert(province.nameZh) }
        for city in registry.reference.cities { names.insert(city.nameZh) }
        pipeline = RepairPipeline(data: data, extraLexicon: names)
    }

    public func process(_ input: String, today: Day) -> IntakeReport {
        let repaired = pipeline.repair(input)
        return report(repaired, today: today)
    }

    public func report(_ repaired: RepairResult, today: Day) -> IntakeReport {
        let (figures, dates) = FigureExtractor().figures(in: repaired.text)
        let asOf =
            dates.filter { $0.date.count == 10 }.compactMap { Day($0.date) }.filter { $0 <= today }.max() ?? today
        let scalars = Array(repaired.text.unicodeScalars)
        return IntakeReport(
            text: repaired.text, headline: repaired.headline, repairs: repaired.repairs, figures: figures,
            dates: dates, clusters: clusterMentions(scalars), provinces: provinceMentions(scalars),
            cities: cityMentions(scalars), asOf: asOf.description,
            reconciliation: reconcile(figures, asOf: asOf))
    }

    // MARK: - Names

    static func occurrences(of needle: [Unicode.Scalar], in s: [Unicode.Scalar]) -> [Int] {
        guard let first = needle.first, needle.count <= s.count else { return [] }
        var hits: [Int] = []
        var i = 0
        while i + needle.count <= s.count {
            if s[i] == first, Array(s[i..<(i + needle.count)]) == needle {
                hits.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return hits
    }

    /// Similarity of two strings: twice the longest common subsequence over the summed lengths.
    static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var row = previous
        for x in a {
            for (j, y) in b.enumerated() {
                row[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], row[j])
            }
            swap(&previous, &row)
        }
        return 2 * Double(previous[b.count]) / Double(a.count + b.count)
    }

    func clusterMentions(_ s: [Unicode.Scalar]) -> [ClusterMention] {
        var mentions: [ClusterMention] = []
        var covered = [Bool](repeating: false, count: s.count)
        func cover(_ at: Int, _ length: Int) { for k in at..<(at + length) { covered[k] = true } }
        for cluster in registry.clusters {
            let name = Array(cluster.nameZh.unicodeScalars)
            if let at = Self.occurrences(of: name, in: s).first(where: { !covered[$0] }) {
                cover(at, name.count)
                mentions.append(
                    ClusterMention(
                        id: cluster.id, nameZh: cluster.nameZh, text: cluster.nameZh, offset: at,
                        match: .exact, score: 1))
                continue
            }
            // The name without the 市 / 省 that follows its leading place name.
            for place in cluster.cityNames
                + cluster.provinceCodes.compactMap({ registry.reference.province(code: $0)?.shortNameZh })
            {
                for suffix in ["市", "省"] where cluster.nameZh.hasPrefix(place + suffix) {
                    let short = Array((place + cluster.nameZh.dropFirst(place.count + 1)).unicodeScalars)
                    if let at = Self.occurrences(of: short, in: s).first(where: { !covered[$0] }) {
                        cover(at, short.count)
                        mentions.append(
                            ClusterMention(
                                id: cluster.id, nameZh: cluster.nameZh, text: short.string, offset: at,
                                match: .abbreviation, score: 1))
                    }
                }
            }
        }
        let named = Set(mentions.map(\.id))
        // Phrases ending in 集群 not yet matched: the closest name, when close enough.
        for end in Self.occurrences(of: Array("集群".unicodeScalars), in: s) where !covered[end] {
            var start = end
            while start > 0, end - start < 24, s[start - 1].isHan, !"、和与及的，。".unicodeScalars.contains(s[start - 1]) {
                start -= 1
            }
            let phrase = Array(s[start..<(end + 2)])
            guard phrase.count >= 6 else { continue }
            var best: (Cluster, Double)?
            for cluster in registry.clusters where !named.contains(cluster.id) {
                let score = Self.similarity(phrase, Array(cluster.nameZh.unicodeScalars))
                if score > (best?.1 ?? 0) { best = (cluster, score) }
            }
            if let (cluster, score) = best, score >= 0.75 {
                mentions.append(
                    ClusterMention(
                        id: cluster.id, nameZh: cluster.nameZh, text: phrase.string, offset: start,
                        match: .close, score: (score * 1000).rounded() / 1000))
            }
        }
        return mentions.sorted { $0.offset < $1.offset }
    }

    func provinceMentions(_ s: [Unicode.Scalar]) -> [PlaceMention] {
        registry.reference.provinces.compactMap { province in
            for form in [province.nameZh, province.shortNameZh] where form.unicodeScalars.count >= 2 {
                let hits = Self.occurrences(of: Array(form.unicodeScalars), in: s)
                if let first = hits.first {
                    return PlaceMention(
                        code: province.code, nameZh: province.nameZh, text: form, offset: first, count: hits.count)
                }
            }
            return nil
        }.sorted { $0.offset < $1.offset }
    }

    func cityMentions(_ s: [Unicode.Scalar]) -> [PlaceMention] {
        registry.reference.cities.compactMap { city in
            var forms = [city.nameZh]
            if city.nameZh.hasSuffix("市"), city.nameZh.unicodeScalars.count >= 3 {
                forms.append(String(city.nameZh.dropLast()))
            }
            for form in forms where form.unicodeScalars.count >= 2 {
                let hits = Self.occurrences(of: Array(form.unicodeScalars), in: s)
                if let first = hits.first {
                    return PlaceMention(
                        code: city.provinceCode, nameZh: city.nameZh, text: form, offset: first, count: hits.count)
                }
            }
            return nil
        }.sorted { $0.offset < $1.offset }
    }

    // MARK: - Reconciliation

    static func units(of figure: ExtractedFigure) -> Set<String> {
        switch figure.unit {
        case "CNY": return ["CNY"]
        case "share": return ["share"]
        case "个", "家", "项", "座", "批", "名", "所":
            return ["clusters", "provinces", "cities", "centres", "carriers", "enterprises"]
        default: return []
        }
    }

    /// How well a figure's subject fits a published figure's label: the best of the Dice coefficient
    /// of their character bigrams, the share of the label's bigrams found in the subject (a long
    /// clause that contains the label's words) and, discounted, the Dice coefficient of their
    /// characters; a one-character subject found in the label ("省") counts as 0.5.
    static func subjectScore(_ subject: String, _ label: String) -> Double {
        let a: [Unicode.Scalar] = Array(subject.unicodeScalars).filter(\.isHan)
        let b: [Unicode.Scalar] = Array(label.unicodeScalars).filter(\.isHan)
        if a.count == 1 { return b.contains(a[0]) ? 0.5 : 0 }
        func bigrams(_ x: [Unicode.Scalar]) -> Set<UInt64> {
            guard x.count >= 2 else { return [] }
            return Set((0..<(x.count - 1)).map { UInt64(x[$0].value) << 32 | UInt64(x[$0 + 1].value) })
        }
        let x = bigrams(a)
        let y = bigrams(b)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        let shared = Double(x.intersection(y).count)
        let dice = 2 * shared / Double(x.count + y.count)
        let coverage = 0.8 * shared / Double(y.count)
        // Characters in common, for subjects that share the label's words but not their order
        // (国家级集群 and 国家先进制造业集群数量).
        let sa = Set(a)
        let sb = Set(b)
        let characters = 0.8 * 2 * Double(sa.intersection(sb).count) / Double(sa.count + sb.count)
        return max(dice, coverage, characters)
    }

    static func comparable(_ a: Double, _ b: Double) -> Bool {
        guard a > 0, b > 0 else { return a == b }
        let ratio = a / b
        return ratio >= 0.5 && ratio <= 2
    }

    func reconcile(_ figures: [ExtractedFigure], asOf: Day) -> [FigureCheck] {
        var statistics: Statistics?
        func stats() -> Statistics {
            if let cached = statistics { return cached }
            let computed = registry.statistics(asOf: asOf)
            statistics = computed
            return computed
        }
        return figures.compactMap { figure -> FigureCheck? in
            guard figure.kind == .count || figure.kind == .amount || figure.kind == .share else { return nil }
            guard let match = bestMatch(for: figure, asOf: asOf, stats: stats) else {
                return FigureCheck(
                    figure: figure.text, subject: figure.subject, value: figure.value, outcome: .unknown,
                    comparisons: [], reason: "no registry or published figure counts this (of a similar size)")
            }
            return check(figure, against: match, asOf: asOf, stats: stats)
        }
    }

    /// The published figure a figure most likely states: same unit, a similar size (and a similar
    /// registry value, where the figure has a metric), and the closest subject.
    func bestMatch(for figure: ExtractedFigure, asOf: Day, stats: () -> Statistics) -> PublishedFigure? {
        let units = Self.units(of: figure)
        let subject = figure.subject ?? ""
        var best: (PublishedFigure, Double)?
        for candidate in published where units.contains(candidate.unit) {
            // A figure more than twice or less than half the candidate's is about something else
            // (one cluster's output is not the programme's), not a disagreement.
            guard Self.comparable(figure.value, candidate.value) else { continue }
            if let metric = candidate.metric, let derived = stats().value(of: metric),
                !Self.comparable(figure.value, derived)
            {
                continue
            }
            var score = Self.subjectScore(subject, candidate.labelZh)
            guard score >= 0.35 else { continue }
            if candidate.accepts(figure.value) || abs(candidate.value - figure.value) < 1e-9 { score += 0.2 }
            if candidate.referenceDate <= asOf { score += 0.05 }
            if score > (best?.1 ?? 0) { best = (candidate, score) }
        }
        return best?.0
    }

    /// A figure compared with its published match and, where the match has a metric, with the
    /// registry's value as of `asOf` (which then decides).
    func check(_ figure: ExtractedFigure, against match: PublishedFigure, asOf: Day, stats: () -> Statistics)
        -> FigureCheck
    {
        var comparisons: [FigureCheck.Comparison] = []
        let tolerance = figure.unit == "share" ? 0.005 : 1e-6
        let publishedAgrees =
            abs(match.value - figure.value) <= tolerance * max(1, abs(match.value))
            || (match.qualifier != .exact && figure.qualifier != .exact && abs(match.value - figure.value) < 1e-6)
        comparisons.append(
            .init(
                against: "published", reference: match.id, label: match.labelZh, value: match.value,
                asOf: match.referenceDate.description, outcome: publishedAgrees ? .agrees : .disagrees))
        var outcome: FigureCheck.Outcome = publishedAgrees ? .agrees : .disagrees
        var reason = "compared with the published figure \(match.id)"
        if let metric = match.metric, let derived = stats().value(of: metric) {
            let agrees = Self.agrees(derived, with: figure, tolerance: tolerance)
            comparisons.insert(
                .init(
                    against: "registry", reference: metric, label: match.labelZh, value: derived,
                    asOf: asOf.description, outcome: agrees ? .agrees : .disagrees), at: 0)
            outcome = agrees ? .agrees : .disagrees
            reason = "derived from the registry as of \(asOf) (metric \(metric))"
        }
        return FigureCheck(
            figure: figure.text, subject: figure.subject, value: figure.value, outcome: outcome,
            comparisons: comparisons, reason: reason)
    }

    /// Whether a registry value bears out a figure stated with its qualifier (余, 超过, 以下, 约).
    static func agrees(_ derived: Double, with figure: ExtractedFigure, tolerance: Double) -> Bool {
        switch figure.qualifier {
        case .atLeast: derived >= figure.value - tolerance
        case .moreThan: derived > figure.value
        case .atMost: derived <= figure.value + tolerance
        case .approximately: abs(derived - figure.value) <= max(tolerance, 0.05 * figure.value)
        case .exact: abs(derived - figure.value) <= tolerance
        }
    }
}
