import ClusterDomain
import Fluent
import Foundation
import Vapor

/// The example rounds: one finished (entries, scores, the notice, a designation) and one running.
extension ExampleData {
    // MARK: rounds

    func finishedRound(year: Int, experts: [String], admin: String, reviewer: String) async throws {
        let set = try await IndicatorSets.current(app.db)
        let y = String(year)
        let d: @Sendable (String) -> Day = { md in Self.day(y + "-" + md) }
        let round = CompetitionRound(
            id: "EX\(year)", year: year, format: .groupOverall, tracks: ["new_materials", "biomedicine"],
            noticeNumber: "示例〔\(year)〕1号",
            stages: [
                RoundStage(kind: .recommendation, opensOn: d("03-01"), closesOn: d("03-31")),
                RoundStage(kind: .dossier, opensOn: d("04-01"), closesOn: d("04-30")),
                RoundStage(kind: .firstStage, opensOn: d("05-10"), closesOn: d("05-31")),
                RoundStage(kind: .finalStage, opensOn: d("06-10"), closesOn: d("06-20")),
                RoundStage(kind: .notice, opensOn: d("07-01"), closesOn: d("07-07")),
            ],
            quotaPerProvince: 2, indicatorSetID: set.id,
            indicatorSetVersion: set.version)
        let entries = [("EX01", 86.0), ("EX02", 74.0), ("EX04", 69.0)]
        let db = app.db
        try await db.writeTransaction { tx in
            try await RoundModel(round).create(on: tx)
            for (cluster, base) in entries {
                try await self.enter(
                    round: round, cluster: cluster, on: d("03-20"), submitted: d("04-25"), base: base, experts: experts,
                    db: tx)
                try await self.ladder(
                    cluster, .recommend, from: .provincialDesignated, to: .nationalEntrant, on: d("05-01"),
                    admin: admin, db: tx)
            }
            try await self.ladder(
                "EX01", .qualify, from: .nationalEntrant, to: .roundQualified, on: d("06-01"), admin: admin, db: tx)
            try await self.ladder(
                "EX02", .qualify, from: .nationalEntrant, to: .roundQualified, on: d("06-01"), admin: admin, db: tx)
            try await self.ladder(
                "EX04", .eliminate, from: .nationalEntrant, to: .provincialDesignated, on: d("06-01"), admin: admin,
                db: tx)
            try await self.ladder(
                "EX01", .win, from: .roundQualified, to: .winner, on: d("06-21"), admin: admin, db: tx)
            try await self.ladder(
                "EX02", .eliminate, from: .roundQualified, to: .provincialDesignated, on: d("06-21"), admin: admin,
                db: tx)
            try await self.noticeAndDesignation(
                round: round, experts: experts, admin: admin, reviewer: reviewer, on: tx)
            try await self.app.store.bumpVersion(on: tx)
        }
    }

    /// The finished example round's notice: an objection lodged and resolved, the reviewer's sign-off,
    /// and EX01 designated national (on the ladder and in its tier history).
    func noticeAndDesignation(
        round: CompetitionRound, experts: [String], admin: String, reviewer: String, on tx: any Database
    ) async throws {
        let y = String(round.year)
        let year = round.year
        let d: @Sendable (String) -> Day = { md in Self.day(y + "-" + md) }
        let objection = ObjectionModel()
        objection.roundID = round.id
        objection.clusterID = "EX01"
        objection.lodgedBy = experts.first ?? ""
        objection.text = "【示例】申报的规上企业数与统计年鉴不一致。"
        objection.lodgedAt = noon(d("07-03"))
        objection.resolution = "【示例】经核实，差异来自统计口径（含新并入园区），不影响结果。"
        objection.resolvedBy = admin
        objection.resolvedAt = noon(d("07-09"))
        try await objection.create(on: tx)
        let signOff = LadderSignOffModel()
        signOff.clusterID = "EX01"
        signOff.event = LadderEvent.designate.rawValue
        signOff.reviewer = reviewer
        signOff.department = "规划司（示例）"
        signOff.comment = "【示例】同意认定。"
        signOff.signedAt = noon(d("07-10"))
        signOff.used = true
        try await signOff.create(on: tx)
        let number = "示例：工信部规函〔\(year)〕99号"
        try await ladder(
            "EX01", .designate, from: .winner, to: .national, on: d("07-15"), admin: admin, db: tx,
            documentNumber: number)
        for (event, date) in [
            (TierEvent(date: d("06-21"), tier: nil, status: .winner, document: nil, note: "ladder: win"), "06-21"),
            (
                TierEvent(
                    date: d("07-15"), tier: .national, status: .active, document: number, note: "ladder: designate"),
                "07-15"
            ),
        ] {
            _ = date
            let row = ClusterEventModel()
            row.$cluster.id = "EX01"
            row.occurredOn = event.date.iso
            row.datePrecision = Day.Precision.day.rawValue
            row.tier = event.tier?.rawValue
            row.status = event.status.rawValue
            row.document = event.document
            row.note = event.note
            try await row.create(on: tx)
        }
    }

