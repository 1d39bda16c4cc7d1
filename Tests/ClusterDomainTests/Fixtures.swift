@testable import ClusterDomain

/// The shipped data, loaded once for the tests that read it.
enum Shipped {
    static let reference: ReferenceData = {
        do { return try DataFiles.reference() } catch { preconditionFailure("reference data: \(error)") }
    }()

    static let clusters: [Cluster] = {
        do { return try DataFiles.nationalClusters(reference: reference) } catch {
            preconditionFailure("national list: \(error)")
        }
    }()

    static let figures: [PublishedFigure] = {
        do { return try DataFiles.publishedFigures() } catch { preconditionFailure("figures: \(error)") }
    }()

    static var registry: Registry { Registry(reference: reference, clusters: clusters) }
}

func day(_ text: String) -> Day {
    guard let d = Day(text) else { preconditionFailure("bad test date \(text)") }
    return d
}

/// A cluster with defaults, for rule tests.
func makeCluster(
    id: String = "T001", cities: [String], provinces: [String]? = nil, domain: String = "new_materials",
    batch: String = "round3", history: [TierEvent]? = nil
) -> Cluster {
    let reference = Shipped.reference
    let provinceCodes =
        provinces
        ?? {
            var seen: [String] = []
            for name in cities {
                if let code = reference.city(named: name)?.provinceCode, !seen.contains(code) { seen.append(code) }
            }
            return seen
        }()
    return Cluster(
        id: id, nameZh: "测试集群 \(id)", nameEn: "Test cluster \(id)", domainCode: domain,
        cityNames: cities, provinceCodes: provinceCodes, batchCode: batch, confidence: .high,
        sources: [], notes: "",
        history: history ?? [
            TierEvent(
                date: day("2022-11-30"), tier: .national, status: .active,
                document: nil, note: nil)
        ])
}
