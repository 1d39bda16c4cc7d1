import ClusterDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// A create retried with the same `Idempotency-Key` returns the first answer and creates nothing.
@Suite struct IdempotencyTests {
    static func create(
        _ app: Application, _ auth: HTTPHeaders, key: String?, name: String
    ) async throws -> (UInt, String, HTTPHeaders) {
        var headers = auth
        if let key { headers.add(name: "Idempotency-Key", value: key) }
        var result: (UInt, String, HTTPHeaders) = (0, "", [:])
        try await app.testing().test(
            .POST, "/api/v1/clusters", headers: headers,
            beforeRequest: { req in
                let body: [String: AnyCodable] = [
                    "name_zh": AnyCodable(stringLiteral: name), "domain": "new_materials", "cities": AnyCodable(["苏州"]),
                ]
                try req.content.encode(body, as: .json)
            }
        ) { res in result = (res.status.code, res.body.string, res.headers) }
        return result
    }

    static func admin(_ app: Application, _ email: String) async throws -> HTTPHeaders {
        let user = try await makeUser(app, email, [Grant(role: .admin, scope: nil)])
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(
            token: try await makeToken(app, for: user, [Grant(role: .admin, scope: nil)]))
        return headers
    }

    @Test(arguments: TestDatabase.enabled)
    func aRetriedCreateReturnsTheFirstAnswerAndCreatesNothing(db: TestDatabase) async throws {
        try await withLadder(db) { app in
            let auth = try await Self.admin(app, "admin@example.org")
            let before = try await ClusterModel.query(on: app.db).count()
            let first = try await Self.create(app, auth, key: "create-suzhou-1", name: "苏州市幂等测试集群")
            #expect(first.0 == 201)
            let again = try await Self.create(app, auth, key: "create-suzhou-1", name: "苏州市幂等测试集群")
            #expect(again.0 == 201)
            #expect(again.1 == first.1)
            #expect(again.2.first(name: "Idempotent-Replayed") == "true")
            #expect(try await ClusterModel.query(on: app.db).count() == before + 1)
            // The same key for another request is refused; another person's same key is their own.
            let other = try await Self.create(app, auth, key: "create-suzhou-1", name: "无锡市幂等测试集群")
            #expect(other.0 == 422)
            #expect(other.1.contains("Idempotency-Key"))
            let colleague = try await Self.admin(app, "colleague@example.org")
            #expect(try await Self.create(app, colleague, key: "create-suzhou-1", name: "常州市幂等测试集群").0 == 201)
            // Several retries at once still create one.
            let results = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await Self.create(app, auth, key: "burst-1", name: "南通市幂等测试集群").0 }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 == 201 || $0 == 409 })
            let burst = try await ClusterModel.query(on: app.db).filter(\.$nameZh == "南通市幂等测试集群").count()
            #expect(burst == 1)
            // Without a key nothing changes; a malformed key is a 400 naming the header.
            #expect(try await Self.create(app, auth, key: nil, name: "扬州市幂等测试集群").0 == 201)
            let malformed = try await Self.create(app, auth, key: "has space", name: "泰州市幂等测试集群")
            #expect(malformed.0 == 400)
            #expect(malformed.1.contains("Idempotency-Key"))
        }
    }

    @Test func aRefusedRequestIsNotKeptSoItsCorrectedRetryRuns() async throws {
        try await withLadder(.sqlite) { app in
            let auth = try await Self.admin(app, "admin@example.org")
            #expect(try await Self.create(app, auth, key: "k-2", name: "").0 == 422)
            #expect(try await IdempotencyRecord.query(on: app.db).count() == 0)
            #expect(try await Self.create(app, auth, key: "k-2", name: "镇江市幂等测试集群").0 == 201)
        }
    }
}
