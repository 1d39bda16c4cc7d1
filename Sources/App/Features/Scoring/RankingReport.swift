import ClusterDomain
import Fluent
import Vapor

/// A round's ranking per track, from the stored expert scores, with each total's make-up and the
/// rule that decided each place; and the same as CSV. The API, the round page, the inbox, the notice
/// and `ladder rounds` read it here; who may read it before the results are published is
/// `AccessRules.mayReadRanking` (`readable`).
enum RankingReport {
    /// Whether `caller` may read the round's scores and ranking on `day`.
    static func readable(_ round: CompetitionRound, by caller: Caller?, on day: Day) -> Bool {
        AccessRules.mayReadRanking(caller?.grants ?? [], published: round.resultsPublished(on: day))
    }

    /// The refusal for a caller who may not read it yet.
    static func unpublished(_ round: CompetitionRound) -> AuthError {
        AuthError.forbidden(
            "access.ranking_unpublished",
            [
                "round": round.id, "from_en": round.stage(.notice).map { " (from \($0.opensOn))" } ?? "",
                "from_zh": round.stage(.notice).map { "（\($0.opensOn) 起）" } ?? "",
            ])
    }

    static func ranking(_ round: CompetitionRound, db: any Database, rules: ProgrammeRules) async throws
        -> ScoringController.RankingDTO
    {
        let rule = rules.scoring
        let set = try await CompetitionStore.set(for: round, db: db)
        // The order was checked against the current set at start; a round scored with an older version
        // that lacks a dimension of it is refused rather than compared 0 against 0.
        if let problem = rule.tieBreakProblem(dimensions: set.dimensions.map(\.code)) {
            throw Abort(
                .internalServerError, reason: "round \(round.id) (indicator set version \(set.version)): \(problem)")
        }
        let scoring = RoundScoring(
            set: set, aggregation: rule.method ?? .trimmedMean(trim: 1),
            tieBreak: rule.tieBreakOrder(dimensions: set.dimensions.map(\.code)))
        let scores = try await ScoreModel.query(on: db).filter(\.$roundID == round.id).all().map {
            ExpertScore(
                entryID: $0.clusterID, expertID: $0.expertID, indicator: $0.indicator, score: $0.score,
                comment: $0.comment)
        }
        let entries = try await CompetitionStore.recommendations(db, round: round.id)
        var tracks: [String: [ScoringController.RankingDTO.Row]] = [:]
        var waiting: [String: [String]] = [:]
        // An entry no expert has scored yet is not ranked (a total of 0 would place it, first or last).
        let scoredEntries = Set(scores.map(\.entryID))
        for track in round.tracks {
            let inTrack = entries.filter { $0.track == track }
            waiting[track] = inTrack.map(\.clusterID).filter { !scoredEntries.contains($0) }
            let scored = inTrack.filter { scoredEntries.contains($0.clusterID) }.map {
                scoring.score(entryID: $0.clusterID, scores)
            }
            tracks[track] = scoring.rank(scored).map { r in
                ScoringController.RankingDTO.Row(
                    rank: r.rank, tied: r.tied, cluster: r.entry.entryID, total: (r.entry.total * 100).rounded() / 100,
                    decidedBy: r.decidedBy,
                    contributions: r.entry.contributions.map {
                        .init(
                            dimension: $0.dimension, score: ($0.score * 100).rounded() / 100,
                            weight: $0.weight, points: ($0.points * 100).rounded() / 100)
                    },
                    unscored: r.entry.unscored)
            }
        }
        return ScoringController.RankingDTO(
            round: round.id, aggregation: rule.label, tieBreak: scoring.tieBreak, tracks: tracks,
            unscoredEntries: waiting)
    }

    /// One row per entry and dimension.
    static func csv(_ r: ScoringController.RankingDTO) -> String {
        var text = CSV.line([
            "round", "track", "rank", "tied", "cluster", "total", "decided_by", "dimension", "dimension_score",
            "weight", "points", "unscored",
        ])
        for (track, rows) in r.tracks.sorted(by: { $0.key < $1.key }) {
            for row in rows {
                for c in row.contributions {
                    text += CSV.line([
                        r.round, track, String(row.rank), row.tied ? "yes" : "no", row.cluster, String(row.total),
                        row.decidedBy,
                        c.dimension, String(c.score), String(c.weight), String(c.points),
                        row.unscored.joined(separator: ";"),
                    ])
                }
            }
        }
        return text
    }
}
