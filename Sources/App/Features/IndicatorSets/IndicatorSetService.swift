import ClusterDomain
import Fluent
import Vapor

/// The indicator set's use case: an admin makes the next version (new dimensions, new indicators or
/// both, with a note), checked against the programme rules' tie-break order and audited. The API and
/// the admin's form on `/indicators` call it.
struct IndicatorSetService: Sendable {
    let context: ServiceContext

    /// The next version, made by an admin from `input`; refusals and the revision are audited.
    func revise(_ input: IndicatorSetController.RevisionInput) async throws -> IndicatorSet {
        let grant = try await context.adminGrant(
            action: "revise_indicator_set", entity: "indicator_set", entityID: nil,
            refusal: Message("access.revise_indicators"))
        let by = context.caller?.userID.uuidString ?? "command line"
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= 2000 else {
            throw FieldErrors(["note": Message("indicators.note")])
        }
        guard input.dimensions != nil || input.indicators != nil else {
            throw FieldErrors(["dimensions": Message("indicators.nothing_new")])
        }
        if (input.dimensions?.count ?? 0) > 20 || (input.indicators?.count ?? 0) > 100 {
            throw FieldErrors(["indicators": Message("indicators.too_many")])
        }
        try await context.db.writeTransaction { tx in
            let current = try await IndicatorSets.current(tx)
            switch current.revised(dimensions: input.dimensions, indicators: input.indicators, note: note) {
            case .failure(let errors): throw errors
            case .success(let revised):
                let tieBreak = context.rules.scoring
                if let problem = tieBreak.tieBreakProblem(dimensions: revised.dimensions.map(\.code)) {
                    // Rankings compare the configured dimensions when totals are equal.
                    throw FieldErrors(["dimensions": Message("indicators.tie_break", ["problem": problem])])
                }
                try await IndicatorSetModel(revised, at: context.now, by: by).create(
                    on: tx)
                try await AuditLog.record(
                    on: tx, origin: context.origin, caller: context.caller, grant: grant,
                    action: "revise_indicator_set",
                    outcome: .done, entity: "indicator_set", entityID: "\(revised.id)@\(revised.version)",
                    before: "version \(current.version)", after: note)
            }
        }
        return try await IndicatorSets.current(context.db)
    }
}