    func roundInProgress(year: Int, experts: [String], admin: String) async throws {
        let set = try await IndicatorSets.current(app.db)
        let today = self.today
        let at: @Sendable (Int) -> Day = { n in today.adding(days: n) ?? today }
        let round = CompetitionRound(
            id: "EX\(year)", year: year, format: .groupOverall, tracks: ["new_materials", "biomedicine"],
            noticeNumber: "示例〔\(year)〕2号",
            stages: [
                RoundStage(kind: .recommendation, opensOn: at(-60), closesOn: at(-41)),
                RoundStage(kind: .dossier, opensOn: at(-40), closesOn: at(-21)),
                RoundStage(kind: .firstStage, opensOn: at(-10), closesOn: at(10)),
                RoundStage(kind: .finalStage, opensOn: at(20), closesOn: at(30)),
                RoundStage(kind: .notice, opensOn: at(40), closesOn: at(46)),
            ],
            quotaPerProvince: 2, indicatorSetID: set.id,
            indicatorSetVersion: set.version)
        try await app.db.writeTransaction { tx in
            try await RoundModel(round).create(on: tx)
            // Two entries scored in part (the experts' inboxes show what is left), one not yet.
            try await self.enter(
                round: round, cluster: "EX03", on: at(-50), submitted: at(-25), base: 80, experts: experts, db: tx,
                scored: 2)
            try await self.enter(
                round: round, cluster: "EX06", on: at(-48), submitted: at(-24), base: 72, experts: experts, db: tx,
                scored: 1)
            try await self.enter(
                round: round, cluster: "EX05", on: at(-45), submitted: at(-22), base: 0, experts: experts, db: tx,
                scored: 0)
            for cluster in ["EX03", "EX06", "EX05"] {
                try await self.ladder(
                    cluster, .recommend, from: .provincialDesignated, to: .nationalEntrant, on: at(-20), admin: admin,
                    db: tx)
            }
        }
    }

    func noon(_ day: Day) -> Date {
        var c = DateComponents()
        c.year = day.year
        c.month = day.month
        c.day = day.day
        c.hour = 12
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.beijing
        return calendar.date(from: c) ?? Date(timeIntervalSince1970: 0)
    }

    /// Recommends `cluster`, files and hands in its dossier, assigns the experts and (for the first
    /// `scored` of them) enters their scores around `base`.
    func enter(
        round: CompetitionRound, cluster: String, on day: Day, submitted: Day, base: Double, experts: [String],
        db: any Database,
        scored: Int = 3
    ) async throws {
        guard let c = Self.clusters.first(where: { $0.id == cluster }) else { return }
        let rec = RecommendationModel()
        rec.roundID = round.id
        rec.clusterID = cluster
        rec.province = c.province
        rec.track = c.domain
        rec.recommendedOn = day.iso
        try await rec.create(on: db)
        let dossier = DossierModel()
        dossier.id = DossierModel.key(round: round.id, cluster: cluster)
        dossier.roundID = round.id
        dossier.clusterID = cluster
        try dossier.set(
            Dossier(
                promotionBody: "【示例】\(c.city)市产业集群促进中心",
                plan: "【示例】三年培育提升方案：补齐关键材料与装备短板，建设中试与检测公共平台，培育单项冠军和专精特新企业。",
                highlights: "【示例】本地配套率逐年提高；牵头制定行业标准两项。",
                values: [
                    "output": (base * 2.0e9).rounded(), "above_size_firms": (base * 5).rounded(),
                    "rd_intensity": base / 2500,
                    "champions": (base / 10).rounded(), "little_giants": (base / 2).rounded(),
                ]))
        dossier.version = 1
        dossier.submittedAt = noon(submitted)
        dossier.updatedBy = "example data"
        dossier.updatedAt = noon(submitted)
        try await dossier.create(on: db)
        let set = try await CompetitionStore.set(for: round, db: db)
        for (n, expert) in experts.enumerated() {
            let a = AssignmentModel()
            a.roundID = round.id
            a.clusterID = cluster
            a.expertID = expert
            a.expertProvince = Self.expertProvinces[n]
            try await a.create(on: db)
            guard n < scored else { continue }
            for (i, indicator) in set.indicators.enumerated() {
                let s = ScoreModel()
                s.roundID = round.id
                s.clusterID = cluster
                s.expertID = expert
                s.indicator = indicator.code
                s.score = min(100, base + Double((n * 3 + i) % 7) - 3)
                s.comment = "【示例】依据申报材料与证明文件评分。"
                s.submittedAt = noon(submitted.adding(days: 20) ?? submitted)
                try await s.create(on: db)
            }
        }
    }

    func ladder(
        _ cluster: String, _ event: LadderEvent, from: LadderState, to: LadderState, on day: Day, admin: String,
        db: any Database,
        documentNumber: String? = nil
    ) async throws {
        let row = LadderEventModel()
        row.clusterID = cluster
        row.event = event.rawValue
        row.fromState = from.rawValue
        row.toState = to.rawValue
        row.day = day.iso
        row.evidence = LadderMachine().evidence(for: event).sorted().map(\.rawValue)
        row.documentNumber = documentNumber
        row.failures = 0
        row.beforeEntry =
            [.nationalEntrant, .roundQualified, .winner].contains(to) ? LadderState.provincialDesignated.rawValue : nil
        row.nationalSince = to == .national ? day.iso : nil
        row.actor = admin
        row.role = Role.admin.rawValue
        row.recordedAt = noon(day)
        try await row.create(on: db)
    }
}
