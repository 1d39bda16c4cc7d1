import Plot

/// The one page layout: header with navigation, main content, footer. Chinese first, English beside.
enum Layout {
    static func page(title: String, _ content: Node<HTML.BodyContext>...) -> HTML {
        HTML(
            .lang(.simplifiedChinese),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title(title + " · 集群梯次培育平台 ClusterLadder"),
                .link(.rel(.stylesheet), .href("/styles.css"))
            ),
            .body(
                .header(
                    .class("site"),
                    .a(.href("/"), .class("brand"), .text("集群梯次培育平台"), .span(.attribute(named: "lang", value: "en"), .text(" ClusterLadder"))),
                    .nav(
                        .attribute(named: "aria-label", value: "主导航 Main"),
                        .ul(
                            .li(.a(.href("/"), .text("首页 Home"))),
                            .li(.a(.href(APIRoute.clusters.path), .text("集群 Clusters (JSON)"))),
                            .li(.a(.href(APIRoute.stats.path), .text("统计 Statistics (JSON)"))),
                            .li(.a(.href(APIRoute.openAPI.path), .text("API 文档 OpenAPI")))
                        )
                    )
                ),
                .main(.group(content)),
                .footer(
                    .class("site"),
                    .p(.text("数据来源与可信度见各集群记录。Sources and confidence are given with every record."))
                )
            )
        )
    }
}

/// The HTML error page, in both languages, with a way back.
enum ErrorPage {
    static func render(code: UInt, reason: String) -> String {
        let (zh, en) = titles(code)
        return Layout.page(
            title: "\(code) \(zh)",
            .h1(.text("\(code) \(zh)"), .span(.attribute(named: "lang", value: "en"), .text(" · \(en)"))),
            .p(.text(reason)),
            .p(.a(.href("/"), .text("返回首页 · Back to the home page")))
        ).render()
    }

    static func titles(_ code: UInt) -> (String, String) {
        switch code {
        case 400: ("请求有误", "Bad request")
        case 401: ("需要登录", "Sign-in required")
        case 403: ("无权访问", "Forbidden")
        case 404: ("未找到", "Not found")
        case 405: ("方法不允许", "Method not allowed")
        case 413: ("请求过大", "Request too large")
        case 500...: ("服务器错误", "Server error")
        default: ("请求未完成", "Request not completed")
        }
    }
}
