import ClusterDomain
import Plot
import Vapor

/// How every page handler starts and ends: the query checked against the route's parameters, the
/// layout's context (language switch, section, caller), and the rendered page as a response.
enum PageResponse {
    static func html(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: text))
        response.headers.contentType = .html
        return response
    }
}

extension Request {
    /// The page's parameters without `lang`, and the context for its layout. Parameters the page does
    /// not take are ignored (and left out of the language switch's link).
    func page(_ route: WebRoute, section: WebRoute.Section?) throws -> ([String: String], PageContext) {
        var params = try Request.parseQuery(url.query, allowed: route.parameters + ["lang"], ignoringUnknown: true)
        if let lang = params["lang"], !lang.isEmpty, Language(rawValue: lang) == nil {
            throw APIError(
                .badRequest, "parameter 'lang': unknown language '\(lang)'; allowed: zh, en",
                parameter: "lang", allowed: ["zh", "en"])
        }
        params["lang"] = nil
        var switched = params.filter { !$0.value.isEmpty }
        switched["lang"] = language.other.rawValue
        let href =
            url.path + "?"
            + switched.sorted { $0.key < $1.key }.map { "\($0.key)=\(WebRoute.encode($0.value))" }
            .joined(separator: "&")
        return (
            params,
            PageContext(
                lang: language, switchHref: href, section: section, caller: caller, reference: application.reference)
        )
    }

    /// The layout's context for a page that takes no query parameters (sign-in, account).
    func plainPageContext(section: WebRoute.Section? = nil) -> PageContext {
        PageContext(
            lang: language, switchHref: url.path + "?lang=" + language.other.rawValue, section: section,
            caller: caller, reference: application.reference)
    }
}

/// The form handlers' common path: who is signing, the form token, the fields, and what to show on
/// field errors or a conflict.
enum FormSubmission {
    /// The signed-in caller, session or token.
    static func caller(_ req: Request) throws -> Caller {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        return caller
    }

    /// A form's fields as sent (text fields only; at most 200 of them).
    static func fields(_ req: Request) throws -> [String: String] {
        let all = try req.content.decode([String: String].self)
        guard all.count <= 200 else { throw Abort(.payloadTooLarge, reason: "too many fields") }
        return all
    }

    /// Checks the caller and the form token, runs `perform`, and sends the browser to where it says;
    /// on field errors (or a conflict) shows the form again with the values sent and the messages.
    static func submit(
        _ req: Request, render: ([String: String], [String: String]) async throws -> HTML,
        perform: (Caller, [String: String]) async throws -> String
    ) async throws -> Response {
        let caller = try caller(req)
        try CSRF.verify(req)
        let values = try fields(req)
        let status: HTTPResponseStatus
        let errors: [String: String]
        do {
            return req.redirect(to: try await perform(caller, values), redirectType: .normal)
        } catch let e as FieldErrors {
            (status, errors) = (.unprocessableEntity, e.messages(chinese: req.language == .zh))
        } catch let e as APIError where e.status == .conflict {
            (status, errors) = (.conflict, ["form": e.reason])
        }
        let response = PageResponse.html(try await render(values, errors).render())
        response.status = status
        return response
    }
}

extension FieldErrors {
    /// The errors under a form's field names: the API's `values.output` is the form's `value_output`.
    var formKeys: FieldErrors {
        mapKeys { $0.hasPrefix("values.") ? "value_" + $0.dropFirst("values.".count) : $0 }
    }
}
