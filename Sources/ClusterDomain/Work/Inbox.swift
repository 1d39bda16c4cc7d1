import Foundation

/// One thing that awaits a person: what to do, in both languages, where, and by when.
public struct InboxItem: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case recommend, dossier, assign, score, object, resolve, decide
        case signOff = "sign_off"
        case fileReturn = "file_return"
        case reviewReturn = "review_return"
        case adjust
    }

    /// The page the item leads to; the app turns it into a link.
    public enum Target: Hashable, Sendable {
        case recommend(round: String)
        case dossier(round: String, cluster: String)
        case assign(round: String, cluster: String)
        case score(round: String, cluster: String)
        case object(round: String)
        case resolve(round: String, objection: Int)
        case decide(cluster: String)
        case signOff(cluster: String)
        case clusterReturn(cluster: String, year: Int)
        case ratings(year: Int, examples: Bool)
    }

    public let kind: Kind
    public let zh: String
    public let en: String
    public let target: Target
    /// The last day to act, where a stage sets one.
    public let due: Day?

    public init(kind: Kind, zh: String, en: String, target: Target, due: Day?) {
        self.kind = kind
        self.zh = zh
        self.en = en
        self.target = target
        self.due = due
    }
}

/// Everything the inbox is worked out from, loaded at once (a fixed number of queries, whatever the
/// number of rounds, entries or returns).
public struct InboxFacts: Sendable {
    public struct Objection: Hashable, Sendable {
        public let id: Int
        public let round: String
        public let cluster: String
        public init(id: Int, round: String, cluster: String) {
            self.id = id
            self.round = round
            self.cluster = cluster
        }
    }

    public struct Proposal: Hashable, Sendable {
        public let id: Int
        public let year: Int
        public let cluster: String
        public let event: String
        public let reasonZh: String
        public let reasonEn: String
        public init(id: Int, year: Int, cluster: String, event: String, reasonZh: String, reasonEn: String) {
            self.id = id
            self.year = year
            self.cluster = cluster
            self.event = event
            self.reasonZh = reasonZh
            self.reasonEn = reasonEn
        }
    }

    public var clusters: [Cluster] = []
    public var rounds: [CompetitionRound] = []
    /// Entries by round.
    public var entries: [String: [Recommendation]] = [:]
    /// `round|cluster` of the dossiers handed in.
    public var submittedDossiers: Set<String> = []
    /// Experts assigned, by round and cluster.
    public var assignments: [String: [String: Int]] = [:]
    /// The person's own assignments, by round: the clusters.
    public var myAssignments: [String: [String]] = [:]
    /// Indicators the person has scored, by round and cluster.
    public var myScores: [String: [String: Int]] = [:]
    /// Indicators in each round's indicator set, by round.
    public var indicatorCounts: [String: Int] = [:]
    public var openObjections: [Objection] = []
    /// Each cluster's place on the ladder today.
    public var ladderStates: [String: LadderState] = [:]
    /// `cluster|event` of the sign-offs no decision has used yet.
    public var openSignOffs: Set<String> = []
    /// The data year whose returns are due, and their states by cluster.
    public var returnYear: Int = 0
    /// When that year's returns are due.
    public var returnDue: Day?
    public var returnStates: [String: ReturnState] = [:]
    public var pendingProposals: [Proposal] = []

    public init() {}

    public static func key(_ a: String, _ b: String) -> String { a + "|" + b }
}

/// What awaits a person, from their grants and the facts: recommendations to make, dossiers to file,
/// experts to assign, entries to score, objections to lodge or resolve, ladder steps to decide and to
/// sign off, returns to file, review or accept, and adjustment proposals to decide.
public enum Inbox {
    public static func items(
        grants: [Grant], userID: String, facts: InboxFacts, today: Day, rules: ProgrammeRules
    ) -> [InboxItem] {
        var items: [InboxItem] = []
        for round in facts.rounds {
            items += roundItems(round, grants: grants, userID: userID, facts: facts, today: today, rules: rules)
        }
        items += returnItems(grants: grants, facts: facts)
        items += proposalItems(grants: grants, facts: facts, rules: rules)
        return items
    }

