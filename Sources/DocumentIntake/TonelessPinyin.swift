import Foundation

extension IntakeData {
    /// Every character's readings without tone marks, `ü` as both `v` and `u` (as people type it):
    /// for finding names by pinyin.
    public func tonelessReadings() -> [UInt32: [String]] {
        // Scalar by scalar: ü decomposes to u + U+0308 (and a tone mark after it).
        func bare(_ reading: String, umlaut: String) -> String {
            var out = ""
            var previousU = false
            for scalar in reading.decomposedStringWithCanonicalMapping.unicodeScalars {
                if scalar.value == 0x308, previousU {
                    out.removeLast()
                    out += umlaut
                }
                previousU = scalar == "u"
                if !(0x300...0x36F).contains(scalar.value) { out.unicodeScalars.append(scalar) }
            }
            return out
        }
        return readings.mapValues { list in
            var plain: [String] = []
            for reading in list {
                for variant in [bare(reading, umlaut: "u"), bare(reading, umlaut: "v")] where !plain.contains(variant) {
                    plain.append(variant)
                }
            }
            return plain
        }
    }
}
