import ClusterDomain
import Vapor

/// The JSON body of a cluster create or update, and the matching form fields.
struct ClusterInput: Content {
    var nameZh: String?
    var nameEn: String?
    var domain: String?
    var cities: [String]?
    var provinces: [String]?
    var promotionOrg: String?
    var sources: [String]?
    var notes: String?
    // create only
    var tier: String?
    var designatedOn: String?
    var document: String?
    var batch: String?
    // update and retire
    var version: Int?

    var draft: ClusterDraft {
        ClusterDraft(
            nameZh: nameZh ?? "", nameEn: nameEn ?? "", domainCode: domain ?? "", cityNames: cities ?? [],
            extraProvinceCodes: provinces ?? [], promotionOrg: promotionOrg, sources: sources ?? [], notes: notes ?? "")
    }

    func newCluster(today: Day, reference: ReferenceData) throws -> ClusterWriter.NewCluster {
        var errors: [String: Message] = [:]
        var tierValue = Tier.provincial
        if let tier, !tier.isEmpty {
            if let t = Tier(rawValue: tier) {
                tierValue = t
            } else {
                errors["tier"] = Message("cluster.tier")
            }
        }
        var day = today
        if let text = designatedOn, !text.isEmpty {
            if let d = Day(typed: text) ?? Day(text), d.precision == .day {
                day = d
            } else {
                errors["designated_on"] = .date
            }
        }
        // Check the draft too, so that every bad field is named at once.
        if case .failure(let draftErrors) = draft.validate(reference: reference) {
            errors.merge(draftErrors.messages) { a, _ in a }
        }
        guard errors.isEmpty else { throw FieldErrors(errors) }
        return ClusterWriter.NewCluster(
            draft: draft, tier: tierValue, designatedOn: day,
            document: document?.trimmingCharacters(in: .whitespaces).nilIfBlank,
            batch: batch?.nilIfBlank)
    }

    func requireVersion() throws -> Int {
        guard let version else {
            throw FieldErrors(["version": .versionRequired])
        }
        return version
    }
}

extension String {
    var nilIfBlank: String? { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self }
}
