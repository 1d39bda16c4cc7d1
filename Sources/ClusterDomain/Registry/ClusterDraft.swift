import Foundation

/// What a person submits to create or change a cluster, before it is checked.
public struct ClusterDraft: Equatable, Sendable {
    public var nameZh: String
    public var nameEn: String
    public var domainCode: String
    public var cityNames: [String]
    /// Extra member provinces beyond those of the cities (e.g. a province none of whose cities is named).
    public var extraProvinceCodes: [String]
    public var promotionOrg: String?
    public var sources: [String]
    public var notes: String

    public init(
        nameZh: String, nameEn: String, domainCode: String, cityNames: [String],
        extraProvinceCodes: [String] = [], promotionOrg: String? = nil, sources: [String] = [], notes: String = ""
    ) {
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.domainCode = domainCode
        self.cityNames = cityNames
        self.extraProvinceCodes = extraProvinceCodes
        self.promotionOrg = promotionOrg
        self.sources = sources
        self.notes = notes
    }

    public static let maxName = 200
    public static let maxNotes = 4000
    public static let maxCities = 30
    public static let maxSources = 20
    public static let maxSourceLength = 500

    /// A checked draft: the member provinces in order (those of the cities first, then the extras).
    public struct Valid: Equatable, Sendable {
        public let draft: ClusterDraft
        public let provinceCodes: [String]
    }

    /// Checks every field and names each bad one; nothing is partly accepted.
    public func validate(reference: ReferenceData) -> Result<Valid, FieldErrors> {
        var errors: [String: Message] = [:]
        let zh = nameZh.trimmingCharacters(in: .whitespacesAndNewlines)
        let en = nameEn.trimmingCharacters(in: .whitespacesAndNewlines)
        if zh.isEmpty {
            errors["name_zh"] = .required
        } else if zh.count > Self.maxName {
            errors["name_zh"] = .tooLong(Self.maxName)
        }
        if en.count > Self.maxName { errors["name_en"] = .tooLong(Self.maxName) }
        if reference.domain(code: domainCode) == nil {
            errors["domain"] = Message(
                "cluster.unknown_domain",
                [
                    "value": String(domainCode.prefix(40)),
                    "allowed": reference.domains.map(\.nameZh).joined(separator: "、"),
                    "codes": reference.domains.map(\.code).joined(separator: ", "),
                ])
        }
        let cities = cityNames.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var provinces: [String] = []
        if cities.isEmpty {
            errors["cities"] = Message("cluster.no_city")
        } else if cities.count > Self.maxCities {
            errors["cities"] = .tooMany(Self.maxCities)
        } else if Set(cities).count != cities.count {
            errors["cities"] = Message("cluster.city_twice")
        } else if let unknown = cities.first(where: { reference.city(named: $0) == nil }) {
            errors["cities"] = Message("cluster.unknown_city", ["value": String(unknown.prefix(40))])
        } else {
            for name in cities {
                if let code = reference.city(named: name)?.provinceCode, !provinces.contains(code) {
                    provinces.append(code)
                }
            }
        }
        for code in extraProvinceCodes.map({ $0.trimmingCharacters(in: .whitespaces) }) where !code.isEmpty {
            if reference.province(code: code) == nil {
                errors["provinces"] = Message("cluster.unknown_province", ["value": String(code.prefix(10))])
            } else if !provinces.contains(code) {
                provinces.append(code)
            }
        }
        let org = promotionOrg?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let org, org.count > Self.maxName { errors["promotion_org"] = .tooLong(Self.maxName) }
        let links = sources.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if links.count > Self.maxSources {
            errors["sources"] = .tooMany(Self.maxSources)
        } else if let bad = links.first(where: { !Self.isWebAddress($0) }) {
            errors["sources"] = Message(
                "cluster.bad_source", ["value": String(bad.prefix(60)), "n": "\(Self.maxSourceLength)"])
        }
        if notes.count > Self.maxNotes { errors["notes"] = .tooLong(Self.maxNotes) }
        guard errors.isEmpty else { return .failure(FieldErrors(errors)) }
        let clean = ClusterDraft(
            nameZh: zh, nameEn: en, domainCode: domainCode, cityNames: cities,
            extraProvinceCodes: provinces, promotionOrg: org, sources: links,
            notes: notes.trimmingCharacters(in: .whitespacesAndNewlines))
        return .success(Valid(draft: clean, provinceCodes: provinces))
    }

    static func isWebAddress(_ text: String) -> Bool {
        guard text.count <= maxSourceLength, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host?.isEmpty == false
        else { return false }
        return !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
    }
}

/// Validation failures, one message per field, each a key of the message catalogue: the API reports the
/// English wording and the key, Chinese pages show the Chinese wording.
public struct FieldErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public let messages: [String: Message]

    public init(_ messages: [String: Message]) {
        self.messages = messages
    }

    /// Field → English wording (the API's `fields`).
    public var fields: [String: String] { messages.mapValues(\.english) }
    /// Field → catalogue key.
    public var keys: [String: String] { messages.mapValues(\.key) }

    /// The messages to show in the page's language.
    public func messages(chinese: Bool) -> [String: String] {
        messages.mapValues { $0.text(chinese: chinese) }
    }

    /// The same errors with one more message (replacing any under the same key).
    public func adding(_ field: String, _ message: Message) -> FieldErrors {
        var all = messages
        all[field] = message
        return FieldErrors(all)
    }

    /// The same errors under other keys (`values.output` → `value_output`).
    public func mapKeys(_ transform: (String) -> String) -> FieldErrors {
        FieldErrors(Dictionary(messages.map { (transform($0.key), $0.value) }, uniquingKeysWith: { a, _ in a }))
    }

    public var description: String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }
}

/// Password rules: a minimum length, not the e-mail address, not a common password.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 256

    /// A reason the password is refused, or nil when it is acceptable.
    public static func problem(with password: String, email: String, common: Set<String>) -> Message? {
        if password.count < minimumLength { return Message("password.too_short", ["n": "\(minimumLength)"]) }
        if password.count > maximumLength { return .tooLong(maximumLength) }
        let lowered = password.lowercased()
        if lowered == email.lowercased() || lowered == email.lowercased().split(separator: "@").first.map(String.init) {
            return Message("password.is_email")
        }
        if common.contains(lowered) { return Message("password.common") }
        if Set(password).count < 4 { return Message("password.repetitive") }
        return nil
    }

    /// The bundled list of common passwords (lower-cased, one a line).
    public static func commonPasswords() throws(DataError) -> Set<String> {
        Set(
            try DataFiles.text("common-passwords.txt").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                    !$0.isEmpty && !$0.hasPrefix("#")
                })
    }
}
