import Fluent

struct CreatePolicies: AsyncMigration {
    var name: String { "2026-11-25-create-policies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("policies")
            .field("id", .string, .identifier(auto: false))
            .field("category", .string, .required)
            .field("level", .string, .required)
            .field("jurisdiction", .string)
            .field("issuers", .array(of: .string), .required)
            .field("owners", .array(of: .string), .required)
            .field("document_number", .string)
            .field("title_zh", .string, .required)
            .field("title_en", .string, .required)
            .field("summary_zh", .string)
            .field("summary_en", .string)
            .field("issued_on", .string)
            .field("effective_on", .string)
            .field("expires_on", .string)
            .field("url", .string)
            .field("source", .string, .required)
            .field("rule", .string, .required)
            .field("version", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("policies").delete()
    }
}
