import Vapor

/// The interface language: Simplified Chinese by default, English on request.
enum Language: String, CaseIterable, Sendable {
    case zh, en

    static let cookieName = "lang"

    /// Picks the text in this language.
    func t(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }

    var other: Language { self == .zh ? .en : .zh }

    /// The `lang` attribute value.
    var tag: String { self == .zh ? "zh-Hans" : "en" }

    /// `?lang=` first, then the cookie, then the browser's `Accept-Language` (a first visit).
    static func resolve(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let query, let lang = Language(rawValue: query) { return lang }
        if let cookie, let lang = Language(rawValue: cookie) { return lang }
        return fromAcceptLanguage(acceptLanguage)
    }

    /// The first of `zh*` or `en*` by quality; Chinese when neither is named.
    static func fromAcceptLanguage(_ header: String?) -> Language {
        guard let header else { return .zh }
        var best: (lang: Language, q: Double)?
        for item in header.split(separator: ",").prefix(20) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let lang: Language? = tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            if let lang, q > (best?.q ?? 0) { best = (lang, q) }
        }
        return best?.lang ?? .zh
    }
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }

    /// The language this request is answered in (set by `LanguageMiddleware`).
    var language: Language {
        get { storage[LanguageKey.self] ?? .zh }
        set { storage[LanguageKey.self] = newValue }
    }
}

/// Resolves the language of each page request; `?lang=` also sets a cookie so the choice sticks.
struct LanguageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let asked = (try? request.query.get(String.self, at: "lang")).flatMap(Language.init(rawValue:))
        request.language = Language.resolve(
            query: asked?.rawValue, cookie: request.cookies[Language.cookieName]?.string,
            acceptLanguage: request.headers.first(name: .acceptLanguage))
        let response = try await next.respond(to: request)
        if let asked {
            response.cookies[Language.cookieName] = HTTPCookies.Value(
                string: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true, sameSite: .lax)
        }
        response.headers.replaceOrAdd(name: .vary, value: "Cookie, Accept-Language")
        return response
    }
}
