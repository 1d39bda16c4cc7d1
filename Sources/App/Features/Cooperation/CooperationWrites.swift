import ClusterDomain
import Fluent
import Plot
import Vapor

/// Documents attached to activities (API and form), and the forms that record activities.
extension CooperationController {
    /// A document to attach: a reference, and optionally the file itself.
    struct Attachment {
        var title: String?
        var url: String?
        var documentNumber: String?
        var file: (bytes: [UInt8], filename: String)?
    }

    struct AttachmentForm: Content {
        var title: String?
        var url: String?
        var document_number: String?
        var file: File?
    }

    /// `POST /api/v1/cooperation/{id}/documents`: JSON `{title, url, document_number}` or a multipart
    /// form with `title`, `document_number` and `file`.
    func attach(req: Request) async throws -> Response {
        let caller = try req.tokenCaller()
        let id = req.parameters.get("id") ?? ""
        let input: Attachment
        switch req.headers.contentType {
        case .some(let t) where t.type == "multipart" && t.subType == "form-data":
            let form = try req.content.decode(AttachmentForm.self)
            input = Attachment(
                title: form.title, url: form.url, documentNumber: form.document_number,
                file: form.file.map { (Array($0.data.readableBytesView), $0.filename) })
        default:
            let json = try req.content.decode(DocumentInput.self)
            input = Attachment(title: json.title, url: json.url, documentNumber: json.documentNumber, file: nil)
        }
        let activity = try await CooperationService(req, caller: caller).attach(input, to: id)
        return try await ActivityDTO(activity).encodeResponse(status: .created, for: req)
    }

    // MARK: forms

    /// The activity form: clusters separated by spaces; organisations one a line; outputs one a line
    /// as `name = value unit`; documents one a line as `title | link | number`.
    struct ActivityForm: Content {
        var kind: String?
        var title_zh: String?
        var title_en: String?
        var started_on: String?
        var ended_on: String?
        var clusters: String?
        var organisations: String?
        var outcomes: String?
        var source: String?
        var outputs: String?
        var documents: String?

        func input() throws -> ActivityInput {
            func lines(_ t: String?) -> [String] {
                (t ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
            }
            var outputs: [OutputInput] = []
            for (n, line) in lines(self.outputs).enumerated() {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let rest = parts.count == 2 ? parts[1] : ""
                let number = rest.prefix { $0.isNumber || $0 == "." || $0 == "-" }
                guard parts.count == 2, let value = Double(number) else {
                    throw FieldErrors(["outputs": Message("cooperation.output_line", ["line": "\(n + 1)"])])
                }
                outputs.append(
                    OutputInput(
                        name: parts[0], value: value,
                        unit: rest.dropFirst(number.count).trimmingCharacters(in: .whitespaces)))
            }
            let documents = lines(self.documents).map { line -> DocumentInput in
                let parts = line.split(separator: "|", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                return DocumentInput(
                    title: parts[0], url: parts.count > 1 ? parts[1].nilIfBlank : nil,
                    documentNumber: parts.count > 2 ? parts[2].nilIfBlank : nil)
            }
            return ActivityInput(
                kind: kind, titleZh: title_zh, titleEn: title_en, startedOn: started_on, endedOn: ended_on,
                clusters: (clusters ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init),
                organisations: lines(organisations), outcomes: outcomes, source: source, outputs: outputs,
                documents: documents)
        }
    }

    func newForm(req: Request) async throws -> Response {
        guard req.caller != nil else { throw AuthError.signInRequired }
        let (_, ctx) = try req.page(.newActivity, section: .cooperation)
        return PageResponse.html(
            CooperationForms.activity(ctx, csrf: CSRF.token(for: req), form: ActivityForm(), errors: [:]).render())
    }

    func recordForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let form = try req.content.decode(ActivityForm.self)
        do {
            let activity = try await CooperationService(req, caller: caller).record(try form.input())
            return req.redirect(to: WebRoute.cooperation.path + "#" + activity.id, redirectType: .normal)
        } catch let errors as FieldErrors {
            let (_, ctx) = try req.page(.newActivity, section: .cooperation)
            let response = PageResponse.html(
                CooperationForms.activity(
                    ctx, csrf: CSRF.token(for: req), form: form, errors: errors.messages(chinese: req.language == .zh)
                ).render())
            response.status = .unprocessableEntity
            return response
        }
    }

    func documentForm(req: Request) async throws -> Response {
        guard req.caller != nil else { throw AuthError.signInRequired }
        let id = req.parameters.get("id") ?? ""
        let (_, ctx) = try req.page(.activityDocuments(id), section: .cooperation)
        guard let activity = try await req.cooperationLedger().activities.first(where: { $0.id == id }) else {
            throw APIError.notFound(req.language.t("没有这项合作活动。", "No such activity."), parameter: "id")
        }
        return PageResponse.html(
            CooperationForms.document(
                ctx, csrf: CSRF.token(for: req), activity: activity,
                maxBytes: req.application.attachments.maxBytes, errors: [:]
            ).render())
    }

