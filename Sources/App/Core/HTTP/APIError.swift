import ClusterDomain
import Vapor

/// An error the API reports to its caller: status, a reason, and the parameter at fault.
struct APIError: Error, AbortError {
    let status: HTTPResponseStatus
    let reason: String
    let parameter: String?
    let allowed: [String]?
    let headers: HTTPHeaders

    init(
        _ status: HTTPResponseStatus, _ reason: String, parameter: String? = nil, allowed: [String]? = nil,
        headers: HTTPHeaders = [:]
    ) {
        self.status = status
        self.reason = reason
        self.parameter = parameter
        self.allowed = allowed
        self.headers = headers
    }

    init(_ error: QueryError) {
        self.init(.badRequest, error.description, parameter: error.parameter, allowed: error.allowed)
    }

    static func notFound(_ what: String, parameter: String? = nil) -> APIError {
        APIError(.notFound, what, parameter: parameter)
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
    /// The record as it is now, for a stale update (409).
    var current: ClusterDTO? = nil
    /// For a server error: the request id its log entry carries.
    var requestId: String? = nil
}
