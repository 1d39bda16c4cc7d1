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

/// JSON kept in a text column, read and written without defaults: a column that does not decode is a
/// `StoredValueError`, and a value that cannot be encoded (a non-finite number) is refused before it
/// is stored instead of being replaced by an empty one.
enum StoredJSON {
    static func decode<T: Decodable>(
        _ type: T.Type, from text: String, table: String, id: (any CustomStringConvertible)?, column: String
    ) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoredValueError(table: table, id: id, column: column, value: text)
        }
    }

    static func encode(_ value: some Encodable, sortedKeys: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        if sortedKeys { encoder.outputFormatting = .sortedKeys }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
