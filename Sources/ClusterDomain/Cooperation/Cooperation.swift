import Foundation

/// Kinds of exchange and cooperation between clusters.
public enum ActivityKind: String, CaseIterable, Codable, Sendable {
    case agreement
    case jointProject = "joint_project"
    case exchangeVisit = "exchange_visit"
    case alliance, conference
    case jointEntry = "joint_entry"

    public var nameZh: String {
        switch self {
        case .agreement: "合作协议"
        case .jointProject: "联合项目"
        case .exchangeVisit: "交流互访"
        case .alliance: "集群联盟"
        case .conference: "会议"
        case .jointEntry: "联合参赛"
        }
    }

    public var nameEn: String {
        switch self {
        case .agreement: "Agreement or MoU"
        case .jointProject: "Joint project"
        case .exchangeVisit: "Exchange visit"
        case .alliance: "Alliance"
        case .conference: "Conference"
        case .jointEntry: "Joint competition entry"
        }
    }
}

/// One entry of the cooperation ledger.
/// A measurable output of an activity ("joint patents: 12 items").
public struct ActivityOutput: Hashable, Sendable, Codable {
    public let name: String
    public let value: Double
    public let unit: String

    public init(name: String, value: Double, unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}

/// A document of an activity: a reference (title, link, document number) and, when a file was
/// uploaded, the stored attachment.
public struct ActivityDocument: Hashable, Sendable, Codable {
    public let title: String
    public let url: String?
    public let documentNumber: String?
    public let attachmentID: String?

    public init(title: String, url: String?, documentNumber: String?, attachmentID: String? = nil) {
        self.title = title
        self.url = url
        self.documentNumber = documentNumber
        self.attachmentID = attachmentID
    }
}

/// Checks of activity outputs and documents, each problem under its field.
public enum ActivityDetails {
    public static let maxItems = 20

    /// The largest output value accepted (a count or an amount in yuan; 10^13 is ten trillion yuan).
    public static let maxOutputValue: Double = 1e13

    /// Units that count things: a value in one of them is a whole number, as a return's counts are.
    public static let countUnits: Set<String> = [
        "项", "个", "家", "件", "次", "人", "人次", "名", "场", "届", "份", "篇", "条", "套", "台", "所", "批", "期",
    ]
    /// Units of a share: a value in them lies between 0 and 100.
    public static let percentUnits: Set<String> = ["%", "％", "百分点"]

    /// What an output's unit says its value must be: whole for a count, at most 100 for a percentage.
    static func unitProblem(_ output: ActivityOutput) -> Message? {
        let unit = output.unit.trimmingCharacters(in: .whitespaces)
        let name = String(output.name.prefix(40))
        if countUnits.contains(unit), output.value.rounded() != output.value {
            return Message("cooperation.output_whole", ["name": name, "unit": unit])
        }
        if percentUnits.contains(unit), output.value > 100 {
            return Message("cooperation.output_percent", ["name": name])
        }
        return nil
    }

    public static func validate(outputs: [ActivityOutput], documents: [ActivityDocument]) -> [String: Message] {
        var errors: [String: Message] = [:]
        if outputs.count > maxItems { errors["outputs"] = .tooMany(maxItems) }
        if let bad = outputs.first(where: { o in
            o.name.trimmingCharacters(in: .whitespaces).isEmpty || o.name.count > 100 || !o.value.isFinite
                || o.unit.trimmingCharacters(in: .whitespaces).isEmpty || o.unit.count > 20
        }) {
            errors["outputs"] = Message("cooperation.bad_output", ["name": String(bad.name.prefix(40))])
        } else if let bad = outputs.first(where: { $0.value < 0 || $0.value > maxOutputValue }) {
            errors["outputs"] = Message(
                "cooperation.output_range", ["name": String(bad.name.prefix(40)), "max": "\(Int(maxOutputValue))"])
        } else if let problem = outputs.lazy.compactMap(unitProblem).first {
            errors["outputs"] = problem
        }
        if documents.count > maxItems { errors["documents"] = .tooMany(maxItems) }
        if let bad = documents.first(where: { d in
            d.title.trimmingCharacters(in: .whitespaces).isEmpty || d.title.count > 200
                || (d.documentNumber?.count ?? 0) > 100
                || d.url.map { u in
                    !(u.hasPrefix("https://") || u.hasPrefix("http://")) || u.count > 500
                        || u.contains(where: \.isWhitespace)
                } ?? false
        }) {
            errors["documents"] = Message("cooperation.bad_document", ["title": String(bad.title.prefix(40))])
        }
        return errors
    }
}

public struct CooperationActivity: Hashable, Sendable {
    public let id: String
    public let kind: ActivityKind
    public let titleZh: String
    public let titleEn: String
    public let startedOn: Day
    public let endedOn: Day?
    public let clusterIDs: [String]
    public let organisations: [String]
    public let outcomes: String
    public let source: String
    /// Measurable outputs, and documents (references and uploaded files).
    public var outputs: [ActivityOutput]
    public var documents: [ActivityDocument]

    public init(
        id: String, kind: ActivityKind, titleZh: String, titleEn: String, startedOn: Day, endedOn: Day?,
        clusterIDs: [String], organisations: [String], outcomes: String, source: String,
        outputs: [ActivityOutput] = [], documents: [ActivityDocument] = []
    ) {
        self.outputs = outputs
        self.documents = documents
        self.id = id
        self.kind = kind
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.startedOn = startedOn
        self.endedOn = endedOn
        self.clusterIDs = clusterIDs
        self.organisations = organisations
        self.outcomes = outcomes
        self.source = source
    }

