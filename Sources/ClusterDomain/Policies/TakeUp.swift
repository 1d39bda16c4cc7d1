import Foundation

/// Support actually granted under a policy to a cluster.
public struct TakeUp: Hashable, Sendable {
    public enum Status: String, CaseIterable, Codable, Sendable { case applied, granted, paid, withdrawn }

    public let id: Int
    public let policyID: String
    public let clusterID: String
    /// Yuan, where the support has an amount.
    public let amount: Double?
    public let grantedOn: Day
    public let status: Status
    public let note: String
    /// Bumped by every change; a change names the version it was made from.
    public let version: Int

    public init(
        id: Int, policyID: String, clusterID: String, amount: Double?, grantedOn: Day, status: Status, note: String,
        version: Int = 1
    ) {
        self.version = version
        self.id = id
        self.policyID = policyID
        self.clusterID = clusterID
        self.amount = amount
        self.grantedOn = grantedOn
        self.status = status
        self.note = note
    }

    /// Count and amount of granted or paid support, by policy category, by owning department and by
    /// member province (a cross-province cluster's support counts under each of its provinces).
    public struct Totals: Equatable, Sendable {
        public struct Sum: Equatable, Sendable {
            public var count = 0
            public var amount = 0.0
        }

        public var byCategory: [String: Sum] = [:]
        public var byDepartment: [String: Sum] = [:]
        public var byProvince: [String: Sum] = [:]
    }

    public static func totals(_ takeUps: [TakeUp], catalogue: PolicyCatalogue, registry: Registry) -> Totals {
        var totals = Totals()
        let clusters = Dictionary(uniqueKeysWithValues: registry.clusters.map { ($0.id, $0) })
        for t in takeUps where t.status == .granted || t.status == .paid {
            guard let policy = catalogue.policy(id: t.policyID) else { continue }
            func add(_ sum: inout Totals.Sum) {
                sum.count += 1
                sum.amount += t.amount ?? 0
            }
            add(&totals.byCategory[policy.categoryCode, default: .init()])
            for dept in Set(policy.ownerCodes) { add(&totals.byDepartment[dept, default: .init()]) }
            for province in Set(clusters[t.clusterID]?.provinceCodes ?? []) {
                add(&totals.byProvince[province, default: .init()])
            }
        }
        return totals
    }
}

extension TakeUp.Status {
    /// Where a record in this status may go: applied → granted → paid, and withdrawn from applied or
    /// granted. Paid and withdrawn are final. Staying in the same status is always allowed (a change
    /// of the amount or the note).
    public var next: [TakeUp.Status] {
        switch self {
        case .applied: [.granted, .withdrawn]
        case .granted: [.paid, .withdrawn]
        case .paid, .withdrawn: []
        }
    }

    public func allows(_ target: TakeUp.Status) -> Bool { target == self || next.contains(target) }

    /// Why `target` is refused from here, in English and Chinese; nil when it is allowed.
    public func refusal(to target: TakeUp.Status) -> Message? {
        guard !allows(target) else { return nil }
        if next.isEmpty {
            return Message(
                "takeup.final",
                ["state": rawValue, "target": target.rawValue, "state_zh": nameZh, "target_zh": target.nameZh])
        }
        return Message(
            "takeup.only_to",
            [
                "state": rawValue, "next": next.map(\.rawValue).joined(separator: " or "), "state_zh": nameZh,
                "next_zh": next.map { "“\($0.nameZh)”" }.joined(separator: "或"),
            ])
    }

    public var nameZh: String {
        switch self {
        case .applied: "已申请"
        case .granted: "已批准"
        case .paid: "已拨付"
        case .withdrawn: "已撤回"
        }
    }
}
