import Fluent
import Foundation
import SQLKit

/// Announcements become editable: each row carries the version an update must name.
struct AddAnnouncementVersion: AsyncMigration {
    var name: String { "2026-11-25-add-announcement-version" }

    func prepare(on database: any Database) async throws {
        try await database.schema("announcements").field("version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("announcements").deleteField("version").update()
    }
}
