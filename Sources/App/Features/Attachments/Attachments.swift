import ClusterDomain
import Crypto
import DocumentIntake
import Fluent
import Foundation
import Vapor

/// A stored upload. The bytes live in the data directory under their SHA-256 (never under a name a
/// user chose); the row keeps the name only to show and to offer on download.
final class AttachmentModel: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int
    @Field(key: "media_type") var mediaType: String
    @Field(key: "filename") var filename: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "uploaded_by") var uploadedBy: String?
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

/// Files kept on disk, content-addressed: `<directory>/attachments/<sha256>`. Accepts only the types
/// of the allow-list, recognised by their first bytes (and, for text and Office files, the name's
/// extension), up to `maxBytes`.
struct AttachmentStore: Sendable {
    let directory: String
    let maxBytes: Int

    struct Kind: Sendable {
        let mediaType: String
        let extensions: [String]
    }

    static let allowed: [String] = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "txt", "html", "htm"]

    enum Rejection: Error, CustomStringConvertible {
        case empty
        case tooLarge(Int, Int)
        case type(String)

        var message: Message {
            switch self {
            case .empty: Message("file.empty")
            case .tooLarge(let size, let limit):
                Message("file.too_large", ["size": "\(size)", "mb": "\(limit / 1_048_576)", "limit": "\(limit)"])
            case .type(let name):
                Message(
                    "file.type",
                    [
                        "name": String(name.prefix(60)),
                        "allowed": AttachmentStore.allowed.map { "." + $0 }.joined(separator: ", "),
                    ])
            }
        }

        var description: String {
            switch self {
            case .empty: return "the file is empty"
            case .tooLarge(let size, let limit): return "the file has \(size) bytes; the limit is \(limit)"
            case .type(let name):
                return "'\(name)' is not an accepted type; accepted: "
                    + AttachmentStore.allowed.map { "." + $0 }.joined(separator: ", ")
            }
        }
    }

    /// The media type of `bytes` named `filename`, or nil when the type is not accepted.
    static func sniff(_ bytes: [UInt8], filename: String) -> String? {
        let ext = (filename.split(separator: ".").last.map(String.init) ?? "").lowercased()
        func starts(_ prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
        if starts(Array("%PDF-".utf8)) { return ext == "pdf" ? "application/pdf" : nil }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return ext == "png" ? "image/png" : nil }
        if starts([0xFF, 0xD8, 0xFF]) { return ["jpg", "jpeg"].contains(ext) ? "image/jpeg" : nil }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            switch ext {
            case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            default: return nil
            }
        }
        if ["txt", "html", "htm"].contains(ext), (try? TextDecoding().decode(bytes)) != nil {
            // Served as plain text either way, so a stored page never runs in the browser.
            return "text/plain; charset=utf-8"
        }
        return nil
    }

    /// A name fit to show and to offer on download: no folders, no control characters, at most 120 characters.
    static func displayName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(
            last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }.prefix(120).map(
                Character.init))
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "attachment" : cleaned
    }

    /// Checks and stores a file, returning its row (not yet saved).
    func store(
        _ bytes: [UInt8], filename: String, entity: String, entityID: String, uploadedBy: String?, at: Date,
        io: NonBlockingFileIO? = nil
    ) throws -> AttachmentModel {
        guard !bytes.isEmpty else { throw Rejection.empty }
        guard bytes.count <= maxBytes else { throw Rejection.tooLarge(bytes.count, maxBytes) }
        let name = Self.displayName(filename)
        guard let mediaType = Self.sniff(bytes, filename: name) else { throw Rejection.type(name) }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("attachments", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(digest)
        if !FileManager.default.fileExists(atPath: path.path) {
            // Write beside, then move: a reader never sees half a file.
            let temporary = folder.appendingPathComponent(digest + ".part-" + UUID().uuidString)
            try Data(bytes).write(to: temporary)
            do { try FileManager.default.moveItem(at: temporary, to: path) } catch {
                try? FileManager.default.removeItem(at: temporary)
                if !FileManager.default.fileExists(atPath: path.path) { throw error }
            }
        }
        let row = AttachmentModel()
        row.id = UUID().uuidString.lowercased()
        row.sha256 = digest
        row.size = bytes.count
        row.mediaType = mediaType
        row.filename = name
        row.entity = entity
        row.entityID = entityID
        row.uploadedBy = uploadedBy
        row.uploadedAt = at
        return row
    }

    func path(of row: AttachmentModel) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent("attachments").appendingPathComponent(row.sha256).path
    }
}

/// `GET /attachments/{id}`: the file, offered as a download under its shown name. Files of public
/// records (cooperation activities) are open to all; a dossier's evidence only to those who may read
/// the dossier (`DossierAccess.mayRead`).
struct AttachmentController: Sendable {
    func register(on app: Application) {
        app.register(.GET, WebRoute.attachment(":id"), use: download)
    }

    func download(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        guard id.count <= 64, let row = try await AttachmentModel.find(id, on: req.db),
            let data = FileManager.default.contents(atPath: req.application.attachments.path(of: row))
        else {
            throw APIError.notFound(req.language.t("没有这个附件。", "No such attachment."), parameter: "id")
        }
        if row.entity == "round_dossier" {
            let caller = try req.requireCaller()
            guard let entry = DossierModel.parts(ofKey: row.entityID),
                let cluster = try await req.store.registry().clusters.first(where: { $0.id == entry.cluster }),
                try await DossierAccess.mayRead(caller, round: entry.round, cluster: cluster, on: req.db)
            else {
                throw DossierAccess.unreadable
            }
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: row.mediaType)
        let encoded = row.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"attachment\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: "X-Content-SHA256", value: row.sha256)
        return response
    }
}
