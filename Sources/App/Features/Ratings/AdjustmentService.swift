import ClusterDomain
import Fluent
import Foundation
import SQLKit

/// An admin's decision on an adjustment proposal. Accepting applies the proposed ladder transition
/// (with the rating — and, for world-class, the benchmark — as evidence; co-review where configured);
/// rejecting needs a reason. The proposal's claim, the transition and both audit entries are one
/// transaction: either all of them are written or none.
struct AdjustmentService: Sendable {
    let context: ServiceContext

    /// A decision that passed its checks, ready to be written.
    struct Decision: Sendable {
        let proposalID: Int
        let event: String
        let cluster: Cluster
        let accept: Bool
        let note: String
        let grant: Grant
        let transition: LadderService.Plan?
    }

    func decide(id: Int, _ input: RatingController.DecisionInput) async throws -> RatingController.ProposalDTO {
        let decision = try await prepare(id: id, input)
        let row = try await commit(decision)
        return RatingService.dto(row, clusters: [decision.cluster.id: decision.cluster])
    }

    /// Checks the decision — the caller, the fields, the proposal still pending, and for an acceptance the
    /// whole ladder transition — without writing anything but an audited refusal.
    func prepare(id: Int, _ input: RatingController.DecisionInput) async throws -> Decision {
        guard let row = try await ProposalModel.find(id, on: context.db) else {
            throw APIError.notFound("no proposal #\(id)", parameter: "id")
        }
        let ladder = LadderService(context: context)
        let cluster: Cluster
        do { cluster = try await ladder.cluster(row.clusterID) } catch {
            throw APIError.notFound("the proposal's cluster is gone", parameter: "id")
        }
        let grant = try await AuditLog.adminGrant(
            context.caller, on: context.db, origin: context.origin, action: "decide_adjustment", entity: "cluster",
            entityID: cluster.id, after: "proposal #\(id)", scope: ClusterScope(cluster),
            refusal: Message("access.decide_adjustment"))
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: Message] = [:]
        let accept = input.decision == "accept"
        if input.decision != "accept", input.decision != "reject" {
            errors["decision"] = Message("adjustment.decision")
        }
        if note.count > 2000 { errors["note"] = .tooLong(2000) }
        if input.decision == "reject", note.isEmpty { errors["note"] = Message("adjustment.why_rejected") }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        guard row.decision == "pending" else {
            throw APIError(.conflict, "proposal #\(id) was \(row.decision) already", parameter: "id")
        }
        var transition: LadderService.Plan?
        if accept {
            guard let event = LadderEvent(rawValue: row.event) else {
                throw StoredValueError(table: ProposalModel.schema, id: id, column: "event", value: row.event)
            }
            var evidence = [LadderEvidence.rating.rawValue]
            if event == .promote { evidence.append(LadderEvidence.benchmark.rawValue) }
            if input.documentNumber?.nilIfBlank != nil { evidence.append(LadderEvidence.documentNumber.rawValue) }
            transition = try await ladder.plan(
                LadderController.TransitionInput(
                    round: nil, event: event.rawValue, on: nil, evidence: evidence,
                    documentNumber: input.documentNumber?.nilIfBlank),
                cluster: cluster)
        }
        return Decision(
            proposalID: id, event: row.event, cluster: cluster, accept: accept, note: note, grant: grant,
            transition: transition)
    }

    /// Writes a prepared decision in one transaction: the proposal is claimed (so two admins deciding at
    /// once do not both record a decision), the ladder transition committed, the decision audited.
    func commit(_ decision: Decision) async throws -> ProposalModel {
        let context = context
        return try await context.db.writeTransaction { tx in
            let id = decision.proposalID
            let verdict = decision.accept ? "accepted" : "rejected"
            if let plan = decision.transition {
                try await LadderService(context: context.on(tx)).commit(plan, on: tx)
            }
            let claimed = try await tx.sql().update(ProposalModel.schema)
                .set("decision", to: SQLBind(verdict))
                .where("id", .equal, SQLBind(id)).where("decision", .equal, SQLBind("pending"))
                .returning("id").all()
            guard !claimed.isEmpty else {
                throw APIError(.conflict, "proposal #\(id) was decided meanwhile", parameter: "id")
            }
            guard let row = try await ProposalModel.find(id, on: tx) else {
                throw APIError.notFound("no proposal #\(id)", parameter: "id")
            }
            row.decidedBy = context.caller?.userID.uuidString
            row.decidedAt = context.now
            row.decisionNote = decision.note.isEmpty ? nil : decision.note
            try await row.update(on: tx)
            try await AuditLog.record(
                on: tx, origin: context.origin, caller: context.caller, grant: decision.grant.description,
                action: "decide_adjustment", outcome: .done, entity: "cluster", entityID: decision.cluster.id,
                before: "proposal #\(id): \(decision.event)",
                after: verdict + (decision.note.isEmpty ? "" : ": " + decision.note),
                scope: ClusterScope(decision.cluster))
            return row
        }
    }
}
