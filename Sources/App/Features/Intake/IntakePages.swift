import ClusterDomain
import DocumentIntake
import Foundation
import Plot

/// The document intake page: a form to paste text or upload a file, and the report below it.
enum IntakePages {
    /// At most this many repairs are listed on the page (all of them are in the JSON).
    static let shownRepairs = 400

    static func stepName(_ step: RepairStep, _ lang: Language) -> String {
        switch step {
        case .boilerplate: lang.t("网页杂项", "Page furniture")
        case .pinyin: lang.t("拼音注音", "Pinyin annotations")
        case .mojibake: lang.t("乱码", "Mojibake")
        case .simplify: lang.t("繁体转简体", "Traditional to Simplified")
        case .clickbait: lang.t("标题党前缀", "Clickbait prefixes")
        case .punctuation: lang.t("标点", "Punctuation")
        }
    }

    static func outcomeName(_ outcome: FigureCheck.Outcome, _ lang: Language) -> String {
        switch outcome {
        case .agrees: lang.t("一致", "agrees")
        case .disagrees: lang.t("不一致", "disagrees")
        case .unknown: lang.t("无从核对", "unknown")
        }
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.0f", value) }
        return String(format: "%.4g", value)
    }

    static func page(
        _ ctx: PageContext, csrf: String, limit: Int, text: String, report: IntakeReport?, error: String?,
        today: Day, original: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("文本整理与核对", "Document intake"),
            .h1(.text(lang.t("文本整理与核对", "Document intake"))),
            .p(
                .class("lead"),
                .text(
                    lang.t(
                        "粘贴或上传一篇公告（.txt 或 .html，UTF-8、GBK 或 Big5）。系统去掉网页杂项、拼音注音、乱码、繁体、标题党前缀和半角标点，列出每一处修复，提取其中的数字、日期、集群和地区，并与登记数据和已公布数字核对。不保存任何内容。",
                        "Paste or upload an announcement (.txt or .html, in UTF-8, GBK or Big5). Page furniture, pinyin annotations, mojibake, Traditional characters, clickbait prefixes and ASCII punctuation are repaired and every repair is listed; the figures, dates, clusters and places it names are extracted and checked against the registry and the published figures. Nothing is stored."
                    ))),
            .if(error != nil, .p(.class("error"), .attribute(named: "role", value: "alert"), .text(error ?? ""))),
            .form(
                .class("stack"), .action(WebRoute.intake.path), .method(.post), .enctype(.multipartData),
                AccountPages.csrfField(csrf),
                .label(.for("text"), .text(lang.t("粘贴文本", "Paste the text"))),
                .textarea(.id("text"), .name("text"), .attribute(named: "rows", value: "10"), .text(text)),
                .label(
                    .for("file"),
                    .text(lang.t("或上传文件（最大 \(limit / 1024) KB）", "or upload a file (at most \(limit / 1024) KB)"))),
                .input(
                    .type(.file), .id("file"), .name("file"),
                    .attribute(named: "accept", value: ".txt,.html,.htm,text/plain,text/html")),
                .label(.for("charset"), .text(lang.t("文件编码", "File encoding"))),
                .select(
                    .attribute(named: "id", value: "charset"), .attribute(named: "name", value: "charset"),
                    .forEach([
                        ("auto", lang.t("自动识别", "Detect")), ("utf-8", "UTF-8"), ("gbk", "GBK / GB2312 / GB18030"),
                        ("big5", "Big5"),
                    ]) { value, label in
                        .element(named: "option", nodes: [.attribute(named: "value", value: value), .text(label)])
                    }),
                .button(.type(.submit), .text(lang.t("整理并核对", "Repair and check")))
            ),
            .unwrap(report) { results($0, lang) },
            // Signed in: publish the repaired document as an announcement, keeping the original.
            .if(
                report != nil && ctx.caller != nil,
                .section(
                    .id("publish-section"),
                    .h2(.text(lang.t("发布为公告", "Publish as an announcement"))),
                    .p(
                        .class("muted"),
                        .text(lang.t("原文与整理后的文本都会保存。", "Both the original and the repaired text are kept."))),
                    AnnouncementPages.formBody(ctx, csrf: csrf, today: today, intake: report, original: original)
                ))
        )
    }

    static func results(_ report: IntakeReport, _ lang: Language) -> Node<HTML.BodyContext> {
        let counts = Dictionary(grouping: report.repairs, by: \.step).mapValues(\.count)
        return .section(
            .id("report"),
            .h2(.text(lang.t("整理后的文本", "Repaired text"))),
            .unwrap(report.encoding) { .p(.class("muted"), .text(lang.t("读取编码：", "Read as: ") + $0.rawValue)) },
            .pre(.id("repaired"), .text(report.text)),
            .h2(.text(lang.t("修复", "Repairs"))),
            .ul(
                .id("repair-counts"),
                .forEach(RepairStep.allCases) { step in
                    .li(.text("\(stepName(step, lang))：\(counts[step] ?? 0)"))
                }),
            .details(
                .summary(.text(lang.t("逐条列出（前 \(shownRepairs) 条）", "Each repair (first \(shownRepairs))"))),
                .div(
                    .class("table-scroll"),
                    .table(
                        .thead(
                            .tr(
                                .th(.text(lang.t("步骤", "Step"))), .th(.class("num"), .text(lang.t("位置", "Offset"))),
                                .th(.text(lang.t("原文", "Was"))), .th(.text(lang.t("改为", "Now"))),
                                .th(.text(lang.t("原因", "Why"))))),
                        .tbody(
                            .forEach(report.repairs.prefix(shownRepairs)) { r in
                                .tr(
                                    .td(.text(stepName(r.step, lang))), .td(.class("num"), .text("\(r.offset)")),
                                    .td(.code(.text(String(r.original.prefix(80))))), .td(.code(.text(r.replacement))),
                                    .td(.text(r.reason)))
                            })
                    ))
            ),
            .h2(.text(lang.t("数字", "Figures"))),
            .div(
                .class("table-scroll"),
                .table(
                    .id("figures"),
                    .thead(
                        .tr(
                            .th(.text(lang.t("原文", "As written"))), .th(.class("num"), .text(lang.t("数值", "Value"))),
                            .th(.text(lang.t("单位", "Unit"))), .th(.text(lang.t("限定", "Bound"))),
                            .th(.text(lang.t("所指", "Counts"))))),
                    .tbody(
                        .forEach(report.figures) { f in
                            .tr(
                                .td(.text(f.text)),
                                .td(.class("num"), .text(number(f.value) + (f.upper.map { "–" + number($0) } ?? ""))),
                                .td(.text(f.unit)), .td(.text(f.qualifier.rawValue)), .td(.text(f.subject ?? "")))
                        })
                )),
            .if(
                !report.dates.isEmpty,
                .p(
                    .text(
                        lang.t("日期：", "Dates: ") + report.dates.map { "\($0.text) (\($0.date))" }.joined(separator: "、")
                    ))),
            .h2(.text(lang.t("提到的集群", "Clusters named"))),
            .if(report.clusters.isEmpty, .p(.class("muted"), .text(lang.t("没有。", "None.")))),
            .if(
                !report.clusters.isEmpty,
                .ul(
                    .id("clusters"),
                    .forEach(report.clusters) { c in
                        .li(
                            .a(.href(attr(WebRoute.cluster(c.id).path)), .text(c.nameZh)),
                            .text(" · \(c.match.rawValue)" + (c.match == .close ? " \(number(c.score))：\(c.text)" : ""))
                        )
                    })),
            .h2(.text(lang.t("提到的地区", "Places named"))),
            .p(
                .text(
                    lang.t("省份：", "Provinces: ")
                        + report.provinces.map { "\($0.nameZh)（\($0.count)）" }.joined(separator: "、"))),
            .p(
                .text(
                    lang.t("城市：", "Cities: ") + report.cities.map { "\($0.nameZh)（\($0.count)）" }.joined(separator: "、")
                )),
            .h2(.text(lang.t("核对（截至 \(report.asOf)）", "Reconciliation (as of \(report.asOf))"))),
            .div(
                .class("table-scroll"),
                .table(
                    .id("reconciliation"),
                    .thead(
                        .tr(
                            .th(.text(lang.t("数字", "Figure"))), .th(.text(lang.t("所指", "Counts"))),
                            .th(.text(lang.t("结果", "Outcome"))),
                            .th(.text(lang.t("对照", "Compared with"))))),
                    .tbody(
                        .forEach(report.reconciliation) { check in
                            .tr(
                                .td(.text(check.figure)), .td(.text(check.subject ?? "")),
                                .td(.class(check.outcome.rawValue), .text(outcomeName(check.outcome, lang))),
                                .td(
                                    .text(
                                        check.comparisons.isEmpty
                                            ? check.reason
                                            : check.comparisons.map { c in
                                                (c.against == "registry"
                                                    ? lang.t("登记数据", "registry") : lang.t("公布数字", "published"))
                                                    + " \(c.label) = \(number(c.value))（\(c.asOf)，\(outcomeName(c.outcome, lang))）"
                                            }.joined(separator: "；"))))
                        })
                ))
        )
    }
}