    static func roundItems(
        _ round: CompetitionRound, grants: [Grant], userID: String, facts: InboxFacts, today: Day,
        rules: ProgrammeRules
    ) -> [InboxItem] {
        let clusters = Dictionary(uniqueKeysWithValues: facts.clusters.map { ($0.id, $0) })
        let entries = facts.entries[round.id] ?? []
        let isAdmin = grants.contains { $0.role == .admin }
        var items = recommendItems(round, grants: grants, entries: entries, today: today)
        items += dossierItems(round, grants: grants, entries: entries, clusters: clusters, facts: facts, today: today)
        if isAdmin {
            items += assignItems(
                round, entries: entries, clusters: clusters, facts: facts, today: today,
                perEntry: rules.scoring.expertsPerEntry)
        }
        if grants.contains(where: { $0.role == .expert }) {
            items += scoreItems(round, clusters: clusters, facts: facts, today: today)
        }
        // Everyone signed in: the public notice while it runs.
        if round.isOpen(.notice, on: today), !entries.isEmpty {
            items.append(
                InboxItem(
                    kind: .object, zh: "\(round.id) 结果公示中，如有异议可提出",
                    en: "The results of \(round.id) are on public notice; object if you must",
                    target: .object(round: round.id), due: round.stage(.notice)?.closesOn))
        }
        // Admins: objections to resolve.
        if isAdmin {
            for o in facts.openObjections where o.round == round.id {
                let name = clusters[o.cluster]
                items.append(
                    InboxItem(
                        kind: .resolve, zh: "处理对 \(name?.nameZh ?? o.cluster) 的异议 #\(o.id)",
                        en: "Resolve objection #\(o.id) to \(name?.nameEn ?? o.cluster)",
                        target: .resolve(round: round.id, objection: o.id), due: nil))
            }
        }
        items += decisionItems(round, entries: entries, grants: grants, facts: facts, today: today, rules: rules)
        return items
    }

    /// Provincial authorities: recommendations while the stage is open and quota is left.
    static func recommendItems(_ round: CompetitionRound, grants: [Grant], entries: [Recommendation], today: Day)
        -> [InboxItem]
    {
        guard round.isOpen(.recommendation, on: today) else { return [] }
        return grants.filter { $0.role == .provincial }.compactMap { grant in
            let province = grant.scope ?? ""
            let used = entries.filter { $0.provinceCode == province }.count
            let quota = round.quota(for: province)
            guard used < quota else { return nil }
            return InboxItem(
                kind: .recommend, zh: "向 \(round.id) 推荐集群（已用 \(used)/\(quota)）",
                en: "Recommend clusters into \(round.id) (\(used) of \(quota) used)",
                target: .recommend(round: round.id), due: round.stage(.recommendation)?.closesOn)
        }
    }

    /// Lead cities and promotion bodies: dossiers not yet handed in while they may be.
    static func dossierItems(
        _ round: CompetitionRound, grants: [Grant], entries: [Recommendation], clusters: [String: Cluster],
        facts: InboxFacts, today: Day
    ) -> [InboxItem] {
        guard let stage = round.stage(.dossier), today <= stage.closesOn else { return [] }
        return entries.compactMap { entry in
            guard !facts.submittedDossiers.contains(InboxFacts.key(round.id, entry.clusterID)),
                let cluster = clusters[entry.clusterID],
                grants.contains(where: { AccessRules.isFiler($0, of: ClusterScope(cluster)) })
            else { return nil }
            return InboxItem(
                kind: .dossier, zh: "填报 \(cluster.nameZh) 的申报材料", en: "File the dossier of \(cluster.nameEn)",
                target: .dossier(round: round.id, cluster: cluster.id), due: stage.closesOn)
        }
    }

