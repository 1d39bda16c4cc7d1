import ClusterDomain
import DocumentIntake
import Plot
import Vapor

/// Document intake over HTTP: `POST /api/v1/intake` and the `/intake` page. Both decode the
/// upload (UTF-8, GBK or Big5), repair it, extract its figures and names and reconcile them with
/// the registry. Nothing is stored, so both are open to everyone; the size limit is `INTAKE_MAX_KB`.
struct IntakeController: Sendable {
    func register(on app: Application) {
        // Room for multipart framing around a file of the largest accepted size.
        let collect = ByteCount(value: app.intakeMaxBytes + 64 * 1024)
        app.register(.POST, APIRoute.intake, body: .collect(maxSize: collect), use: api)
        app.register(.GET, WebRoute.intake, use: form)
        app.register(.POST, WebRoute.intake, body: .collect(maxSize: collect), use: submit)
    }

    /// What a request carried: bytes, the charset it declared, and the field they came in.
    struct Upload {
        let bytes: [UInt8]
        let charset: String?
        let field: String
    }

    struct JSONInput: Content {
        var text: String?
        var charset: String?
    }

    struct FormInput: Content {
        var text: String?
        var file: File?
        var charset: String?
    }

    static let supportedTypes = ["text/plain", "text/html", "application/json", "multipart/form-data"]

    /// Reads the upload from whichever body type was sent, refusing what it cannot use with a reason
    /// that names the field.
    static func upload(_ req: Request) throws -> Upload {
        let limit = req.application.intakeMaxBytes
        guard let type = req.headers.contentType else {
            throw APIError(
                .unsupportedMediaType,
                "send the document as text/plain, text/html, JSON {\"text\": …} or a multipart form",
                parameter: "Content-Type", allowed: supportedTypes)
        }
        let upload: Upload
        switch (type.type, type.subType) {
        case ("text", "plain"), ("text", "html"):
            let body = req.body.data.map { Array($0.readableBytesView) } ?? []
            upload = Upload(bytes: body, charset: type.parameters["charset"], field: "body")
        case ("application", "json"):
            let input = try req.content.decode(JSONInput.self)
            guard let text = input.text else { throw FieldErrors(["text": .required]) }
            upload = Upload(bytes: Array(text.utf8), charset: nil, field: "text")
        case ("multipart", "form-data"):
            let input = try req.content.decode(FormInput.self)
            let charset = input.charset?.nilIfBlank.flatMap { $0 == "auto" ? nil : $0 }
            if let file = input.file, file.data.readableBytes > 0 {
                let name = file.filename.lowercased()
                guard name.hasSuffix(".txt") || name.hasSuffix(".html") || name.hasSuffix(".htm") || name.isEmpty else {
                    throw FieldErrors(["file": Message("intake.file_type")])
                }
                upload = Upload(bytes: Array(file.data.readableBytesView), charset: charset, field: "file")
            } else if let text = input.text?.nilIfBlank {
                upload = Upload(bytes: Array(text.utf8), charset: nil, field: "text")
            } else {
                throw FieldErrors(["text": Message("intake.text_or_file")])
            }
        default:
            throw APIError(
                .unsupportedMediaType, "unsupported content type \(type.type)/\(type.subType)",
                parameter: "Content-Type", allowed: supportedTypes)
        }
        guard upload.bytes.count <= limit else {
            throw APIError(
                .payloadTooLarge, "\(upload.field): \(upload.bytes.count) bytes; the limit is \(limit) bytes",
                parameter: upload.field)
        }
        return upload
    }

    /// Decodes, repairs and reconciles an upload against the registry as stored now.
    static func process(_ upload: Upload, req: Request) async throws -> IntakeReport {
        try await decodeAndProcess(upload, req: req).report
    }

    /// The report, and the text as decoded before any repair (kept when the report is published).
    static func decodeAndProcess(_ upload: Upload, req: Request) async throws -> (
        report: IntakeReport, original: String
    ) {
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        do { decoded = try TextDecoding().decode(upload.bytes, declared: upload.charset) } catch let failure
            as TextDecoding.Failure
        {
            LadderMetrics.importRun(kind: "intake", accepted: false)
            throw FieldErrors([upload.field: Message("intake.undecodable", ["reason": failure.description])])
        }
        let intake = DocumentIntake(registry: try await req.store.registry(), published: try await req.store.figures())
        var report = try await IntakeRunner.run(
            req.application, intake, text: decoded.text, today: req.application.today())
        report.encoding = decoded.encoding
        LadderMetrics.importRun(kind: "intake", accepted: true)
        return (report, decoded.text)
    }

    func api(req: Request) async throws -> Response {
        _ = try Request.parseQuery(req.url.query, allowed: [])
        try await IntakeRunner.admit(req)
        let report = try await Self.process(try Self.upload(req), req: req)
        let response = Response(status: .ok)
        try response.content.encode(report, using: JSONEncoder.api)
        return response
    }

    func form(req: Request) async throws -> Response {
        let (_, ctx) = try req.page(.intake, section: .intake)
        return PageResponse.html(
            IntakePages.page(
                ctx, csrf: CSRF.token(for: req), limit: req.application.intakeMaxBytes,
                text: "", report: nil, error: nil, today: req.application.today()
            ).render())
    }

    func submit(req: Request) async throws -> Response {
        let (_, ctx) = try req.page(.intake, section: .intake)
        try CSRF.verify(req)
        try await IntakeRunner.admit(req)
        let pasted = (try? req.content.get(String.self, at: "text")) ?? ""
        let limit = req.application.intakeMaxBytes
        do {
            let (report, original) = try await Self.decodeAndProcess(try Self.upload(req), req: req)
            return PageResponse.html(
                IntakePages.page(
                    ctx, csrf: CSRF.token(for: req), limit: limit,
                    text: String(pasted.prefix(limit)), report: report, error: nil,
                    today: req.application.today(), original: original
                ).render())
        } catch let errors as FieldErrors {
            let response = PageResponse.html(
                IntakePages.page(
                    ctx, csrf: CSRF.token(for: req), limit: limit,
                    text: String(pasted.prefix(limit)), report: nil,
                    error: errors.messages(chinese: req.language == .zh).sorted { $0.key < $1.key }.map(\.value)
                        .joined(separator: req.language.t("；", "; ")), today: req.application.today()
                ).render())
            response.status = .unprocessableEntity
            return response
        } catch let error as APIError where error.status == .payloadTooLarge {
            let response = PageResponse.html(
                IntakePages.page(
                    ctx, csrf: CSRF.token(for: req), limit: limit, text: "",
                    report: nil, error: error.reason, today: req.application.today()
                ).render())
            response.status = .payloadTooLarge
            return response
        }
    }
}
