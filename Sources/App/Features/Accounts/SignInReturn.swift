import Foundation
import Vapor

/// Where a person goes after signing in: back to the page they asked for, and — when a form was
/// posted after their session ran out — back to that form with what they had typed.
enum SignInReturn {
    /// `path` when it is a page of this site: a relative path (never `//host` or a backslash, which
    /// browsers read as another site), not the sign-in page itself, not the API. Nil otherwise.
    static func safePath(_ path: String?) -> String? {
        guard let path, (1...1000).contains(path.count), path.hasPrefix("/"), !path.hasPrefix("//"),
            !path.contains("\\"), !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
            !path.hasPrefix(WebRoute.login.path), !path.hasPrefix("/api/")
        else { return nil }
        return path
    }

    /// A form posted while signed out: its action and its text fields (the form token and any
    /// password left out), carried through the sign-in page and offered back after it.
    struct Resume: Codable, Equatable {
        let action: String
        let fields: [String: String]

        static let maxFields = 200
        static let maxBytes = 64 * 1024

        /// The posted form of `request`, when it is a plain form to a page of this site.
        init?(request: Request) {
            guard request.method == .POST, request.headers.contentType == .urlEncodedForm,
                let action = SignInReturn.safePath(request.url.path),
                let fields = try? request.content.decode([String: String].self), fields.count <= Self.maxFields
            else { return nil }
            self.action = action
            self.fields = fields.filter { $0.key != CSRF.field && !$0.key.lowercased().contains("password") }
        }

        init(action: String, fields: [String: String]) {
            self.action = action
            self.fields = fields
        }

        /// As carried in the sign-in form's hidden `resume` field.
        var encoded: String? {
            guard let data = try? JSONEncoder().encode(self), data.count <= Self.maxBytes else { return nil }
            return String(decoding: data, as: UTF8.self)
        }

        /// The carried form, checked again: it came back from the browser.
        static func decode(_ text: String?) -> Resume? {
            guard let text, text.utf8.count <= maxBytes,
                let resume = try? JSONDecoder().decode(Resume.self, from: Data(text.utf8)),
                safePath(resume.action) == resume.action, resume.fields.count <= maxFields
            else { return nil }
            return resume
        }
    }
}

/// A form posted after the session ran out answers with the sign-in page, keeping what was typed
/// (`SignInReturn.Resume`), instead of an error that loses it. Registered inside the sessions
/// middleware, so the sign-in page's form token is kept in a session.
struct SignInAgainMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as AuthError
            where error.status == .unauthorized && request.method == .POST && !request.url.path.hasPrefix("/api/")
            && request.url.path != WebRoute.login.path
        {
            let resume = SignInReturn.Resume(request: request)
            let lang = request.language
            let page = AccountPages.login(
                request.plainPageContext(), csrf: CSRF.token(for: request),
                message: resume == nil
                    ? lang.t("登录已过期，请重新登录后再提交。", "Your session has ended; sign in and send the form again.")
                    : lang.t(
                        "登录已过期。请重新登录，您填写的内容已保留，登录后可以确认提交。",
                        "Your session has ended. Sign in again: what you typed is kept, and you can send it after signing in."
                    ),
                next: request.url.path, resume: resume?.encoded)
            let response = PageResponse.html(page.render())
            response.status = .unauthorized
            return response
        }
    }
}
