import ClusterDomain
import Fluent
import Vapor

/// An entry dossier's use cases: loading an entry (for reading, with the reader checked), filing or
/// correcting the dossier under its version claim, and adding evidence files; each write and each
/// refusal audited. The API and the work pages call these methods.
struct DossierService: Sendable {
    let context: ServiceContext

    /// The round, the entry's cluster and its dossier row (nil before the first filing).
    func load(round id: String, cluster clusterID: String) async throws -> (
        CompetitionRound, Cluster, DossierModel?
    ) {
        guard let round = try await RoundModel.find(id, on: context.db)?.round() else {
            throw APIError.notFound("no round with id '\(id.prefix(40))'", parameter: "id")
        }
        let entries = try await CompetitionStore.recommendations(context.db, round: round.id)
        guard entries.contains(where: { $0.clusterID == clusterID }),
            let cluster = try await context.store.registry().clusters.first(where: { $0.id == clusterID })
        else {
            throw APIError.notFound(
                "'\(clusterID.prefix(40))' is not an entry of round \(round.id)", parameter: "cluster")
        }
        return (
            round, cluster,
            try await DossierModel.find(DossierModel.key(round: round.id, cluster: clusterID), on: context.db)
        )
    }

    /// Loads an entry for reading, refusing a caller who may not read its dossier.
    func loadReadable(round id: String, cluster clusterID: String) async throws -> (
        CompetitionRound, Cluster, DossierModel?
    ) {
        let caller = try context.requireCaller()
        let (round, cluster, row) = try await load(round: id, cluster: clusterID)
        guard try await DossierAccess.mayRead(caller, round: round.id, cluster: cluster, on: context.db) else {
            throw DossierAccess.unreadable
        }
        return (round, cluster, row)
    }

    func files(round: String, cluster: String) async throws -> [DossierController.FileDTO] {
        try await AttachmentModel.query(on: context.db).filter(\.$entity == "round_dossier")
            .filter(\.$entityID == DossierModel.key(round: round, cluster: cluster)).sort(\.$uploadedAt).all()
            .map {
                DossierController.FileDTO(
                    id: $0.id ?? "", filename: $0.filename, mediaType: $0.mediaType, size: $0.size, sha256: $0.sha256,
                    url: "/attachments/" + ($0.id ?? ""))
            }
    }

    func dto(round: CompetitionRound, cluster: Cluster, row: DossierModel?) async throws
        -> DossierController.DossierDTO
    {
        let d = try row?.dossier() ?? Dossier(promotionBody: "", plan: "", highlights: "", values: [:])
        return DossierController.DossierDTO(
            round: round.id, cluster: cluster.id, promotionBody: d.promotionBody, plan: d.plan,
            highlights: d.highlights,
            values: d.values, version: row?.version ?? 0, submittedAt: row?.submittedAt,
            files: try await files(round: round.id, cluster: cluster.id))
    }

    /// Files or corrects the dossier. Refusals are audited; a stale `version` is a 409.
    func save(_ input: DossierController.DossierInput, round id: String, cluster clusterID: String, caller: Caller)
        async throws -> DossierController.DossierDTO
    {
        let (round, cluster, row) = try await load(round: id, cluster: clusterID)
        let grant = try await filingGrant(
            caller, round: round, cluster: cluster, action: "file_dossier", what: "the dossier")
        func trimmed(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let dossier = Dossier(
            promotionBody: trimmed(input.promotionBody), plan: trimmed(input.plan),
            highlights: trimmed(input.highlights),
            values: input.values ?? [:])
        var errors = dossier.problems(set: try await CompetitionStore.set(for: round, db: context.db))
        if let problem = Dossier.editProblem(round: round, isEntry: true, on: context.today) {
            errors["round"] = problem
        }
        if let row, input.version == nil { errors["version"] = .staleVersion(row.version) }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        let key = DossierModel.key(round: round.id, cluster: cluster.id)
        let now = context.now
        let saved = row ?? DossierModel()
        try await context.db.writeTransaction { tx in
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
                on: tx, origin: context.origin, caller: caller, grant: grant.description,
                action: input.submit == true ? "submit_dossier" : "file_dossier", outcome: .done,
                entity: "round_dossier", entityID: key, before: row.map { "version \($0.version)" },
                after: "version \(saved.version); "
                    + dossier.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
                scope: ClusterScope(cluster))
        }
        return try await dto(round: round, cluster: cluster, row: saved)
    }

    /// The entry and the caller's grant to add evidence to it; a refusal is audited.
    func mayAttach(
        round id: String, cluster clusterID: String, caller: Caller
    ) async throws -> (CompetitionRound, Cluster, DossierModel?, Grant) {
        let (round, cluster, row) = try await load(round: id, cluster: clusterID)
        let grant = try await filingGrant(
            caller, round: round, cluster: cluster, action: "attach_evidence", what: "evidence")
        return (round, cluster, row, grant)
    }

    /// The caller's grant to file for the entry (the lead city, the promotion body or an admin);
    /// otherwise the refusal audited under `action` and a 403 saying who files `what`.
    func filingGrant(_ caller: Caller, round: CompetitionRound, cluster: Cluster, action: String, what: String)
        async throws -> Grant
    {
        if let grant = AccessRules.filingGrant(among: caller.grants, for: ClusterScope(cluster)) { return grant }
        try await AuditLog.record(
            on: context.db, origin: context.origin, caller: caller, grant: nil, action: action, outcome: .refused,
            entity: "round_dossier", entityID: DossierModel.key(round: round.id, cluster: cluster.id),
            scope: ClusterScope(cluster))
        throw AuthError.forbidden(
            Message(
                "access.filed_by", ["city": cluster.cityNames.first ?? "?"],
                worded: ["what": Message(what == "evidence" ? "dossier.evidence" : "dossier.dossier")]))
    }

    /// Adds an evidence file (kept under its SHA-256 in the data directory, never under its name).
    func attach(_ file: File?, round id: String, cluster clusterID: String, caller: Caller)
        async throws -> DossierController.DossierDTO
    {
        let (round, cluster, row, grant) = try await mayAttach(round: id, cluster: clusterID, caller: caller)
        let key = DossierModel.key(round: round.id, cluster: cluster.id)
        if let problem = Dossier.editProblem(round: round, isEntry: true, on: context.today) {
            throw FieldErrors(["round": problem])
        }
        guard let file, file.data.readableBytes > 0 else { throw FieldErrors(["file": Message("file.choose")]) }
        let count = try await AttachmentModel.query(on: context.db).filter(\.$entity == "round_dossier").filter(
            \.$entityID == key
        ).count()
        guard count < 50 else { throw FieldErrors(["file": .tooMany(50)]) }
        let stored: AttachmentModel
        do {
            stored = try context.attachments.store(
                Array(file.data.readableBytesView), filename: file.filename, entity: "round_dossier",
                entityID: key, uploadedBy: caller.userID.uuidString, at: context.now)
        } catch let rejection as AttachmentStore.Rejection {
            throw FieldErrors(["file": rejection.message])
        }
        try await context.db.writeTransaction { tx in
            try await stored.create(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: caller, grant: grant.description, action: "attach_evidence",
                outcome: .done,
                entity: "round_dossier", entityID: key,
                after: "\(stored.filename) (\(stored.size) bytes, sha256 \(stored.sha256))",
                scope: ClusterScope(cluster))
        }
        return try await dto(round: round, cluster: cluster, row: row)
    }
}
