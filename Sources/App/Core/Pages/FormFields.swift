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
                            .attribute(named: "value", value: attr(value), ignoreIfValueIsEmpty: false),
                            chosen == value ? .attribute(named: "selected", value: "selected") : .empty,
                            .text(label),
                        ])
                }),
            error(id, errors))
    }

    /// The label of a form field by its name, for showing what was typed outside its form (after
    /// signing in again); nil for a field without one here, which is then shown by its value alone.
    static func label(_ name: String, _ lang: Language) -> String? {
        let labels: [String: (String, String)] = [
            "title_zh": ("标题（中文）", "Title (Chinese)"), "title_en": ("标题（英文）", "Title (English)"),
            "body_zh": ("正文（中文）", "Text (Chinese)"), "body_en": ("正文（英文）", "Text (English)"),
            "source": ("来源", "Source"), "source_url": ("来源网址", "Source address"),
            "published_on": ("日期", "Date"), "tags": ("标签", "Tags"), "clusters": ("相关集群", "Clusters"),
            "name_zh": ("名称（中文）", "Name (Chinese)"), "name_en": ("名称（英文）", "Name (English)"),
            "notes": ("备注", "Notes"), "note": ("备注", "Note"), "comment": ("说明", "Comment"),
            "promotion_body": ("促进机构", "Promotion body"), "plan": ("发展规划", "Plan"),
            "highlights": ("亮点", "Highlights"), "cluster": ("集群", "Cluster"), "year": ("年度", "Year"),
            "amount": ("金额", "Amount"), "granted_on": ("日期", "Date"), "text": ("内容", "Text"),
            "email": ("电子邮箱", "E-mail"), "password": ("密码", "Password"),
            "outputs": ("可量化成果", "Outputs"), "organisations": ("参与单位", "Organisations"),
            "outcomes": ("成效", "Outcomes"), "documents": ("文件", "Documents"), "q": ("搜索", "Search"),
        ]
        return labels[name].map { lang.t($0.0, $0.1) }
    }

    /// The hint beside a date field: the forms people type dates in.
    static func dateHint(_ lang: Language) -> String {
        lang.t("如 2026-04-30、2026/4/30 或 2026年4月30日", "e.g. 2026-04-30")
    }

    /// The hint beside a field that takes a month or a day.
    static func monthHint(_ lang: Language) -> String {
        lang.t("如 2026年4月 或 2026年4月30日", "e.g. 2026-04 or 2026-04-30")
    }

    /// A destructive action's button, confirmed without scripts: the first click opens the
    /// confirmation, whose button sends the form.
    static func confirmedButton(_ label: String, confirm: String) -> Node<HTML.FormContext> {
        .element(
            named: "details",
            nodes: [
                .class("confirm"),
                .element(named: "summary", nodes: [.class("danger"), .text(label)]),
                .button(.type(.submit), .class("danger"), .text(confirm)),
            ])
    }
}
