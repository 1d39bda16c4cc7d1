import ClusterDomain
import Fluent
import Foundation
import Vapor

/// The example data `ladder seed --examples` adds, so that a newcomer can see every screen: six
/// example clusters (batch `example`, names marked 【示例】/[Example]; the statistics leave them
/// out), a finished example round (EX<last year>: entries, dossiers, scores, an objection and its
/// resolution, one entry designated) and a round in progress (EX<this year>, in its first scoring
/// stage, dated around the day it is loaded), example monitoring returns for last year in every
/// state of the workflow, and example accounts for each role sharing one password printed once.
/// Nothing already in the database is changed.
struct ExampleData {
    let app: Application
    let today: Day

    struct Loaded {
        var clusters = 0
        var rounds = 0
        var returns = 0
        var accounts: [String] = []
        var password: String?
    }

    static let clusters: [(id: String, zh: String, en: String, domain: String, city: String, province: String)] = [
        ("EX01", "【示例】苏州市纳米新材料集群", "[Example] Suzhou nano-materials cluster", "new_materials", "苏州", "32"),
        ("EX02", "【示例】宁波市磁性材料集群", "[Example] Ningbo magnetic materials cluster", "new_materials", "宁波", "33"),
        ("EX03", "【示例】合肥市显示材料集群", "[Example] Hefei display materials cluster", "new_materials", "合肥", "34"),
        ("EX04", "【示例】成都市生物医药集群", "[Example] Chengdu biomedicine cluster", "biomedicine", "成都", "51"),
        ("EX05", "【示例】武汉市生物医药集群", "[Example] Wuhan biomedicine cluster", "biomedicine", "武汉", "42"),
        ("EX06", "【示例】常州市新型碳材料集群", "[Example] Changzhou carbon materials cluster", "new_materials", "常州", "32"),
    ]

    static let accounts: [(email: String, name: String, grant: Grant)] = [
        ("example-admin@example.org", "示例管理员", Grant(role: .admin, scope: nil)),
        ("example-reviewer@example.org", "示例部门审核人", Grant(role: .ministryReviewer, scope: "规划司（示例）")),
        ("example-jiangsu@example.org", "示例江苏省工信厅", Grant(role: .provincial, scope: "32")),
        ("example-anhui@example.org", "示例安徽省经信厅", Grant(role: .provincial, scope: "34")),
        ("example-suzhou@example.org", "示例苏州市工信局", Grant(role: .city, scope: "苏州")),
        ("example-hefei@example.org", "示例合肥市经信局", Grant(role: .city, scope: "合肥")),
        ("example-expert1@example.org", "示例专家甲（广东）", Grant(role: .expert, scope: nil)),
        ("example-expert2@example.org", "示例专家乙（北京）", Grant(role: .expert, scope: nil)),
        ("example-expert3@example.org", "示例专家丙（上海）", Grant(role: .expert, scope: nil)),
    ]

    /// The experts' home provinces, in the order of the expert accounts.
    static let expertProvinces = ["44", "11", "31"]

    func load() async throws -> Loaded {
        var loaded = Loaded()
        let db = app.db
        for c in Self.clusters where try await ClusterModel.find(c.id, on: db) == nil {
            let cluster = Cluster(
                id: c.id, nameZh: c.zh, nameEn: c.en, domainCode: c.domain, cityNames: [c.city],
                provinceCodes: [c.province],
                batchCode: Cluster.exampleBatch, confidence: .low, sources: ["示例数据"],
                notes: "示例数据，不计入统计。",
                history: [
                    TierEvent(
                        date: Self.day("2023-06-30"), tier: .provincial, status: .active,
                        document: nil, note: "示例")
                ])
            try await app.store.insert(cluster, on: db)
            loaded.clusters += 1
        }
        if loaded.clusters > 0 { try await app.store.bumpVersion(on: db) }
        var users: [String: UUID] = [:]
        let password = Self.password()
        for a in Self.accounts {
            if let existing = try await UserModel.query(on: db).filter(\.$email == a.email).first() {
                users[a.email] = existing.id
                continue
            }
            let user = try await Accounts(app: app, db: db).create(
                email: a.email, name: a.name, password: password, grant: a.grant)
            users[a.email] = user.id
            loaded.accounts.append(a.email)
        }
        if !loaded.accounts.isEmpty { loaded.password = password }
        let experts = (1...3).compactMap { users["example-expert\($0)@example.org"]?.uuidString }
        let admin = users["example-admin@example.org"]?.uuidString ?? ""
        if try await RoundModel.find("EX\(today.year - 1)", on: db) == nil {
            try await finishedRound(
                year: today.year - 1, experts: experts, admin: admin,
                reviewer: users["example-reviewer@example.org"]?.uuidString ?? "")
            loaded.rounds += 1
        }
        if try await RoundModel.find("EX\(today.year)", on: db) == nil {
            try await roundInProgress(year: today.year, experts: experts, admin: admin)
            loaded.rounds += 1
        }
        loaded.returns = try await returns(year: today.year - 1, admin: admin)
        return loaded
    }

