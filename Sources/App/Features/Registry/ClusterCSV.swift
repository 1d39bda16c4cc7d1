import ClusterDomain
import Vapor

/// The cluster list as CSV, one row per cluster, lists joined with `;`.
enum ClusterCSV {
    static let columns = [
        "id", "name_zh", "name_en", "domain", "tier", "status", "region", "key_regions",
        "provinces", "cities", "batch", "designated_on", "designation_document", "confidence",
        "sources", "notes",
    ]

    static func text(_ rows: [ClusterRow], registry: Registry) -> String {
        var out = CSV.line(columns)
        for row in rows {
            let c = row.cluster
            out += CSV.line([
                c.id, c.nameZh, c.nameEn, c.domainCode, row.state.tier?.rawValue ?? "", row.state.status.rawValue,
                row.region?.rawValue ?? "", row.keyRegions.map(\.code).joined(separator: ";"),
                c.provinceCodes.joined(separator: ";"), c.cityNames.joined(separator: ";"), c.batchCode,
                c.designatedOn?.description ?? "", c.designationDocument ?? "", c.confidence.rawValue,
                c.sources.joined(separator: ";"), c.notes,
            ])
        }
        return out
    }

    static func response(_ rows: [ClusterRow], registry: Registry, asOf: Day) -> Response {
        .csv(text(rows, registry: registry), filename: "clusters-\(asOf.iso).csv")
    }
}

extension Response {
    /// A CSV download: UTF-8, offered under `filename`.
    static func csv(_ text: String, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return response
    }
}
