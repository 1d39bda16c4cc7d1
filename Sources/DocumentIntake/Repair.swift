/// The steps of the repair pipeline, in the order they run.
public enum RepairStep: String, Codable, CaseIterable, Sendable {
    case boilerplate
    case pinyin
    case mojibake
    case simplify = "traditional_to_simplified"
    case clickbait
    case punctuation
}

/// One change a step made: where (a Unicode scalar offset into the text that step received), what
/// was there, what replaced it, and why.
public struct Repair: Codable, Hashable, Sendable {
    public let step: RepairStep
    public let offset: Int
    public let original: String
    public let replacement: String
    public let reason: String

    public init(step: RepairStep, offset: Int, original: String, replacement: String, reason: String) {
        self.step = step
        self.offset = offset
        self.original = original
        self.replacement = replacement
        self.reason = reason
    }
}

/// What a step hands on: the text it produced and the changes it made.
public struct StepResult: Sendable {
    public var text: [Unicode.Scalar]
    public var repairs: [Repair]

    public var string: String { text.string }
}

/// The outcome of the whole pipeline.
public struct RepairResult: Sendable {
    public let text: String
    public let repairs: [Repair]
    /// The headline, when the input had one (the first line of the repaired text).
    public var headline: String? {
        text.split(separator: "\n", maxSplits: 1).first.map(String.init)
    }
}

/// Runs the six repair steps in order. Each step is also usable alone.
public struct RepairPipeline: Sendable {
    public let data: IntakeData
    /// Extra phrases (Simplified) that may settle a character lost to mojibake, such as the registry's
    /// cluster names.
    public let extraLexicon: Set<String>
    let mojibake: Mojibake

    public init(data: IntakeData = .shared, extraLexicon: Set<String> = []) {
        self.data = data
        self.extraLexicon = extraLexicon
        mojibake = Mojibake(data: data, extraLexicon: extraLexicon)
    }

    public func repair(_ input: String) -> RepairResult {
        let text = Array(input.unicodeScalars)
        var repairs: [Repair] = []
        var current = Boilerplate(data: data).run(text)
        repairs += current.repairs
        let pinyin = PinyinAnnotations(data: data)
        current = pinyin.run(current.text)
        repairs += current.repairs
        current = mojibake.run(current.text)
        repairs += current.repairs
        if !current.repairs.isEmpty {
            // A repaired run can expose an annotation that followed the damaged character.
            current = pinyin.run(current.text)
            repairs += current.repairs
        }
        current = Simplifier(data: data).run(current.text)
        repairs += current.repairs
        current = ClickbaitPrefixes(data: data).run(current.text)
        repairs += current.repairs
        current = Punctuation().run(current.text)
        repairs += current.repairs
        return RepairResult(text: current.string, repairs: repairs)
    }
}
