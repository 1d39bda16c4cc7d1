import Testing

@testable import ClusterDomain

@Suite struct TakeUpTests {
    typealias S = TakeUp.Status

    /// Every pair of statuses: applied → granted → paid, withdrawn from applied or granted, staying put.
    @Test(arguments: [
        (S.applied, S.applied, true), (.applied, .granted, true), (.applied, .paid, false),
        (.applied, .withdrawn, true),
        (.granted, .applied, false), (.granted, .granted, true), (.granted, .paid, true), (.granted, .withdrawn, true),
        (.paid, .applied, false), (.paid, .granted, false), (.paid, .paid, true), (.paid, .withdrawn, false),
        (.withdrawn, .applied, false), (.withdrawn, .granted, false), (.withdrawn, .paid, false),
        (.withdrawn, .withdrawn, true),
    ])
    func transitions(from: S, to: S, allowed: Bool) {
        #expect(from.allows(to) == allowed)
        #expect((from.refusal(to: to) == nil) == allowed)
    }

    @Test func refusalsSayWhereARecordMayGo() throws {
        let skipped = try #require(S.applied.refusal(to: .paid))
        #expect(skipped.english == "from applied only to granted or withdrawn")
        #expect(skipped.chinese == "“已申请”只能改为“已批准”或“已撤回”")
        let final = try #require(S.paid.refusal(to: .withdrawn))
        #expect(final.english == "a paid record is final; it cannot become withdrawn")
        #expect(final.chinese.contains("最终状态"))
    }
}
