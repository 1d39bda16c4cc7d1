import Plot

/// Labelled inputs with their error message, shared by the editing forms.
enum FormFields {
    static func error(_ id: String, _ errors: [String: String]) -> Node<HTML.FormContext> {
        .unwrap(errors[id]) {
            .p(.class("field-error"), .id(attr("error-" + id)), .attribute(named: "role", value: "alert"), .text($0))
        }
    }

    /// A text input (or a text area), its label, an optional hint and its error.
    static func field(
        _ lang: Language, _ id: String, _ zh: String, _ en: String, _ value: String?, _ errors: [String: String],
        hint: String? = nil, area: Bool = false, rows: Int = 3
    ) -> Node<HTML.FormContext> {
        .group(
            .label(.for(attr(id)), .text(lang.t(zh, en))),
            area
                ? .textarea(
                    .id(attr(id)), .name(attr(id)), .attribute(named: "rows", value: "\(rows)"), .text(value ?? ""))
                : .input(.type(.text), .id(attr(id)), .name(attr(id)), .value(attr(value ?? ""))),
            .unwrap(hint) { .small(.text($0)) },
            error(id, errors))
    }

    /// A select of (value, label) options with `chosen` selected, its label and its error.
    static func select(
        _ lang: Language, _ id: String, _ zh: String, _ en: String, _ options: [(String, String)], _ chosen: String?,
        _ errors: [String: String]
    ) -> Node<HTML.FormContext> {
        .group(
            .label(.for(attr(id)), .text(lang.t(zh, en))),
            .select(
                .attribute(named: "id", value: attr(id)), .attribute(named: "name", value: attr(id)),
                .forEach(options) { value, label in
                    .element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: attr(value)),
                            chosen == value ? .attribute(named: "selected", value: "selected") : .empty,
                            .text(label),
                        ])
                }),
            error(id, errors))
    }
}
