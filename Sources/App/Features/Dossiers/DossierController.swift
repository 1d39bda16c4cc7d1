import ClusterDomain
import Fluent
import Vapor

/// Entry dossiers: the lead city (or the cluster's promotion body, or an admin) files the structured
/// fields and the evidence files until the dossier stage closes. A dossier and its files are read by
/// its filers, a member province's authority, admins, ministry reviewers and the experts assigned to
/// the entry (`mayRead`); the round's public pages show entries and rankings, not dossiers.
struct DossierController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.dossier(":id", ":cluster"), use: show)
        app.register(.PUT, APIRoute.dossier(":id", ":cluster"), use: save)
        app.register(.POST, APIRoute.dossierFiles(":id", ":cluster"), use: upload)
    }

    struct FileDTO: Content {
        let id: String
        let filename: String
        let mediaType: String
        let size: Int
        let sha256: String
        let url: String
    }

    struct DossierDTO: Content {
        let round: String
        let cluster: String
        let promotionBody: String
        let plan: String
        let highlights: String
        let values: [String: Double]
        let version: Int
        let submittedAt: Date?
        let files: [FileDTO]
    }

    func show(req: Request) async throws -> DossierDTO {
        _ = try Request.parseQuery(req.url.query, allowed: [])
        let service = DossierService(context: req.services())
        let (round, cluster, row) = try await service.loadReadable(
            round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "")
        return try await service.dto(round: round, cluster: cluster, row: row)
    }

    struct DossierInput: Content {
        var promotionBody: String?
        var plan: String?
        var highlights: String?
        var values: [String: Double]?
        /// The version read; required once the dossier exists.
        var version: Int?
        /// Hand the dossier in (it can still be corrected until the stage closes).
        var submit: Bool?
    }

    func save(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(DossierInput.self)
        let dto = try await DossierService(context: req.services(caller: caller)).save(
            input, round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "", caller: caller)
        return try await dto.encodeResponse(status: dto.version == 1 ? .created : .ok, for: req)
    }

    struct FileForm: Content {
        var file: File?
    }

    func upload(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let service = DossierService(context: req.services(caller: caller))
        _ = try await service.mayAttach(
            round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "", caller: caller)
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            throw APIError(
                .unsupportedMediaType, "send the file as multipart/form-data with a 'file' part", parameter: "file")
        }
        let form = try req.content.decode(FileForm.self)
        return try await service.attach(
            form.file, round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "",
            caller: caller
        ).encodeResponse(status: .created, for: req)
    }
}