    /// Admins: experts to assign until scoring ends.
    static func assignItems(
        _ round: CompetitionRound, entries: [Recommendation], clusters: [String: Cluster], facts: InboxFacts,
        today: Day, perEntry: Int
    ) -> [InboxItem] {
        guard let end = round.stage(.finalStage)?.closesOn, today <= end else { return [] }
        return entries.compactMap { entry in
            let n = facts.assignments[round.id]?[entry.clusterID] ?? 0
            guard n < perEntry, let cluster = clusters[entry.clusterID] else { return nil }
            return InboxItem(
                kind: .assign, zh: "为 \(cluster.nameZh) 指派评审专家（\(n)/\(perEntry)）",
                en: "Assign experts to \(cluster.nameEn) (\(n) of \(perEntry))",
                target: .assign(round: round.id, cluster: cluster.id), due: round.stage(.firstStage)?.opensOn)
        }
    }

    /// Experts: assigned entries with indicators left to score while a scoring stage is open.
    static func scoreItems(_ round: CompetitionRound, clusters: [String: Cluster], facts: InboxFacts, today: Day)
        -> [InboxItem]
    {
        guard round.isScoringOpen(on: today) else { return [] }
        let total = facts.indicatorCounts[round.id] ?? 0
        let stage = round.isOpen(.firstStage, on: today) ? round.stage(.firstStage) : round.stage(.finalStage)
        return (facts.myAssignments[round.id] ?? []).compactMap { clusterID in
            let done = facts.myScores[round.id]?[clusterID] ?? 0
            guard done < total, let cluster = clusters[clusterID] else { return nil }
            return InboxItem(
                kind: .score, zh: "评分：\(cluster.nameZh)（已评 \(done)/\(total) 项）",
                en: "Score \(cluster.nameEn) (\(done) of \(total) indicators)",
                target: .score(round: round.id, cluster: clusterID), due: stage?.closesOn)
        }
    }

    /// Admins decide entries' ladder steps once their stage is over; reviewers sign co-reviewed ones off.
    static func decisionItems(
        _ round: CompetitionRound, entries: [Recommendation], grants: [Grant], facts: InboxFacts, today: Day,
        rules: ProgrammeRules
    ) -> [InboxItem] {
        let isAdmin = grants.contains { $0.role == .admin }
        let isReviewer = grants.contains { $0.role == .ministryReviewer }
        guard isAdmin || isReviewer else { return [] }
        let clusters = Dictionary(uniqueKeysWithValues: facts.clusters.map { ($0.id, $0) })
        var items: [InboxItem] = []
        for entry in entries {
            guard let cluster = clusters[entry.clusterID], let state = facts.ladderStates[cluster.id],
                let event = dueStep(state: state, round: round, today: today)
            else { continue }
            if isAdmin {
                items.append(
                    InboxItem(
                        kind: .decide, zh: "决定：\(cluster.nameZh) — \(event.message.chinese)",
                        en: "Decide: \(cluster.nameEn) — \(event.message.english)",
                        target: .decide(cluster: cluster.id),
                        due: nil))
            }
            if isReviewer, rules.ladder.coReview.contains(event),
                !facts.openSignOffs.contains(InboxFacts.key(cluster.id, event.rawValue))
            {
                items.append(
                    InboxItem(
                        kind: .signOff, zh: "会签：\(cluster.nameZh) — \(event.message.chinese)",
                        en: "Sign off: \(cluster.nameEn) — \(event.message.english)",
                        target: .signOff(cluster: cluster.id),
                        due: nil))
            }
        }
        return items
    }

    /// The ladder step that falls due for an entry in `state` once the round's stage for it has ended.
    public static func dueStep(state: LadderState, round: CompetitionRound, today: Day) -> LadderEvent? {
        func over(_ kind: RoundStageKind) -> Bool { round.stage(kind).map { today > $0.closesOn } ?? false }
        switch state {
        case .provincialCultivating, .provincialDesignated: return over(.dossier) ? .recommend : nil
        case .nationalEntrant: return over(.firstStage) ? .qualify : nil
        case .roundQualified: return over(.finalStage) ? .win : nil
        case .winner: return over(.notice) ? .designate : nil
        default: return nil
        }
    }

