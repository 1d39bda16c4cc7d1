import DocumentIntake
import Fluent
import Foundation

struct CreateAttachments: AsyncMigration {
    var name: String { "2026-11-25-create-attachments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("attachments")
            .field("id", .string, .identifier(auto: false))
            .field("sha256", .string, .required)
            .field("size", .int, .required)
            .field("media_type", .string, .required)
            .field("filename", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("uploaded_by", .string)
            .field("uploaded_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attachments").delete()
    }
}
