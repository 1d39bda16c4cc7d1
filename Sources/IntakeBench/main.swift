import ClusterDomain
import DocumentIntake
import Foundation

// intake-bench CORPUS_DIR [--megabytes N] [--write-text FILE] [--dump DIR]
//
// Repairs every damaged document of the corpus and compares it with its clean original (character
// accuracy), extracts figures and compares them with the marked ones (precision, recall), then
// repeats the damaged documents until N MB (default 24) and times the repair pipeline and the
// whole intake (repair + extraction + names + reconciliation). Prints one JSON object. With
// --write-text, also writes the repeated input, so that another converter can be timed on the same
// bytes. With --dump, writes each repaired text and its figures into DIR.

struct Failure: Error, CustomStringConvertible { let description: String }

func argument(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Accuracy over the corpus: characters (edit distance to the clean texts) and figures (against the marked ones).
struct Quality {
    var editTotal = 0
    var lengthTotal = 0
    var hits = 0
    var predicted = 0
    var gold = 0
    var perDocument: [[String: Any]] = []
    var documents: [(name: String, damaged: String)] = []

    mutating func add(_ stem: String, damaged: String, clean: String, goldFigures: [String], report: IntakeReport) {
        let distance = IntakeEvaluation.editDistance(report.text, clean)
        let match = IntakeEvaluation.figureMatches(predicted: report.figures.map(\.text), gold: goldFigures)
        editTotal += distance
        lengthTotal += clean.unicodeScalars.count
        hits += match.truePositives
        predicted += match.predicted
        gold += match.gold
        perDocument.append([
            "document": stem, "edit_distance": distance, "length": clean.unicodeScalars.count,
            "figures_found": match.predicted, "figures_correct": match.truePositives,
            "figures_marked": match.gold,
        ])
        documents.append((stem, damaged))
    }

    var summary: [String: Any] {
        [
            "documents": documents.count,
            "character_accuracy": 1 - Double(editTotal) / Double(lengthTotal),
            "edit_distance": editTotal,
            "characters": lengthTotal,
            "figure_precision": predicted == 0 ? 0 : Double(hits) / Double(predicted),
            "figure_recall": gold == 0 ? 0 : Double(hits) / Double(gold),
            "figures_found": predicted, "figures_correct": hits, "figures_marked": gold,
            "per_document": perDocument,
        ]
    }
}

/// Runs the intake on every damaged document of the corpus (writing what it found with --dump).
func evaluate(_ folder: URL, intake: DocumentIntake, today: Day) throws -> Quality {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .filter { $0.contains(".damaged.") }.sorted()
    guard !names.isEmpty else { throw Failure(description: "no *.damaged.* files in \(folder.path)") }
    var quality = Quality()
    for name in names {
        let stem = String(name.prefix(upTo: name.range(of: ".damaged.")!.lowerBound))
        let damaged = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let clean = try String(contentsOf: folder.appendingPathComponent("\(stem).clean.txt"), encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let goldFigures = try JSONDecoder().decode(
            [String].self,
            from: Data(contentsOf: folder.appendingPathComponent("\(stem).figures.json")))
        let report = intake.process(damaged, today: today)
        if let dump = argument("--dump") {
            try report.text.write(toFile: "\(dump)/\(stem).repaired.txt", atomically: true, encoding: .utf8)
            let found = report.figures.map {
                "\($0.text)\t\($0.kind.rawValue)\t\($0.value)\t\($0.unit)\t\($0.qualifier.rawValue)\t\($0.subject ?? "-")"
            }
            try found.joined(separator: "\n").write(
                toFile: "\(dump)/\(stem).figures.tsv", atomically: true, encoding: .utf8)
        }
        quality.add(stem, damaged: damaged, clean: clean, goldFigures: goldFigures, report: report)
    }
    return quality
}

/// The pipeline and the whole intake timed on `input`, and each step alone in pipeline order (each
/// fed the previous step's output).
func throughput(_ input: String, warmUp: String, intake: DocumentIntake, today: Day) -> [String: Any] {
    let bytes = Double(input.utf8.count)
    let pipeline = intake.pipeline
    _ = pipeline.repair(warmUp)
    var start = now()
    let repaired = pipeline.repair(input)
    let repairSeconds = now() - start
    start = now()
    let report = intake.report(repaired, today: today)
    let extractSeconds = now() - start
    var stepSeconds: [String: Double] = [:]
    var text = Array(input.unicodeScalars)
    let steps: [(String, ([Unicode.Scalar]) -> StepResult)] = [
        ("boilerplate", Boilerplate(data: pipeline.data).run),
        ("pinyin", PinyinAnnotations(data: pipeline.data).run),
        ("mojibake", Mojibake(data: pipeline.data, extraLexicon: pipeline.extraLexicon).run),
        ("traditional_to_simplified", Simplifier(data: pipeline.data).run),
        ("clickbait", ClickbaitPrefixes(data: pipeline.data).run),
        ("punctuation", Punctuation().run),
    ]
    for (name, step) in steps {
        start = now()
        text = step(text).text
        stepSeconds[name] = now() - start
    }
    return [
        "step_seconds": stepSeconds,
        "throughput_input_bytes": Int(bytes),
        "repair_seconds": repairSeconds,
        "repair_mb_per_s": bytes / repairSeconds / 1e6,
        "intake_seconds": repairSeconds + extractSeconds,
        "intake_mb_per_s": bytes / (repairSeconds + extractSeconds) / 1e6,
        "repairs_reported": repaired.repairs.count,
        "figures_in_throughput_run": report.figures.count,
    ]
}

func run() throws {
    guard CommandLine.arguments.count >= 2, !CommandLine.arguments[1].hasPrefix("--") else {
        throw Failure(description: "usage: intake-bench CORPUS_DIR [--megabytes N] [--write-text FILE]")
    }
    let folder = URL(fileURLWithPath: CommandLine.arguments[1])
    let megabytes = Double(argument("--megabytes") ?? "24") ?? 24
    let reference = try DataFiles.reference()
    let registry = Registry(reference: reference, clusters: try DataFiles.nationalClusters(reference: reference))
    let intake = DocumentIntake(registry: registry, published: try DataFiles.publishedFigures())
    let today = Day("2026-11-25")!
    let quality = try evaluate(folder, intake: intake, today: today)
    // Throughput: the damaged pages repeated to the requested size.
    var input = ""
    let target = Int(megabytes * 1_000_000)
    while input.utf8.count < target {
        for document in quality.documents {
            input += document.damaged
            input += "\n"
        }
    }
    if let path = argument("--write-text") {
        try input.write(toFile: path, atomically: true, encoding: .utf8)
    }
    let timing = throughput(input, warmUp: quality.documents[0].damaged, intake: intake, today: today)
    let output = quality.summary.merging(timing) { a, _ in a }
    let data = try JSONSerialization.data(withJSONObject: output, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

do { try run() } catch {
    FileHandle.standardError.write(Data("intake-bench: \(error)\n".utf8))
    exit(1)
}
