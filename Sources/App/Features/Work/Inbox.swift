import ClusterDomain
import Fluent
import Vapor

/// The inbox's facts, loaded in a fixed number of queries whatever the number of rounds, entries,
/// returns or proposals; the items themselves are worked out by the domain (`ClusterDomain.Inbox`).
enum InboxLoader {
    static func items(for caller: Caller, context: ServiceContext) async throws -> [InboxItem] {
        Inbox.items(
            grants: caller.grants, userID: caller.userID.uuidString,
            facts: try await facts(for: caller, context: context), today: context.today, rules: context.rules)
    }

    static func facts(for caller: Caller, context: ServiceContext) async throws -> InboxFacts {
        let db = context.db
        let me = caller.userID.uuidString
        var facts = InboxFacts()
        facts.clusters = try await context.store.registry().clusters
        facts.rounds = try await CompetitionStore.rounds(db)
        for row in try await RecommendationModel.query(on: db).sort(\.$id).all() {
            facts.entries[row.roundID, default: []].append(try row.recommendation())
        }
        for row in try await DossierModel.query(on: db).filter(\.$submittedAt != nil).all() {
            facts.submittedDossiers.insert(InboxFacts.key(row.roundID, row.clusterID))
        }
        for row in try await AssignmentModel.query(on: db).all() {
            facts.assignments[row.roundID, default: [:]][row.clusterID, default: 0] += 1
            if row.expertID == me { facts.myAssignments[row.roundID, default: []].append(row.clusterID) }
        }
        for row in try await ScoreModel.query(on: db).filter(\.$expertID == me).all() {
            facts.myScores[row.roundID, default: [:]][row.clusterID, default: 0] += 1
        }
        let sets = Dictionary(
            uniqueKeysWithValues: try await IndicatorSets.all(db).map { row in
                let set = try row.set()
                return ("\(set.id)@\(set.version)", set.indicators.count)
            })
        for round in facts.rounds {
            facts.indicatorCounts[round.id] = sets["\(round.indicatorSetID)@\(round.indicatorSetVersion)"]
        }
        facts.openObjections = try await ObjectionModel.query(on: db).filter(\.$resolvedAt == nil).sort(\.$id).all()
            .map { InboxFacts.Objection(id: $0.id ?? 0, round: $0.roundID, cluster: $0.clusterID) }
        facts.ladderStates = try await LadderStore.statuses(of: facts.clusters, today: context.today, on: db)
            .mapValues(\.state)
        for row in try await LadderSignOffModel.query(on: db).filter(\.$used == false).all() {
            facts.openSignOffs.insert(InboxFacts.key(row.clusterID, row.event))
        }
        facts.returnYear = context.today.year - 1
        facts.returnDue = context.rules.monitoring.dueDate(dataYear: facts.returnYear)
        for row in try await ReturnModel.query(on: db).filter(\.$dataYear == facts.returnYear).all() {
            facts.returnStates[row.clusterID] = try row.returnState()
        }
        facts.pendingProposals = try await ProposalModel.query(on: db).filter(\.$decision == "pending").sort(\.$id)
            .all().map {
                InboxFacts.Proposal(
                    id: $0.id ?? 0, year: $0.year, cluster: $0.clusterID, event: $0.event, reasonZh: $0.reasonZh,
                    reasonEn: $0.reasonEn)
            }
        return facts
    }
}

extension InboxItem {
    /// The link of the item's page.
    var href: String {
        switch target {
        case .recommend(let round): WebRoute.recommend(round: round).path
        case .dossier(let round, let cluster): WebRoute.dossier(round: round, cluster: cluster).path
        case .assign(let round, let cluster): WebRoute.assign(round: round).link(["cluster": cluster])
        case .score(let round, let cluster): WebRoute.score(round: round, cluster: cluster).path
        case .object(let round): WebRoute.object(round: round).path
        case .resolve(let round, let objection): WebRoute.resolve(round: round, objection: String(objection)).path
        case .decide(let cluster): WebRoute.decide(cluster: cluster).path
        case .signOff(let cluster): WebRoute.signOff(cluster: cluster).path
        case .clusterReturn(let cluster, let year): WebRoute.clusterReturn(cluster, String(year)).path
        case .ratings(let year, let examples):
            WebRoute.ratings.link(["year": String(year), "examples": examples ? "true" : ""])
        }
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
        Inbox.dueStep(state: state, round: round, today: today)
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
            let ranking = try await RankingReport.ranking(round, db: db, rules: rules)
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
