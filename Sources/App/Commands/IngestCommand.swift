import ClusterDomain
import DocumentIntake
import Foundation
import Vapor

/// `ladder ingest FILE|-`: repairs a damaged announcement, lists every repair, extracts its figures,
/// dates, clusters and places, and checks the figures against the registry and the published figures.
public struct IngestCommand: AsyncCommand {
    /// Stands for "-" (standard input) once `arguments(_:)` has rewritten the command line.
    static let standardInput = "@stdin"

    /// The command line with `ingest -` rewritten so that the parser passes it through as an argument.
    public static func arguments(_ arguments: [String]) -> [String] {
        guard arguments.count > 1, arguments[1] == "ingest" else { return arguments }
        return arguments.enumerated().map { $0.offset > 1 && $0.element == "-" ? standardInput : $0.element }
    }

    public struct Signature: CommandSignature {
        public init() {}

        @Argument(name: "file", help: "The document (.txt or .html; UTF-8, GBK or Big5), or - for standard input")
        var file: String

        @Option(name: "format", help: "text (default) or json")
        var format: String?

        @Option(name: "charset", help: "utf-8, gbk or big5 (default: detect)")
        var charset: String?
    }

    public init() {}

    public var help: String {
        "Repairs a damaged announcement (page furniture, pinyin, mojibake, Traditional script, clickbait, punctuation), extracts its figures and the clusters it names, and reconciles them with the registry."
    }

    /// Larger inputs are refused rather than read into memory.
    static let maximumBytes = 64 * 1024 * 1024

    public func run(using context: CommandContext, signature: Signature) async throws {
        let format = signature.format ?? "text"
        guard ["text", "json"].contains(format) else {
            throw CommandError("--format: unknown format '\(format)'; allowed: text, json")
        }
        let data: Data
        if signature.file == "-" || signature.file == Self.standardInput {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            let url = URL(fileURLWithPath: signature.file)
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
            guard let size else { throw CommandError("\(signature.file): no such file") }
            guard size <= Self.maximumBytes else {
                throw CommandError("\(signature.file): \(size) bytes; the limit is \(Self.maximumBytes) bytes")
            }
            do { data = try Data(contentsOf: url) } catch {
                throw CommandError("\(signature.file): cannot be read (\(error.localizedDescription))")
            }
        }
        guard data.count <= Self.maximumBytes else { throw CommandError("input: more than \(Self.maximumBytes) bytes") }
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        do { decoded = try TextDecoding().decode([UInt8](data), declared: signature.charset) } catch {
            throw CommandError("\(signature.file): \(error)")
        }
        let app = context.application
        let intake = DocumentIntake(registry: try await app.store.registry(), published: try await app.store.figures())
        var report = intake.process(decoded.text, today: app.today())
        report.encoding = decoded.encoding
        if format == "json" {
            let encoder = JSONEncoder.api
            context.console.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            context.console.print(Self.render(report))
        }
    }

    static func render(_ r: IntakeReport) -> String {
        var out: [String] = []
        out.append("== Repaired text (read as \(r.encoding?.rawValue ?? "utf-8")) ==")
        out.append(r.text)
        out.append("")
        let counts = Dictionary(grouping: r.repairs, by: \.step).mapValues(\.count)
        out.append(
            "== Repairs: " + RepairStep.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
                + " ==")
        for repair in r.repairs {
            out.append(
                "\(repair.step.rawValue)\t@\(repair.offset)\t\(repair.original.prefix(60)) → \(repair.replacement)\t\(repair.reason)"
            )
        }
        out.append("")
        out.append("== Figures ==")
        for f in r.figures {
            let value = IntakePages.number(f.value) + (f.upper.map { "–" + IntakePages.number($0) } ?? "")
            out.append("\(f.text)\t\(f.kind.rawValue)\t\(value) \(f.unit)\t\(f.qualifier.rawValue)\t\(f.subject ?? "")")
        }
        if !r.dates.isEmpty {
            out.append("dates: " + r.dates.map { "\($0.text) = \($0.date)" }.joined(separator: ", "))
        }
        out.append("")
        out.append("== Clusters named ==")
        for c in r.clusters {
            out.append("\(c.id)\t\(c.nameZh)\t\(c.match.rawValue) \(IntakePages.number(c.score))\t\(c.text)")
        }
        out.append("provinces: " + r.provinces.map { "\($0.nameZh)×\($0.count)" }.joined(separator: " "))
        out.append("cities: " + r.cities.map { "\($0.nameZh)×\($0.count)" }.joined(separator: " "))
        out.append("")
        out.append("== Reconciliation as of \(r.asOf) ==")
        for check in r.reconciliation {
            let against = check.comparisons.map {
                "\($0.against) \($0.reference) = \(IntakePages.number($0.value)) (\($0.outcome.rawValue))"
            }
            out.append(
                "\(check.figure)\t\(check.subject ?? "")\t\(check.outcome.rawValue)\t"
                    + (against.isEmpty ? check.reason : against.joined(separator: "; ")))
        }
        return out.joined(separator: "\n")
    }
}
