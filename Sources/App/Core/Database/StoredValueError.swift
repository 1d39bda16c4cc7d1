import Foundation

/// A stored value that does not decode into the domain: the table, the row and the column are named,
/// and the request fails (500, logged with its request id) instead of reading a default or dropping
/// the row, so a damaged or unexpected value is noticed rather than silently changed.
struct StoredValueError: Error, CustomStringConvertible {
    let table: String
    let id: String
    let column: String
    let value: String

    init(table: String, id: (any CustomStringConvertible)?, column: String, value: String) {
        self.table = table
        self.id = id?.description ?? "(new)"
        self.column = column
        self.value = value
    }

    var description: String {
        "stored value does not decode: \(table) row \(id), column \(column): '\(value.prefix(80))'"
    }
}
