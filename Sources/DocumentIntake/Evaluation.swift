/// Measures of repair and extraction quality, shared by the tests and the benchmark.
public enum IntakeEvaluation {
    /// Levenshtein distance over Unicode scalars.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var row = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                row[j] = x[i - 1] == y[j - 1] ? previous[j - 1] : 1 + min(previous[j - 1], previous[j], row[j - 1])
            }
            swap(&previous, &row)
        }
        return previous[y.count]
    }

    /// 1 − edit distance / length of the original.
    public static func characterAccuracy(repaired: String, original: String) -> Double {
        let length = original.unicodeScalars.count
        guard length > 0 else { return repaired.isEmpty ? 1 : 0 }
        return max(0, 1 - Double(editDistance(repaired, original)) / Double(length))
    }

    /// True positives, and the predicted and gold counts, matching figures by their written form.
    public static func figureMatches(predicted: [String], gold: [String]) -> (
        truePositives: Int, predicted: Int, gold: Int
    ) {
        var remaining: [String: Int] = [:]
        for g in gold { remaining[g, default: 0] += 1 }
        var hits = 0
        for p in predicted where (remaining[p] ?? 0) > 0 {
            remaining[p]! -= 1
            hits += 1
        }
        return (hits, predicted.count, gold.count)
    }
}
