import Foundation

/// An evaluation dimension with its weight in percent (cluster-domain.md §5: the dimensions are
/// official, the weights are assumptions).
public struct IndicatorDimension: Codable, Hashable, Sendable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let weight: Double
    /// True where the weight is the project's assumption rather than a published figure.
    public let assumed: Bool

    public init(code: String, nameZh: String, nameEn: String, weight: Double, assumed: Bool) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.weight = weight
        self.assumed = assumed
    }

    enum CodingKeys: String, CodingKey {
        case code
        case nameZh = "name_zh"
        case nameEn = "name_en"
        case weight, assumed
    }
}

/// One indicator: what is measured, in what unit, which way is better, and how raw values are put
/// on a 0–100 scale for a rating.
public struct IndicatorDefinition: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable { case amount, count, share, boolean }
    public enum Direction: String, Codable, Sendable { case higher, lower }
    public enum Normalisation: String, Codable, Sendable {
        /// (value − min) / (max − min) across the clusters rated together.
        case minMax = "min_max"
        /// As min-max, on log10 of the value, for quantities spanning orders of magnitude (output).
        case logMinMax = "log_min_max"
    }

    public let code: String
    public let dimension: String
    public let nameZh: String
    public let nameEn: String
    public let kind: Kind
    public let unit: String
    public let direction: Direction
    public let normalisation: Normalisation
    /// Plausible range of a yearly value, for validating returns.
    public let minimum: Double?
    public let maximum: Double?

    public init(
        code: String, dimension: String, nameZh: String, nameEn: String, kind: Kind, unit: String, direction: Direction,
        normalisation: Normalisation, minimum: Double? = nil, maximum: Double? = nil
    ) {
        self.code = code
        self.dimension = dimension
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.kind = kind
        self.unit = unit
        self.direction = direction
        self.normalisation = normalisation
        self.minimum = minimum
        self.maximum = maximum
    }

    enum CodingKeys: String, CodingKey {
        case code, dimension
        case nameZh = "name_zh"
        case nameEn = "name_en"
        case kind, unit, direction, normalisation, minimum, maximum
    }
}

/// A versioned set of dimensions and indicators. Editing makes a new version; a round keeps the
/// version it started with, so its scores stay explainable.
public struct IndicatorSet: Codable, Hashable, Sendable {
    public let id: String
    public let version: Int
    public let dimensions: [IndicatorDimension]
    public let indicators: [IndicatorDefinition]
    public let note: String

    public init(
        id: String, version: Int, dimensions: [IndicatorDimension], indicators: [IndicatorDefinition], note: String
    ) {
        self.id = id
        self.version = version
        self.dimensions = dimensions
        self.indicators = indicators
        self.note = note
    }

    public func dimension(code: String) -> IndicatorDimension? { dimensions.first { $0.code == code } }
    public func indicator(code: String) -> IndicatorDefinition? { indicators.first { $0.code == code } }
    public func indicators(in dimension: String) -> [IndicatorDefinition] {
        indicators.filter { $0.dimension == dimension }
    }

    /// Everything wrong with the set, one message each: weights must total 100%, codes be unique,
    /// each indicator belong to a dimension and each dimension hold an indicator.
    public func problems() -> [String] { findings().map(\.english) }

    /// The same problems as catalogue messages.
    public func findings() -> [Message] {
        var found: [Message] = []
        let total = dimensions.reduce(0) { $0 + $1.weight }
        if abs(total - 100) > 1e-9 { found.append(Message("indicators.weights_total", ["total": "\(total)"])) }
        if let bad = dimensions.first(where: { !($0.weight > 0) }) {
            found.append(Message("indicators.weight_not_positive", ["code": bad.code]))
        }
        if Set(dimensions.map(\.code)).count != dimensions.count {
            found.append(Message("indicators.duplicate_dimension"))
        }
        if Set(indicators.map(\.code)).count != indicators.count {
            found.append(Message("indicators.duplicate_indicator"))
        }
        for i in indicators where dimension(code: i.dimension) == nil {
            found.append(Message("indicators.unknown_dimension", ["code": i.code, "value": i.dimension]))
        }
        for d in dimensions where indicators(in: d.code).isEmpty {
            found.append(Message("indicators.empty_dimension", ["code": d.code]))
        }
        for i in indicators where i.unit.isEmpty { found.append(Message("indicators.no_unit", ["code": i.code])) }
        func isCode(_ c: String) -> Bool {
            (1...40).contains(c.count) && c.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
        }
        for c in dimensions.map(\.code) + indicators.map(\.code) where !isCode(c) {
            found.append(Message("indicators.bad_code", ["code": String(c.prefix(40))]))
        }
        for (code, zh, en) in dimensions.map({ ($0.code, $0.nameZh, $0.nameEn) })
            + indicators.map({ ($0.code, $0.nameZh, $0.nameEn) })
        where zh.trimmingCharacters(in: .whitespaces).isEmpty || en.trimmingCharacters(in: .whitespaces).isEmpty
            || zh.count > 100 || en.count > 100
        {
            found.append(Message("indicators.names", ["code": String(code.prefix(40))]))
        }
        for i in indicators where i.unit.count > 20 {
            found.append(Message("indicators.unit_too_long", ["code": i.code]))
        }
        for i in indicators {
            if let lo = i.minimum, let hi = i.maximum, lo > hi {
                found.append(Message("indicators.min_above_max", ["code": i.code]))
            }
        }
        return found
    }

    /// The values typed into a form's `value_<code>` fields, read as people write them (960亿, 4.5%
    /// for a share), and the fields that do not read as numbers; empty fields are left out.
    public func typedValues(_ fields: [String: String]) -> (values: [String: Double], errors: [String: Message]) {
        var values: [String: Double] = [:]
        var errors: [String: Message] = [:]
        for indicator in indicators {
            let text = (fields["value_" + indicator.code] ?? "").trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            if let v = TypedNumber.parse(text, percent: indicator.kind == .share) {
                values[indicator.code] = v
            } else {
                errors["value_" + indicator.code] = indicator.kind == .amount ? .amount : .number
            }
        }
        return (values, errors)
    }

    /// The next version with new dimensions and indicators; this one is left as it is.
    public func revised(
        dimensions: [IndicatorDimension]? = nil, indicators: [IndicatorDefinition]? = nil,
        note: String
    ) -> Result<IndicatorSet, FieldErrors> {
        let next = IndicatorSet(
            id: id, version: version + 1, dimensions: dimensions ?? self.dimensions,
            indicators: indicators ?? self.indicators, note: note)
        let problems = next.findings()
        return problems.isEmpty
            ? .success(next) : .failure(FieldErrors(["indicator_set": Message.list(problems)]))
    }
}
