import ClusterDomain
import DocumentIntake

extension ClusterSearch {
    /// Search with pinyin: the readings come from the intake's table (loaded once per process, on the
    /// first search that needs them).
    static let withPinyin = ClusterSearch(readings: { character in
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first, scalar.value >= 0x3400 else { return [] }
        return PinyinTable.readings[scalar.value] ?? []
    })
}

enum PinyinTable {
    static let readings: [UInt32: [String]] = IntakeData.shared.tonelessReadings()
}
