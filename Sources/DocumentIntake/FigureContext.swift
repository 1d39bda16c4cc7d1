/// What surrounds a figure: the qualifier before it (余, 超过, 以上…), its subject after or before it, the clause it sits in, and dates.
extension FigureExtractor {
    func qualifierBefore(_ s: [Unicode.Scalar], at position: Int) -> ExtractedFigure.Qualifier {
        // 约占 2/3, 近为: the qualifier may stand before a verb.
        var i = position
        if i > 0, "占为达是有".unicodeScalars.contains(s[i - 1]) { i -= 1 }
        func ends(with word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            return i >= w.count && Array(s[(i - w.count)..<i]) == w
        }
        if Self.beforeAtMost.contains(where: ends) { return .atMost }
        if Self.beforeAtLeast.contains(where: ends) { return .atLeast }
        if Self.beforeMore.contains(where: ends) { return .moreThan }
        if Self.beforeAbout.contains(where: ends) { return .approximately }
        return .exact
    }

    /// The noun phrase after a measure word: Han characters (and quotation marks) up to punctuation,
    /// a digit or a function word, at most 14.
    func subjectAfter(_ s: [Unicode.Scalar], _ j: Int) -> String? {
        var k = j
        var out: [Unicode.Scalar] = []
        while k < s.count, out.count < 14 {
            let c = s[k]
            if c.isHan, !(out.count > 0 && Self.stops.contains(c)) {
                out.append(c)
                k += 1
                continue
            }
            if c == "“" || c == "”" {
                out.append(c)
                k += 1
                continue
            }
            break
        }
        while let last = out.last, last == "“" { out.removeLast() }
        return out.count >= 1 && !(out.count == 1 && Self.stops.contains(out[0])) ? out.string : nil
    }

    /// The noun phrase before a figure ("主导产业产值超过19万亿元" → 主导产业产值).
    func subjectBefore(_ s: [Unicode.Scalar], _ i: Int) -> String? {
        var k = i
        for _ in 0..<2 {
            if let word = Self.leadIns.first(where: { w in
                let ws = Array(w.unicodeScalars)
                return k >= ws.count && Array(s[(k - ws.count)..<k]) == ws
            }) {
                k -= word.unicodeScalars.count
            }
            if k > 0, s[k - 1] == "的" { k -= 1 }
        }
        var start = k
        while start > 0, k - start < 14, s[start - 1].isHan || s[start - 1] == "“" || s[start - 1] == "”" {
            if Self.stops.contains(s[start - 1]), k - start >= 2 { break }
            start -= 1
        }
        guard k - start >= 2 else { return clauseBefore(s, k) }
        var phrase = Array(s[start..<k])
        while let first = phrase.first, ["占", "为", "是", "共", "有", "的"].contains(first) { phrase.removeFirst() }
        // 其中东部地区: 其中 is "among them", not part of the subject.
        if phrase.first == "中", start > 0, s[start - 1] == "其" { phrase.removeFirst() }
        return phrase.count >= 2 ? phrase.string : nil
    }

    /// For a figure that opens its clause ("…30个集群，约占2/3"), the clause before it, which says
    /// what the figure is a share of.
    func clauseBefore(_ s: [Unicode.Scalar], _ k: Int) -> String? {
        var end = k
        while end > 0, s[end - 1] == "，" || s[end - 1] == "," || s[end - 1] == " " { end -= 1 }
        guard end < k else { return nil }
        var start = end
        while start > 0, end - start < 30, !"。；！？\n".unicodeScalars.contains(s[start - 1]) { start -= 1 }
        let clause = s[start..<end].filter { $0.isHan }
        return clause.count >= 2 ? clause.string : nil
    }

    func date(_ s: [Unicode.Scalar], at i: Int, lastYear: Int?) -> (ExtractedDate, Int)? {
        func digits(_ from: Int, max: Int) -> (Int, Int)? {
            var j = from
            var v = 0
            while j < s.count, j - from < max, s[j].isASCIIDigit {
                v = v * 10 + Int(s[j].value - 0x30)
                j += 1
            }
            return j > from ? (v, j) : nil
        }
        guard let (first, afterFirst) = digits(i, max: 4) else { return nil }
        let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        if afterFirst - i == 4, (1900...2100).contains(first), afterFirst < s.count {
            let sep = s[afterFirst]
            if sep == "年", let (month, afterMonth) = digits(afterFirst + 1, max: 2), (1...12).contains(month),
                afterMonth < s.count, s[afterMonth] == "月"
            {
                if let (day, afterDay) = digits(afterMonth + 1, max: 2), (1...31).contains(day), afterDay < s.count,
                    s[afterDay] == "日" || s[afterDay] == "号"
                {
                    return (
                        ExtractedDate(
                            text: s[i...afterDay].string, offset: i, date: "\(first)-\(pad(month))-\(pad(day))"),
                        afterDay + 1
                    )
                }
                return (
                    ExtractedDate(text: s[i...afterMonth].string, offset: i, date: "\(first)-\(pad(month))"),
                    afterMonth + 1
                )
            }
            if sep == "-" || sep == "/" || sep == ".", let (month, afterMonth) = digits(afterFirst + 1, max: 2),
                (1...12).contains(month),
                afterMonth < s.count, s[afterMonth] == sep, let (day, afterDay) = digits(afterMonth + 1, max: 2),
                (1...31).contains(day)
            {
                return (
                    ExtractedDate(text: s[i..<afterDay].string, offset: i, date: "\(first)-\(pad(month))-\(pad(day))"),
                    afterDay
                )
            }
            return nil
        }
        if afterFirst - i <= 2, (1...12).contains(first), afterFirst < s.count, s[afterFirst] == "月",
            let (day, afterDay) = digits(afterFirst + 1, max: 2), (1...31).contains(day), afterDay < s.count,
            s[afterDay] == "日"
        {
            let date = lastYear.map { "\($0)-\(pad(first))-\(pad(day))" } ?? "--\(pad(first))-\(pad(day))"
            return (ExtractedDate(text: s[i...afterDay].string, offset: i, date: date), afterDay + 1)
        }
        return nil
    }
}
