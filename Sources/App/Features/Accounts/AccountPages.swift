import ClusterDomain
import Plot

/// Forms for signing in, the account page (grants, API tokens) and user administration.
enum AccountPages {
    static func csrfField(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRF.field), .value(attr(token)))
    }

    static func login(
        _ ctx: PageContext, csrf: String, email: String = "", message: String? = nil, next: String? = nil,
        resume: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("登录", "Sign in"),
            .h1(.text(lang.t("登录", "Sign in"))),
            .if(message != nil, .p(.class("error"), .attribute(named: "role", value: "alert"), .text(message ?? ""))),
            .form(
                .class("stack"), .action(WebRoute.login.path), .method(.post),
                csrfField(csrf),
                .unwrap(next) { .input(.type(.hidden), .name("next"), .value(attr($0))) },
                .unwrap(resume) { .input(.type(.hidden), .name("resume"), .value(attr($0))) },
                .label(.for("email"), .text(lang.t("电子邮箱", "E-mail"))),
                .input(
                    .type(.email), .id("email"), .name("email"), .value(attr(email)),
                    .attribute(named: "autocomplete", value: "username"),
                    .attribute(named: "required", value: "required")),
                .label(.for("password"), .text(lang.t("密码", "Password"))),
                .input(
                    .type(.password), .id("password"), .name("password"),
                    .attribute(named: "autocomplete", value: "current-password"),
                    .attribute(named: "required", value: "required")),
                .button(.type(.submit), .text(lang.t("登录", "Sign in")))
            )
        )
    }

    /// After signing in again: the form that was posted while signed out, with what was typed, to
    /// check and send (or to leave).
    static func resume(_ ctx: PageContext, csrf: String, resume: SignInReturn.Resume) -> HTML {
        let lang = ctx.lang
        let fields = resume.fields.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        return Layout.page(
            ctx, title: lang.t("继续提交", "Send the form"),
            .h1(.text(lang.t("继续提交", "Send the form"))),
            .p(
                .attribute(named: "role", value: "status"),
                .text(
                    lang.t(
                        "您已重新登录。下面是登录过期前填写的内容，请核对后继续提交。",
                        "You are signed in again. This is what you typed before the session ended; check it and send it."
                    ))),
            .form(
                .class("stack"), .action(attr(resume.action)), .method(.post),
                csrfField(csrf),
                .forEach(resume.fields.sorted { $0.key < $1.key }) { key, value in
                    .input(.type(.hidden), .name(attr(key)), .value(attr(value)))
                },
                .dl(
                    .forEach(fields) { key, value in
                        .group(.dt(.text(FormFields.label(key, lang) ?? "")), .dd(.text(value)))
                    }),
                .button(.type(.submit), .text(lang.t("继续提交", "Send")))
            ),
            .p(.a(.href(attr(resume.action)), .text(lang.t("不提交，回到表单", "Leave it and go back to the form"))))
        )
    }

    /// Changing one's own password: the current one, and the new one twice.
    static func passwordForm(_ lang: Language, csrf: String) -> Node<HTML.BodyContext> {
        .group(
            .h2(.text(lang.t("修改密码", "Change password"))),
            .form(
                .class("stack"), .action(WebRoute.changePassword.path), .method(.post), csrfField(csrf),
                .label(.for("current"), .text(lang.t("当前密码", "Current password"))),
                .input(
                    .type(.password), .id("current"), .name("current_password"),
                    .attribute(named: "autocomplete", value: "current-password"),
                    .attribute(named: "required", value: "required")),
                .label(.for("new-password"), .text(lang.t("新密码", "New password"))),
                .input(
                    .type(.password), .id("new-password"), .name("new_password"),
                    .attribute(named: "autocomplete", value: "new-password"),
                    .attribute(named: "required", value: "required")),
                .label(.for("new-password-again"), .text(lang.t("再次输入新密码", "New password again"))),
                .input(
                    .type(.password), .id("new-password-again"), .name("new_password_again"),
                    .attribute(named: "autocomplete", value: "new-password"),
                    .attribute(named: "required", value: "required")),
                .button(.type(.submit), .text(lang.t("修改密码", "Change password")))))
    }

    struct TokenRow {
        let id: String
        let name: String
        let prefix: String
        let grants: [String]
        let expires: String
        let revoked: Bool
    }

    static func account(
        _ ctx: PageContext, caller: Caller, csrf: String, tokens: [TokenRow], newToken: String? = nil,
        message: String? = nil, done: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("我的账户", "My account"),
            .h1(.text(lang.t("我的账户", "My account"))),
            .p(.text(caller.displayName + " · " + caller.email)),
            .if(message != nil, .p(.class("error"), .attribute(named: "role", value: "alert"), .text(message ?? ""))),
            .unwrap(done) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
            .h2(.text(lang.t("我的角色", "My roles"))),
            .ul(.forEach(caller.grants) { .li(.text(ctx.name($0))) }),
            .h2(.text(lang.t("两步验证", "Two-step verification"))),
            .p(
                .text(lang.t("登录时除密码外再输入手机验证码。", "A code from your phone after the password. ")),
                .a(.href(WebRoute.twoFactor.path), .text(lang.t("设置两步验证", "Manage two-step verification")))),
            .if(
                newToken != nil,
                .div(
                    .class("notice"), .attribute(named: "role", value: "status"),
                    .p(.text(lang.t("新令牌只显示这一次，请立即保存：", "The new token is shown only this once; keep it now:"))),
                    .p(.code(.id("new-token"), .text(newToken ?? "")))
                )),
            .h2(.text(lang.t("接口令牌", "API tokens"))),
            .table(
                .thead(
                    .tr(
                        .th(.text(lang.t("名称", "Name"))), .th(.text(lang.t("开头", "Starts with"))),
                        .th(.text(lang.t("权限", "Grants"))), .th(.text(lang.t("到期", "Expires"))), .th(.text("")))),
                .tbody(
                    .forEach(tokens) { t in
                        .tr(
                            .td(.text(t.name)), .td(.code(.text(t.prefix + "…"))),
                            .td(.text(t.grants.joined(separator: ", "))),
                            .td(.text(t.revoked ? lang.t("已撤销", "revoked") : t.expires)),
                            .td(
                                .if(
                                    !t.revoked,
                                    .form(
                                        .action(attr(WebRoute.revokeToken("\(t.id)").path)), .method(.post),
                                        csrfField(csrf),
                                        FormFields.confirmedButton(
                                            lang.t("撤销…", "Revoke…"),
                                            confirm: lang.t("确认撤销此令牌", "Yes, revoke this token"))))))
                    })
            ),
            .h3(.text(lang.t("新建令牌", "New token"))),
            .form(
                .class("stack"), .action(WebRoute.newToken.path), .method(.post), csrfField(csrf),
                .label(.for("token-name"), .text(lang.t("名称", "Name"))),
                .input(
                    .type(.text), .id("token-name"), .name("name"), .attribute(named: "maxlength", value: "60"),
                    .attribute(named: "required", value: "required")),
                .fieldset(
                    .element(
                        named: "legend", text: lang.t("令牌携带的角色（须为本人所有）", "Roles the token carries (from your own)")),
                    .forEach(Array(caller.grants.enumerated())) { i, grant in
                        .group(
                            .input(
                                .type(.checkbox), .id("grant-\(i)"), .name("grants[]"), .value(attr(grant.description))),
                            .label(.for("grant-\(i)"), .text(" " + ctx.name(grant))))
                    }
                ),
                .label(.for("days"), .text(lang.t("有效天数（1–365）", "Valid for days (1–365)"))),
                .input(
                    .type(.number), .id("days"), .name("days"), .value("90"), .attribute(named: "min", value: "1"),
                    .attribute(named: "max", value: "365")),
                .button(.type(.submit), .text(lang.t("创建令牌", "Create token")))
            ),
            passwordForm(lang, csrf: csrf),
            .form(
                .action(WebRoute.logout.path), .method(.post), csrfField(csrf),
                .button(.type(.submit), .text(lang.t("退出登录", "Sign out"))))
        )
    }

    struct UserRow {
        let email: String
        let name: String
        let grants: [String]
    }

    static func users(
        _ ctx: PageContext, csrf: String, users: [UserRow], reference: ReferenceData, message: String? = nil
    ) -> HTML {
        let lang = ctx.lang
        return Layout.page(
            ctx, title: lang.t("用户管理", "Users"),
            .h1(.text(lang.t("用户管理", "Users"))),
            .if(message != nil, .p(.class("notice"), .attribute(named: "role", value: "status"), .text(message ?? ""))),
            .table(
                .thead(
                    .tr(
                        .th(.text(lang.t("邮箱", "E-mail"))), .th(.text(lang.t("姓名", "Name"))),
                        .th(.text(lang.t("角色", "Roles"))))),
                .tbody(
                    .forEach(users) { u in
                        .tr(
                            .td(.text(u.email)), .td(.text(u.name)),
                            .td(
                                .forEach(u.grants) { g in
                                    .form(
                                        .class("inline"), .action(WebRoute.revokeRole.path), .method(.post),
                                        csrfField(csrf),
                                        .input(.type(.hidden), .name("email"), .value(attr(u.email))),
                                        .input(.type(.hidden), .name("grant"), .value(attr(g))),
                                        .span(.text(Self.grantName(g, ctx) + " ")),
                                        FormFields.confirmedButton(
                                            lang.t("撤销…", "Revoke…"),
                                            confirm: lang.t("确认撤销此角色", "Yes, revoke this role")))
                                }))
                    })
            ),
            .h2(.text(lang.t("新建用户", "New user"))),
            .form(
                .class("stack"), .action(WebRoute.users.path), .method(.post), csrfField(csrf),
                .label(.for("new-email"), .text(lang.t("电子邮箱", "E-mail"))),
                .input(
                    .type(.email), .id("new-email"), .name("email"), .attribute(named: "required", value: "required")),
                .label(.for("new-name"), .text(lang.t("姓名", "Name"))),
                .input(.type(.text), .id("new-name"), .name("name")),
                .label(
                    .for("new-password"), .text(lang.t("初始密码（至少 12 个字符）", "Initial password (12 characters or more)"))),
                .input(
                    .type(.password), .id("new-password"), .name("password"),
                    .attribute(named: "autocomplete", value: "new-password"),
                    .attribute(named: "required", value: "required")),
                grantFields(lang, reference: reference, required: true),
                .button(.type(.submit), .text(lang.t("创建用户", "Create user")))
            ),
            .h2(.text(lang.t("授予角色", "Grant a role"))),
            .form(
                .class("stack"), .action(WebRoute.grantRole.path), .method(.post), csrfField(csrf),
                .label(.for("grant-email"), .text(lang.t("电子邮箱", "E-mail"))),
                .input(
                    .type(.email), .id("grant-email"), .name("email"), .attribute(named: "required", value: "required")),
                grantFields(lang, reference: reference, prefix: "g-", required: true),
                .button(.type(.submit), .text(lang.t("授予", "Grant")))
            )
        )
    }

    /// A stored grant (`provincial:32`) as people name it.
    static func grantName(_ text: String, _ ctx: PageContext) -> String {
        guard let reference = ctx.reference, case .success(let grant) = Grant.parse(text, reference: reference) else {
            return text
        }
        return ctx.name(grant)
    }

    /// The role chooser (no role chosen until the admin chooses one) and its scope, typed as people name
    /// it: a province by name, a city, a cluster id or a department.
    static func grantFields(_ lang: Language, reference: ReferenceData, prefix: String = "", required: Bool = false)
        -> Node<HTML.FormContext>
    {
        .group(
            .label(.for(prefix + "role"), .text(lang.t("角色", "Role"))),
            .select(
                .attribute(named: "id", value: prefix + "role"), .attribute(named: "name", value: "role"),
                .attribute(named: "required", value: "required"),
                .element(
                    named: "option",
                    nodes: [
                        .attribute(named: "value", value: "", ignoreIfValueIsEmpty: false),
                        .text(lang.t("请选择角色", "Choose a role")),
                    ]),
                .forEach(Role.allCases) { role in
                    .element(
                        named: "option",
                        nodes: [.attribute(named: "value", value: role.rawValue), .text(lang.name(role))])
                }),
            .label(
                .for(prefix + "scope"),
                .text(
                    lang.t(
                        "范围：省级主管部门填省份（如“江苏”），市级政府填城市（如“苏州”），促进机构填集群编号，部委审核人填部门名称",
                        "Scope: a province (e.g. Jiangsu or 32), a city, a cluster id or a department"))),
            .input(
                .type(.text), .id(prefix + "scope"), .name("scope"), .attribute(named: "maxlength", value: "64"),
                .attribute(named: "list", value: prefix + "scopes")),
            .element(
                named: "datalist",
                nodes: [.attribute(named: "id", value: prefix + "scopes")]
                    + reference.provinces.map { p in
                        .element(named: "option", nodes: [.attribute(named: "value", value: p.shortNameZh)])
                    })
        )
    }
}
