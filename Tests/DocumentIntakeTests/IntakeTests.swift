import ClusterDomain
import Foundation
import Testing

@testable import DocumentIntake

private enum Shipped {
    static let reference: ReferenceData = {
        do { return try DataFiles.reference() } catch { preconditionFailure("\(error)") }
    }()
    static let intake: DocumentIntake = {
        do {
            let registry = Registry(
                reference: reference, clusters: try DataFiles.nationalClusters(reference: reference))
            return DocumentIntake(registry: registry, published: try DataFiles.publishedFigures())
        } catch { preconditionFailure("\(error)") }
    }()
}

private let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("IntakeCorpus/generated")

@Suite("Intake: names, reconciliation, decoding and the corpus")
struct IntakeTests {
    @Test("the 2022 announcement's figures agree with the registry as of its date")
    func reconcile2022() throws {
        let report = Shipped.intake.process(
            "2022年11月30日，工信部公布45个国家先进制造业集群，涉及19个省（自治区、直辖市）和3个计划单列市，主导产业产值超过19万亿元。",
            today: Day("2026-11-25")!)
        #expect(report.asOf == "2022-11-30")
        let byFigure = Dictionary(report.reconciliation.map { ($0.figure, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byFigure["45个"]?.outcome == .agrees)
        #expect(byFigure["45个"]?.comparisons.first?.against == "registry")
        #expect(byFigure["45个"]?.comparisons.first?.value == 45)
        #expect(byFigure["19个"]?.outcome == .agrees)
        #expect(byFigure["3个"]?.outcome == .agrees)
        // Output is not in the registry: compared with the published figure only.
        let output = try #require(byFigure["19万亿元"])
        #expect(output.outcome == .agrees)
        #expect(output.comparisons.map(\.against) == ["published"])
    }

    @Test("a figure the registry contradicts is a disagreement; one nobody counts is unknown")
    func reconcileDisagreeAndUnknown() {
        let report = Shipped.intake.process(
            "2024年12月17日，国家先进制造业集群总数达到80个。另有试点园区7座。",
            today: Day("2026-11-25")!)
        let total = report.reconciliation.first { $0.figure == "80个" }
        #expect(total?.outcome == .disagrees)
        #expect(total?.comparisons.first { $0.against == "registry" }?.value == 78)
        #expect(total?.comparisons.first { $0.against == "published" }?.outcome == .agrees)
        #expect(report.reconciliation.first { $0.figure == "7座" }?.outcome == .unknown)
        // One cluster's output is not the programme's 19万亿元: not comparable, so unknown, not a disagreement.
        let single = Shipped.intake.process("2025年4月28日，深圳市新一代信息通信集群主导产业产值达到2.1万亿元。", today: Day("2026-11-25")!)
        let output = single.reconciliation.first { $0.figure == "2.1万亿元" }
        #expect(output?.outcome == .unknown)
        #expect(output?.comparisons.isEmpty == true)
    }

    @Test("clusters named exactly, by abbreviation and closely; provinces and cities")
    func mentions() {
        let report = Shipped.intake.process(
            "深圳市新一代信息通信集群与深圳先进电池材料集群、上海新能源汽车产业集群在浙江省和苏州签约。",
            today: Day("2026-11-25")!)
        let byID = Dictionary(report.clusters.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID["NC001"]?.match == .exact)
        #expect(byID["NC003"]?.match == .abbreviation)
        #expect(byID["NC045"]?.match == .close)
        #expect((byID["NC045"]?.score ?? 0) >= 0.75)
        #expect(report.provinces.map(\.nameZh).contains("浙江省"))
        #expect(report.cities.map(\.nameZh).contains("苏州"))
        #expect(report.cities.map(\.nameZh).contains("深圳"))
    }

    @Test("uploads: UTF-8, GBK and Big5 decode; binary and unknown charsets are refused")
    func decoding() throws {
        let decoder = TextDecoding()
        let gbk = try [UInt8](Data(contentsOf: corpus.appendingPathComponent("decoding/01-national-list.gbk.txt")))
        let big5 = try [UInt8](Data(contentsOf: corpus.appendingPathComponent("decoding/01-national-list.big5.txt")))
        let (gbkText, gbkEncoding) = try decoder.decode(gbk)
        #expect(gbkEncoding == .gbk)
        #expect(gbkText.hasPrefix("工業和信息化部"))
        let (big5Text, big5Encoding) = try decoder.decode(big5)
        #expect(big5Encoding == .big5)
        #expect(big5Text.hasPrefix("工業和信息化部"))
        #expect(try decoder.decode(Array("<meta charset=\"utf-8\">集群".utf8)).text.hasSuffix("集群"))
        #expect(try decoder.decode([0xEF, 0xBB, 0xBF] + Array("集群".utf8)).text == "集群")
        #expect(throws: TextDecoding.Failure.binary(offset: 2)) { try decoder.decode([0x41, 0x42, 0x00, 0x43]) }
        #expect(throws: TextDecoding.Failure.empty) { try decoder.decode([]) }
        #expect(throws: TextDecoding.Failure.unknownCharset("koi8-r")) {
            try decoder.decode([0x41], declared: "koi8-r")
        }
        #expect(throws: TextDecoding.Failure.undecodable(declared: "utf-8")) {
            try decoder.decode(gbk, declared: "utf-8")
        }
    }

    @Test("the damaged corpus: character accuracy at least 99.5%, figure precision 0.98 and recall 0.95")
    func corpusQuality() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.contains(".damaged.") }
            .sorted()
        #expect(names.count >= 10)
        var edits = 0
        var length = 0
        var hits = 0
        var found = 0
        var marked = 0
        for name in names {
            let stem = String(name[..<name.range(of: ".damaged.")!.lowerBound])
            let damaged = try String(contentsOf: corpus.appendingPathComponent(name), encoding: .utf8)
            let clean = try String(contentsOf: corpus.appendingPathComponent("\(stem).clean.txt"), encoding: .utf8)
                .trimmingCharacters(in: .newlines)
            let gold = try JSONDecoder().decode(
                [String].self, from: Data(contentsOf: corpus.appendingPathComponent("\(stem).figures.json")))
            let report = Shipped.intake.process(damaged, today: Day("2026-11-25")!)
            #expect(!report.text.contains("("), "\(stem): an ASCII parenthesis survived")
            edits += IntakeEvaluation.editDistance(report.text, clean)
            length += clean.unicodeScalars.count
            let match = IntakeEvaluation.figureMatches(predicted: report.figures.map(\.text), gold: gold)
            hits += match.truePositives
            found += match.predicted
            marked += match.gold
        }
        let accuracy = 1 - Double(edits) / Double(length)
        #expect(accuracy >= 0.995, "accuracy \(accuracy)")
        #expect(Double(hits) / Double(found) >= 0.98)
        #expect(Double(hits) / Double(marked) >= 0.95)
    }

    @Test("evaluation helpers")
    func evaluation() {
        #expect(IntakeEvaluation.editDistance("国家级集群", "国家集群") == 1)
        #expect(IntakeEvaluation.characterAccuracy(repaired: "abcd", original: "abce") == 0.75)
        let m = IntakeEvaluation.figureMatches(predicted: ["45个", "45个", "3个"], gold: ["45个", "19个"])
        #expect(m.truePositives == 1 && m.predicted == 3 && m.gold == 2)
    }
}
