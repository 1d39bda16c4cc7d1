import ClusterDomain
import Foundation

/// Inline SVG drawn on the server. Every text and attribute value goes through `escape`.
enum SVG {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Cuts a label to a display width, counting CJK characters as two columns.
    static func shorten(_ text: String, toWidth limit: Int) -> String {
        func width(_ ch: Character) -> Int { (ch.unicodeScalars.first?.value ?? 0) >= 0x2E80 ? 2 : 1 }
        guard text.reduce(0, { $0 + width($1) }) > limit else { return text }
        var used = 0
        var out = ""
        for ch in text {
            if used + width(ch) > limit - 1 { break }
            used += width(ch)
            out.append(ch)
        }
        return out + "…"
    }

    struct Bar {
        let label: String
        let value: Int
        let href: String?
    }

    /// A horizontal bar chart with a title and a value at the end of each bar.
    static func barChart(id: String, title: String, bars: [Bar]) -> String {
        let labelWidth = 270.0
        let barArea = 230.0
        let rowHeight = 26.0
        let top = 8.0
        let width = labelWidth + barArea + 50
        let height = top * 2 + rowHeight * Double(max(bars.count, 1))
        let maxValue = Double(max(bars.map(\.value).max() ?? 0, 1))
        // A chart whose bars are links is a group of links (an image may hold no interactive content).
        let role = bars.contains { $0.href != nil } ? "group" : "img"
        var svg =
            #"<svg class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="\#(role)" aria-labelledby="\#(id)-title" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="\#(id)-title">\#(escape(title))</title>"#
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let w = barArea * Double(bar.value) / maxValue
            // Long labels are shortened on the chart; the full label is in the bar's title.
            let shown = shorten(bar.label, toWidth: 36)
            var row =
                #"<text x="\#(Int(labelWidth - 8))" y="\#(Int(y + 17))" text-anchor="end" class="label">\#(escape(shown))</text>"#
            row +=
                #"<rect x="\#(Int(labelWidth))" y="\#(Int(y + 4))" width="\#(String(format: "%.1f", w))" height="\#(Int(rowHeight - 8))" class="bar"><title>\#(escape(bar.label)): \#(bar.value)</title></rect>"#
            row +=
                #"<text x="\#(String(format: "%.1f", labelWidth + w + 6))" y="\#(Int(y + 17))" class="value">\#(bar.value)</text>"#
            if let href = bar.href {
                svg += #"<a href="\#(escape(href))">\#(row)</a>"#
            } else {
                svg += row
            }
        }
        return svg + "</svg>"
    }
}

/// The China tile-grid map: each of the 31 provinces a square cell placed to keep its rough
/// geographic position, shaded by a count.
enum TileMap {
    /// (column, row) of each province on a 9 × 8 grid, by GB/T 2260 code.
    static let cells: [String: (col: Int, row: Int)] = [
        "23": (8, 0),
        "65": (1, 1), "15": (5, 1), "11": (6, 1), "21": (7, 1), "22": (8, 1),
        "63": (2, 2), "62": (3, 2), "64": (4, 2), "14": (5, 2), "13": (6, 2), "12": (7, 2),
        "54": (1, 3), "51": (3, 3), "61": (4, 3), "41": (5, 3), "37": (6, 3),
        "53": (2, 4), "52": (3, 4), "50": (4, 4), "42": (5, 4), "34": (6, 4), "32": (7, 4),
        "43": (4, 5), "36": (5, 5), "33": (6, 5), "31": (7, 5),
        "45": (4, 6), "44": (5, 6), "35": (6, 6),
        "46": (4, 7),
    ]

    /// Shade classes: 0, 1, 2–3, 4–7, 8 and more.
    static let buckets: [(range: ClosedRange<Int>, label: String)] = [
        (0...0, "0"), (1...1, "1"), (2...3, "2–3"), (4...7, "4–7"), (8...Int.max, "8+"),
    ]

    static func bucket(_ count: Int) -> Int {
        buckets.firstIndex { $0.range.contains(count) } ?? 0
    }

    /// - Parameters:
    ///   - counts: clusters per province code (missing means 0).
    ///   - highlight: when given, only these provinces are shaded (a cluster's members) and counts are not shown.
    static func svg(
        id: String, title: String, reference: ReferenceData, lang: Language, counts: [String: Int],
        highlight: Set<String>? = nil, href: (Province) -> String, cell: Double = 46
    ) -> String {
        let gap = 4.0
        let width = cell * 9 + gap * 8
        let height = cell * 8 + gap * 7
        var svg =
            #"<svg class="tilemap" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="group" aria-labelledby="\#(id)-title" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<title id="\#(id)-title">\#(SVG.escape(title))</title>"#
        for province in reference.provinces {
            guard let place = cells[province.code] else { continue }
            let x = Double(place.col) * (cell + gap)
            let y = Double(place.row) * (cell + gap)
            let count = counts[province.code] ?? 0
            let shade: String
            if let highlight {
                shade = highlight.contains(province.code) ? "hl" : "s0"
            } else {
                shade = "s\(bucket(count))"
            }
            let name = lang == .zh ? province.shortNameZh : province.iso
            let full = lang.t(province.nameZh, province.nameEn)
            let caption = highlight == nil ? "\(full): \(count)" : full
            svg +=
                #"<a href="\#(SVG.escape(href(province)))" aria-label="\#(SVG.escape(caption))" data-province="\#(province.code)">"#
            svg +=
                #"<rect x="\#(Int(x))" y="\#(Int(y))" width="\#(Int(cell))" height="\#(Int(cell))" rx="4" class="cell \#(shade)"><title>\#(SVG.escape(caption))</title></rect>"#
            svg +=
                #"<text x="\#(Int(x + cell / 2))" y="\#(Int(y + cell / 2 - (highlight == nil ? 2 : -4)))" text-anchor="middle" class="name \#(shade)">\#(SVG.escape(name))</text>"#
            if highlight == nil {
                svg +=
                    #"<text x="\#(Int(x + cell / 2))" y="\#(Int(y + cell / 2 + 14))" text-anchor="middle" class="count \#(shade)">\#(count)</text>"#
            }
            svg += "</a>"
        }
        return svg + "</svg>"
    }
}

/// Escapes a value for an HTML attribute. Plot escapes text nodes but writes attribute values as
/// given, so every dynamic attribute value in the views goes through this.
func attr(_ value: String) -> String { SVG.escape(value) }
