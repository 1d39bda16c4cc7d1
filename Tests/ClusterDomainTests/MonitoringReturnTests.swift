import Foundation
import Testing

@testable import ClusterDomain

@Suite struct ReturnWorkflowTests {
    static let clean = ReturnCheck.Outcome()

    /// Every (action, state, actor): allowed (to which state) or refused, written out by hand.
    @Test func everyTriple() {
        typealias Row = (ReturnAction, ReturnState?, ReturnActor, ReturnState?)
        // nil in the last column: refused.
        var expected: [Row] = []
        let states: [ReturnState?] = [nil] + ReturnState.allCases.map { Optional($0) }
        let actors: [ReturnActor] = [.filer, .province, .admin]
        for action in ReturnAction.allCases {
            for state in states {
                for actor in actors {
                    let to: ReturnState?
                    switch (action, state, actor) {
                    case (.save, nil, .filer), (.save, nil, .admin): to = .draft
                    case (.save, .draft, .filer), (.save, .draft, .admin): to = .draft
                    case (.save, .returned, .filer), (.save, .returned, .admin): to = .returned
                    case (.submit, nil, .filer), (.submit, nil, .admin), (.submit, .draft, .filer),
                        (.submit, .draft, .admin),
                        (.submit, .returned, .filer), (.submit, .returned, .admin):
                        to = .submitted
                    case (.provinceReview, .submitted, .province), (.provinceReview, .submitted, .admin):
                        to = .provinceReviewed
                    case (.accept, .provinceReviewed, .admin): to = .accepted
                    case (.return, .submitted, .province), (.return, .submitted, .admin),
                        (.return, .provinceReviewed, .province), (.return, .provinceReviewed, .admin):
                        to = .returned
                    default: to = nil
                    }
                    expected.append((action, state, actor, to))
                }
            }
        }
        #expect(expected.count == 5 * 6 * 3)
        for (action, state, actor, to) in expected {
            let result = ReturnWorkflow.apply(
                action, to: state, by: actor, check: Self.clean, missing: [], comment: "见说明")
            switch result {
            case .success(let next): #expect(next == to, "\(action) from \(String(describing: state)) by \(actor)")
            case .failure: #expect(to == nil, "\(action) from \(String(describing: state)) by \(actor) was refused")
            }
        }
    }

    @Test func aSubmissionNeedsEveryValueAndAnExplanationOfJumps() {
        var check = ReturnCheck.Outcome()
        check.warnings["output"] = Message("return.jump", ["change": "+60%"])
        let missing = ReturnWorkflow.apply(
            .submit, to: .draft, by: .filer, check: check, missing: ["champions"], comment: " ")
        #expect(
            missing
                == .failure(
                    .fields(
                        FieldErrors(
                            [
                                "champions": Message("return.needed_to_submit"),
                                "comment": Message("return.explain_flagged", ["codes": "output"]),
                            ]))))
        #expect(
            ReturnWorkflow.apply(.submit, to: .draft, by: .filer, check: check, missing: [], comment: "新投产两条产线")
                == .success(.submitted))
        check.errors["rd_intensity"] = Message("return.share_range")
        // A draft keeps no value that fails a check either.
        #expect(
            ReturnWorkflow.apply(.save, to: .draft, by: .filer, check: check, missing: [], comment: "")
                == .failure(
                    .fields(
                        FieldErrors(["rd_intensity": Message("return.share_range")]))))
        // Sending back needs a comment; the province may not accept.
        #expect(
            ReturnWorkflow.apply(.return, to: .submitted, by: .province, check: Self.clean, missing: [], comment: "")
                == .failure(
                    .fields(FieldErrors(["comment": Message("return.say_what_to_correct")]))))
        #expect(
            ReturnWorkflow.apply(
                .accept, to: .provinceReviewed, by: .province, check: Self.clean, missing: [], comment: "")
                == .failure(.actorNotAllowed(.accept, .province)))
    }
}

@Suite struct ProgrammeRulesTests {
    @Test func theShippedRulesAreTheAssumedOnes() throws {
        var shipped = try DataFiles.programmeRules()
        #expect(shipped.problems().isEmpty)
        #expect(!shipped.note.isEmpty)
        shipped.note = ""
        #expect(shipped == ProgrammeRules.assumed)
        #expect(shipped.scoring.method == .trimmedMean(trim: 1))
    }

