import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every page, signed out and signed in as each example role, and every form's error state, read in
/// Chinese as its users read it: no English word, no raw code, no note meant for developers.
@Suite struct PageLanguageTests {
    /// In Chinese: no English word, no raw code. In English: no wording of the message catalogue left
    /// in Chinese (the catalogue has the English).
    @Test(arguments: ["zh", "en"])
    func pagesSpeakTheirLanguage(lang: String) async throws {
        try await withLadder(.sqlite) { app in
            let y = app.today().year
            let loaded = try await ExampleData(app: app, today: app.today()).load()
            let password = try #require(loaded.password)
            // An entry made on the server's command line, as `ladder users create` makes one.
            try await AuditLog.record(
                on: app.db, origin: .init(commandLine: app), caller: nil, grant: "command line", action: "create_user",
                outcome: .done, entity: "user", entityID: "cli@example.org")
            let policy = try #require(try await PolicyModel.query(on: app.db).sort(\.$id).first()?.id)
            let announcement = try #require(
                try await AnnouncementModel.query(on: app.db).sort(\.$id).first()?.id)
            let activity = try #require(try await CooperationActivityModel.query(on: app.db).sort(\.$id).first()?.id)
            let objection = try await ObjectionModel.query(on: app.db).sort(\.$id).first()?.id
            var paths = [
                "/", "/clusters", "/clusters?q=深川", "/clusters/NC001", "/clusters/EX01", "/clusters/EX06",
                "/provinces/32", "/figures", "/clusters/new", "/clusters/EX01/edit", "/audit", "/login", "/account",
                "/account/two-factor", "/login/code",
                "/admin/users", "/policies", "/policies/\(policy)", "/policies/new", "/policies/\(policy)/edit",
                "/takeups/new", "/cooperation", "/cooperation/new", "/cooperation/\(activity)/documents",
                "/announcements", "/announcements/\(announcement)", "/announcements/new",
                "/announcements/\(announcement)/edit", "/intake", "/rounds", "/rounds/EX\(y - 1)", "/rounds/EX\(y)",
                "/indicators", "/work", "/rounds/EX\(y)/recommend", "/rounds/EX\(y - 1)/dossiers/EX01",
                "/rounds/EX\(y)/dossiers/EX03", "/rounds/EX\(y)/assign", "/rounds/EX\(y)/scores/EX03",
                "/rounds/EX\(y - 1)/object", "/rounds/EX\(y)/object", "/clusters/EX01/decide",
                "/clusters/EX01/sign-off", "/returns",
                "/clusters/EX06/returns/\(y - 1)", "/clusters/EX01/returns/\(y - 1)", "/ratings",
                "/no-such-page", "/clusters/NC999",
            ]
            if let objection { paths.append("/rounds/EX\(y - 1)/objections/\(objection)/resolve") }
            try Self.expectEveryPageListed(app, paths)
            var browsers: [(String, Browser?)] = [("signed out", nil)]
            for account in ExampleData.accounts {
                browsers.append((account.email, try await signIn(app, account.email, password: password)))
            }
            var problems: [String] = []
            func check(_ html: String) -> [String] {
                lang == "zh" ? PageText.foreignWords(in: html) : PageText.chineseLeft(in: html)
            }
            func inLanguage(_ path: String) -> String { path + (path.contains("?") ? "&" : "?") + "lang=" + lang }
            for (who, browser) in browsers {
                for path in paths {
                    let page = try await Self.get(app, inLanguage(path), browser)
                    for word in check(page.body) {
                        problems.append("\(who) \(path) [\(page.status)]: \(word)")
                    }
                    guard let browser, page.status == 200 else { continue }
                    for action in PageText.formActions(in: page.body) where !PageText.leavesAlone(action) {
                        let answer = try await postForm(app, inLanguage(action), browser, [:])
                        for word in check(answer.body) {
                            problems.append("\(who) POST \(action) from \(path) [\(answer.status)]: \(word)")
                        }
                    }
                }
            }
            let unique = Array(Set(problems)).sorted()
            #expect(
                unique.isEmpty,
                Comment(rawValue: "\(unique.count) problems:\n" + unique.prefix(20000).joined(separator: "\n")))
        }
    }

    /// Each page the app serves (GET, not the API, not files) is among `paths`.
    static func expectEveryPageListed(_ app: Application, _ paths: [String]) throws {
        let files: Set<String> = ["/styles.css", "/announcements.atom", "/attachments/:id", "/logout", "/metrics"]
        for route in app.routes.all where route.method == .GET {
            let template = "/" + route.path.map(\.description).joined(separator: "/")
            if template.hasPrefix("/api") || files.contains(template) { continue }
            let parts = route.path.map(\.description)
            let covered = paths.contains { path in
                let segments = path.split(separator: "?").first!.split(separator: "/").map(String.init)
                return segments.count == parts.count
                    && zip(segments, parts).allSatisfy { $0.1.hasPrefix(":") || $0.0 == $0.1 }
            }
            #expect(covered, "no page of \(template) is read in Chinese")
        }
    }

    static func get(_ app: Application, _ path: String, _ browser: Browser?) async throws -> Page {
        var page = Page(status: 0, body: "", location: "")
        let headers: HTTPHeaders = browser.map { ["Cookie": $0.cookie] } ?? [:]
        try await app.testing().test(.GET, path, headers: headers) { res in
            page = Page(status: res.status.code, body: res.body.string, location: "")
        }
        return page
    }
}

