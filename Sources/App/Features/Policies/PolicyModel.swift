import ClusterDomain
import Fluent
import Foundation
import Vapor

/// A row of `policies`: one policy instrument, its eligibility rule stored as JSON.
final class PolicyModel: Model, @unchecked Sendable {
    static let schema = "policies"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "category") var category: String
    @Field(key: "level") var level: String
    @OptionalField(key: "jurisdiction") var jurisdiction: String?
    @Field(key: "issuers") var issuers: [String]
    @Field(key: "owners") var owners: [String]
    @OptionalField(key: "document_number") var documentNumber: String?
    @Field(key: "title_zh") var titleZh: String
    @Field(key: "title_en") var titleEn: String
    @OptionalField(key: "summary_zh") var summaryZh: String?
    @OptionalField(key: "summary_en") var summaryEn: String?
    @OptionalField(key: "issued_on") var issuedOn: String?
    @OptionalField(key: "effective_on") var effectiveOn: String?
    @OptionalField(key: "expires_on") var expiresOn: String?
    @OptionalField(key: "url") var url: String?
    @Field(key: "source") var source: String
    @Field(key: "rule") var rule: String
    @Field(key: "version") var version: Int

    init() {}

    convenience init(_ p: Policy) {
        self.init()
        id = p.id
        update(from: p)
    }

    func update(from p: Policy) {
        category = p.categoryCode
        level = p.level.rawValue
        jurisdiction = p.jurisdiction
        issuers = p.issuerCodes
        owners = p.ownerCodes
        documentNumber = p.documentNumber
        titleZh = p.titleZh
        titleEn = p.titleEn
        summaryZh = p.summaryZh
        summaryEn = p.summaryEn
        issuedOn = p.issuedOn?.iso
        effectiveOn = p.effectiveOn?.iso
        expiresOn = p.expiresOn?.iso
        url = p.url
        source = p.source
        rule = p.rule.json
        version = p.version
    }

    func policy() throws -> Policy {
        guard let id else { throw StoredValueError(table: Self.schema, id: nil, column: "id", value: "") }
        guard let level = PolicyLevel(rawValue: level) else {
            throw StoredValueError(table: Self.schema, id: id, column: "level", value: level)
        }
        let rule = try StoredJSON.decode(EligibilityRule.self, from: rule, table: Self.schema, id: id, column: "rule")
        return Policy(
            id: id, categoryCode: category, level: level, issuerCodes: issuers, ownerCodes: owners,
            documentNumber: documentNumber, titleZh: titleZh, titleEn: titleEn, summaryZh: summaryZh,
            summaryEn: summaryEn,
            issuedOn: issuedOn.flatMap { Day($0) }, effectiveOn: effectiveOn.flatMap { Day($0) },
            expiresOn: expiresOn.flatMap { Day($0) }, url: url, source: source, rule: rule,
            jurisdiction: jurisdiction, version: version)
    }
}

/// The policy catalogue as stored: categories and departments from the data files, policies from
/// the database (seeded from `policies.json`).
struct PolicyStore {
    let db: any Database
    /// The shipped catalogue (its categories and departments are used as they are).
    let shipped: PolicyCatalogue

    func catalogue() async throws -> PolicyCatalogue {
        let rows = try await PolicyModel.query(on: db).sort(\.$id).all()
        return PolicyCatalogue(
            categories: shipped.categories, departments: shipped.departments,
            policies: try rows.map { try $0.policy() })
    }

    /// Inserts the shipped policies whose ids are not stored yet; returns how many.
    func seedMissing() async throws -> Int {
        let have = Set(try await PolicyModel.query(on: db).all(\.$id))
        var added = 0
        for policy in shipped.policies where !have.contains(policy.id) {
            try await PolicyModel(policy).create(on: db)
            added += 1
        }
        return added
    }
}

extension Request {
    /// The policy catalogue as stored now.
    func policyCatalogue() async throws -> PolicyCatalogue {
        try await PolicyStore(db: db, shipped: application.policies).catalogue()
    }
}
