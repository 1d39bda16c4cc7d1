/// A figure stated in a text: what it counts, its value, unit and how the value bounds the truth.
public struct ExtractedFigure: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case count, amount, share, year, range
    }

    public enum Qualifier: String, Codable, Sendable {
        case exact
        case atLeast = "at_least"
        case moreThan = "more_than"
        case atMost = "at_most"
        case approximately
    }

    /// The figure as written ("1700余家").
    public let text: String
    /// Unicode scalar offset of `text` in the repaired text.
    public let offset: Int
    public let kind: Kind
    /// The value in base units: 19万亿元 → 1.9e13, 70% → 0.7, 2/3 → 0.6667.
    public let value: Double
    /// The upper end of a range ("5至7天" → value 5, upper 7).
    public let upper: Double?
    /// `CNY`, `USD`, `share`, `year`, or the measure word as written (个, 家, 项, 天, …).
    public let unit: String
    public let qualifier: Qualifier
    /// What the figure counts, from the words after it ("45个国家级集群" → 国家级集群) or, for amounts
    /// and shares, before it ("主导产业产值超过19万亿元" → 主导产业产值).
    public let subject: String?
}

/// A date stated in a text, as precise as written.
public struct ExtractedDate: Codable, Hashable, Sendable {
    public let text: String
    public let offset: Int
    /// `YYYY-MM-DD`, `YYYY-MM`, or `--MM-DD` when the text gives no year.
    public let date: String
}

/// Finds figures and dates in repaired Simplified text.
public struct FigureExtractor: Sendable {
    public init() {}

