import ClusterDomain
import Fluent
import Plot
import Vapor

/// Support granted under policies: recorded through the API by those who may edit the cluster,
/// listed, and totalled by category, department and province.
struct TakeUpController: Sendable {
    func register(on app: Application) {
        app.register(.GET, APIRoute.takeUps, use: list)
        app.register(.GET, APIRoute.takeUpTotals, use: totals)
        app.register(.POST, APIRoute.takeUps, use: record)
        app.register(.PUT, APIRoute.takeUp(":id"), use: update)
        app.register(.GET, WebRoute.newTakeUp, use: newForm)
        app.register(.POST, WebRoute.newTakeUp, use: recordForm)
        app.register(.POST, WebRoute.takeUpStatus(":id"), use: statusForm)
    }

    struct TakeUpChange: Content {
        var status: String?
        var amount: Double?
        var note: String?
        /// The version the change was made from.
        var version: Int?
    }

    static func change(id: Int, _ change: TakeUpChange, caller: Caller, req: Request) async throws -> TakeUp {
        try await TakeUpService(context: req.services(caller: caller)).change(id: id, change)
    }

    /// `PUT /api/v1/takeups/{id}` with a token.
    func update(req: Request) async throws -> TakeUpDTO {
        let caller = try req.tokenCaller()
        guard let id = req.parameters.get("id").flatMap(Int.init) else {
            throw APIError.notFound("no take-up record", parameter: "id")
        }
        return TakeUpDTO(
            try await Self.change(id: id, try req.content.decode(TakeUpChange.self), caller: caller, req: req))
    }

    /// `POST /takeups/{id}/status` from the policy page: sets the status.
    func statusForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(Int.init) else {
            throw APIError.notFound("no take-up record", parameter: "id")
        }
        let status = try? req.content.get(String.self, at: "status")
        let version = (try? req.content.get(String.self, at: "version")).flatMap { Int($0) }
        let saved = try await Self.change(
            id: id, TakeUpChange(status: status, amount: nil, note: nil, version: version), caller: caller, req: req)
        return req.redirect(to: WebRoute.policy(saved.policyID).path, redirectType: .normal)
    }

    struct TakeUpDTO: Content {
        let id: Int
        let policy: String
        let cluster: String
        let amount: Double?
        let grantedOn: String
        let status: String
        let note: String
        let version: Int

        init(_ t: TakeUp) {
            id = t.id
            policy = t.policyID
            cluster = t.clusterID
            amount = t.amount
            grantedOn = t.grantedOn.iso
            status = t.status.rawValue
            note = t.note
            version = t.version
        }
    }

    struct TakeUpInput: Content {
        var policy: String?
        var cluster: String?
        var amount: Double?
        var grantedOn: String?
        var status: String?
        var note: String?
    }

    func list(req: Request) async throws -> [TakeUpDTO] {
        let params = try req.queryParameters(for: .takeUps)
        return try await TakeUpService.all(req.db).filter { t in
            (params["policy"]?.nilIfBlank.map { $0 == t.policyID } ?? true)
                && (params["cluster"]?.nilIfBlank.map { $0 == t.clusterID } ?? true)
        }.map(TakeUpDTO.init)
    }

    struct SumDTO: Content {
        let count: Int
        let amount: Double
    }

    struct TotalsDTO: Content {
        let byCategory: [String: SumDTO]
        let byDepartment: [String: SumDTO]
        let byProvince: [String: SumDTO]
    }

    func totals(req: Request) async throws -> TotalsDTO {
        _ = try req.queryParameters(for: .takeUpTotals)
        let t = TakeUp.totals(
            try await TakeUpService.all(req.db), catalogue: (try await req.policyCatalogue()),
            registry: try await req.store.registry())
        func map(_ d: [String: TakeUp.Totals.Sum]) -> [String: SumDTO] {
            d.mapValues { SumDTO(count: $0.count, amount: $0.amount) }
        }
        return TotalsDTO(
            byCategory: map(t.byCategory), byDepartment: map(t.byDepartment), byProvince: map(t.byProvince))
    }

    func record(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let input = try req.content.decode(TakeUpInput.self)
        return try await TakeUpDTO(Self.record(input, caller: caller, req: req)).encodeResponse(
            status: .created, for: req)
    }

    /// Records support granted (`TakeUpService.record`).
    static func record(_ input: TakeUpInput, caller: Caller, req: Request) async throws -> TakeUp {
        try await TakeUpService(context: req.services(caller: caller)).record(input)
    }

    /// The form's fields (snake_case), the amount as text.
    struct TakeUpForm: Content {
        var policy: String?
        var cluster: String?
        var amount: String?
        var granted_on: String?
        var status: String?
        var note: String?
    }

    func newForm(req: Request) async throws -> Response {
        guard req.caller != nil else { throw AuthError.signInRequired }
        let (_, ctx) = try req.page(.newTakeUp, section: .policies)
        return PageResponse.html(
            TakeUpForms.form(
                ctx, csrf: CSRF.token(for: req), catalogue: try await req.policyCatalogue(),
                form: TakeUpForm(), errors: [:]
            ).render())
    }

    func recordForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let form = try req.content.decode(TakeUpForm.self)
        let amountText = form.amount?.trimmingCharacters(in: .whitespaces)
        do {
            let amount = try amountText?.nilIfBlank.map { text -> Double in
                guard let value = TypedNumber.parse(text) else { throw FieldErrors(["amount": .amount]) }
                return value
            }
            let input = TakeUpInput(
                policy: form.policy, cluster: form.cluster?.trimmingCharacters(in: .whitespaces), amount: amount,
                grantedOn: form.granted_on, status: form.status, note: form.note)
            let saved = try await Self.record(input, caller: caller, req: req)
            return req.redirect(to: WebRoute.policy(saved.policyID).path, redirectType: .normal)
        } catch let errors as FieldErrors {
            let (_, ctx) = try req.page(.newTakeUp, section: .policies)
            let response = PageResponse.html(
                TakeUpForms.form(
                    ctx, csrf: CSRF.token(for: req), catalogue: try await req.policyCatalogue(),
                    form: form, errors: errors.messages(chinese: req.language == .zh)
                ).render())
            response.status = .unprocessableEntity
            return response
        }
    }
}