/// What a reader sees of a page, and the words in it that are not Chinese.
enum PageText {
    /// Short ASCII words allowed on Chinese pages: units, file formats and the like.
    static let allowed: Set<String> = [
        "MB", "KB", "CSV", "JSON", "XLSX", "API", "Atom", "PDF", "OpenAPI", "HTTP", "HTTPS", "URL", "GDP", "GB",
        "Excel", "Word", "WeChat", "GBK", "Big5", "UTF-8", "http", "https",
    ]

    /// Words of three or more ASCII letters in the visible text (and the attributes people read) that are
    /// neither ids, addresses nor allowed; raw codes (`new_materials`, `provincial:32`) among them.
    static func foreignWords(in html: String) -> [String] {
        var words: [String] = []
        let shown = visibleText(html)
        for token in shown.split(whereSeparator: { $0.isWhitespace || "，。、；：（）《》【】「」？！“”‘’".contains($0) }) {
            let word = token.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?()[]{}'\"·…—–|/»«›‹<>"))
            if isAllowed(word) || isAllowed(String(token)) { continue }
            // The word with what surrounds it, so that a failure says where it is.
            var around = word
            if let r = shown.range(of: word) {
                let start = shown.index(r.lowerBound, offsetBy: -20, limitedBy: shown.startIndex) ?? shown.startIndex
                around = String(shown[start..<r.upperBound])
            }
            words.append(around.replacingOccurrences(of: "\n", with: " "))
        }
        return words
    }

    static func isAllowed(_ word: String) -> Bool {
        let letters = word.unicodeScalars.filter { $0.isASCII && CharacterSet.letters.contains($0) }
        var run = 0
        var longest = 0
        for scalar in word.unicodeScalars {
            if scalar.isASCII && CharacterSet.letters.contains(scalar) {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        if letters.isEmpty || longest < 3 { return true }
        if allowed.contains(word) { return true }
        if word.contains("://") || word.hasPrefix("/") || word.hasPrefix(".") || word.hasPrefix("www.")
            || word.contains("@")
        {
            return true
        }
        // Ids: a few capitals then digits (NC001, EX01, POL012, COOP004, R2027-2).
        if word.range(of: #"^[A-Z]{1,5}[0-9]+(-[0-9]+)?$"#, options: .regularExpression) != nil { return true }
        // File names people uploaded or download.
        if word.range(of: #"^[^\s]+\.(pdf|csv|json|xlsx|docx?|png|jpe?g|txt|html?)$"#, options: .regularExpression)
            != nil
        {
            return true
        }
        return false
    }

    /// The catalogue's Chinese wordings (sentences of six characters or more, without placeholders —
    /// shorter names such as 国家级 also occur inside Chinese data) found on an English page, outside
    /// text marked as Chinese (a cluster's Chinese name beside its English one).
    static func chineseLeft(in html: String) -> [String] {
        var shown = html
        shown = shown.replacingOccurrences(
            of: #"<(\w+) [^>]*lang="zh-Hans"[^>]*>[^<]*</\1>"#, with: " ", options: .regularExpression)
        let text = visibleText(shown)
        return MessageCatalogue.entries.values.map(\.zh)
            .filter { !$0.contains("{") && $0.count >= 6 && text.contains($0) }
            .sorted()
    }

    /// The text of a page as shown, with titles, placeholders and labels for assistive technology.
    static func visibleText(_ html: String) -> String {
        var text = html
        // Verbatim records (an audit entry's before and after) and what people typed are not the page's words.
        for element in ["script", "style", "head", "pre", "textarea"] {
            text = text.replacingOccurrences(
                of: "<\(element)[^>]*>[\\s\\S]*?</\(element)>", with: " ", options: .regularExpression)
        }
        var shown: [String] = []
        let attributes = #"(?:title|placeholder|aria-label|alt)="([^"]*)""#
        let regex = try! NSRegularExpression(pattern: attributes)
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            if let range = Range(match.range(at: 1), in: text) { shown.append(String(text[range])) }
        }
        // Text marked as English (the language link, a cluster's English name beside its Chinese one) is
        // English on purpose.
        text = text.replacingOccurrences(
            of: #"<(\w+) [^>]*lang="en"[^>]*>[^<]*</\1>"#, with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        shown.append(text)
        return shown.joined(separator: " ").replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ")
    }

    /// Where the page's forms post to.
    static func formActions(in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"<form[^>]*method="post"[^>]*action="([^"]+)""#)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).map { String(html[$0]).replacingOccurrences(of: "&amp;", with: "&") }
        }
    }

    /// Forms whose empty post is not an error but an act (signing out, revoking, retiring, withdrawing).
    static func leavesAlone(_ action: String) -> Bool {
        ["/logout", "/revoke", "/retire", "/withdraw", "/lang"].contains { action.contains($0) }
    }
}