    static let digitsZh: [Unicode.Scalar: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let unitsZh: [Unicode.Scalar: Int] = ["十": 10, "百": 100, "千": 1000]
    /// Measure words and units, longest first when matched.
    static let measures: [String] = [
        "平方公里", "平方米", "千瓦时", "万千瓦", "美元", "千瓦", "公里", "千米", "公顷", "人次", "元",
        "个", "家", "项", "名", "人", "座", "批", "天", "年", "倍", "吨", "亩", "户", "所", "条", "件", "台",
        "辆", "份", "次", "位", "处", "支", "类", "期", "届", "轮", "场", "套", "种", "张", "篇", "部", "款", "方面",
        "米", "城", "市", "省", "区", "县", "园", "业", "月", "周", "小时", "分钟", "亿", "万",
    ]
    static let measureScalars: [[Unicode.Scalar]] = measures.map { Array($0.unicodeScalars) }
        .sorted { $0.count > $1.count }
    static let beforeMore = ["超过", "超", "逾", "突破", "高于", "多于"]
    static let beforeAtLeast = ["至少", "不少于", "不低于"]
    static let beforeAtMost = ["不超过", "不到", "不足", "最多", "至多", "低于"]
    static let beforeAbout = ["约", "近", "大约", "将近"]
    static let leadIns = [
        "不超过", "不少于", "不低于", "超过", "达到", "达", "约", "近", "逾", "突破", "占", "为", "是", "共",
        "有", "实现", "超", "至少", "不到", "不足", "合计", "总计", "累计", "涉及", "计",
    ]
    static let genericNouns: Set<String> = ["集群", "企业", "项目", "城市", "省份"]
    static let stops: Set<Unicode.Scalar> = Set("和与及等是为在共达占的了并其将已对从向把被由于以涉覆".unicodeScalars)

    public func figures(in text: String) -> (figures: [ExtractedFigure], dates: [ExtractedDate]) {
        let s = Array(text.unicodeScalars)
        var figures: [ExtractedFigure] = []
        var dates: [ExtractedDate] = []
        var lastYear: Int?
        var i = 0
        while i < s.count {
            let c = s[i]
            let startsNumber = c.isASCIIDigit || (Self.digitsZh[c] != nil || c == "十" || c == "百")
            guard startsNumber else {
                i += 1
                continue
            }
            // Not part of a code, an ordinal or a document number.
            if i > 0 {
                let p = s[i - 1]
                if p.isASCIIDigit || p == "." || Boilerplate.isLetter(p) || p == "第" || p == "〔" || p == "[" || p == "_"
                    || p == "/" || p == "-"
                {
                    i = skipNumber(s, from: i)
                    continue
                }
                if !c.isASCIIDigit, Self.digitsZh[p] != nil || Self.unitsZh[p] != nil || p == "万" || p == "亿" {
                    i += 1
                    continue
                }
            }
            // Dates first: 2022年11月30日, 2022年11月, 2022-11-30, 11月30日.
            if let date = date(s, at: i, lastYear: lastYear) {
                dates.append(date.0)
                if let year = Int(date.0.date.prefix(4)) { lastYear = year }
                i = date.1
                continue
            }
            guard let figure = figure(s, at: i) else {
                i = skipNumber(s, from: i)
                continue
            }
            if figure.0.kind == .year { lastYear = Int(figure.0.value) }
            figures.append(figure.0)
            i = figure.1
        }
        return (figures, dates)
    }

    func skipNumber(_ s: [Unicode.Scalar], from i: Int) -> Int {
        var j = i
        while j < s.count,
            s[j].isASCIIDigit || s[j] == "." || s[j] == "," || Self.digitsZh[s[j]] != nil || Self.unitsZh[s[j]] != nil
        { j += 1 }
        return max(j, i + 1)
    }

    /// An Arabic number (with thousands commas and decimals) or a Chinese numeral at `i`.
    func number(_ s: [Unicode.Scalar], at i: Int) -> (value: Double, end: Int, arabic: Bool)? {
        if s[i].isASCIIDigit {
            var j = i
            var digits = ""
            while j < s.count {
                if s[j].isASCIIDigit {
                    digits.unicodeScalars.append(s[j])
                    j += 1
                    continue
                }
                if s[j] == ",", j + 3 < s.count, s[(j + 1)...(j + 3)].allSatisfy(\.isASCIIDigit),
                    j + 4 >= s.count || !s[j + 4].isASCIIDigit
                {
                    j += 1
                    continue
                }
                if s[j] == ".", j + 1 < s.count, s[j + 1].isASCIIDigit, !digits.contains(".") {
                    digits.append(".")
                    j += 1
                    continue
                }
                break
            }
            guard let value = Double(digits) else { return nil }
            return (value, j, true)
        }
        var j = i
        var total = 0
        var section = 0
        var digit = -1
        while j < s.count {
            if let d = Self.digitsZh[s[j]] {
                digit = d
                j += 1
                continue
            }
            if let unit = Self.unitsZh[s[j]] {
                section += (digit < 0 ? 1 : digit) * unit
                digit = -1
                j += 1
                continue
            }
            break
        }
        if digit >= 0 { section += digit }
        total += section
        guard j > i else { return nil }
        return (Double(total), j, false)
    }

    func figure(_ s: [Unicode.Scalar], at i: Int) -> (ExtractedFigure, Int)? {
        // 三分之二, 百分之七十
        if !s[i].isASCIIDigit, let fraction = chineseFraction(s, at: i) { return fraction }
        guard let (first, afterFirst, arabic) = number(s, at: i) else { return nil }
        if !arabic, (afterFirst - i == 1 && s[i] == "一") || first == 0 { return nil }
        var j = afterFirst
        var value = first
        var upper: Double?
        var kind = ExtractedFigure.Kind.count
        var qualifier = qualifierBefore(s, at: i)
        if let share = share(s, from: i, number: first, arabic: arabic, at: j, qualifier: qualifier) { return share }
        // Ranges: 5—7天, 5-7天, 5至7天, 5~7天.
        if j + 1 < s.count, ["-", "—", "–", "~", "～", "至", "到"].contains(s[j]),
            let (second, end, _) = number(s, at: j + 1), second > first
        {
            upper = second
            kind = .range
            j = end
        }
        let (multiplier, afterMultiplier) = Self.multiplier(s, at: j, arabic: arabic)
        j = afterMultiplier
        // 余 / 多 after the number.
        if j < s.count, s[j] == "余" || s[j] == "多" {
            qualifier = .atLeast
            j += 1
        }
        if arabic, multiplier == 1, upper == nil, let year = calendarYear(s, from: i, number: first, at: j) {
            return year
        }
        guard let (measure, end) = measureWord(s, at: j) else {
            guard multiplier > 1 else { return nil }
            let total = value * multiplier
            return (
                make(
                    s, i, j, .count, total, upper.map { $0 * multiplier }, "", qualifier,
                    subjectAfter(s, j) ?? subjectBefore(s, i)), j
            )
        }
        if measure == "号" { return nil }
        var unit = measure
        var finalKind = kind
        if measure == "元" || measure == "美元" {
            unit = measure == "元" ? "CNY" : "USD"
            if kind != .range { finalKind = .amount }
        } else if measure == "亿" || measure == "万" {
            return nil
        }
        value *= multiplier
        upper = upper.map { $0 * multiplier }
        var stop = end
        if stop + 1 < s.count, s[stop] == "以", s[stop + 1] == "上" {
            qualifier = .atLeast
            stop += 2
        }
        return (make(s, i, end, finalKind, value, upper, unit, qualifier, subject(s, i, stop, finalKind)), stop)
    }

    /// What a figure with a measure word counts: for an amount the words before it, else those after
    /// it (or before); "重点区域共有30个集群": a generic noun after the figure takes its qualifier from before it.
    func subject(_ s: [Unicode.Scalar], _ i: Int, _ stop: Int, _ kind: ExtractedFigure.Kind) -> String? {
        let subject = kind == .amount ? subjectBefore(s, i) : (subjectAfter(s, stop) ?? subjectBefore(s, i))
        if let noun = subject, Self.genericNouns.contains(noun), let before = subjectBefore(s, i) {
            return before + noun
        }
        return subject
    }

    /// A fraction (2/3, Arabic digits only) or a percentage.
    func share(
        _ s: [Unicode.Scalar], from i: Int, number first: Double, arabic: Bool, at j: Int,
        qualifier: ExtractedFigure.Qualifier
    ) -> (ExtractedFigure, Int)? {
        if arabic, j + 1 < s.count, s[j] == "/", s[j + 1].isASCIIDigit, let (den, end, _) = number(s, at: j + 1),
            den > 0, den <= 100, first < den, end >= s.count || !(s[end] == "/" || s[end] == "-")
        {
            return (make(s, i, end, .share, first / den, nil, "share", qualifier, subjectBefore(s, i)), end)
        }
        if j < s.count, s[j] == "%" || s[j] == "％" {
            return (make(s, i, j + 1, .share, first / 100, nil, "share", qualifier, subjectBefore(s, i)), j + 1)
        }
        return nil
    }

    /// 万 and 亿 (and 千万, 千亿 after Arabic digits) after a number: the factor and where they end.
    static func multiplier(_ s: [Unicode.Scalar], at start: Int, arabic: Bool) -> (Double, Int) {
        var multiplier = 1.0
        var j = start
        while j < s.count {
            if s[j] == "万" {
                multiplier *= 10_000
            } else if s[j] == "亿" {
                multiplier *= 100_000_000
            } else if s[j] == "千", arabic, j + 1 < s.count, s[j + 1] == "万" || s[j + 1] == "亿" {
                multiplier *= 1000
            } else {
                break
            }
            j += 1
        }
        return (multiplier, j)
    }

    /// A calendar year (2025年, 2025年度, 2025年底) from a whole Arabic number between 1900 and 2100.
    func calendarYear(_ s: [Unicode.Scalar], from i: Int, number first: Double, at j: Int) -> (ExtractedFigure, Int)? {
        guard first >= 1900, first <= 2100, first == first.rounded(), j < s.count, s[j] == "年" else { return nil }
        var end = j + 1
        if end < s.count, s[end] == "度" { end += 1 }
        if end < s.count, s[end] == "底" || s[end] == "初" || s[end] == "末" { end += 1 }
        return (make(s, i, j + 1, .year, first, nil, "year", .exact, nil), end)
    }

    func make(
        _ s: [Unicode.Scalar], _ start: Int, _ end: Int, _ kind: ExtractedFigure.Kind, _ value: Double,
        _ upper: Double?, _ unit: String, _ qualifier: ExtractedFigure.Qualifier, _ subject: String?
    ) -> ExtractedFigure {
        ExtractedFigure(
            text: s[start..<end].string, offset: start, kind: kind, value: value, upper: upper, unit: unit,
            qualifier: qualifier, subject: subject)
    }

    func measureWord(_ s: [Unicode.Scalar], at j: Int) -> (String, Int)? {
        guard j < s.count else { return nil }
        if s[j] == "号" { return ("号", j + 1) }
        for measure in Self.measureScalars
        where j + measure.count <= s.count && Array(s[j..<(j + measure.count)]) == measure {
            return (measure.string, j + measure.count)
        }
        return nil
    }

    func chineseFraction(_ s: [Unicode.Scalar], at i: Int) -> (ExtractedFigure, Int)? {
        // X分之Y, with 百 meaning per cent.
        var j = i
        while j < s.count, Self.digitsZh[s[j]] != nil || Self.unitsZh[s[j]] != nil { j += 1 }
        guard j > i, j + 2 < s.count, s[j] == "分", s[j + 1] == "之", let den = number(s, at: i),
            let num = number(s, at: j + 2), num.arabic == false, den.value > 0
        else { return nil }
        let value = num.value / den.value
        guard value <= 1 else { return nil }
        return (
            make(s, i, num.end, .share, value, nil, "share", qualifierBefore(s, at: i), subjectBefore(s, i)), num.end
        )
    }

}
