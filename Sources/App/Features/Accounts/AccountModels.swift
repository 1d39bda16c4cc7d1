import Fluent
import Foundation

/// A person who signs in. Passwords are stored as bcrypt hashes only.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "disabled") var disabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$user) var grants: [RoleGrantModel]
    /// The second factor (`TOTP`): the secret in Base32, set while it is on.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_enabled_at") var totpEnabledAt: Date?
    /// The last time step a code was accepted for: a code is used once.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    /// SHA-256 of each recovery code not used yet, as a JSON array.
    @OptionalField(key: "recovery_codes") var recoveryCodes: String?

    init() {}
}

/// A role a user holds over a scope. Revoking sets `revoked_at`; rows are never deleted.
final class RoleGrantModel: Model, @unchecked Sendable {
    static let schema = "role_grants"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "role") var role: String
    @OptionalField(key: "scope") var scope: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
}

/// An API token: only its SHA-256 is stored; the token is shown once, at creation.
final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the token, to recognise it in a list.
    @Field(key: "prefix") var prefix: String
    /// The grants this token carries, as `role` or `role:scope`, a subset of the user's.
    @Field(key: "grants") var grants: [String]
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
}

/// A failed sign-in, by account and by client address, for throttling.
final class LoginFailureModel: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    /// `account:<email>` or `address:<ip>`.
    @Field(key: "key") var key: String
    @Field(key: "failed_at") var failedAt: Date

    init() {}
}

/// One entry of the append-only audit trail. No endpoint or command changes or deletes these rows.
final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "actor_email") var actorEmail: String?
    /// The grant that allowed the action (`role:scope`), or the grants held when it was refused.
    @OptionalField(key: "grant") var grant: String?
    /// `session` or `token:<prefix>`.
    @OptionalField(key: "via") var via: String?
    @Field(key: "action") var action: String
    /// `done` or `refused`.
    @Field(key: "outcome") var outcome: String
    @Field(key: "entity") var entity: String
    @OptionalField(key: "entity_id") var entityID: String?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    /// The member provinces and cities of the cluster concerned, for scoped reading.
    @Field(key: "scope_provinces") var scopeProvinces: [String]
    @Field(key: "scope_cities") var scopeCities: [String]
    @OptionalField(key: "request_id") var requestID: String?
    @OptionalField(key: "client_address") var clientAddress: String?
    /// The chain link: SHA-256 of this entry's content and of the entry before it (`AuditChain`).
    @OptionalField(key: "hash") var hash: String?

    init() {}
}
