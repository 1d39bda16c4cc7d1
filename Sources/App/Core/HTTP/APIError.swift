import ClusterDomain
import Vapor

/// An error the API reports to its caller: status, a reason, and the parameter at fault.
struct APIError: Error, AbortError {
    let status: HTTPResponseStatus
    let reason: String
    let parameter: String?
    let allowed: [String]?
    let headers: HTTPHeaders
    /// The error in the message catalogue, for pages (and the `key` of the JSON body); nil when only
    /// a program could have made it (a malformed query, a wrong content type).
    let message: Message?

    init(
        _ status: HTTPResponseStatus, _ reason: String, parameter: String? = nil, allowed: [String]? = nil,
        headers: HTTPHeaders = [:]
    ) {
        self.status = status
        self.reason = reason
        self.parameter = parameter
        self.allowed = allowed
        self.headers = headers
        self.message = nil
    }

    init(_ status: HTTPResponseStatus, _ message: Message, parameter: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.reason = message.english
        self.parameter = parameter
        self.allowed = nil
        self.headers = headers
        self.message = message
    }

    init(_ error: QueryError) {
        self.init(.badRequest, error.description, parameter: error.parameter, allowed: error.allowed)
    }

    static func notFound(_ what: String, parameter: String? = nil) -> APIError {
        APIError(.notFound, what, parameter: parameter)
    }

    static func notFound(_ message: Message, parameter: String? = nil) -> APIError {
        APIError(.notFound, message, parameter: parameter)
    }
}

/// The JSON body of every API error.
struct ErrorBody: Content {
    let error: Bool
    let reason: String
    let parameter: String?
    let allowed: [String]?
    /// Field → message, for a rejected create or update (422).
    var fields: [String: String]? = nil
    /// Field → the message catalogue key of its message, for programs that show their own wording.
    var keys: [String: String]? = nil
    /// The message catalogue key of `reason`, where it has one.
    var key: String? = nil
    /// The record as it is now, for a stale update (409).
    var current: ClusterDTO? = nil
    /// For a server error: the request id its log entry carries.
    var requestId: String? = nil
}
