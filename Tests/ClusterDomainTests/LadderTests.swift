import Testing

@testable import ClusterDomain

@Suite struct LadderTests {
    let machine = LadderMachine()

    /// The expected table, written out by hand from cluster-domain.md §4: (from, event) → roles and
    /// the state reached. A nil `from` is a cluster not on the ladder yet.
    static let allowed: [(from: LadderState?, event: LadderEvent, roles: Set<Role>, to: LadderState)] = [
        (nil, .register, [.city, .provincial, .admin], .localCandidate),
        (.localCandidate, .admitToCultivation, [.provincial, .admin], .provincialCultivating),
        (.provincialCultivating, .passAssessment, [.provincial, .admin], .provincialDesignated),
        (.provincialCultivating, .failAssessment, [.provincial, .admin], .provincialCultivating),
        (.provincialCultivating, .recommend, [.provincial, .admin], .nationalEntrant),
        (.provincialDesignated, .recommend, [.provincial, .admin], .nationalEntrant),
        (.nationalEntrant, .qualify, [.admin], .roundQualified),
        (.roundQualified, .win, [.admin], .winner),
        (.nationalEntrant, .eliminate, [.admin], .provincialDesignated),
        (.roundQualified, .eliminate, [.admin], .provincialDesignated),
        (.winner, .designate, [.admin], .national),
        (.national, .warn, [.admin], .warned),
        (.warned, .clearWarning, [.admin], .national),
        (.national, .exit, [.admin], .exited),
        (.warned, .exit, [.admin], .exited),
        (.national, .promote, [.admin], .worldClass),
    ]

    static let start = Day("2020-01-01")!
    static let later = Day("2025-06-30")!

    static func status(_ state: LadderState) -> LadderStatus {
        LadderStatus(
            state: state, since: start,
            beforeEntry: [.nationalEntrant, .roundQualified].contains(state) ? .provincialDesignated : nil,
            nationalSince: [.national, .warned].contains(state) ? start : nil)
    }

