import ClusterDomain
import Fluent
import Vapor

/// Saving a return and moving it through the workflow (the API and the return page call `step`).
extension ReturnController {
    // MARK: writing

    struct SaveInput: Content {
        var values: [String: Double]?
        var comment: String?
        /// The version read; required once the return exists.
        var version: Int?
    }

    struct ActionInput: Content {
        var action: String?
        var comment: String?
        var version: Int?
    }

    func save(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(SaveInput.self)
        let (cluster, year, row) = try await ReturnService(context: req.services()).load(
            cluster: req.parameters.get("id") ?? "", year: req.parameters.get("year") ?? "")
        guard let values = input.values else {
            throw FieldErrors(["values": Message("return.values_required")])
        }
        let dto = try await ReturnService(context: req.services(caller: caller)).step(
            .save, cluster: cluster, year: year, row: row, values: values, comment: input.comment,
            version: input.version, caller: caller)
        return try await dto.encodeResponse(status: row == nil ? .created : .ok, for: req)
    }

    func act(req: Request) async throws -> ReturnDTO {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(ActionInput.self)
        let (cluster, year, row) = try await ReturnService(context: req.services()).load(
            cluster: req.parameters.get("id") ?? "", year: req.parameters.get("year") ?? "")
        let steps = ReturnAction.allCases.filter { $0 != .save }
        guard let action = input.action.flatMap(ReturnAction.init(rawValue:)), action != .save else {
            throw FieldErrors([
                "action": Message("return.action", ["codes": steps.map(\.rawValue).joined(separator: ", ")])
            ])
        }
        return try await ReturnService(context: req.services(caller: caller)).step(
            action, cluster: cluster, year: year, row: row, values: nil, comment: input.comment,
            version: input.version, caller: caller)
    }
}
