import ClusterDomain
import Fluent
import Vapor

/// What awaits a signed-in person, from their grants and the state of the rounds: recommendations to
/// make, dossiers to file, experts to assign, entries to score, objections to lodge or resolve,
/// ladder decisions to take and to sign off.
struct InboxItem: Hashable, Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case recommend, dossier, assign, score, object, resolve, decide
        case signOff = "sign_off"
        case fileReturn = "file_return"
        case reviewReturn = "review_return"
        case adjust
    }

    let kind: Kind
    let zh: String
    let en: String
    let href: String
    /// The last day to act, where a stage sets one.
    let due: Day?
}

enum Inbox {
    static func items(for caller: Caller, req: Request) async throws -> [InboxItem] {
        let db = req.db
        let today = req.application.today()
        let registry = try await req.store.registry()
        let clusters = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        let isAdmin = caller.isAdmin
        let isReviewer = caller.grants.contains { $0.role == .ministryReviewer }
        let isExpert = caller.grants.contains { $0.role == .expert }
        let expertsPerEntry = req.application.rules.scoring.expertsPerEntry
        var items: [InboxItem] = []
        for round in try await RoundController.rounds(db) {
            let entries = try await RoundController.recommendations(db, round: round.id)
            let roundPath = WebRoute.round(round.id).path
            // Provincial authorities: recommendations while the stage is open and quota is left.
            if round.isOpen(.recommendation, on: today) {
                for grant in caller.grants where grant.role == .provincial {
                    let province = grant.scope ?? ""
                    let used = entries.filter { $0.provinceCode == province }.count
                    if used < round.quota(for: province) {
                        items.append(
                            InboxItem(
                                kind: .recommend, zh: "向 \(round.id) 推荐集群（已用 \(used)/\(round.quota(for: province))）",
                                en:
                                    "Recommend clusters into \(round.id) (\(used) of \(round.quota(for: province)) used)",
                                href: roundPath + "/recommend", due: round.stage(.recommendation)?.closesOn))
                    }
                }
            }
            // Lead cities and promotion bodies: dossiers not yet handed in while they may be.
            if let stage = round.stage(.dossier), today <= stage.closesOn {
                let submitted = Set(
                    try await DossierModel.query(on: db).filter(\.$roundID == round.id).all()
                        .filter { $0.submittedAt != nil }.map(\.clusterID))
                for entry in entries where !submitted.contains(entry.clusterID) {
                    guard let cluster = clusters[entry.clusterID],
                        let grant = DossierController.filingGrant(caller, cluster: cluster),
                        grant.role != .admin
                    else { continue }
                    items.append(
                        InboxItem(
                            kind: .dossier, zh: "填报 \(cluster.nameZh) 的申报材料",
                            en: "File the dossier of \(cluster.nameEn)",
                            href: roundPath + "/dossiers/" + entry.clusterID, due: stage.closesOn))
                }
            }
            let scoringEnds = round.stage(.finalStage)?.closesOn
            // Admins: experts to assign until scoring ends.
            if isAdmin, let end = scoringEnds, today <= end, !entries.isEmpty {
                let assignments = try await AssignmentModel.query(on: db).filter(\.$roundID == round.id).all()
                for entry in entries {
                    let n = assignments.filter { $0.clusterID == entry.clusterID }.count
                    guard n < expertsPerEntry, let cluster = clusters[entry.clusterID] else { continue }
                    items.append(
                        InboxItem(
                            kind: .assign, zh: "为 \(cluster.nameZh) 指派评审专家（\(n)/\(expertsPerEntry)）",
                            en: "Assign experts to \(cluster.nameEn) (\(n) of \(expertsPerEntry))",
                            href: roundPath + "/assign?cluster=" + WebRoute.encode(entry.clusterID),
                            due: round.stage(.firstStage)?.opensOn))
                }
            }
            // Experts: assigned entries with indicators left to score while a scoring stage is open.
            if isExpert, round.isOpen(.firstStage, on: today) || round.isOpen(.finalStage, on: today) {
                let set = try await ScoringController.set(for: round, db: db)
                let mine = try await AssignmentModel.query(on: db).filter(\.$roundID == round.id)
                    .filter(\.$expertID == caller.userID.uuidString).all()
                let scores = try await ScoreModel.query(on: db).filter(\.$roundID == round.id)
                    .filter(\.$expertID == caller.userID.uuidString).all()
                for a in mine {
                    let done = scores.filter { $0.clusterID == a.clusterID }.count
                    guard done < set.indicators.count, let cluster = clusters[a.clusterID] else { continue }
                    let stage =
                        round.isOpen(.firstStage, on: today) ? round.stage(.firstStage) : round.stage(.finalStage)
                    items.append(
                        InboxItem(
                            kind: .score, zh: "评分：\(cluster.nameZh)（已评 \(done)/\(set.indicators.count) 项）",
                            en: "Score \(cluster.nameEn) (\(done) of \(set.indicators.count) indicators)",
                            href: roundPath + "/scores/" + a.clusterID, due: stage?.closesOn))
                }
            }
            // Everyone signed in: the public notice while it runs.
            if round.isOpen(.notice, on: today), !entries.isEmpty {
                items.append(
                    InboxItem(
                        kind: .object, zh: "\(round.id) 结果公示中，如有异议可提出",
                        en: "The results of \(round.id) are on public notice; object if you must",
                        href: roundPath + "/object", due: round.stage(.notice)?.closesOn))
            }
            // Admins: objections to resolve.
            if isAdmin {
                for o in try await ObjectionModel.query(on: db).filter(\.$roundID == round.id).filter(
                    \.$resolvedAt == nil
                ).sort(\.$id).all() {
                    let name = clusters[o.clusterID]
                    items.append(
                        InboxItem(
                            kind: .resolve, zh: "处理对 \(name?.nameZh ?? o.clusterID) 的异议 #\(o.id ?? 0)",
                            en: "Resolve objection #\(o.id ?? 0) to \(name?.nameEn ?? o.clusterID)",
                            href: roundPath + "/objections/\(o.id ?? 0)/resolve", due: nil))
                }
            }
            // Admins decide entries' ladder steps once their stage is over; reviewers sign designations off.
            guard isAdmin || isReviewer else { continue }
            for entry in entries {
                guard let cluster = clusters[entry.clusterID],
                    let state = try await LadderStore.status(of: cluster, today: today, on: db)?.state,
                    let event = RoundEvidence.due(state: state, round: round, today: today)
                else { continue }
                let decidePath = WebRoute.cluster(cluster.id).path + "/decide"
                if isAdmin {
                    items.append(
                        InboxItem(
                            kind: .decide, zh: "决定：\(cluster.nameZh) — \(event.rawValue)",
                            en: "Decide: \(cluster.nameEn) — \(event.rawValue)",
                            href: decidePath, due: nil))
                }
                if isReviewer, req.application.ladder.rules.coReview.contains(event),
                    try await LadderStore.openSignOff(cluster.id, event, on: db) == nil
                {
                    items.append(
                        InboxItem(
                            kind: .signOff, zh: "会签：\(cluster.nameZh) — \(event.rawValue)",
                            en: "Sign off: \(cluster.nameEn) — \(event.rawValue)",
                            href: WebRoute.cluster(cluster.id).path + "/sign-off", due: nil))
                }
            }
        }
        items += try await returnItems(for: caller, req: req, clusters: registry.clusters)
        return items
    }

