import Foundation

/// Reads the project's data files (in `Resources/`) into domain values.
///
/// Parsing is separate from reading so that tests can feed their own text.
public enum DataFiles {
    /// The text of a bundled data file.
    public static func text(_ name: String) throws(DataError) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources"),
            let data = try? Data(contentsOf: url),
            let text = String(data: data, encoding: .utf8)
        else {
            throw DataError(file: name, reason: "missing or not UTF-8 in the bundled resources")
        }
        return text
    }

    /// Reference tables from the bundled files.
    public static func reference() throws(DataError) -> ReferenceData {
        try parseReference(
            provinces: text("provinces.csv"), cities: text("cities.csv"),
            keyRegions: text("key-regions.json"), domains: text("domains.csv"),
            batches: text("batches.csv"))
    }

    /// The national list shipped with the project, with each cluster's dated history.
    public static func nationalClusters(reference: ReferenceData) throws(DataError) -> [Cluster] {
        try parseClusters(text("national-clusters.csv"), reference: reference)
    }

    /// The Chinese wording of the shipped clusters' notes (`national-clusters-notes-zh.csv`): one for
    /// every cluster that has a note, none for any other.
    public static func chineseNotes(for clusters: [Cluster]) throws(DataError) -> ShippedNotes {
        try parseChineseNotes(text("national-clusters-notes-zh.csv"), clusters: clusters)
    }

    public static func parseChineseNotes(_ text: String, clusters: [Cluster]) throws(DataError) -> ShippedNotes {
        let file = "national-clusters-notes-zh.csv"
        let rows: [[String: String]]
        do { rows = try CSV.records(text) } catch { throw DataError(file: file, reason: error.description) }
        var chinese: [String: String] = [:]
        let english = Dictionary(uniqueKeysWithValues: clusters.filter { !$0.notes.isEmpty }.map { ($0.id, $0.notes) })
        for row in rows {
            let id = row["id"] ?? ""
            guard english[id] != nil else { throw DataError(file: file, reason: "\(id): no such cluster with a note") }
            guard let zh = row["notes_zh"], !zh.isEmpty, chinese[id] == nil else {
                throw DataError(file: file, reason: "\(id): empty or repeated")
            }
            chinese[id] = zh
        }
        if let missing = english.keys.sorted().first(where: { chinese[$0] == nil }) {
            throw DataError(file: file, reason: "\(missing): its note has no Chinese wording")
        }
        return ShippedNotes(english: english, chinese: chinese)
    }

    public static func publishedFigures() throws(DataError) -> [PublishedFigure] {
        try parseFigures(text("published-figures.json"))
    }

    /// The policy catalogue: categories, departments and the policies shipped as facts.
    public static func policyCatalogue(reference: ReferenceData) throws(DataError) -> PolicyCatalogue {
        try parsePolicies(
            categories: text("policy-categories.csv"), departments: text("departments.csv"),
            policies: text("policies.json"), reference: reference)
    }

    public static func parsePolicies(
        categories: String, departments: String, policies: String,
        reference: ReferenceData
    ) throws(DataError) -> PolicyCatalogue {
        let cats = try records(categories, "policy-categories.csv", columns: ["code", "name_zh", "name_en"])
            .map { PolicyCategory(code: $0["code"]!, nameZh: $0["name_zh"]!, nameEn: $0["name_en"]!) }
        let depts = try records(departments, "departments.csv", columns: ["code", "name_zh", "name_en"])
            .map { Department(code: $0["code"]!, nameZh: $0["name_zh"]!, nameEn: $0["name_en"]!) }
        struct Row: Decodable {
            let id: String, category: String, level: PolicyLevel, issuers: [String], owners: [String]
            let document_number: String?, title_zh: String, title_en: String, summary_zh: String?, summary_en: String?
            let issued_on: Day?, effective_on: Day?, expires_on: Day?, url: String?, source: String
            let rule: EligibilityRule
            let jurisdiction: String?
        }
        let rows: [Row]
        do { rows = try JSONDecoder().decode([Row].self, from: Data(policies.utf8)) } catch {
            throw DataError(file: "policies.json", reason: "\(error)")
        }
        let list = rows.map {
            Policy(
                id: $0.id, categoryCode: $0.category, level: $0.level, issuerCodes: $0.issuers, ownerCodes: $0.owners,
                documentNumber: $0.document_number, titleZh: $0.title_zh, titleEn: $0.title_en,
                summaryZh: $0.summary_zh,
                summaryEn: $0.summary_en, issuedOn: $0.issued_on, effectiveOn: $0.effective_on,
                expiresOn: $0.expires_on,
                url: $0.url, source: $0.source, rule: $0.rule, jurisdiction: $0.jurisdiction)
        }
        let catalogue = PolicyCatalogue(categories: cats, departments: depts, policies: list)
        if let problem = catalogue.problems(reference: reference).first {
            throw DataError(file: "policies.json", reason: problem)
        }
        return catalogue
    }

    /// The programme's assumed rules as shipped (`programme-rules.json`).
    public static func programmeRules() throws(DataError) -> ProgrammeRules {
        try ProgrammeRules.decode(Data(text("programme-rules.json").utf8), file: "programme-rules.json")
    }

    /// The default indicator set (version 1), checked: weights total 100%, every code known.
    public static func indicatorSet() throws(DataError) -> IndicatorSet {
        let set: IndicatorSet
        do { set = try JSONDecoder().decode(IndicatorSet.self, from: Data(text("indicator-set.json").utf8)) } catch let
            e as DataError
        {
            throw e
        } catch {
            throw DataError(file: "indicator-set.json", reason: "\(error)")
        }
        if let problem = set.problems().first { throw DataError(file: "indicator-set.json", reason: problem) }
        return set
    }

    /// The cooperation ledger shipped as data, and the value-chain links used for suggestions.
    public static func cooperation(reference: ReferenceData, clusters: [Cluster]) throws(DataError) -> CooperationLedger
    {
        try parseCooperation(
            activities: text("cooperation.json"), valueChains: text("value-chains.csv"),
            reference: reference, clusterIDs: Set(clusters.map(\.id)))
    }

    public static func parseCooperation(
        activities: String, valueChains: String, reference: ReferenceData,
        clusterIDs: Set<String>
    ) throws(DataError) -> CooperationLedger {
        let links = try records(valueChains, "value-chains.csv", columns: ["from", "to", "reason_zh", "reason_en"]).map
        {
            ValueChainLink(from: $0["from"]!, to: $0["to"]!, reasonZh: $0["reason_zh"]!, reasonEn: $0["reason_en"]!)
        }
        for link in links where reference.domain(code: link.from) == nil || reference.domain(code: link.to) == nil {
            throw DataError(file: "value-chains.csv", reason: "unknown domain in \(link.from) → \(link.to)")
        }
        struct Row: Decodable {
            let id: String, kind: ActivityKind, title_zh: String, title_en: String, started_on: Day, ended_on: Day?
            let clusters: [String], organisations: [String], outcomes: String, source: String
        }
        let rows: [Row]
        do { rows = try JSONDecoder().decode([Row].self, from: Data(activities.utf8)) } catch {
            throw DataError(file: "cooperation.json", reason: "\(error)")
        }
        for row in rows {
            if let unknown = row.clusters.first(where: { !clusterIDs.contains($0) }) {
                throw DataError(file: "cooperation.json", reason: "\(row.id): unknown cluster \(unknown)")
            }
            if row.clusters.count < 2 {
                throw DataError(file: "cooperation.json", reason: "\(row.id): fewer than two clusters")
            }
        }
        return CooperationLedger(
            activities: rows.map {
                CooperationActivity(
                    id: $0.id, kind: $0.kind, titleZh: $0.title_zh, titleEn: $0.title_en, startedOn: $0.started_on,
                    endedOn: $0.ended_on, clusterIDs: $0.clusters, organisations: $0.organisations,
                    outcomes: $0.outcomes, source: $0.source)
            },
            valueChains: links)
    }

    /// The announcements shipped with the project (seeded into the database).
    public static func announcements(clusterIDs: Set<String>) throws(DataError) -> [Announcement] {
        try parseAnnouncements(text("announcements.json"), clusterIDs: clusterIDs)
    }

    public static func parseAnnouncements(_ text: String, clusterIDs: Set<String>) throws(DataError) -> [Announcement] {
        struct Row: Decodable {
            let id: String, title_zh: String, title_en: String, body_zh: String, body_en: String, source: String
            let source_url: String?, published_on: Day, tags: [String], clusters: [String]
        }
        let rows: [Row]
        do { rows = try JSONDecoder().decode([Row].self, from: Data(text.utf8)) } catch {
            throw DataError(file: "announcements.json", reason: "\(error)")
        }
        for row in rows {
            if let unknown = row.clusters.first(where: { !clusterIDs.contains($0) }) {
                throw DataError(file: "announcements.json", reason: "\(row.id): unknown cluster \(unknown)")
            }
        }
        return rows.map {
            Announcement(
                id: $0.id, titleZh: $0.title_zh, titleEn: $0.title_en, bodyZh: $0.body_zh, bodyEn: $0.body_en,
                source: $0.source, sourceURL: $0.source_url, publishedOn: $0.published_on, tags: $0.tags,
                clusterIDs: $0.clusters)
        }
    }

    // MARK: - Parsing

    static func records(_ text: String, _ file: String, columns: [String]) throws(DataError) -> [[String: String]] {
        let rows: [[String: String]]
        do { rows = try CSV.records(text) } catch { throw DataError(file: file, reason: error.description) }
        if let first = rows.first {
            for column in columns where first[column] == nil {
                throw DataError(file: file, reason: "missing column \(column)")
            }
        }
        return rows
    }

    public static func parseReference(
        provinces: String, cities: String, keyRegions: String,
        domains: String, batches: String
    ) throws(DataError) -> ReferenceData {
        let domainRows = try records(domains, "domains.csv", columns: ["code", "name_zh", "name_en"])
        return try ReferenceData(
            provinces: try parseProvinces(provinces), cities: try parseCities(cities),
            keyRegions: try parseKeyRegions(keyRegions),
            domains: domainRows.map { Domain(code: $0["code"]!, nameZh: $0["name_zh"]!, nameEn: $0["name_en"]!) },
            batches: try parseBatches(batches))
    }

    static func parseProvinces(_ text: String) throws(DataError) -> [Province] {
        let rows = try records(
            text, "provinces.csv", columns: ["code", "iso", "short_zh", "name_zh", "name_en", "region"])
        var list: [Province] = []
        for row in rows {
            guard let region = Region(rawValue: row["region"] ?? "") else {
                throw DataError(
                    file: "provinces.csv", reason: "\(row["code"] ?? "?"): unknown region \(row["region"] ?? "")")
            }
            list.append(
                Province(
                    code: row["code"]!, iso: row["iso"]!, shortNameZh: row["short_zh"]!, nameZh: row["name_zh"]!,
                    nameEn: row["name_en"]!, region: region))
        }
        return list
    }

    static func parseCities(_ text: String) throws(DataError) -> [City] {
        let rows = try records(text, "cities.csv", columns: ["name_zh", "name_en", "province_code", "planned"])
        var list: [City] = []
        for row in rows {
            guard let planned = ["yes": true, "no": false][row["planned"]!] else {
                throw DataError(file: "cities.csv", reason: "\(row["name_zh"]!): planned must be yes or no")
            }
            list.append(
                City(
                    nameZh: row["name_zh"]!, nameEn: row["name_en"]!,
                    provinceCode: row["province_code"]!, isPlanned: planned))
        }
        return list
    }

    static func parseKeyRegions(_ text: String) throws(DataError) -> [KeyRegion] {
        struct KeyRegionRow: Decodable {
            let code: String, name_zh: String, name_en: String
            let province_codes: [String], cities: [String], note: String
        }
        let rows: [KeyRegionRow]
        do { rows = try JSONDecoder().decode([KeyRegionRow].self, from: Data(text.utf8)) } catch {
            throw DataError(file: "key-regions.json", reason: "\(error)")
        }
        return rows.map {
            KeyRegion(
                code: $0.code, nameZh: $0.name_zh, nameEn: $0.name_en,
                provinceCodes: $0.province_codes, cityNames: $0.cities, note: $0.note)
        }
    }

    static func parseBatches(_ text: String) throws(DataError) -> [Batch] {
        let rows = try records(
            text, "batches.csv",
            columns: [
                "code", "name_zh", "name_en", "named_on", "naming_event",
                "designated_on", "designation_document", "note",
            ])
        var list: [Batch] = []
        for row in rows {
            let code = row["code"]!
            guard let designated = Day(row["designated_on"]!) else {
                throw DataError(file: "batches.csv", reason: "\(code): designated_on is not a date")
            }
            let namedText = row["named_on"]!
            let named = Day(namedText)
            if !namedText.isEmpty && named == nil {
                throw DataError(file: "batches.csv", reason: "\(code): named_on is not a date")
            }
            list.append(
                Batch(
                    code: code, nameZh: row["name_zh"]!, nameEn: row["name_en"]!, namedOn: named,
                    namingEvent: row["naming_event"].flatMap { $0.isEmpty ? nil : $0 },
                    designatedOn: designated, designationDocument: row["designation_document"]!,
                    note: row["note"]!))
        }
        return list
    }

    /// Parses rows in the layout of `national-clusters.csv`. Domains and provinces are given by
    /// their Chinese names there; cities and sources are `;`-separated.
    public static func parseClusters(_ text: String, reference: ReferenceData) throws(DataError) -> [Cluster] {
        let file = "national-clusters.csv"
        let rows = try records(
            text, file,
            columns: [
                "id", "name_zh", "name_en", "batch", "year_designated", "domain",
                "cities", "provinces", "confidence", "source_urls", "notes",
            ])
        func list(_ value: String) -> [String] {
            value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var clusters: [Cluster] = []
        for row in rows {
            let id = row["id"]!
            guard let domain = reference.domain(nameZh: row["domain"]!) else {
                throw DataError(file: file, reason: "\(id): unknown domain \(row["domain"]!)")
            }
            guard let batch = reference.batch(code: row["batch"]!) else {
                throw DataError(file: file, reason: "\(id): unknown batch \(row["batch"]!)")
            }
            var provinces: [String] = []
            for name in list(row["provinces"]!) {
                guard let province = reference.province(shortName: name) else {
                    throw DataError(file: file, reason: "\(id): unknown province \(name)")
                }
                provinces.append(province.code)
            }
            guard let confidence = Confidence(rawValue: row["confidence"]!) else {
                throw DataError(file: file, reason: "\(id): confidence must be high, medium or low")
            }
            clusters.append(
                Cluster(
                    id: id, nameZh: row["name_zh"]!, nameEn: row["name_en"]!, domainCode: domain.code,
                    cityNames: list(row["cities"]!), provinceCodes: provinces, batchCode: batch.code,
                    confidence: confidence, sources: list(row["source_urls"]!), notes: row["notes"]!,
                    history: history(for: batch)))
        }
        let registry = Registry(reference: reference, clusters: clusters)
        if let problem = registry.problems().first { throw DataError(file: file, reason: problem) }
        return clusters
    }

    /// A designated cluster's history as its batch gives it: named a winner (where the batch
    /// records that), then national.
    public static func history(for batch: Batch) -> [TierEvent] {
        var events: [TierEvent] = []
        if let named = batch.namedOn {
            events.append(
                TierEvent(
                    date: named, tier: nil, status: .winner, document: batch.namingEvent,
                    note: nil))
        }
        events.append(
            TierEvent(
                date: batch.designatedOn, tier: .national, status: .active,
                document: batch.designationDocument, note: nil))
        return events
    }

    public static func parseFigures(_ text: String) throws(DataError) -> [PublishedFigure] {
        let file = "published-figures.json"
        struct SourceRow: Decodable {
            let id: String, title_zh: String, title_en: String, publisher: String
            let published_on: Day, url: String?, note: String?
        }
        struct FigureRow: Decodable {
            let id: String, metric: String?, label_zh: String, label_en: String, value: Double
            let display: String?, qualifier: PublishedFigure.Qualifier, unit: String, scope: String
            let data_year: Int?, reference_date: Day, source: String, note: String?
        }
        struct FileRow: Decodable { let sources: [SourceRow], figures: [FigureRow] }
        let parsed: FileRow
        do { parsed = try JSONDecoder().decode(FileRow.self, from: Data(text.utf8)) } catch {
            throw DataError(file: file, reason: "\(error)")
        }
        var sources: [String: FigureSource] = [:]
        for s in parsed.sources {
            sources[s.id] = FigureSource(
                id: s.id, titleZh: s.title_zh, titleEn: s.title_en, publisher: s.publisher,
                publishedOn: s.published_on, url: s.url, note: s.note)
        }
        var ids = Set<String>()
        var figures: [PublishedFigure] = []
        for f in parsed.figures {
            guard ids.insert(f.id).inserted else { throw DataError(file: file, reason: "duplicate id \(f.id)") }
            guard let source = sources[f.source] else {
                throw DataError(file: file, reason: "\(f.id): unknown source \(f.source)")
            }
            figures.append(
                PublishedFigure(
                    id: f.id, metric: f.metric, labelZh: f.label_zh, labelEn: f.label_en, value: f.value,
                    display: f.display, qualifier: f.qualifier, unit: f.unit, scope: f.scope, dataYear: f.data_year,
                    referenceDate: f.reference_date, source: source, note: f.note))
        }
        return figures
    }
}
