import ClusterDomain
import Fluent
import Plot
import Vapor

/// Served as it is stored (its own snake_case keys).
extension IndicatorSet: Content {}

/// The versioned indicator sets: every version can be read; an admin makes the next version
/// (weights must total 100%); rounds keep the version they were opened with.
struct IndicatorSetController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.indicatorSets, use: list)
        app.register(.POST, APIRoute.indicatorSets, use: revise)
        app.register(.GET, APIRoute.indicatorSet(":version"), use: one)
        app.register(.GET, WebRoute.indicators, use: page)
        app.register(.POST, WebRoute.indicators, use: reviseForm)
    }

    struct VersionDTO: Content {
        let id: String
        let version: Int
        let createdAt: Date
        let weights: [String: Double]
        let note: String
    }

    struct ListDTO: Content {
        let current: IndicatorSet
        let versions: [VersionDTO]
    }

    func list(req: Request) async throws -> ListDTO {
        _ = try req.queryParameters(for: .indicatorSets)
        let rows = try await IndicatorSets.all(req.db)
        return ListDTO(
            current: try await IndicatorSets.current(req.db),
            versions: try rows.map { row in
                let s = try row.set()
                return VersionDTO(
                    id: s.id, version: s.version, createdAt: row.createdAt,
                    weights: Dictionary(uniqueKeysWithValues: s.dimensions.map { ($0.code, $0.weight) }),
                    note: s.note)
            })
    }

    func one(req: Request) async throws -> IndicatorSet {
        _ = try req.queryParameters(for: .indicatorSet(""))
        let current = try await IndicatorSets.current(req.db)
        guard let version = req.parameters.get("version").flatMap(Int.init),
            let set = try await IndicatorSets.version(current.id, version, on: req.db)
        else {
            throw APIError.notFound("no such version of \(current.id)", parameter: "version")
        }
        return set
    }

    /// The next version: dimensions and/or indicators replacing the current ones, and a note saying why.
    struct RevisionInput: Decodable {
        var dimensions: [IndicatorDimension]?
        var indicators: [IndicatorDefinition]?
        var note: String?
    }

    func revise(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        guard req.headers.contentType == .json, let body = req.body.data else {
            throw APIError(.unsupportedMediaType, "send the revision as JSON")
        }
        let input: RevisionInput
        do {
            // The set's own field names (name_zh, …), as in GET; not the API's key conversion.
            input = try JSONDecoder().decode(RevisionInput.self, from: body)
        } catch {
            throw APIError(.badRequest, "the body is not a revision: \(String(describing: error).prefix(300))")
        }
        return try await IndicatorSetService(context: req.services(caller: caller)).revise(input).encodeResponse(
            status: .created, for: req)
    }

    /// The admin's form: a weight per dimension and a note; the indicators stay as they are.
    func reviseForm(req: Request) async throws -> Response {
        try await FormSubmission.submit(req, render: { try await Self.render(req, values: $0, errors: $1) }) {
            caller, f in
            let current = try await IndicatorSets.current(req.db)
            var errors: [String: Message] = [:]
            let dimensions = current.dimensions.map { d -> IndicatorDimension in
                let text = (f["weight_" + d.code] ?? "").trimmingCharacters(in: .whitespaces)
                guard let w = TypedNumber.parse(text), w.isFinite else {
                    errors["weight_" + d.code] = Message("indicators.weight")
                    return d
                }
                return IndicatorDimension(
                    code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, weight: w,
                    assumed: w == d.weight ? d.assumed : true)
            }
            guard errors.isEmpty else { throw FieldErrors(errors) }
            do {
                _ = try await IndicatorSetService(context: req.services(caller: caller)).revise(
                    RevisionInput(dimensions: dimensions, indicators: nil, note: f["note"]))
            } catch let e as FieldErrors where e.fields["indicator_set"] != nil {
                throw FieldErrors(["form": e.messages["indicator_set"] ?? .required])
            }
            return WebRoute.indicators.path
        }
    }

    static func render(_ req: Request, values: [String: String], errors: [String: String]) async throws -> HTML {
        let (_, ctx) = try req.page(.indicators, section: .rounds)
        let rows = try await IndicatorSets.all(req.db)
        return IndicatorPages.page(
            ctx, current: try await IndicatorSets.current(req.db), versions: try rows.map { try $0.set() },
            isAdmin: req.caller?.isAdmin == true, csrf: req.caller == nil ? "" : CSRF.token(for: req),
            values: values, errors: errors)
    }

    func page(req: Request) async throws -> Response {
        PageResponse.html(try await Self.render(req, values: [:], errors: [:]).render())
    }
}