    func attachForm(req: Request) async throws -> Response {
        guard let caller = req.caller else { throw AuthError.signInRequired }
        try CSRF.verify(req)
        let id = req.parameters.get("id") ?? ""
        let form = try req.content.decode(AttachmentForm.self)
        let file = form.file.flatMap { f in
            f.data.readableBytes > 0 ? (Array(f.data.readableBytesView), f.filename) : nil
        }
        do {
            _ = try await CooperationService(req, caller: caller).attach(
                Attachment(title: form.title, url: form.url, documentNumber: form.document_number, file: file),
                to: id)
            return req.redirect(to: WebRoute.cooperation.path + "#" + id, redirectType: .normal)
        } catch let errors as FieldErrors {
            let (_, ctx) = try req.page(.activityDocuments(id), section: .cooperation)
            guard let activity = try await req.cooperationLedger().activities.first(where: { $0.id == id }) else {
                throw errors
            }
            let response = PageResponse.html(
                CooperationForms.document(
                    ctx, csrf: CSRF.token(for: req), activity: activity,
                    maxBytes: req.application.attachments.maxBytes,
                    errors: errors.messages(chinese: req.language == .zh)
                ).render())
            response.status = .unprocessableEntity
            return response
        }
    }
}

/// The cooperation forms.
enum CooperationForms {
    static func field(
        _ lang: Language, _ id: String, _ zh: String, _ en: String, _ value: String?, _ errors: [String: String],
        hint: String? = nil, area: Bool = false
    ) -> Node<HTML.FormContext> {
        FormFields.field(lang, id, zh, en, value, errors, hint: hint, area: area)
    }

    static func activity(
        _ ctx: PageContext, csrf: String, form f: CooperationController.ActivityForm, errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("记录合作活动", "Record an activity"),
            .nav(.class("crumbs"), .a(.href(WebRoute.cooperation.path), .text(lang.t("合作", "Cooperation")))),
            .h1(.text(lang.t("记录合作活动", "Record an activity"))),
            .if(
                !errors.isEmpty,
                .p(
                    .class("error"), .attribute(named: "role", value: "alert"),
                    .text(lang.t("请修改标出的字段。", "Please correct the fields marked below.")))),
            .form(
                .class("stack"), .method(.post), .action(WebRoute.newActivity.path),
                AccountPages.csrfField(csrf),
                FormFields.select(
                    lang, "kind", "类型", "Kind",
                    ActivityKind.allCases.map { ($0.rawValue, lang.t($0.nameZh, $0.nameEn)) },
                    f.kind, errors),
                field(lang, "title_zh", "名称（中文）", "Title (Chinese)", f.title_zh, errors),
                field(lang, "title_en", "名称（英文）", "Title (English)", f.title_en, errors),
                field(lang, "started_on", "开始日期", "Started on", f.started_on, errors, hint: FormFields.monthHint(lang)),
                field(lang, "ended_on", "结束日期", "Ended on", f.ended_on, errors, hint: lang.t("可空", "optional")),
                field(
                    lang, "clusters", "参与集群编号", "Participating cluster ids", f.clusters, errors,
                    hint: lang.t(
                        "至少两个，以空格分隔；其中须有您有权编辑的集群",
                        "at least two, separated by spaces; one must be a cluster you may edit")),
                field(
                    lang, "organisations", "参与单位（每行一个）", "Organisations (one a line)", f.organisations, errors,
                    area: true),
                field(lang, "outcomes", "成果（文字）", "Outcomes (text)", f.outcomes, errors, area: true),
                field(
                    lang, "outputs", "可量化成果（每行：名称 = 数值 单位）", "Measurable outputs (one a line: name = value unit)",
                    f.outputs, errors,
                    hint: lang.t("例：联合专利 = 12 项", "e.g. joint patents = 12 items"), area: true),
                field(
                    lang, "documents", "文件（每行：标题 | 网址 | 文号）", "Documents (one a line: title | link | number)",
                    f.documents, errors,
                    hint: lang.t("文件本身可在记录后上传", "files themselves can be uploaded once the activity is recorded"),
                    area: true),
                field(lang, "source", "来源", "Source", f.source, errors),
                .button(.type(.submit), .text(lang.t("记录", "Record")))
            )
        )
    }

    static func document(
        _ ctx: PageContext, csrf: String, activity a: CooperationActivity, maxBytes: Int, errors: [String: String]
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("附加文件", "Attach a document"),
            .nav(
                .class("crumbs"),
                .a(.href(attr(WebRoute.cooperation.path + "#" + a.id)), .text(lang.t("合作", "Cooperation")))),
            .h1(.text(lang.t("附加文件：", "Attach a document: ") + lang.t(a.titleZh, a.titleEn))),
            .if(
                !errors.isEmpty,
                .p(
                    .class("error"), .attribute(named: "role", value: "alert"),
                    .text(lang.t("请修改标出的字段。", "Please correct the fields marked below.")))),
            .form(
                .class("stack"), .method(.post), .action(attr(WebRoute.activityDocuments(a.id).path)),
                .enctype(.multipartData),
                AccountPages.csrfField(csrf),
                field(lang, "title", "标题", "Title", nil, errors),
                field(lang, "document_number", "文号", "Document number", nil, errors),
                field(lang, "url", "网址", "Link", nil, errors),
                .label(
                    .for("file"),
                    .text(
                        lang.t(
                            "文件（PDF、Word、Excel、图片或文本，最大 \(maxBytes / 1_048_576) MB）",
                            "File (PDF, Word, Excel, image or text; at most \(maxBytes / 1_048_576) MB)"))),
                .input(
                    .type(.file), .id("file"), .name("file"),
                    .attribute(named: "accept", value: AttachmentStore.allowed.map { "." + $0 }.joined(separator: ","))),
                FormFields.error("file", errors),
                .button(.type(.submit), .text(lang.t("附加", "Attach")))
            )
        )
    }
}
