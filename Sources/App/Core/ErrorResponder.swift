import ClusterDomain
import Vapor

/// Turns every error into a response: JSON `{error, reason, …}` under `/api`, an HTML page elsewhere.
/// Errors that are not the caller's fault are logged in full and reported without internals.
struct ErrorResponder: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        var status: HTTPResponseStatus
        var reason: String
        var parameter: String?
        var allowed: [String]?
        var headers = HTTPHeaders()
        var fields: [String: String]?
        var current: ClusterDTO?
        switch error {
        case let e as FieldErrors:
            (status, reason, fields) = (.unprocessableEntity, "invalid fields: " + e.description, e.fields)
        case let e as ClusterWriter.Stale:
            status = .conflict
            reason =
                "the cluster was changed by someone else (now version \(e.current.version)); reload it and apply your change again"
            current = ClusterDTO(
                e.current, registry: Registry(reference: request.application.reference, clusters: [e.current]),
                asOf: request.application.today())
        case let e as LadderService.Moved:
            status = .conflict
            reason = "the ladder of \(e.cluster) changed meanwhile; reload it and decide again"
        case let e as APIError:
            (status, reason, parameter, allowed, headers) = (e.status, e.reason, e.parameter, e.allowed, e.headers)
        case let e as QueryError:
            (status, reason, parameter, allowed) = (.badRequest, e.description, e.parameter, e.allowed)
        case let e as any AbortError:
            (status, reason, headers) = (e.status, e.reason, e.headers)
        default:
            // MultipartKit's parser errors are not AbortErrors (some are private types): a body that is
            // not well-formed multipart is the caller's fault, not the server's.
            if String(reflecting: type(of: error)).hasPrefix("MultipartKit.") {
                (status, reason) = (.badRequest, "the multipart/form-data body could not be read")
            } else {
                status = .internalServerError
                reason = "internal error"
            }
        }
        // A path that exists with other methods is 405 with the methods it has, not 404.
        if status == .notFound, request.url.path.hasPrefix("/api/") {
            let methods = allowedMethods(for: request.url.path, in: request.application.routes)
            if !methods.isEmpty, !methods.contains(request.method.rawValue) {
                status = .methodNotAllowed
                reason = "method \(request.method.rawValue) not allowed; allowed: " + methods.joined(separator: ", ")
                headers = ["Allow": methods.joined(separator: ", ")]
            }
        }
        if status.code >= 500 {
            // The request id is in the logger's metadata, so the log line and the answer can be matched.
            request.logger.report(error: error)
        }
        let isAPI = request.url.path.hasPrefix("/api/")
        // A page that needs a signed-in person sends a browser to the sign-in form.
        if status == .unauthorized, !isAPI, request.method == .GET {
            return request.redirect(to: WebRoute.login.path)
        }
        let response: Response
        if isAPI {
            let body = ErrorBody(
                error: true, reason: reason, parameter: parameter, allowed: allowed, fields: fields,
                current: current, requestId: status.code >= 500 ? request.id : nil)
            response = Response(status: status, headers: headers)
            do {
                try response.content.encode(body, using: JSONEncoder.api)
            } catch {
                response.body = .init(string: #"{"error":true,"reason":"internal error"}"#)
                response.headers.contentType = .json
            }
        } else {
            response = Response(
                status: status, headers: headers,
                body: .init(
                    string: ErrorPage.render(
                        code: status.code, reason: reason, lang: request.language,
                        requestID: status.code >= 500 ? request.id : nil)))
            response.headers.contentType = .html
        }
        return response
    }
}

/// The methods registered for a concrete path (`:param` segments match anything), HEAD with GET.
func allowedMethods(for path: String, in routes: Routes) -> [String] {
    let parts = path.split(separator: "/").map(String.init)
    let candidates = routes.all.map { ($0.method, $0.path.map(\.description)) }.filter { _, template in
        template.count == parts.count && zip(template, parts).allSatisfy { t, p in t.hasPrefix(":") || t == p }
    }
    // A segment that some route names as a constant is that resource, not an id: `/takeups/totals`
    // is the totals, even though `PUT /takeups/:id` would also fit it.
    let exact = candidates.filter { _, template in
        template.indices.allSatisfy { i in
            template[i] == parts[i] || !candidates.contains { _, other in other[i] == parts[i] }
        }
    }
    var methods = Set<String>()
    for (method, _) in exact {
        methods.insert(method.rawValue)
        if method == .GET { methods.insert("HEAD") }
    }
    return methods.sorted()
}

extension JSONEncoder {
    /// snake_case keys, sorted, for stable output.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

extension JSONDecoder {
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