    /// The year's returns: to file (the filer) while not handed in or sent back; to review (a member
    /// province) once submitted; to accept (admins) once reviewed.
    static func returnItems(grants: [Grant], facts: InboxFacts) -> [InboxItem] {
        let year = facts.returnYear
        guard year >= 2019 else { return [] }
        var items: [InboxItem] = []
        for cluster in facts.clusters where cluster.isMonitored(year: year) || facts.returnStates[cluster.id] != nil {
            let state = facts.returnStates[cluster.id]
            let actors = Set(AccessRules.returnActors(grants, on: ClusterScope(cluster)).map(\.0))
            let target = InboxItem.Target.clusterReturn(cluster: cluster.id, year: year)
            if actors.contains(.filer), state == nil || state == .draft || state == .returned {
                let back = state == .returned
                items.append(
                    InboxItem(
                        kind: .fileReturn, zh: "填报 \(cluster.nameZh) \(year) 年度监测数据" + (back ? "（已退回）" : ""),
                        en: "File the \(year) return of \(cluster.nameEn)" + (back ? " (sent back)" : ""),
                        target: target, due: facts.returnDue))
            }
            if actors.contains(.province), state == .submitted {
                items.append(
                    InboxItem(
                        kind: .reviewReturn, zh: "审核 \(cluster.nameZh) \(year) 年度监测数据",
                        en: "Review the \(year) return of \(cluster.nameEn)", target: target, due: nil))
            }
            if actors.contains(.admin), state == .provinceReviewed {
                items.append(
                    InboxItem(
                        kind: .reviewReturn, zh: "采纳 \(cluster.nameZh) \(year) 年度监测数据",
                        en: "Accept the \(year) return of \(cluster.nameEn)", target: target, due: nil))
            }
        }
        return items
    }

    /// Adjustment proposals awaiting an admin's decision, and — where co-review is configured — a
    /// ministry reviewer's sign-off first.
    static func proposalItems(grants: [Grant], facts: InboxFacts, rules: ProgrammeRules) -> [InboxItem] {
        let isAdmin = grants.contains { $0.role == .admin }
        let isReviewer = grants.contains { $0.role == .ministryReviewer }
        guard isAdmin || isReviewer else { return [] }
        let names = Dictionary(uniqueKeysWithValues: facts.clusters.map { ($0.id, $0) })
        var items: [InboxItem] = []
        for p in facts.pendingProposals {
            let c = names[p.cluster]
            let zhName = c?.nameZh ?? p.cluster
            let enName = c?.nameEn ?? p.cluster
            let eventZh = LadderEvent(rawValue: p.event)?.message.chinese ?? p.event
            let eventEn = LadderEvent(rawValue: p.event)?.message.english ?? p.event
            if isAdmin {
                items.append(
                    InboxItem(
                        kind: .adjust, zh: "决定动态调整建议：\(zhName) — \(eventZh)（\(p.reasonZh)）",
                        en: "Decide the proposal: \(enName) — \(eventEn) (\(p.reasonEn))",
                        target: .ratings(year: p.year, examples: c?.isExample == true), due: nil))
            }
            if isReviewer, let event = LadderEvent(rawValue: p.event), rules.ladder.coReview.contains(event),
                !facts.openSignOffs.contains(InboxFacts.key(p.cluster, p.event))
            {
                items.append(
                    InboxItem(
                        kind: .signOff, zh: "会签动态调整建议：\(zhName) — \(eventZh)（\(p.reasonZh)）",
                        en: "Sign off the proposal: \(enName) — \(eventEn) (\(p.reasonEn))",
                        target: .signOff(cluster: p.cluster), due: nil))
            }
        }
        return items
    }
}

extension Cluster {
    /// Whether the cluster reports the year's monitoring values: on a tier at the end of the year and
    /// active or warned.
    public func isMonitored(year: Int) -> Bool {
        guard let end = Day(year: year, month: 12, day: 31), let event = state(asOf: end), event.tier != nil
        else { return false }
        return event.status == .active || event.status == .warned
    }
}