/// The form that records support granted.
enum TakeUpForms {
    static func form(
        _ ctx: PageContext, csrf: String, catalogue: PolicyCatalogue, form f: TakeUpController.TakeUpForm,
        errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("记录政策支持", "Record support granted"),
            .nav(.class("crumbs"), .a(.href(WebRoute.policies.path), .text(lang.t("政策支持", "Policy support")))),
            .h1(.text(lang.t("记录政策支持", "Record support granted"))),
            .if(
                !errors.isEmpty,
                .p(
                    .class("error"), .attribute(named: "role", value: "alert"),
                    .text(lang.t("请修改标出的字段。", "Please correct the fields marked below.")))),
            .form(
                .class("stack"), .method(.post), .action(WebRoute.newTakeUp.path),
                AccountPages.csrfField(csrf),
                FormFields.select(
                    lang, "policy", "政策", "Policy",
                    catalogue.policies.map { ($0.id, "\($0.id) " + lang.t($0.titleZh, $0.titleEn)) },
                    f.policy, errors),
                FormFields.field(
                    lang, "cluster", "集群编号", "Cluster id", f.cluster, errors,
                    hint: lang.t("您有权编辑的集群", "a cluster you may edit")),
                FormFields.field(lang, "amount", "金额（元，可空）", "Amount (yuan, optional)", f.amount, errors),
                FormFields.field(
                    lang, "granted_on", "日期", "Date", f.granted_on, errors, hint: FormFields.dateHint(lang)),
                FormFields.select(
                    lang, "status", "状态", "Status",
                    TakeUp.Status.allCases.map { ($0.rawValue, lang.t($0.nameZh, $0.rawValue)) },
                    f.status ?? "granted", errors),
                FormFields.field(lang, "note", "备注", "Note", f.note, errors, area: true),
                .button(.type(.submit), .text(lang.t("记录", "Record")))
            )
        )
    }
}