    public func active(on day: Day) -> Bool { startedOn <= day }

    /// The same activity under the id it is stored with.
    public func withID(_ id: String) -> CooperationActivity {
        CooperationActivity(
            id: id, kind: kind, titleZh: titleZh, titleEn: titleEn, startedOn: startedOn, endedOn: endedOn,
            clusterIDs: clusterIDs, organisations: organisations, outcomes: outcomes, source: source, outputs: outputs,
            documents: documents)
    }
}

/// A pair of domains along a value chain, as data (`value-chains.csv`): suppliers to users.
public struct ValueChainLink: Hashable, Sendable {
    public let from: String
    public let to: String
    public let reasonZh: String
    public let reasonEn: String
}

/// A suggested partner and why.
public struct PartnerSuggestion: Sendable {
    public let cluster: Cluster
    public let reasons: [Reason]
}

/// The cooperation ledger with the network and suggestions drawn from it.
public struct CooperationLedger: Sendable {
    public let activities: [CooperationActivity]
    public let valueChains: [ValueChainLink]

    public init(activities: [CooperationActivity], valueChains: [ValueChainLink]) {
        self.activities = activities
        self.valueChains = valueChains
    }

    public func activities(of clusterID: String, on day: Day) -> [CooperationActivity] {
        activities.filter { $0.active(on: day) && $0.clusterIDs.contains(clusterID) }
    }

    /// Clusters that share an activity other than an alliance with this one: its partners.
    /// (Sharing only an alliance is a reason to suggest, not a partnership.)
    public func partners(of clusterID: String, on day: Day) -> [String: [CooperationActivity]] {
        var result: [String: [CooperationActivity]] = [:]
        for activity in activities(of: clusterID, on: day) where activity.kind != .alliance {
            for other in activity.clusterIDs where other != clusterID { result[other, default: []].append(activity) }
        }
        return result
    }

    /// Undirected edges between clusters with the number of activities they share on `day`.
    public func edges(on day: Day, among ids: Set<String>) -> [(String, String, Int)] {
        var weights: [String: Int] = [:]
        for activity in activities where activity.active(on: day) {
            let members = activity.clusterIDs.filter(ids.contains).sorted()
            for i in members.indices {
                for j in members.indices where j > i { weights[members[i] + "|" + members[j], default: 0] += 1 }
            }
        }
        return weights.map { key, w in
            let parts = key.split(separator: "|").map(String.init)
            return (parts[0], parts[1], w)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    /// Partner suggestions for a cluster on a day, each with its reasons, best first: shared alliance,
    /// complementary domains along a value chain, neighbouring (a shared member city or province),
    /// same domain in another region. Existing partners and the cluster itself are left out.
    public func suggestions(for cluster: Cluster, registry: Registry, on day: Day, limit: Int = 10)
        -> [PartnerSuggestion]
    {
        let existing = Set(partners(of: cluster.id, on: day).keys)
        let myRegion = registry.region(of: cluster)
        let myAlliances = activities(of: cluster.id, on: day).filter { $0.kind == .alliance }
        var scored: [(Int, PartnerSuggestion)] = []
        for row in registry.rows(asOf: day) where row.cluster.id != cluster.id && !existing.contains(row.cluster.id) {
            let other = row.cluster
            var reasons: [Reason] = []
            var score = 0
            for alliance in myAlliances where alliance.clusterIDs.contains(other.id) {
                reasons.append(
                    Reason(met: true, zh: "同属\(alliance.titleZh)", en: "both belong to the \(alliance.titleEn)"))
                score += 3
            }
            for link in valueChains
            where (link.from == cluster.domainCode && link.to == other.domainCode)
                || (link.to == cluster.domainCode && link.from == other.domainCode)
            {
                reasons.append(
                    Reason(
                        met: true, zh: "产业链互补：\(link.reasonZh)",
                        en: "complementary along a value chain: \(link.reasonEn)"))
                score += 2
            }
            let sharedCities = Set(cluster.cityNames).intersection(other.cityNames)
            if !sharedCities.isEmpty {
                let names = sharedCities.sorted()
                reasons.append(
                    Reason(
                        met: true, zh: "同在\(names.joined(separator: "、"))",
                        en: "both in "
                            + names.map { registry.reference.city(named: $0)?.nameEn ?? $0 }.joined(separator: ", ")))
                score += 2
            } else if let shared = Set(cluster.provinceCodes).intersection(other.provinceCodes).sorted().first,
                let province = registry.reference.province(code: shared)
            {
                reasons.append(Reason(met: true, zh: "同在\(province.nameZh)", en: "both in \(province.nameEn)"))
                score += 1
            }
            if other.domainCode == cluster.domainCode, let mine = myRegion, let theirs = row.region, mine != theirs {
                let name = registry.reference.domain(code: other.domainCode)
                reasons.append(
                    Reason(
                        met: true, zh: "同为\(name?.nameZh ?? other.domainCode)领域、位于\(theirs.nameZh)地区",
                        en: "same domain (\(name?.nameEn ?? other.domainCode)) in the \(theirs.nameEn)"))
                score += 2
            }
            if score > 0 { scored.append((score, PartnerSuggestion(cluster: other, reasons: reasons))) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1.cluster.id < $1.1.cluster.id }.prefix(limit).map(\.1)
    }
}
