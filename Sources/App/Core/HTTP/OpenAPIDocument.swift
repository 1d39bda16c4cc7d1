import Foundation

/// The OpenAPI 3.1 document of the API, kept as a resource file. A test checks that its paths
/// and parameters are exactly the routes the app registers.
enum OpenAPIDocument {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "openapi.json is missing from the bundled resources" }
    }

    static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
        else {
            throw Missing()
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
