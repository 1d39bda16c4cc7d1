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
        switch error {
        case let e as APIError:
            (status, reason, parameter, allowed, headers) = (e.status, e.reason, e.parameter, e.allowed, e.headers)
        case let e as QueryError:
            (status, reason, parameter, allowed) = (.badRequest, e.description, e.parameter, e.allowed)
        case let e as any AbortError:
            (status, reason, headers) = (e.status, e.reason, e.headers)
        default:
            status = .internalServerError
            reason = "internal error"
        }
        // The API is read-only: another method on one of its paths is 405, not 404.
        if status == .notFound, ![.GET, .HEAD].contains(request.method),
           APIRoute.matching(path: request.url.path) != nil {
            status = .methodNotAllowed
            reason = "method \(request.method.rawValue) not allowed; allowed: GET, HEAD"
            headers = ["Allow": "GET, HEAD"]
        }
        if status.code >= 500 {
            request.logger.report(error: error)
        }
        let isAPI = request.url.path.hasPrefix("/api/")
        let response: Response
        if isAPI {
            let body = ErrorBody(error: true, reason: reason, parameter: parameter, allowed: allowed)
            response = Response(status: status, headers: headers)
            do {
                try response.content.encode(body, using: JSONEncoder.api)
            } catch {
                response.body = .init(string: #"{"error":true,"reason":"internal error"}"#)
                response.headers.contentType = .json
            }
        } else {
            response = Response(status: status, headers: headers,
                                body: .init(string: ErrorPage.render(code: status.code, reason: reason, lang: request.language)))
            response.headers.contentType = .html
        }
        return response
    }
}

extension JSONEncoder {
    /// snake_case keys, sorted, for stable output.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

extension JSONDecoder {
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}
