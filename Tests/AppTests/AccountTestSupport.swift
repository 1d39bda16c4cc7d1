import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

let testPassword = "Tested-Password-2026"

/// A user with these grants, created as the CLI does.
@discardableResult
func makeUser(_ app: Application, _ email: String, _ grants: [Grant]) async throws -> UserModel {
    let accounts = Accounts(app: app, db: app.db)
    let first = try #require(grants.first)
    let user = try await accounts.create(email: email, name: email, password: testPassword, grant: first)
    for grant in grants.dropFirst() { try await accounts.add(grant, to: user, on: app.db) }
    return user
}

/// An API token for the user carrying `grants`, stored as the app stores them (hash only).
func makeToken(_ app: Application, for user: UserModel, _ grants: [Grant], expires: Date? = nil) async throws -> String
{
    let token = TokenCodec.generate()
    let row = APITokenModel()
    row.$user.id = try user.requireID()
    row.name = "test"
    row.tokenHash = TokenCodec.hash(token)
    row.prefix = String(token.prefix(10))
    row.grants = grants.map(\.description)
    row.expiresAt = expires ?? testNow.addingTimeInterval(86_400)
    try await row.create(on: app.db)
    return token
}

/// A signed-in browser: the session cookie and the form token.
struct Browser {
    var cookie: String
    var csrf: String
}

func cookieValue(_ res: TestingHTTPResponse) -> String? {
    res.headers[.setCookie].compactMap { $0.components(separatedBy: ";").first }
        .first { $0.hasPrefix("ladder_session=") }
}

func csrfToken(in html: String) -> String? {
    guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

/// The sign-in form as a browser opens it: its session cookie and CSRF token.
func openSignInForm(_ app: Application) async throws -> (cookie: String, csrf: String) {
    var cookie = ""
    var csrf = ""
    try await app.testing().test(.GET, "/login") { res in
        cookie = try #require(cookieValue(res))
        csrf = try #require(csrfToken(in: res.body.string))
    }
    return (cookie, csrf)
}

/// Signs in through the login form, as a person would.
func signIn(_ app: Application, _ email: String, password: String = testPassword) async throws -> Browser {
    var (cookie, csrf) = try await openSignInForm(app)
    try await app.testing().test(
        .POST, "/login", headers: ["Cookie": cookie],
        beforeRequest: { req in
            try req.content.encode(["_csrf": csrf, "email": email, "password": password], as: .urlEncodedForm)
        }
    ) { res in
        #expect(res.status == .seeOther, "sign-in of \(email)")
        cookie = try #require(cookieValue(res))
    }
    try await app.testing().test(.GET, "/account", headers: ["Cookie": cookie]) { res in
        #expect(res.status == .ok)
        csrf = try #require(csrfToken(in: res.body.string))
    }
    return Browser(cookie: cookie, csrf: csrf)
}

func currentVersion(_ app: Application, _ id: String) async throws -> Int {
    try #require(try await ClusterModel.find(id, on: app.db)).version
}

func auditCount(_ app: Application) async throws -> Int {
    try await AuditEntryModel.query(on: app.db).count()
}

/// Bearer headers for a new user holding `grant`, with a token carrying it.
func bearer(_ app: Application, _ email: String, _ grant: Grant) async throws -> HTTPHeaders {
    let user = try await makeUser(app, email, [grant])
    var headers = HTTPHeaders()
    headers.bearerAuthorization = BearerAuthorization(token: try await makeToken(app, for: user, [grant]))
    return headers
}

/// Sends a JSON body (POST unless told); the status and the decoded JSON object (empty when the body is not one).
func postJSON(
    _ app: Application, _ path: String, _ headers: HTTPHeaders, _ body: [String: AnyCodable],
    method: HTTPMethod = .POST
) async throws -> (UInt, [String: Any]) {
    var out: (UInt, [String: Any]) = (0, [:])
    try await app.testing().test(
        method, path, headers: headers,
        beforeRequest: { req in
            try req.content.encode(body, as: .json)
        }
    ) { res in out = (res.status.code, (try? res.json()) ?? [:]) }
    return out
}

/// What a browser sees of a response: status, body and where it is sent.
struct Page {
    let status: UInt
    let body: String
    let location: String
}

/// A page as a signed-in browser gets it.
func getPage(_ app: Application, _ path: String, _ b: Browser) async throws -> Page {
    var page = Page(status: 0, body: "", location: "")
    try await app.testing().test(.GET, path, headers: ["Cookie": b.cookie]) { res in
        page = Page(status: res.status.code, body: res.body.string, location: res.headers.first(name: .location) ?? "")
    }
    return page
}

/// A form posted by a signed-in browser, with its form token.
func postForm(_ app: Application, _ path: String, _ b: Browser, _ form: [String: String]) async throws -> Page {
    var fields = form
    fields["_csrf"] = b.csrf
    var page = Page(status: 0, body: "", location: "")
    try await app.testing().test(
        .POST, path, headers: ["Cookie": b.cookie],
        beforeRequest: { req in
            try req.content.encode(fields, as: .urlEncodedForm)
        }
    ) { res in
        page = Page(status: res.status.code, body: res.body.string, location: res.headers.first(name: .location) ?? "")
    }
    return page
}