    @Test("every (state, event, role): allowed exactly where the table says, refused with a typed error elsewhere")
    func everyTriple() {
        let states: [LadderState?] = [nil] + LadderState.allCases.map(Optional.some)
        let roles: [Role?] = [nil] + Role.allCases.map(Optional.some)
        var checked = 0
        for from in states {
            for event in LadderEvent.allCases {
                for role in roles {
                    let expected = Self.allowed.first { $0.from == from && $0.event == event }
                    let result = machine.apply(
                        event, to: from.map(Self.status), by: role, evidence: Set(LadderEvidence.allCases),
                        on: Self.later, documentNumber: "工信部规函〔2025〕1号")
                    checked += 1
                    switch (expected, result) {
                    case (let row?, .success(let next)) where role.map(row.roles.contains) == true:
                        #expect(
                            next.state == row.to, "\(String(describing: from)) \(event) \(String(describing: role))")
                    case (let row?, .failure(.roleNotAllowed(let r, let e, let allowedRoles)))
                    where !(role.map(row.roles.contains) ?? false):
                        #expect(r == role && e == event && Set(allowedRoles) == row.roles)
                    case (nil, .failure(.invalidTransition(let f, let e))):
                        #expect(f == from && e == event)
                    default:
                        Issue.record(
                            "\(String(describing: from)) · \(event) · \(String(describing: role)): got \(result)")
                    }
                }
            }
        }
        #expect(checked == 12 * 13 * 7)
    }

    @Test("evidence: each transition names what is missing; co-review only where configured")
    func evidence() {
        let result = machine.apply(
            .designate, to: Self.status(.winner), by: .admin, evidence: [.noticeClosed], on: Self.later,
            documentNumber: "x")
        #expect(
            result
                == .failure(
                    .missingEvidence(event: .designate, missing: [.coReview, .documentNumber, .objectionsResolved])))
        let noCoReview = LadderMachine(rules: LadderRules(coReview: []))
        let ok = noCoReview.apply(
            .designate, to: Self.status(.winner), by: .admin,
            evidence: [.noticeClosed, .objectionsResolved, .documentNumber], on: Self.later, documentNumber: "x")
        #expect((try? ok.get())?.state == .national)
        #expect(machine.evidence(for: .register) == [.clusterProfile, .promotionBody])
        #expect(machine.evidence(for: .warn) == [.rating])
        #expect(machine.evidence(for: .exit) == [.rating, .coReview])
    }

    @Test func designationNeedsTheDocumentNumber() {
        let result = machine.apply(
            .designate, to: Self.status(.winner), by: .admin, evidence: Set(LadderEvidence.allCases),
            on: Self.later, documentNumber: "  ")
        #expect(
            result
                == .failure(
                    .precondition(event: .designate, reason: Message("ladder.document_number_required"))))
    }

    @Test("failed assessments: the configured number drops the cluster")
    func failures() throws {
        var status = LadderStatus(state: .provincialCultivating, since: Self.start)
        status = try machine.apply(
            .failAssessment, to: status, by: .provincial, evidence: [.assessment], on: Day("2021-01-01")!
        ).get()
        #expect(status.state == .provincialCultivating && status.failures == 1)
        status = try machine.apply(
            .failAssessment, to: status, by: .provincial, evidence: [.assessment], on: Day("2022-01-01")!
        ).get()
        #expect(status.state == .dropped && status.failures == 2)
        let lenient = LadderMachine(rules: LadderRules(failuresBeforeDrop: 3))
        var other = LadderStatus(state: .provincialCultivating, since: Self.start, failures: 1)
        other = try lenient.apply(
            .failAssessment, to: other, by: .admin, evidence: [.assessment], on: Day("2022-01-01")!
        ).get()
        #expect(other.state == .provincialCultivating)
    }

    @Test("an eliminated entrant goes back to where it stood, and may enter again")
    func elimination() throws {
        let cultivating = LadderStatus(state: .provincialCultivating, since: Self.start)
        let entered = try machine.apply(
            .recommend, to: cultivating, by: .provincial, evidence: [.recommendation, .dossier],
            on: Day("2024-03-01")!
        ).get()
        #expect(entered.state == .nationalEntrant && entered.beforeEntry == .provincialCultivating)
        let out = try machine.apply(.eliminate, to: entered, by: .admin, evidence: [.scores], on: Day("2024-09-01")!)
            .get()
        #expect(out.state == .provincialCultivating)
        #expect(machine.events(from: out.state).contains(.recommend))
    }

    @Test("world-class needs the configured years of national standing")
    func promotion() {
        let national = LadderStatus(state: .national, since: Day("2022-11-30")!, nationalSince: Day("2022-11-30")!)
        let early = machine.apply(
            .promote, to: national, by: .admin, evidence: [.rating, .benchmark, .coReview], on: Day("2025-11-29")!)
        #expect(
            early == .failure(.precondition(event: .promote, reason: Message("ladder.years_national", ["years": "3"]))))
        let onTime = machine.apply(
            .promote, to: national, by: .admin, evidence: [.rating, .benchmark, .coReview], on: Day("2025-11-30")!)
        #expect((try? onTime.get())?.state == .worldClass)
    }

    @Test func backdatedTransitionsAreRefused() {
        let result = machine.apply(
            .warn, to: Self.status(.national), by: .admin, evidence: [.rating], on: Day("2019-12-31")!)
        #expect(result == .failure(.backdated(day: Day("2019-12-31")!, since: Self.start)))
    }

    @Test("the states that show in the registry's history")
    func tierStatus() {
        #expect(
            LadderState.national.tierStatus?.tier == .national && LadderState.national.tierStatus?.status == .active)
        #expect(LadderState.warned.tierStatus?.status == .warned)
        #expect(LadderState.worldClass.tierStatus?.tier == .worldClass)
        #expect(LadderState.nationalEntrant.tierStatus == nil)
    }
}