    /// Last year's returns: to file (the promotion body, the lead city) while not handed in or sent
    /// back; to review (a member province) once submitted; to accept (admins) once reviewed; and the
    /// adjustment proposals awaiting an admin's decision.
    static func returnItems(for caller: Caller, req: Request, clusters: [Cluster]) async throws -> [InboxItem] {
        let today = req.application.today()
        let year = today.year - 1
        guard year >= 2019 else { return [] }
        let rows = Dictionary(
            uniqueKeysWithValues: try await ReturnModel.query(on: req.db).filter(\.$dataYear == year).all()
                .map { ($0.clusterID, $0) })
        let due = req.application.rules.monitoring.dueDate(dataYear: year)
        var items: [InboxItem] = []
        for cluster in clusters where ReturnController.isMonitored(cluster, year: year) || rows[cluster.id] != nil {
            let state = try rows[cluster.id]?.returnState()
            let actors = Set(ReturnController.actors(caller, cluster: cluster).map(\.0))
            let href = WebRoute.clusterReturn(cluster.id, String(year)).path
            if actors.contains(.filer), state == nil || state == .draft || state == .returned {
                items.append(
                    InboxItem(
                        kind: .fileReturn,
                        zh: "填报 \(cluster.nameZh) \(year) 年度监测数据" + (state == .returned ? "（已退回）" : ""),
                        en: "File the \(year) return of \(cluster.nameEn)" + (state == .returned ? " (sent back)" : ""),
                        href: href, due: due))
            }
            if actors.contains(.province), state == .submitted {
                items.append(
                    InboxItem(
                        kind: .reviewReturn, zh: "审核 \(cluster.nameZh) \(year) 年度监测数据",
                        en: "Review the \(year) return of \(cluster.nameEn)", href: href, due: nil))
            }
            if actors.contains(.admin), state == .provinceReviewed {
                items.append(
                    InboxItem(
                        kind: .reviewReturn, zh: "采纳 \(cluster.nameZh) \(year) 年度监测数据",
                        en: "Accept the \(year) return of \(cluster.nameEn)", href: href, due: nil))
            }
        }
        let isReviewer = caller.grants.contains { $0.role == .ministryReviewer }
        if caller.isAdmin || isReviewer {
            let names = Dictionary(uniqueKeysWithValues: clusters.map { ($0.id, $0) })
            for p in try await ProposalModel.query(on: req.db).filter(\.$decision == "pending").sort(\.$id).all() {
                let c = names[p.clusterID]
                let examples = c?.isExample == true ? "true" : ""
                if caller.isAdmin {
                    items.append(
                        InboxItem(
                            kind: .adjust, zh: "决定动态调整建议：\(c?.nameZh ?? p.clusterID) — \(p.event)（\(p.reasonZh)）",
                            en: "Decide the proposal: \(c?.nameEn ?? p.clusterID) — \(p.event) (\(p.reasonEn))",
                            href: WebRoute.ratings.link(["year": String(p.year), "examples": examples]), due: nil))
                }
                // A proposed decision that needs co-review waits for a reviewer's sign-off first.
                if isReviewer, let event = LadderEvent(rawValue: p.event),
                    req.application.ladder.rules.coReview.contains(event),
                    try await LadderStore.openSignOff(p.clusterID, event, on: req.db) == nil
                {
                    items.append(
                        InboxItem(
                            kind: .signOff, zh: "会签动态调整建议：\(c?.nameZh ?? p.clusterID) — \(p.event)（\(p.reasonZh)）",
                            en: "Sign off the proposal: \(c?.nameEn ?? p.clusterID) — \(p.event) (\(p.reasonEn))",
                            href: WebRoute.cluster(p.clusterID).path + "/sign-off", due: nil))
                }
            }
        }
        return items
    }
}

