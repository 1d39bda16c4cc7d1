import ClusterDomain
import Fluent
import SQLKit
import Vapor

/// Competition rounds: admins open them; provincial authorities recommend entries within their
/// quota while the recommendation stage is open; anyone reads them.
struct RoundController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.rounds, use: list)
        app.register(.POST, APIRoute.rounds, use: create)
        app.register(.GET, APIRoute.round(":id"), use: one)
        app.register(.POST, APIRoute.roundRecommendations(":id"), use: recommend)
        app.register(.POST, APIRoute.closeStage(":id", ":stage"), use: closeStage)
    }

    struct RoundDTO: Content {
        let id: String
        let year: Int
        let format: String
        let tracks: [String]
        let noticeNumber: String?
        let stages: [RoundStage]
        let quotaPerProvince: Int
        let quotaOverrides: [String: Int]
        let indicatorSet: String
        let indicatorSetVersion: Int
        var recommendations: [RecommendationDTO]?

        init(_ r: CompetitionRound, recommendations: [Recommendation]? = nil) {
            id = r.id
            year = r.year
            format = r.format.rawValue
            tracks = r.tracks
            noticeNumber = r.noticeNumber
            stages = r.stages
            quotaPerProvince = r.quotaPerProvince
            quotaOverrides = r.quotaOverrides
            indicatorSet = r.indicatorSetID
            indicatorSetVersion = r.indicatorSetVersion
            self.recommendations = recommendations?.map(RecommendationDTO.init)
        }
    }

    struct RecommendationDTO: Content {
        let cluster: String
        let province: String
        let track: String
        let recommendedOn: String

        init(_ r: Recommendation) {
            cluster = r.clusterID
            province = r.provinceCode
            track = r.track
            recommendedOn = r.recommendedOn.iso
        }
    }

    static func rounds(_ db: any Database) async throws -> [CompetitionRound] {
        try await CompetitionStore.rounds(db)
    }

    static func recommendations(_ db: any Database, round: String) async throws -> [Recommendation] {
        try await CompetitionStore.recommendations(db, round: round)
    }

    func list(req: Request) async throws -> [RoundDTO] {
        _ = try req.queryParameters(for: .rounds)
        return try await Self.rounds(req.db).map { RoundDTO($0) }
    }

    func one(req: Request) async throws -> RoundDTO {
        _ = try req.queryParameters(for: .round(""))
        let id = req.parameters.get("id") ?? ""
        guard let round = try await RoundModel.find(id, on: req.db)?.round() else {
            throw APIError.notFound("no round with id '\(id.prefix(40))'", parameter: "id")
        }
        return RoundDTO(round, recommendations: try await Self.recommendations(req.db, round: id))
    }

    struct RoundInput: Content {
        var year: Int?
        var format: String?
        var tracks: [String]?
        var noticeNumber: String?
        var stages: [StageInput]?
        var quotaPerProvince: Int?
        var quotaOverrides: [String: Int]?
    }

    struct StageInput: Content {
        var kind: String?
        var opensOn: String?
        var closesOn: String?
    }

    /// `POST /api/v1/rounds` (admin): the round is scored with the current indicator-set version.
    func create(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(RoundInput.self)
        let grant = try await AuditLog.adminGrant(
            caller, request: req, action: "open_round", entity: "round", entityID: nil,
            refusal: "only an admin opens a competition round")
        let round = try await Self.open(
            input, reference: req.application.reference, rules: req.application.rules, db: req.db,
            origin: AuditLog.Origin(req),
            caller: caller, grant: grant.description)
        return try await RoundDTO(round).encodeResponse(status: .created, for: req)
    }

    /// Checks and opens a round (from the API or the command line), audited as `origin`.
    static func open(
        _ input: RoundInput, reference: ReferenceData, rules: ProgrammeRules, db: any Database, origin: AuditLog.Origin,
        caller: Caller?,
        grant: String?
    ) async throws -> CompetitionRound {
        var stages: [RoundStage] = []
        var stageError: String?
        for s in input.stages ?? [] {
            guard let kind = s.kind.flatMap(RoundStageKind.init(rawValue:)), let opens = s.opensOn.flatMap({ Day($0) }),
                let closes = s.closesOn.flatMap({ Day($0) }), opens.precision == .day, closes.precision == .day
            else {
                stageError = "each stage needs a kind and opens_on / closes_on dates (YYYY-MM-DD)"
                continue
            }
            stages.append(RoundStage(kind: kind, opensOn: opens, closesOn: closes))
        }
        var errors = CompetitionRound.validate(
            year: input.year, format: input.format, tracks: input.tracks ?? [],
            noticeNumber: input.noticeNumber?.nilIfBlank, stages: stages, quota: input.quotaPerProvince,
            reference: reference, noticeDays: rules.noticeDays)
        if let stageError { errors["stages"] = stageError }
        let overrides = input.quotaOverrides ?? [:]
        if overrides.contains(where: { reference.province(code: $0.key) == nil || !(0...20).contains($0.value) }) {
            errors["quota_overrides"] = "province code → 0 to 20 entries"
        }
        guard errors.isEmpty, let year = input.year, let format = input.format.flatMap(RoundFormat.init(rawValue:))
        else {
            throw FieldErrors(errors)
        }
        let set = try await IndicatorSets.current(db)
        // R<year>, then R<year>-2, … (example rounds, EX<year>, are another series).
        let plannedStages = stages
        return try await db.writeTransaction { tx in
            let round = CompetitionRound(
                id: try await IdAllocator.next(.round(year: year), on: tx), year: year, format: format,
                tracks: input.tracks ?? [], noticeNumber: input.noticeNumber?.nilIfBlank, stages: plannedStages,
                quotaPerProvince: input.quotaPerProvince ?? 3, quotaOverrides: overrides,
                indicatorSetID: set.id, indicatorSetVersion: set.version)
            try await RoundModel(round).create(on: tx)
            try await AuditLog.record(
                on: tx, origin: origin, caller: caller, grant: grant, action: "open_round", outcome: .done,
                entity: "round", entityID: round.id, after: AuditLog.json(RoundDTO(round)))
            return round
        }
    }

    /// `POST /api/v1/rounds/{id}/stages/{stage}/close` (admin): the stage ends before today.
    func closeStage(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let round = try await ScoringController.round(req)
        let grant = try await AuditLog.adminGrant(
            caller, request: req, action: "close_stage", entity: "round", entityID: round.id,
            refusal: "only an admin closes a stage")
        let closed = try await Self.closeStage(
            round, stage: req.parameters.get("stage") ?? "", today: req.application.today(), db: req.db,
            origin: AuditLog.Origin(req), caller: caller, grant: grant.description)
        return try await RoundDTO(closed).encodeResponse(for: req)
    }

    /// Closes a stage of `round` from `today` on, audited as `origin`.
    static func closeStage(
        _ round: CompetitionRound, stage: String, today: Day, db: any Database, origin: AuditLog.Origin,
        caller: Caller?, grant: String?
    ) async throws -> CompetitionRound {
        guard let kind = RoundStageKind(rawValue: stage) else {
            throw FieldErrors(["stage": "one of " + RoundStageKind.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        let closed: CompetitionRound
        switch round.closing(kind, on: today) {
        case .failure(let error): throw FieldErrors(["stage": error.description])
        case .success(let r): closed = r
        }
        try await db.writeTransaction { tx in
            try await RoundModel.lock(round.id, on: tx)
            guard let row = try await RoundModel.find(round.id, on: tx) else {
                throw APIError.notFound("no such round", parameter: "id")
            }
            row.stages = try RoundModel(closed).stages
            try await row.save(on: tx)
            try await AuditLog.record(
                on: tx, origin: origin, caller: caller, grant: grant, action: "close_stage", outcome: .done,
                entity: "round", entityID: round.id,
                before: "\(kind.rawValue) until \(round.stage(kind)?.closesOn.description ?? "?")",
                after: "\(kind.rawValue) until \(closed.stage(kind)?.closesOn.description ?? "?")")
        }
        return closed
    }

    struct RecommendationInput: Content {
        var cluster: String?
        var track: String?
    }

    /// `POST /api/v1/rounds/{id}/recommendations`: a provincial authority (or an admin, for any
    /// province) recommends one of its clusters; the quota is counted under a lock on the round row.
    func recommend(req: Request) async throws -> Response {
        let caller = try WriteController.tokenCaller(req)
        let input = try req.content.decode(RecommendationInput.self)
        return try await Self.recommend(input, round: req.parameters.get("id") ?? "", caller: caller, req: req)
            .encodeResponse(status: .created, for: req)
    }

    /// A recommendation by the cluster's lead province (or an admin); the round with its entries after it.
    static func recommend(_ input: RecommendationInput, round id: String, caller: Caller, req: Request) async throws
        -> RoundDTO
    {
        try await RoundService(context: req.services(caller: caller)).recommend(input, round: id)
    }
}
