import Foundation
import Vapor

/// A route's path template, `/rounds/{id}/dossiers/{cluster}`: the components Vapor registers and the
/// link with values filled in. Shared by `WebRoute` and `APIRoute`.
enum RouteTemplate {
    /// The template with each value percent-encoded in place of a `{…}`, in order.
    static func fill(_ template: String, _ values: [String]) -> String {
        var remaining = values[...]
        return template.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            guard part.hasPrefix("{"), let value = remaining.popFirst() else { return String(part) }
            return value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
        }.joined(separator: "/")
    }

    /// Route components for Vapor (`:name` where the template has `{name}`).
    static func components(_ template: String) -> [PathComponent] {
        template.split(separator: "/").map { part in
            part.hasPrefix("{")
                ? PathComponent.parameter(String(part.dropFirst().dropLast()))
                : PathComponent(stringLiteral: String(part))
        }
    }
}