/// The evidence a ladder decision on a round's entry rests on, read from the round's records.
enum RoundEvidence {
    /// Evidence the system holds for an entry (the decider attests the rest).
    static let derivable: Set<LadderEvidence> = [.recommendation, .dossier, .scores, .ranking]
    /// Evidence checked by the ladder itself (notice and objections from the round, co-review from a sign-off).
    static let checkedByLadder: Set<LadderEvidence> = [.noticeClosed, .objectionsResolved, .coReview, .documentNumber]

    /// The step that falls due for an entry in `state` once the round's stage for it has ended.
    static func due(state: LadderState, round: CompetitionRound, today: Day) -> LadderEvent? {
        func over(_ kind: RoundStageKind) -> Bool { round.stage(kind).map { today > $0.closesOn } ?? false }
        switch state {
        case .provincialCultivating, .provincialDesignated: return over(.dossier) ? .recommend : nil
        case .nationalEntrant: return over(.firstStage) ? .qualify : nil
        case .roundQualified: return over(.finalStage) ? .win : nil
        case .winner: return over(.notice) ? .designate : nil
        default: return nil
        }
    }

    /// The derivable evidence present for `cluster` as an entry of `round`.
    static func derived(cluster: String, round: CompetitionRound, db: any Database, rules: ProgrammeRules) async throws
        -> Set<LadderEvidence>
    {
        var evidence = Set<LadderEvidence>()
        if try await RecommendationModel.query(on: db).filter(\.$roundID == round.id).filter(\.$clusterID == cluster)
            .count() > 0
        {
            evidence.insert(.recommendation)
        }
        if let dossier = try await DossierModel.find(DossierModel.key(round: round.id, cluster: cluster), on: db),
            dossier.submittedAt != nil
        {
            evidence.insert(.dossier)
        }
        if try await ScoreModel.query(on: db).filter(\.$roundID == round.id).filter(\.$clusterID == cluster).count() > 0
        {
            evidence.insert(.scores)
            let ranking = try await ScoringController.ranking(round, db: db, rules: rules)
            if ranking.tracks.values.joined().contains(where: { $0.cluster == cluster && $0.unscored.isEmpty }) {
                evidence.insert(.ranking)
            }
        }
        return evidence
    }

    /// The latest round the cluster entered.
    static func latestRound(of cluster: String, db: any Database) async throws -> CompetitionRound? {
        guard
            let rec = try await RecommendationModel.query(on: db).filter(\.$clusterID == cluster).sort(
                \.$id, .descending
            ).first()
        else {
            return nil
        }
        return try await RoundModel.find(rec.roundID, on: db)?.round()
    }
}