    @Test func theTieBreakOrderMustNameEveryDimensionOfTheSet() throws {
        let rules = ProgrammeRules.assumed.scoring
        let set = try DataFiles.indicatorSet().dimensions.map(\.code)
        #expect(rules.tieBreakProblem(dimensions: set) == nil)
        #expect(rules.tieBreakOrder(dimensions: set) == rules.tieBreak)
        // A renamed dimension: the old name is passed over, the new one must be listed.
        let renamed = set.map { $0 == "openness" ? "global_reach" : $0 }
        #expect(
            rules.tieBreakProblem(dimensions: renamed)
                == "scoring.tie_break must name every dimension of the indicator set; missing global_reach "
                + "(tie_break: innovation, scale, quality_firms, ecosystem, openness, governance)")
        var both = rules
        both.tieBreak.insert("global_reach", at: 4)
        #expect(both.tieBreakProblem(dimensions: renamed) == nil)
        #expect(both.tieBreakOrder(dimensions: renamed).contains("openness") == false)
        var twice = ProgrammeRules.assumed
        twice.scoring.tieBreak = ["scale", "scale"]
        #expect(twice.problems() == ["scoring.tie_break: a dimension is listed twice"])
    }

    @Test func aBadFileNamesTheField() throws {
        let text = try DataFiles.text("programme-rules.json")
        let badMonth = text.replacingOccurrences(of: "\"due_day\": 30", with: "\"due_day\": 31")
            .replacingOccurrences(of: "\"due_month\": 4", with: "\"due_month\": 2")
        #expect(
            throws: DataError(
                file: "r.json", reason: "monitoring.due_month / due_day: a day of the year (29 February is not)")
        ) {
            try ProgrammeRules.decode(Data(badMonth.utf8), file: "r.json")
        }
        let badMethod = text.replacingOccurrences(of: "\"trimmed_mean\"", with: "\"median\"")
        #expect(throws: DataError(file: "r.json", reason: "scoring.aggregation: mean or trimmed_mean")) {
            try ProgrammeRules.decode(Data(badMethod.utf8), file: "r.json")
        }
        let missing = text.replacingOccurrences(of: "\"exit_after_bottom_years\": 2,", with: "")
        #expect(throws: DataError(file: "r.json", reason: "missing 'adjustment.exit_after_bottom_years'")) {
            try ProgrammeRules.decode(Data(missing.utf8), file: "r.json")
        }
        // The system may not propose world-class earlier than the ladder allows it.
        let early = text.replacingOccurrences(
            of: "\"world_class_national_years\": 3", with: "\"world_class_national_years\": 2")
        #expect(
            throws: DataError(
                file: "r.json",
                reason: "adjustment.world_class_national_years: from ladder.years_national_before_world_class to 30")
        ) {
            try ProgrammeRules.decode(Data(early.utf8), file: "r.json")
        }
        // A notice of 3 to 10 days is a choice the file may make; rounds are then checked against it.
        let longer = text.replacingOccurrences(of: "\"min\": 5", with: "\"min\": 3").replacingOccurrences(
            of: "\"max\": 7", with: "\"max\": 10")
        let rules = try ProgrammeRules.decode(Data(longer.utf8), file: "r.json")
        #expect(rules.noticeDays == ProgrammeRules.DayRange(min: 3, max: 10))
    }
}

@Suite struct IndicatorSetRevisionTests {
    @Test func aRevisionNamesEveryProblem() throws {
        let set = try DataFiles.indicatorSet()
        var dims = set.dimensions
        dims[0] = IndicatorDimension(code: "Scale!", nameZh: "", nameEn: "Scale", weight: dims[0].weight, assumed: true)
        guard case .failure(let errors) = set.revised(dimensions: dims, note: "x") else {
            Issue.record("a bad code and an empty name were accepted")
            return
        }
        let text = errors.fields["indicator_set"] ?? ""
        #expect(text.contains("code 'Scale!': 1 to 40 of a–z, 0–9 and _"))
        #expect(text.contains("Scale!: names in both languages"))
        // The indicators of the old code no longer have their dimension.
        #expect(text.contains("indicator output: unknown dimension scale"))
        #expect(set.version == 1)
    }
}

@Suite struct ReturnWorkListTests {
    struct Row {
        let id: String
        let provinces: [String]
        let state: ReturnState?
        let late: Bool
    }
    static let rows = [
        Row(id: "A", provinces: ["44"], state: nil, late: true),
        Row(id: "B", provinces: ["32"], state: .submitted, late: false),
        Row(id: "C", provinces: ["32", "31"], state: nil, late: true),
        Row(id: "D", provinces: ["32"], state: .accepted, late: true),
    ]

    func list(_ filter: ReturnWorkList<Row>.Filter, own: Set<String> = []) -> ReturnWorkList<Row> {
        ReturnWorkList(
            Self.rows, filter: filter, provinces: \.provinces, state: \.state, late: \.late,
            own: { own.contains($0.id) })
    }

    @Test func filtersCountsAndOwnFirst() {
        #expect(list(.init()).items.map(\.id) == ["A", "B", "C", "D"])
        #expect(list(.init()).counts == ["not_started": 2, "submitted": 1, "accepted": 1])
        let jiangsu = list(.init(province: "32"))
        #expect(jiangsu.items.map(\.id) == ["B", "C", "D"])
        #expect(jiangsu.counts == ["not_started": 1, "submitted": 1, "accepted": 1])
        // The state filter narrows the rows, not the counts beside it.
        let notStarted = list(.init(province: "32", state: "not_started"))
        #expect(notStarted.items.map(\.id) == ["C"])
        #expect(notStarted.counts == jiangsu.counts)
        #expect(list(.init(lateOnly: true)).items.map(\.id) == ["A", "C", "D"])
        #expect(list(.init(), own: ["C", "D"]).items.map(\.id) == ["C", "D", "A", "B"])
    }
}
