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

    /// What an error means for the caller: status, reason and the details the JSON body carries.
    struct Outcome {
        var status: HTTPResponseStatus
        var reason: String
        var parameter: String?
        var allowed: [String]?
        var headers = HTTPHeaders()
        var fields: [String: String]?
        /// Field → the catalogue key of its message.
        var keys: [String: String]? = nil
        var current: ClusterDTO?
        /// The catalogue key of the reason, where it has one.
        var key: String? = nil
        /// The reason in Chinese, for Chinese pages; without one a Chinese page explains the status.
        var reasonZh: String?
    }

    static func response(for error: any Error, request: Request) -> Response {
        var outcome = classify(error, request: request)
        // A path that exists with other methods is 405 with the methods it has, not 404.
        if outcome.status == .notFound, request.url.path.hasPrefix("/api/") {
            let methods = allowedMethods(for: request.url.path, in: request.application.routes)
            if !methods.isEmpty, !methods.contains(request.method.rawValue) {
                outcome.status = .methodNotAllowed
                outcome.reason =
                    "method \(request.method.rawValue) not allowed; allowed: " + methods.joined(separator: ", ")
                outcome.headers = ["Allow": methods.joined(separator: ", ")]
            }
        }
        if outcome.status.code >= 500 {
            LadderMetrics.error(status: outcome.status.code)
            // The request id is in the logger's metadata, so the log line and the answer can be matched.
            request.logger.report(error: error)
        }
        let isAPI = request.url.path.hasPrefix("/api/")
        // A page that needs a signed-in person sends a browser to the sign-in form.
        if outcome.status == .unauthorized, !isAPI, request.method == .GET {
            let asked = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(
                to: SignInReturn.safePath(asked).map { WebRoute.login.link(["next": $0]) } ?? WebRoute.login.path)
        }
        return isAPI ? json(outcome, request: request) : page(outcome, request: request)
    }

    static func classify(_ error: any Error, request: Request) -> Outcome {
        switch error {
        case let e as FieldErrors:
            let zh = e.messages(chinese: true).sorted { $0.key < $1.key }.map(\.value)
            return Outcome(
                status: .unprocessableEntity, reason: "invalid fields: " + e.description, fields: e.fields,
                keys: e.keys, key: "field.invalid", reasonZh: "请修改：" + zh.joined(separator: "；"))
        case let e as ControlCharacterError:
            let label =
                FormFields.label(e.field, .zh) ?? MessageCatalogue.text(Message("input.field_unnamed"), chinese: true)
            return Outcome(
                status: e.inQuery ? .badRequest : .unprocessableEntity, reason: e.description,
                parameter: e.inQuery ? e.field : nil,
                fields: e.inQuery ? nil : [e.field: e.message(fieldName: e.field).english],
                keys: e.inQuery ? nil : [e.field: "input.control_character"], key: "input.control_character",
                reasonZh: e.message(fieldName: e.inQuery ? Self.parameterName(e.field) : label).chinese)
        case let e as ClusterWriter.Stale:
            return Outcome(
                status: .conflict,
                reason: "the cluster was changed by someone else (now version \(e.current.version)); "
                    + "reload it and apply your change again",
                current: ClusterDTO(
                    e.current, registry: Registry(reference: request.application.reference, clusters: [e.current]),
                    asOf: request.application.today()))
        case let e as LadderService.Moved:
            return Outcome(
                status: .conflict, reason: "the ladder of \(e.cluster) changed meanwhile; reload it and decide again")
        case let e as APIError:
            return Outcome(
                status: e.status, reason: e.reason, parameter: e.parameter, allowed: e.allowed, headers: e.headers,
                key: e.message?.key,
                reasonZh: e.message?.chinese ?? (e.status == .badRequest ? e.parameter.map(Self.badParameter) : nil))
        case let e as AuthError:
            return Outcome(status: e.status, reason: e.reason, key: e.message.key, reasonZh: e.message.chinese)
        case let e as QueryError:
            return Outcome(
                status: .badRequest, reason: e.description, parameter: e.parameter, allowed: e.allowed,
                reasonZh: Self.badParameter(e.parameter))
        case let e as any AbortError:
            return Outcome(status: e.status, reason: e.reason, headers: e.headers)
        default:
            // MultipartKit's parser errors are not AbortErrors (some are private types): a body that is
            // not well-formed multipart is the caller's fault, not the server's.
            if String(reflecting: type(of: error)).hasPrefix("MultipartKit.") {
                return Outcome(status: .badRequest, reason: "the multipart/form-data body could not be read")
            }
            if DatabaseAvailability.isUnavailable(error) {
                return Outcome(
                    status: .serviceUnavailable, reason: "the database cannot be reached; try again shortly",
                    headers: ["Retry-After": "5"], key: "database.unavailable",
                    reasonZh: Message("database.unavailable").chinese)
            }
            return Outcome(status: .internalServerError, reason: "internal error")
        }
    }

    /// A page's link with a query parameter whose value is not understood, in Chinese, naming the
    /// parameter by what it means.
    static func badParameter(_ name: String) -> String {
        let known = MessageCatalogue.entries["param." + name] != nil
        return Message(
            "query.bad_parameter", worded: ["name": known ? Message("param." + name) : Message("param.unknown")]
        ).chinese
    }

    /// A query parameter by its Chinese name.
    static func parameterName(_ name: String) -> String {
        Message(MessageCatalogue.entries["param." + name] != nil ? "param." + name : "param.unknown").chinese
    }

    static func json(_ o: Outcome, request: Request) -> Response {
        let body = ErrorBody(
            error: true, reason: o.reason, parameter: o.parameter, allowed: o.allowed, fields: o.fields,
            keys: o.keys, key: o.key, current: o.current, requestId: o.status.code >= 500 ? request.id : nil)
        let response = Response(status: o.status, headers: o.headers)
        do {
            try response.content.encode(body, using: JSONEncoder.api)
        } catch {
            response.body = .init(string: #"{"error":true,"reason":"internal error"}"#)
            response.headers.contentType = .json
        }
        return response
    }

    static func page(_ o: Outcome, request: Request) -> Response {
        let response = Response(
            status: o.status, headers: o.headers,
            body: .init(
                string: ErrorPage.render(
                    code: o.status.code,
                    reason: request.language == .zh
                        ? (o.reasonZh ?? (o.reason.containsChinese ? o.reason : ErrorPage.explanation(o.status.code)))
                        : o.reason,
                    lang: request.language,
                    requestID: o.status.code >= 500 ? request.id : nil)))
        response.headers.contentType = .html
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

extension String {
    /// Whether the text holds a CJK character (a reason already worded in Chinese).
    var containsChinese: Bool { unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
}
