import ClusterDomain
import Plot

/// What every page needs to know of its request.
struct PageContext: Sendable {
    let lang: Language
    /// The current path and query with `lang` switched to the other language.
    let switchHref: String
    /// Which navigation entry is current.
    let section: WebRoute.Section?
    /// Who is signed in, if anyone.
    let caller: Caller?
    /// The reference data, for naming coded values (a role's province).
    let reference: ReferenceData?

    init(
        lang: Language, switchHref: String = "/", section: WebRoute.Section? = nil, caller: Caller? = nil,
        reference: ReferenceData? = nil
    ) {
        self.lang = lang
        self.switchHref = switchHref
        self.section = section
        self.caller = caller
        self.reference = reference
    }

    /// A role with its scope, named in the page's language.
    func name(_ grant: Grant) -> String {
        reference.map { lang.name(grant, reference: $0) } ?? lang.name(grant.role) + " " + (grant.scope ?? "")
    }
}

/// The one page layout: skip link, header with navigation and language switch, main, footer.
enum Layout {
    static func page(_ ctx: PageContext, title: String, _ content: Node<HTML.BodyContext>...) -> HTML {
        let lang = ctx.lang
        let nav: [(WebRoute.Section, String, String)] = [
            (.dashboard, WebRoute.home.path, lang.t("总览", "Dashboard")),
            (.clusters, WebRoute.clusters.path, lang.t("集群名录", "Directory")),
            (.figures, WebRoute.figures.path, lang.t("公布数字", "Published figures")),
            (.policies, WebRoute.policies.path, lang.t("政策", "Policies")),
            (.cooperation, WebRoute.cooperation.path, lang.t("合作", "Cooperation")),
            (.announcements, WebRoute.announcements.path, lang.t("公告", "News")),
            (.rounds, WebRoute.rounds.path, lang.t("竞赛", "Rounds")),
            (.monitoring, WebRoute.ratings.path, lang.t("监测评价", "Monitoring")),
            (.intake, WebRoute.intake.path, lang.t("文本核对", "Intake")),
            (.api, APIRoute.openAPI.path, lang.t("开放数据接口", "Open-data API")),
        ]
        return HTML(
            .attribute(named: "lang", value: attr(lang.tag)),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title(title + " · " + lang.t("集群梯次培育平台", "ClusterLadder")),
                .link(.rel(.stylesheet), .href(WebRoute.stylesheet.path)),
                // Feed readers find the announcements from any page.
                .link(
                    .rel(.alternate), .attribute(named: "type", value: "application/atom+xml"),
                    .attribute(named: "title", value: ctx.lang.t("集群公告", "Cluster announcements")),
                    .href(WebRoute.announcementFeed.path))
            ),
            .body(
                .a(.class("skip"), .href("#main"), .text(lang.t("跳到正文", "Skip to content"))),
                .header(
                    .class("site"),
                    .a(.href(WebRoute.home.path), .class("brand"), .text(lang.t("集群梯次培育平台", "ClusterLadder"))),
                    .nav(
                        .attribute(named: "aria-label", value: attr(lang.t("主导航", "Main"))),
                        .ul(
                            .forEach(nav) { section, href, label in
                                .li(
                                    .a(
                                        .href(attr(href)), .text(label),
                                        .if(ctx.section == section, .attribute(named: "aria-current", value: "page"))))
                            })
                    ),
                    .div(
                        .class("who"),
                        ctx.caller.map { caller -> Node<HTML.BodyContext> in
                            .group(
                                .a(
                                    .href(WebRoute.work.path),
                                    .if(ctx.section == .work, .attribute(named: "aria-current", value: "page")),
                                    .text(lang.t("我的待办", "My work"))), .text(" · "),
                                .a(.href(WebRoute.account.path), .text(caller.displayName)),
                                .if(
                                    caller.isAdmin,
                                    .group(.text(" · "), .a(.href(WebRoute.users.path), .text(lang.t("用户", "Users"))))),
                                .text(" · "), .a(.href(WebRoute.audit.path), .text(lang.t("审计", "Audit"))))
                        } ?? .a(.href(WebRoute.login.path), .text(lang.t("登录", "Sign in")))),
                    .a(
                        .class("lang-switch"), .href(attr(ctx.switchHref)),
                        .attribute(named: "hreflang", value: attr(lang.other.tag)),
                        .attribute(named: "lang", value: attr(lang.other.tag)), .text(lang.t("English", "中文")))
                ),
                .main(.id("main"), .group(content)),
                .footer(
                    .class("site"),
                    .p(
                        .text(
                            lang.t(
                                "每个数字都可由登记数据复算；来源与可信度见各记录。",
                                "Every figure is derived from the registry; sources and confidence are given with each record."
                            )))
                )
            )
        )
    }
}

/// The HTML error page, in the visitor's language with the other beside it, and a way back.
enum ErrorPage {
    static func render(code: UInt, reason: String, lang: Language = .zh, requestID: String? = nil) -> String {
        let (zh, en) = titles(code)
        return Layout.page(
            PageContext(lang: lang),
            title: "\(code) " + lang.t(zh, en),
            .h1(.text("\(code) " + lang.t(zh, en))),
            .p(.text(reason)),
            .unwrap(requestID) { id in
                .p(.text(lang.t("如需报告此问题，请注明请求编号：", "To report this, quote the request id: ") + id))
            },
            .p(
                .a(.href(WebRoute.home.path), .text(lang.t("返回首页", "Back to the dashboard"))), .text(" · "),
                .a(.href(attr(WebRoute.clusters.path)), .text(lang.t("集群名录", "Cluster directory"))))
        ).render()
    }

    /// What a status means for a person, for a Chinese page whose error has no Chinese wording of its own.
    static func explanation(_ code: UInt) -> String {
        switch code {
        case 400: "请求的地址或内容有误，请检查后重试。"
        case 401: "请先登录。"
        case 403: "您的账号没有执行此操作的权限。如需开通，请联系管理员。"
        case 404: "您要找的页面或记录不存在，可能已被删除或地址有误。"
        case 405: "此地址不支持这种操作。"
        case 409: "记录已被他人修改，请刷新页面后重试。"
        case 413: "提交的内容过大，请缩小后重试。"
        case 415: "不支持所提交内容的格式。"
        case 422: "提交的内容有误，请修改后重试。"
        case 503: "系统暂时无法服务，请稍候片刻再试。"
        case 500...: "服务器出现错误，请稍后重试。"
        default: "请求未能完成，请稍后重试。"
        }
    }

    static func titles(_ code: UInt) -> (String, String) {
        switch code {
        case 400: ("请求有误", "Bad request")
        case 401: ("需要登录", "Sign-in required")
        case 403: ("无权访问", "Forbidden")
        case 404: ("未找到", "Not found")
        case 409: ("记录已变更", "Conflict")
        case 422: ("内容有误", "Unprocessable")
        case 405: ("方法不允许", "Method not allowed")
        case 413: ("请求过大", "Request too large")
        case 503: ("暂时无法服务", "Service unavailable")
        case 500...: ("服务器错误", "Server error")
        default: ("请求未完成", "Request not completed")
        }
    }
}
