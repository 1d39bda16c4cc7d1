import Foundation

/// A number as people type it into a form: `96,000,000,000`, `960亿`, `960亿元`, `５０００万`, `4.5%`.
public enum TypedNumber {
    /// The value, or nil when the text is not a number. Full-width digits and signs are read as
    /// half-width; thousands separators must group by three; 万, 亿 and 万亿 multiply; a trailing 元
    /// is dropped; a trailing % divides by 100 only when `percent` allows it (shares).
    public static func parse(_ text: String, percent: Bool = false) -> Double? {
        var t = String(
            text.unicodeScalars.compactMap { s -> Character? in
                switch s.value {
                case 0xFF10...0xFF19: return Character(Unicode.Scalar(s.value - 0xFF10 + 0x30)!)
                case 0xFF0E, 0x3002: return "."
                case 0xFF0C: return ","
                case 0xFF05: return "%"
                case 0xFF0D, 0x2212: return "-"
                case 0xFF0B: return "+"
                default: return s.properties.isWhitespace ? nil : Character(s)
                }
            })
        if t.hasSuffix("元") { t.removeLast() }
        var scale = 1.0
        for (suffix, factor) in [("万亿", 1e12), ("亿", 1e8), ("万", 1e4)] where t.hasSuffix(suffix) {
            t.removeLast(suffix.count)
            scale = factor
            break
        }
        if t.hasSuffix("%") {
            guard percent, scale == 1 else { return nil }
            t.removeLast()
            scale = 0.01
        }
        if t.contains(",") {
            guard t.range(of: #"^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$"#, options: .regularExpression) != nil
            else { return nil }
            t = t.replacingOccurrences(of: ",", with: "")
        }
        guard
            t.range(of: #"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
            let value = Double(t), value.isFinite
        else { return nil }
        let result = value * scale
        return result.isFinite ? result : nil
    }
}
