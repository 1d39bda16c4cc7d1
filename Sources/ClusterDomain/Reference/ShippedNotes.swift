/// The shipped clusters' notes in both languages. A note someone has since edited is shown as they
/// wrote it; an unedited shipped note is shown in the reader's language.
public struct ShippedNotes: Equatable, Sendable {
    public let english: [String: String]
    public let chinese: [String: String]

    public init(english: [String: String], chinese: [String: String]) {
        self.english = english
        self.chinese = chinese
    }

    /// The note of `cluster` to show: the Chinese wording when asked for Chinese and the stored note
    /// is still the shipped one, else the stored note.
    public func note(of cluster: Cluster, chinese wantChinese: Bool) -> String {
        guard wantChinese, english[cluster.id] == cluster.notes, let zh = chinese[cluster.id] else {
            return cluster.notes
        }
        return zh
    }
}