    /// Example rounds are named EX<year>; rounds opened for real are R<year>.
    static func isExample(round id: String) -> Bool { id.hasPrefix("EX") }

    static func password() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in letters.randomElement(using: &generator) ?? "x" })
    }

    static func day(_ s: String) -> Day {
        guard let day = Day(s) else { preconditionFailure("example date \(s)") }
        return day
    }

    // MARK: monitoring returns

    /// Example returns for data year `year` (and, for the year-on-year comparison, the year before):
    /// three accepted (so the provincial example clusters have a rating), one reviewed by its province
    /// (for the admin to accept), one submitted with an explained jump (for Jiangsu to review) and a
    /// draft (for Suzhou to finish). Rows that exist are left alone; returns the number added.
    func returns(year: Int, admin: String) async throws -> Int {
        let set = try await IndicatorSets.current(app.db)
        /// Figures of a mid-sized cluster, scaled by `k`.
        func values(_ k: Double) -> [String: Double] {
            [
                "output": (120e9 * k).rounded(), "above_size_firms": (420 * k).rounded(),
                "profit": (7.5e9 * k).rounded(),
                "rd_intensity": min(0.045 * k, 0.5), "national_carriers": (6 * k).rounded(),
                "invention_patents": (2600 * k).rounded(),
                "champions": (4 * k).rounded(), "little_giants": (38 * k).rounded(), "listed_firms": (11 * k).rounded(),
                "local_supply": min(0.52 * k, 1), "public_platforms": (9 * k).rounded(),
                "export_share": min(0.18 * k, 1),
                "cross_region_projects": (14 * k).rounded(), "body_staff": (12 * k).rounded(),
                "body_events": (30 * k).rounded(),
            ]
        }
        let due = app.rules.monitoring.dueDate(dataYear: year) ?? today
        let onTime = min(due.adding(days: -12) ?? due, today)
        var partial = values(0.8)
        for code in ["invention_patents", "cross_region_projects", "body_events"] { partial[code] = nil }
        var jumped = values(1.1)
        jumped["body_staff"] = 40
        let rows: [(String, Int, [String: Double], ReturnState, Day?, String, String?)] = [
            ("EX02", year - 1, values(1.05), .accepted, onTime.adding(days: -365), "", nil),
            ("EX03", year - 1, values(0.9), .accepted, onTime.adding(days: -365), "", nil),
            ("EX06", year - 1, values(1.0), .accepted, onTime.adding(days: -365), "", nil),
            ("EX02", year, values(1.15), .accepted, onTime, "", "数据已核（示例）"),
            ("EX03", year, values(0.85), .accepted, onTime, "", "数据已核（示例）"),
            ("EX04", year, values(1.3), .accepted, onTime, "", "数据已核（示例）"),
            ("EX05", year, values(0.7), .provinceReviewed, onTime, "", "省级已核（示例）"),
            ("EX06", year, jumped, .submitted, today.adding(days: -3), "促进机构新设三个服务部门，专职人员增加（示例说明）", nil),
            ("EX01", year, partial, .draft, nil, "", nil),
        ]
        let today = self.today
        return try await app.db.writeTransaction { tx in
            var added = 0
            for (cluster, dataYear, values, state, submitted, comment, review) in rows {
                guard try await ReturnModel.find(ReturnModel.key(cluster: cluster, year: dataYear), on: tx) == nil
                else { continue }
                let row = ReturnModel()
                row.id = ReturnModel.key(cluster: cluster, year: dataYear)
                row.clusterID = cluster
                row.dataYear = dataYear
                row.indicatorSetID = set.id
                row.indicatorSetVersion = set.version
                try row.setValues(values)
                row.comment = comment
                row.reviewComment = review
                row.state = state.rawValue
                row.version = 1
                row.submittedOn = submitted?.iso
                row.updatedBy = admin
                row.updatedAt = self.noon(submitted ?? today)
                try await row.create(on: tx)
                added += 1
            }
            return added
        }
    }
}
