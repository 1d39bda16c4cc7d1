import ClusterDomain
import Foundation
import Plot

/// The pages of the second factor: its state on the account, setting it up, the recovery codes shown
/// once, and the code asked for after the password.
enum TwoFactorPages {
    static let apps = "微软、谷歌或腾讯的身份验证器"

    static func status(
        _ ctx: PageContext, csrf: String, enabledOn: Date?, recoveryLeft: Int, required: Bool, message: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("两步验证", "Two-step verification"),
            .h1(.text(lang.t("两步验证", "Two-step verification"))),
            .if(
                required && enabledOn == nil,
                .p(
                    .class("notice"), .attribute(named: "role", value: "status"),
                    .text(
                        lang.t(
                            "您的角色须开启两步验证后才能继续使用本系统。", "Your role needs two-step verification before you go on.")))),
            .unwrap(message) { .p(.class("error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .p(
                .text(
                    lang.t(
                        "开启后，登录时除密码外，还要输入手机上身份验证器应用（如\(apps)）显示的 6 位验证码。",
                        "Once on, signing in asks for the 6-digit code an authenticator app on your phone shows, after the password."
                    ))),
            enabledOn.map { day in
                .group(
                    .p(
                        .text(
                            lang.t(
                                "已开启（\(Self.day(day))起），还有 \(recoveryLeft) 个恢复码可用。",
                                "On since \(Self.day(day)); \(recoveryLeft) recovery codes left."))),
                    .form(
                        .class("stack"), .action(WebRoute.twoFactor.path), .method(.post),
                        AccountPages.csrfField(csrf),
                        .input(.type(.hidden), .name("action"), .value("disable")),
                        codeField(lang, label: lang.t("当前验证码（关闭前确认）", "Current code (to confirm)")),
                        FormFields.confirmedButton(
                            lang.t("关闭两步验证", "Turn two-step verification off"),
                            confirm: lang.t("确定关闭两步验证", "Turn it off")))
                )
            }
                ?? .form(
                    .class("stack"), .action(WebRoute.twoFactor.path), .method(.post),
                    AccountPages.csrfField(csrf),
                    .input(.type(.hidden), .name("action"), .value("start")),
                    .button(.type(.submit), .text(lang.t("开始设置", "Set it up")))),
            .p(.a(.href(WebRoute.account.path), .text(lang.t("返回我的账户", "Back to my account"))))
        )
    }

    static func setup(_ ctx: PageContext, csrf: String, secret: String, uri: String, message: String? = nil) -> HTML {
        let lang = ctx.lang
        let grouped = stride(from: 0, to: secret.count, by: 4).map { i -> String in
            let start = secret.index(secret.startIndex, offsetBy: i)
            return String(secret[start..<secret.index(start, offsetBy: min(4, secret.count - i))])
        }.joined(separator: " ")
        return Layout.page(
            ctx, title: lang.t("设置两步验证", "Set up two-step verification"),
            .h1(.text(lang.t("设置两步验证", "Set up two-step verification"))),
            .unwrap(message) { .p(.class("error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .ol(
                .li(
                    .text(
                        lang.t(
                            "在手机上的身份验证器应用（如\(apps)）中添加账户，选择“输入密钥”，填入下面的密钥（基于时间）：",
                            "In an authenticator app, add an account by typing this key (time-based):")),
                    .p(.code(.id("totp-secret"), .class("nowrap"), .text(grouped))),
                    .details(
                        .summary(.text(lang.t("应用支持链接时，可用此链接", "Or, where the app takes a link"))),
                        .p(.code(.class("breakable"), .text(uri))))),
                .li(.text(lang.t("输入应用显示的 6 位验证码，确认设置：", "Type the 6-digit code the app shows:")))
            ),
            .form(
                .class("stack"), .action(WebRoute.twoFactor.path), .method(.post),
                AccountPages.csrfField(csrf),
                .input(.type(.hidden), .name("action"), .value("enable")),
                codeField(lang, label: lang.t("验证码", "Code")),
                .button(.type(.submit), .text(lang.t("开启两步验证", "Turn it on"))))
        )
    }

    static func recoveryCodes(_ ctx: PageContext, codes: [String]) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("恢复码", "Recovery codes"),
            .h1(.text(lang.t("两步验证已开启", "Two-step verification is on"))),
            .p(
                .class("notice"), .attribute(named: "role", value: "status"),
                .text(
                    lang.t(
                        "以下 \(codes.count) 个恢复码只显示这一次，请打印或抄下妥善保存。手机丢失时，每个恢复码可代替验证码使用一次。",
                        "These \(codes.count) recovery codes are shown only now; keep them safe. Each replaces a code once."
                    ))),
            .ul(.id("recovery-codes"), .forEach(codes) { .li(.code(.text($0))) }),
            .p(.a(.href(WebRoute.account.path), .text(lang.t("返回我的账户", "Back to my account"))))
        )
    }

    /// The code asked for after a correct password.
    static func code(
        _ ctx: PageContext, csrf: String, next: String?, resume: String?, message: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("输入验证码", "Enter the code"),
            .h1(.text(lang.t("输入验证码", "Enter the code"))),
            .unwrap(message) { .p(.class("error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(
                .class("stack"), .action(WebRoute.signInCode.path), .method(.post),
                AccountPages.csrfField(csrf),
                .unwrap(next) { .input(.type(.hidden), .name("next"), .value(attr($0))) },
                .unwrap(resume) { .input(.type(.hidden), .name("resume"), .value(attr($0))) },
                codeField(lang, label: lang.t("身份验证器中的 6 位验证码", "The 6-digit code from your authenticator app")),
                .small(.text(lang.t("手机不在身边时，可输入一个恢复码。", "Without your phone, type a recovery code."))),
                .button(.type(.submit), .text(lang.t("验证并登录", "Verify and sign in"))))
        )
    }

    static func codeField(_ lang: Language, label: String) -> Node<HTML.FormContext> {
        .group(
            .label(.for("code"), .text(label)),
            .input(
                .type(.text), .id("code"), .name("code"), .attribute(named: "inputmode", value: "numeric"),
                .attribute(named: "autocomplete", value: "one-time-code"), .attribute(named: "maxlength", value: "20"),
                .attribute(named: "required", value: "required")))
    }

    static func day(_ date: Date) -> String {
        Day(date).iso
    }
}
