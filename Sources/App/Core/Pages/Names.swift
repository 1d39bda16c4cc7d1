import ClusterDomain
import Foundation

/// Names of domain values in the interface language.
extension Language {
    func name(_ p: Province) -> String { t(p.nameZh, p.nameEn) }
    func name(_ d: Domain) -> String { t(d.nameZh, d.nameEn) }
    func name(_ r: Region) -> String { t(r.nameZh, r.nameEn) }
    func name(_ k: KeyRegion) -> String { t(k.nameZh, k.nameEn) }
    func name(_ b: Batch) -> String { t(b.nameZh, b.nameEn) }
    func name(_ c: Cluster) -> String { t(c.nameZh, c.nameEn.isEmpty ? c.nameZh : c.nameEn) }
    func name(_ city: City) -> String { t(city.nameZh, city.nameEn) }

    /// A catalogue message in this language.
    func text(_ message: Message) -> String { message.text(chinese: self == .zh) }

    func name(_ role: Role) -> String { text(role.message) }

    /// An indicator set's version as people refer to it (its id is for programs).
    func name(indicatorSet id: String, version: Int) -> String {
        t("指标体系第 \(version) 版", "\(id) v\(version)")
    }

    /// An indicator's unit as people write it (元 for CNY).
    func unit(_ code: String) -> String { text(Message.unit(code: code)) }

    /// A ladder state stored as its code (`national_entrant`), by name; nil: not on the ladder.
    func name(ladderState raw: String?) -> String {
        guard let raw else { return text(Message("ladder_state.none")) }
        return LadderState(rawValue: raw).map { text($0.message) } ?? raw
    }

    /// A ladder event stored as its code (`admit_to_cultivation`), by name.
    func name(ladderEvent raw: String) -> String { LadderEvent(rawValue: raw).map { text($0.message) } ?? raw }

    /// Evidence stored as its code (`notice_closed`), by name.
    func name(evidence raw: String) -> String { LadderEvidence(rawValue: raw).map { text($0.message) } ?? raw }

    /// An audit entry's action (`ladder_designate`, `return_submit`) as people say it.
    func name(auditAction raw: String) -> String {
        let key = "audit_action." + raw
        guard MessageCatalogue.entries[key] != nil else { return raw }
        let event = raw.hasPrefix("ladder_") ? LadderEvent(rawValue: String(raw.dropFirst("ladder_".count))) : nil
        return text(Message(key, worded: event.map { ["event": $0.message] } ?? [:]))
    }

    /// The kind of record an audit entry is about.
    func name(entity raw: String) -> String {
        MessageCatalogue.entries["entity." + raw] != nil ? text(Message("entity." + raw)) : raw
    }

    /// How the person acted: signed in, or with an API token (`token:ab12cd`).
    func name(via raw: String) -> String {
        switch raw {
        case "session": text(Message("via.session"))
        case "command line": text(Message("via.command_line"))
        default: raw.hasPrefix("token:") ? text(Message("via.token")) : raw
        }
    }

    /// A role with its scope as people name it: 省级工业和信息化主管部门（江苏省）.
    func name(_ grant: Grant, reference: ReferenceData) -> String {
        guard let scope = grant.scope else { return name(grant.role) }
        let shown =
            grant.role == .provincial ? reference.province(code: scope).map(name) ?? scope : scope
        return name(grant.role) + t("（\(shown)）", " (\(shown))")
    }

    func name(_ tier: Tier?) -> String {
        switch tier {
        case .provincial: t("省级", "Provincial")
        case .national: t("国家级", "National")
        case .worldClass: t("世界级", "World-class")
        case nil: t("未定级", "No tier")
        }
    }

    func name(_ status: Status) -> String {
        switch status {
        case .winner: t("竞赛优胜", "Competition winner")
        case .active: t("在册", "Designated")
        case .warned: t("预警", "Warned")
        case .exited: t("退出", "Exited")
        }
    }

    func name(_ confidence: Confidence) -> String {
        switch confidence {
        case .high: t("高", "High")
        case .medium: t("中", "Medium")
        case .low: t("低", "Low")
        }
    }

    func name(_ outcome: ReconciliationRow.Outcome) -> String {
        switch outcome {
        case .agrees: t("一致", "Agrees")
        case .disagrees: t("不一致", "Disagrees")
        case .notDerivable: t("无法由登记数据得出", "Not derivable")
        }
    }

    func name(_ facet: Facet) -> String {
        switch facet {
        case .tier: t("层级", "Tier")
        case .status: t("状态", "Status")
        case .domain: t("领域", "Domain")
        case .region: t("地区", "Region")
        case .keyRegion: t("重点区域", "Key region")
        case .province: t("省份", "Province")
        case .batch: t("批次", "Batch")
        }
    }

    /// The name of a facet value (a code) for display.
    func name(facet: Facet, value: String, reference: ReferenceData) -> String {
        switch facet {
        case .tier: name(Tier(rawValue: value))
        case .status: Status(rawValue: value).map(name) ?? value
        case .domain: reference.domain(code: value).map(name) ?? value
        case .region: Region(rawValue: value).map(name) ?? value
        case .keyRegion: reference.keyRegion(code: value).map(name) ?? value
        case .province: reference.province(code: value).map(name) ?? value
        case .batch:
            reference.batch(code: value).map(name) ?? (value == Cluster.exampleBatch ? t("示例", "example") : value)
        }
    }

    /// A published value as published where the language allows ("1700余家", "2/3"), otherwise
    /// formatted, with its qualifier ("≥1700").
    func display(_ f: PublishedFigure) -> String {
        let hasCJK = f.display?.unicodeScalars.contains { $0.value >= 0x2E80 } ?? false
        if let shown = f.display, self == .zh || !hasCJK { return shown }
        let prefix = f.qualifier == .atLeast ? "≥" : f.qualifier == .moreThan ? ">" : ""
        return prefix + format(f.value, unit: f.unit)
    }

    /// A number as people read it: whole numbers without decimals, shares as percentages.
    func format(_ value: Double, unit: String) -> String {
        if unit == "share" { return String(format: "%.1f%%", value * 100) }
        if unit == "CNY", value >= 1e12 {
            return t(String(format: "%g万亿元", value / 1e12), String(format: "%g trillion yuan", value / 1e12))
        }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }
}
