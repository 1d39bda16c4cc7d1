import Foundation

/// An announcement as submitted, before it has an id: every field checked, each problem named.
public struct AnnouncementDraft: Sendable {
    public var titleZh: String?
    public var titleEn: String?
    public var bodyZh: String?
    public var bodyEn: String?
    public var source: String?
    public var sourceURL: String?
    public var publishedOn: String?
    public var tags: [String]?
    public var clusters: [String]?

    /// What a damaged original put through intake supplies for the fields left empty.
    public struct FromIntake: Sendable {
        public let headline: String?
        public let body: String?
        /// The latest full date the text states.
        public let statedDay: Day?
        /// The longest body an intake may yield (the intake's own size limit).
        public let maxBody: Int

        public init(headline: String?, body: String?, statedDay: Day?, maxBody: Int) {
            self.headline = headline
            self.body = body
            self.statedDay = statedDay
            self.maxBody = maxBody
        }
    }

    public init(
        titleZh: String?, titleEn: String?, bodyZh: String?, bodyEn: String?, source: String?, sourceURL: String?,
        publishedOn: String?, tags: [String]?, clusters: [String]?
    ) {
        self.titleZh = titleZh
        self.titleEn = titleEn
        self.bodyZh = bodyZh
        self.bodyEn = bodyEn
        self.source = source
        self.sourceURL = sourceURL
        self.publishedOn = publishedOn
        self.tags = tags
        self.clusters = clusters
    }

    /// A value that is not only white space.
    static func given(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }

    /// The announcement (id left empty) and its clusters, or every problem at once. `errors` are
    /// problems found before, such as an original that intake refused.
    public func validate(
        registry: Registry, intake: FromIntake?, today: Day, errors initial: [String: Message] = [:]
    ) -> Result<(Announcement, [Cluster]), FieldErrors> {
        var errors = initial
        func text(_ v: String?, _ field: String, max: Int, required: Bool = true) -> String {
            let t = (v ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if (required && t.isEmpty) || t.count > max {
                errors[field] = required && t.isEmpty ? .required : .tooLong(max)
            }
            return t
        }
        let titleZh = text(Self.given(titleZh) ?? intake?.headline, "title_zh", max: 200)
        let titleEn = text(titleEn, "title_en", max: 200, required: false)
        let bodyZh = text(Self.given(bodyZh) ?? intake?.body, "body_zh", max: intake?.maxBody ?? 10_000)
        let bodyEn = text(bodyEn, "body_en", max: 10_000, required: false)
        let source = text(source, "source", max: 500)
        let url = Self.given(sourceURL)
        if let url,
            !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.count > 500
                || url.contains(where: \.isWhitespace)
        {
            errors["source_url"] = .webAddress
        }
        let day = publishedOn.flatMap { Day(typed: $0) } ?? (publishedOn == nil ? (intake?.statedDay ?? today) : nil)
        if day == nil { errors["published_on"] = .date }
        let tags = (tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if tags.count > 10 || tags.contains(where: { $0.count > 30 || $0.contains("/") }) {
            errors["tags"] = Message("announcement.tags")
        }
        let ids = clusters ?? []
        let found = ids.compactMap { id in registry.clusters.first { $0.id == id } }
        if found.count != ids.count || ids.count > 100 { errors["clusters"] = Message("announcement.clusters") }
        guard errors.isEmpty, let day else { return .failure(FieldErrors(errors)) }
        let item = Announcement(
            id: "", titleZh: titleZh, titleEn: titleEn.isEmpty ? titleZh : titleEn, bodyZh: bodyZh, bodyEn: bodyEn,
            source: source, sourceURL: url, publishedOn: day, tags: tags, clusterIDs: ids)
        return .success((item, found))
    }
}
