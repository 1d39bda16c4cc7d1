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

    /// The round, the entry's cluster and its dossier row (nil before the first filing).
    static func load(_ req: Request, round id: String, cluster clusterID: String) async throws -> (
        CompetitionRound, Cluster, DossierModel?
    ) {
        guard let round = try await RoundModel.find(id, on: req.db)?.round() else {
            throw APIError.notFound("no round with id '\(id.prefix(40))'", parameter: "id")
        }
        let entries = try await RoundController.recommendations(req.db, round: round.id)
        guard entries.contains(where: { $0.clusterID == clusterID }),
            let cluster = try await req.store.registry().clusters.first(where: { $0.id == clusterID })
        else {
            throw APIError.notFound(
                "'\(clusterID.prefix(40))' is not an entry of round \(round.id)", parameter: "cluster")
        }
        return (
            round, cluster,
            try await DossierModel.find(DossierModel.key(round: round.id, cluster: clusterID), on: req.db)
        )
    }

    static func files(_ req: Request, round: String, cluster: String) async throws -> [FileDTO] {
        try await AttachmentModel.query(on: req.db).filter(\.$entity == "round_dossier")
            .filter(\.$entityID == DossierModel.key(round: round, cluster: cluster)).sort(\.$uploadedAt).all()
            .map {
                FileDTO(
                    id: $0.id ?? "", filename: $0.filename, mediaType: $0.mediaType, size: $0.size, sha256: $0.sha256,
                    url: "/attachments/" + ($0.id ?? ""))
            }
    }

    static func dto(_ req: Request, round: CompetitionRound, cluster: Cluster, row: DossierModel?) async throws
        -> DossierDTO
    {
        let d = try row?.dossier() ?? Dossier(promotionBody: "", plan: "", highlights: "", values: [:])
        return DossierDTO(
            round: round.id, cluster: cluster.id, promotionBody: d.promotionBody, plan: d.plan,
            highlights: d.highlights,
            values: d.values, version: row?.version ?? 0, submittedAt: row?.submittedAt,
            files: try await files(req, round: round.id, cluster: cluster.id))
    }

    /// Who files an entry's dossier: an admin, the city that leads the cluster, or its promotion body.
    static func filingGrant(_ caller: Caller, cluster: Cluster) -> Grant? {
        AccessRules.filingGrant(among: caller.grants, for: ClusterScope(cluster))
    }

    /// Whether the caller may read an entry's dossier and its evidence files.
    static func mayRead(_ caller: Caller, round: String, cluster: Cluster, on db: any Database) async throws -> Bool {
        try await DossierAccess.mayRead(caller, round: round, cluster: cluster, on: db)
    }

    static var unreadable: AuthError { DossierAccess.unreadable }

    /// Loads an entry for reading, refusing a caller who may not read its dossier.
    static func loadReadable(_ req: Request, round id: String, cluster clusterID: String) async throws -> (
        CompetitionRound, Cluster, DossierModel?
    ) {
        let caller = try req.requireCaller()
        let (round, cluster, row) = try await load(req, round: id, cluster: clusterID)
        guard try await mayRead(caller, round: round.id, cluster: cluster, on: req.db) else { throw unreadable }
        return (round, cluster, row)
    }

    func show(req: Request) async throws -> DossierDTO {
        _ = try Request.parseQuery(req.url.query, allowed: [])
        let (round, cluster, row) = try await Self.loadReadable(
            req, round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "")
        return try await Self.dto(req, round: round, cluster: cluster, row: row)
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

    /// Files or corrects the dossier. Refusals are audited; a stale `version` is a 409.
    static func save(_ input: DossierInput, round id: String, cluster clusterID: String, caller: Caller, req: Request)
        async throws -> DossierDTO
    {
        let (round, cluster, row) = try await load(req, round: id, cluster: clusterID)
        guard let grant = filingGrant(caller, cluster: cluster) else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "file_dossier", outcome: .refused,
                entity: "round_dossier", entityID: DossierModel.key(round: round.id, cluster: cluster.id),
                scope: ClusterScope(cluster))
            throw AuthError.forbidden(
                "the dossier is filed by the lead city (\(cluster.cityNames.first ?? "?")), the promotion body or an admin"
            )
        }
        func trimmed(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let dossier = Dossier(
            promotionBody: trimmed(input.promotionBody), plan: trimmed(input.plan),
            highlights: trimmed(input.highlights),
            values: input.values ?? [:])
        var errors = dossier.problems(set: try await ScoringController.set(for: round, db: req.db))
        if let problem = Dossier.editProblem(round: round, isEntry: true, on: req.application.today()) {
            errors["round"] = problem
        }
        if let row, input.version == nil { errors["version"] = "the version you read (now \(row.version))" }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        let key = DossierModel.key(round: round.id, cluster: cluster.id)
        let now = req.application.clock()
        let saved = row ?? DossierModel()
        try await req.db.writeTransaction { tx in
            if let row {
                guard try await VersionClaim.claim(DossierModel.schema, id: key, version: input.version ?? -1, on: tx)
                else {
                    throw APIError(
                        .conflict,
                        "the dossier changed since version \(input.version ?? 0); reload it (now \(row.version))",
                        parameter: "version")
                }
                saved.version = row.version + 1
            } else {
                saved.id = key
                saved.roundID = round.id
                saved.clusterID = cluster.id
                saved.version = 1
            }
            try saved.set(dossier)
            if input.submit == true, saved.submittedAt == nil { saved.submittedAt = now }
            saved.updatedBy = caller.userID.uuidString
            saved.updatedAt = now
            if row == nil { try await saved.create(on: tx) } else { try await saved.update(on: tx) }
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description,
                action: input.submit == true ? "submit_dossier" : "file_dossier", outcome: .done,
                entity: "round_dossier", entityID: key, before: row.map { "version \($0.version)" },
                after: "version \(saved.version); "
                    + dossier.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
                scope: ClusterScope(cluster))
        }
        return try await dto(req, round: round, cluster: cluster, row: saved)
    }

    func save(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(DossierInput.self)
        let dto = try await Self.save(
            input, round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "",
            caller: caller, req: req)
        return try await dto.encodeResponse(status: dto.version == 1 ? .created : .ok, for: req)
    }

    struct FileForm: Content {
        var file: File?
    }

    /// Adds an evidence file (kept under its SHA-256 in the data directory, never under its name).
    /// The entry and the caller's grant to add evidence to it; a refusal is audited.
    static func mayAttach(
        round id: String, cluster clusterID: String, caller: Caller,
        req: Request
    ) async throws -> (CompetitionRound, Cluster, DossierModel?, Grant) {
        let (round, cluster, row) = try await load(req, round: id, cluster: clusterID)
        guard let grant = filingGrant(caller, cluster: cluster) else {
            try await AuditLog.record(
                on: req.db, request: req, caller: caller, grant: nil, action: "attach_evidence", outcome: .refused,
                entity: "round_dossier", entityID: DossierModel.key(round: round.id, cluster: cluster.id),
                scope: ClusterScope(cluster))
            throw AuthError.forbidden(
                "evidence is filed by the lead city (\(cluster.cityNames.first ?? "?")), the promotion body or an admin"
            )
        }
        return (round, cluster, row, grant)
    }

    static func attach(_ file: File?, round id: String, cluster clusterID: String, caller: Caller, req: Request)
        async throws -> DossierDTO
    {
        let (round, cluster, row, grant) = try await mayAttach(round: id, cluster: clusterID, caller: caller, req: req)
        let key = DossierModel.key(round: round.id, cluster: cluster.id)
        if let problem = Dossier.editProblem(round: round, isEntry: true, on: req.application.today()) {
            throw FieldErrors(["round": problem])
        }
        guard let file, file.data.readableBytes > 0 else { throw FieldErrors(["file": "choose a file to upload"]) }
        let count = try await AttachmentModel.query(on: req.db).filter(\.$entity == "round_dossier").filter(
            \.$entityID == key
        ).count()
        guard count < 50 else { throw FieldErrors(["file": "a dossier holds at most 50 files"]) }
        let stored: AttachmentModel
        do {
            stored = try req.application.attachments.store(
                Array(file.data.readableBytesView), filename: file.filename, entity: "round_dossier",
                entityID: key, uploadedBy: caller.userID.uuidString, at: req.application.clock())
        } catch let rejection as AttachmentStore.Rejection {
            throw FieldErrors(["file": rejection.description])
        }
        try await req.db.writeTransaction { tx in
            try await stored.create(on: tx)
            try await AuditLog.record(
                on: tx, request: req, caller: caller, grant: grant.description, action: "attach_evidence",
                outcome: .done,
                entity: "round_dossier", entityID: key,
                after: "\(stored.filename) (\(stored.size) bytes, sha256 \(stored.sha256))",
                scope: ClusterScope(cluster))
        }
        return try await dto(req, round: round, cluster: cluster, row: row)
    }

    func upload(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        _ = try await Self.mayAttach(
            round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "", caller: caller,
            req: req)
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            throw APIError(
                .unsupportedMediaType, "send the file as multipart/form-data with a 'file' part", parameter: "file")
        }
        let form = try req.content.decode(FileForm.self)
        return try await Self.attach(
            form.file, round: req.parameters.get("id") ?? "", cluster: req.parameters.get("cluster") ?? "",
            caller: caller, req: req
        ).encodeResponse(status: .created, for: req)
    }
}
