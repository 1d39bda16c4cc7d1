/// The catalogue's wording: key, Chinese, English. Placeholders in braces are filled from the message's
/// arguments; both wordings name the same placeholders (a test checks).
extension MessageCatalogue {
    static let fieldMessages: [(String, String, String)] = [
        ("field.invalid", "请修改标出的内容", "invalid fields"),
        ("field.required", "必填", "required"),
        ("field.too_long", "最多 {n} 个字符", "at most {n} characters"),
        ("field.length_between", "须为 {min} 至 {max} 个字符", "{min} to {max} characters"),
        ("field.date", "请填写日期，如 2026-04-30、2026/4/30 或 2026年4月30日", "a date such as 2026-04-30"),
        ("field.month", "请填写年月，如 2026-04 或 2026年4月", "a month such as 2026-04"),
        ("field.number", "请填写数字", "a number"),
        ("field.amount", "请填写金额，如 960亿、5000万 或 1,200,000（单位：元）", "an amount of yuan, e.g. 96000000000"),
        ("field.whole_number", "请填写整数", "a whole number"),
        ("field.too_many", "最多 {n} 项", "at most {n} entries"),
        ("field.one_of", "请从以下选项中选择：{allowed}", "one of {allowed}"),
        ("field.web_address", "请填写以 http:// 或 https:// 开头的网址", "an http(s) address"),
        ("field.stale_version", "此记录已被他人修改（当前为第 {now} 版），请刷新后重新修改", "the version you read (now {now})"),
        ("field.version_required", "缺少读取时的版本号，请刷新页面后重试", "required: the version you read"),
        ("field.unknown_cluster", "没有这个集群", "unknown cluster"),
        ("field.year", "请填写年份", "a year"),
        (
            "input.control_character", "「{field}」中有不可见的控制字符（{code}），无法保存，请删去后重新提交",
            "'{field}' contains the control character {code}, which no text may hold"
        ),
        ("input.field_unnamed", "其中一栏", "a field"),
        (
            "database.unavailable", "系统暂时连不上数据库，请稍候片刻再试；提交表单时可返回上一页再提交一次",
            "the database cannot be reached; try again shortly"
        ),
        ("field.data_year", "数据年度须在 2019 年至 {last} 年之间", "a data year from 2019 to {last}"),
        ("cluster.unknown_domain", "未知的领域「{value}」，可选：{allowed}", "unknown domain '{value}'; allowed: {codes}"),
        ("cluster.no_city", "请至少填写一个成员城市", "at least one member city"),
        ("cluster.city_twice", "有城市重复填写", "a city is listed twice"),
        ("cluster.unknown_city", "未知的城市「{value}」", "unknown city '{value}'"),
        ("cluster.unknown_province", "未知的省份「{value}」", "unknown province '{value}'"),
        (
            "cluster.bad_source", "「{value}」不是有效网址（须以 http:// 或 https:// 开头，最多 {n} 个字符）",
            "'{value}' is not an http(s) address of at most {n} characters"
        ),
        ("return.not_an_indicator", "不是指标体系 {set} 第 {version} 版中的指标", "not an indicator of {set} v{version}"),
        ("return.share_range", "应为 0 到 1 之间的小数（4.5% 填 0.045）", "a share between 0 and 1 (4.5% is 0.045)"),
        ("return.whole_count", "应为整数（单位：{unit}）", "a whole number of {unit}"),
        ("return.below_minimum", "低于合理下限 {limit} {unit}", "below the plausible minimum {limit} {unit}"),
        ("return.above_maximum", "高于合理上限 {limit} {unit}", "above the plausible maximum {limit} {unit}"),
        (
            "return.jump", "较上年 {change}（{last} → {value} {unit}），请在填报说明中解释",
            "{change} on last year ({last} → {value} {unit}); explain it in the comments"
        ),
        ("return.needed_to_submit", "报送前须填写此项", "a value is needed to submit"),
        ("return.explain_flagged", "请在填报说明中解释标出的变动", "explain the flagged changes ({codes})"),
        ("return.say_what_to_correct", "请写明需要修改之处", "say what must be corrected"),
        ("policy.category", "请选择政策类别", "one of {codes}"),
        ("policy.level", "请选择政策层级（中央、省级或市级）", "one of central, provincial, municipal"),
        ("policy.expires_before_start", "失效日期须晚于生效日期", "must come after the policy takes effect"),
        ("policy.no_department", "请至少选择一个部门", "at least one department"),
        ("policy.unknown_department", "未知的部门「{value}」", "unknown department '{value}'"),
        ("policy.central_no_jurisdiction", "中央政策不填适用地区", "a central policy has no jurisdiction"),
        ("policy.jurisdiction_province", "省级政策的适用地区须为一个省份", "a provincial policy's jurisdiction is a province"),
        (
            "policy.jurisdiction_city", "市级政策的适用地区须为一个城市",
            "a municipal policy's jurisdiction is a city from the reference data"
        ),
        ("rule.required", "请设定适用条件", "required, e.g. {\"tier\": [\"national\"]}"),
        ("rule.too_long", "适用条件过长（最多 {n} 字节）", "at most {n} bytes"),
        (
            "rule.not_a_rule", "适用条件无法识别",
            "not a rule: an object with exactly one of all, any, tier, domain, region, key_region, province, city, indicator"
        ),
        ("rule.empty_group", "“全部满足”或“满足其一”中至少要有一个条件", "an empty all/any rule"),
        ("rule.unknown_value", "条件中有无法识别的选项", "a choice that is not known"),
        ("rule.threshold", "请填写指标门槛的数值，如“100亿”或“3%”", "the threshold as a number"),
        ("rule.unknown_domain", "未知的领域「{value}」", "unknown domain {value}"),
        ("rule.unknown_key_region", "未知的重点区域「{value}」", "unknown key region {value}"),
        ("rule.unknown_province", "未知的省份「{value}」", "unknown province {value}"),
        ("rule.unknown_city", "未知的城市「{value}」", "unknown city {value}"),
        ("indicators.weights_total", "各维度权重合计为 {total}%，应为 100%", "dimension weights total {total}%, not 100%"),
        ("indicators.weight_not_positive", "维度 {code} 的权重须大于零", "dimension {code} has no positive weight"),
        ("indicators.duplicate_dimension", "维度代码重复", "duplicate dimension code"),
        ("indicators.duplicate_indicator", "指标代码重复", "duplicate indicator code"),
        ("indicators.unknown_dimension", "指标 {code} 所属维度 {value} 不存在", "indicator {code}: unknown dimension {value}"),
        ("indicators.empty_dimension", "维度 {code} 下没有指标", "dimension {code} has no indicator"),
        ("indicators.no_unit", "指标 {code} 缺少单位", "indicator {code} has no unit"),
        ("indicators.bad_code", "代码「{code}」须为 1 至 40 个小写字母、数字或下划线", "code '{code}': 1 to 40 of a–z, 0–9 and _"),
        ("indicators.names", "{code} 须有中英文名称，各 1 至 100 个字符", "{code}: names in both languages, 1 to 100 characters"),
        ("indicators.unit_too_long", "指标 {code} 的单位最多 20 个字符", "indicator {code} unit: at most 20 characters"),
        ("indicators.min_above_max", "指标 {code} 的下限高于上限", "indicator {code}: minimum above maximum"),
        ("announcement.tags", "最多 10 个标签，每个最多 30 个字符，不含“/”", "at most 10 tags of at most 30 characters, without '/'"),
        ("announcement.clusters", "有未知的集群，或超过 100 个", "unknown cluster id (or more than 100)"),
        ("token.days", "有效天数须为 1 至 365 的整数", "a whole number from 1 to 365"),
        ("token.not_held", "您本人没有这一角色，不能授予令牌", "you do not hold {grant}"),
        ("token.bad_grant", "无法识别的角色", "{reason}"),
        ("token.no_grant", "请至少选择一个您拥有的角色", "choose at least one of your roles"),
        (
            "cooperation.bad_output", "每项成果须有名称（1–100 字）、数值和单位（1–20 字）；「{name}」不完整",
            "each output needs a name (1–100 characters), a finite value and a unit (1–20 characters); '{name}' has not"
        ),
        ("cooperation.output_range", "成果「{name}」的数值须在 0 至 {max} 之间", "output '{name}': a value from 0 to {max}"),
        ("cooperation.output_whole", "成果「{name}」以「{unit}」计，应为整数", "output '{name}': a whole number of {unit}"),
        ("cooperation.output_percent", "成果「{name}」为百分比，应在 0 至 100 之间", "output '{name}': a percentage from 0 to 100"),
        (
            "cooperation.bad_document", "每份文件须有标题（1–200 字）；链接须以 http:// 或 https:// 开头，文号最多 100 字；「{title}」不符合",
            "each document needs a title (1–200 characters); a link must be an http(s) address, a number at most 100 characters; '{title}' has not"
        ),
        (
            "cooperation.kind", "请选择活动类型",
            "one of agreement, alliance, conference, exchange_visit, joint_entry, joint_project"
        ),
        ("cooperation.ends_before_start", "结束日期早于开始日期", "before started_on"),
        ("cooperation.clusters", "请选择 2 至 100 个参与集群", "2 to 100 cluster ids"),
        ("cooperation.organisations", "最多 20 个单位，每个最多 200 字", "at most 20 names of at most 200 characters"),
        (
            "cooperation.output_line", "第 {line} 行：请按“名称 = 数值 单位”填写，如 联合专利 = 12 项",
            "line {line}: write name = value unit, e.g. 联合专利 = 12 项"
        ),
        ("file.choose", "请选择要上传的文件", "choose a file to upload"),
        ("field.not_future", "不能晚于今天", "not in the future"),
        ("field.choose_cluster", "请选择集群", "choose a cluster"),
        ("intake.too_long", "原文最多 {n} 字节", "1 to {n} bytes of text"),
        (
            "intake.rate_limited", "未登录时每分钟最多核对 {n} 份文本，请稍后再试，或登录后使用",
            "at most {n} documents a minute without signing in; wait, or sign in"
        ),
        ("intake.file_type", "只接受 .txt、.html 和 .htm 文件", "only .txt, .html and .htm files are accepted"),
        ("intake.text_or_file", "请粘贴文本或选择文件", "paste a text or choose a file"),
        ("intake.undecodable", "无法识别文件的文字编码", "{reason}"),
        ("indicators.weight", "请填写权重（百分数）", "a weight in percent"),
        ("indicators.note", "请说明修订理由（1 至 2000 字）", "why the set changes, 1 to 2000 characters"),
        ("indicators.nothing_new", "请提交新的维度或指标", "new dimensions, new indicators, or both"),
        ("indicators.too_many", "最多 20 个维度、100 个指标", "at most 20 dimensions and 100 indicators"),
        ("policy.id_taken", "编号 {id} 已被使用", "a policy with id {id} exists"),
        ("adjustment.decision", "请选择同意或不同意", "accept or reject"),
        ("adjustment.why_rejected", "不同意时请说明理由", "why the proposal is rejected"),
        (
            "indicators.tie_break", "修订后的维度与评分规则中的同分排序不再一致：{problem}",
            "the programme rules' tie-break order no longer fits: {problem}"
        ),
        ("cluster.tier", "请选择层级", "one of provincial, national, world_class"),
        ("cluster.tier_admin_only", "只有管理员可以登记国家级或世界级集群", "only an admin records national or world-class clusters"),
        ("cluster.batch_needed", "国家级集群须注明批次", "a national cluster needs its batch; allowed: {codes}"),
        ("cluster.unknown_batch", "未知的批次", "unknown batch"),
        ("return.values_required", "请填写指标数值", "the indicator values, e.g. {\"output\": 1.2e12}"),
        ("return.action", "请选择操作", "one of {codes}"),
        ("file.empty", "文件是空的", "the file is empty"),
        ("file.too_large", "文件过大（上限 {mb} MB）", "the file has {size} bytes; the limit is {limit}"),
        ("file.type", "「{name}」不是可接受的文件类型；可上传：{allowed}", "'{name}' is not an accepted type; accepted: {allowed}"),
        ("password.too_short", "密码至少 {n} 个字符", "at least {n} characters"),
        ("password.is_email", "密码不能与电子邮箱相同", "must not be the e-mail address"),
        ("password.common", "密码过于常见，请另选", "too common; choose another"),
        ("password.repetitive", "密码重复字符过多，请另选", "too repetitive; choose another"),
    ]

    static let accessMessages: [(String, String, String)] = [
        ("auth.sign_in_required", "请先登录", "sign in or send an API token (Authorization: Bearer …)"),
        ("access.takeup_record", "您的角色无权为该集群登记政策支持", "your roles do not allow recording support for this cluster"),
        (
            "access.takeup_change", "您的角色无权修改该集群的政策支持记录",
            "your roles do not allow changing support records of this cluster"
        ),
        ("access.score_assigned_only", "只有分配到该参赛集群的评审专家可以评分", "only an expert assigned to this entry scores it"),
        (
            "access.dossier_unreadable", "申报材料仅限该集群的牵头城市和促进机构、所在省份、管理员、部委审核人及分配的评审专家查看",
            "a dossier is read only by its cluster's lead city and promotion body, a member province, admins, ministry reviewers and the experts assigned to it"
        ),
        ("access.sign_off_reviewer", "只有部委审核人可以会签", "only a ministry reviewer signs off"),
        ("access.admin_users", "只有管理员可以管理用户", "only an admin manages users"),
        (
            "access.second_factor_needed", "您的角色须先开启两步验证（我的账户 → 两步验证）",
            "your role needs two-step verification first (account → two-step verification)"
        ),
        (
            "access.form_expired", "表单已过期或并非来自本站，请刷新页面后重试",
            "the form has expired or did not come from this site; reload the page and try again"
        ),
        (
            "access.recommend_lead_province", "只有牵头省份的主管部门可以推荐该集群",
            "only the provincial authority of the cluster's lead province recommends it"
        ),
        (
            "access.publish_announcement", "只有管理员或对所有关联集群都有权限的部门可以发布",
            "only an admin, or an authority for every linked cluster, may publish this"
        ),
        (
            "access.change_announcement", "只有管理员或对修改前后所有关联集群都有权限的部门可以修改",
            "only an admin, or an authority for every linked cluster before and after, may change this"
        ),
        (
            "access.return_unreadable", "监测数据在审核通过前，仅限该集群的促进机构和牵头城市、所在省份、管理员及部委审核人查看",
            "until it is accepted, a return is read only by its cluster's promotion body and lead city, a member province, admins and ministry reviewers"
        ),
        ("access.accept_return", "只有管理员可以审核通过监测数据", "only an admin accepts a return"),
        ("access.assign_experts", "只有管理员可以分配评审专家", "only an admin assigns experts"),
        ("access.resolve_objections", "只有管理员可以处理异议", "only an admin resolves objections"),
        ("access.cooperation_edit", "您的角色对参与的集群都没有编辑权限", "your roles allow editing none of the participating clusters"),
        ("access.open_round", "只有管理员可以发起竞赛", "only an admin opens a competition round"),
        ("access.close_stage", "只有管理员可以提前结束竞赛阶段", "only an admin closes a stage"),
        ("access.revise_indicators", "只有管理员可以修订指标体系", "only an admin revises the indicator set"),
        ("access.run_adjustments", "只有管理员可以运行层级调整规则", "only an admin runs the adjustment rules"),
        ("access.enter_benchmark", "只有管理员可以录入国际对标", "only an admin enters a global benchmark"),
        ("access.decide_adjustment", "只有管理员可以决定层级调整", "only an admin decides an adjustment"),
        ("access.cluster_action", "您的角色无权对该集群执行此操作", "your roles ({grants}) do not allow {action} on this cluster"),
        (
            "access.ranking_unpublished", "本轮竞赛的评分和排名随公示{from_zh}发布；此前仅限管理员和部委审核人查看",
            "the scores and ranking of {round} are published with its public notice{from_en}; until then only admins and ministry reviewers read them"
        ),
        (
            "access.filed_by", "{what}由牵头城市（{city}）、集群促进机构或管理员填报",
            "{what} is filed by the lead city ({city}), the promotion body or an admin"
        ),
        ("access.ladder_event", "您的角色无权对该集群执行“{event}”", "your roles do not allow {event} on this cluster"),
        ("access.policy_action", "您的角色无权对该政策执行此操作", "your roles ({grants}) do not allow {action} on this policy"),
        (
            "access.return_filed_by", "监测数据由集群促进机构、牵头城市（{city}）或管理员填报",
            "a return is filed by the cluster's promotion body, the lead city ({city}) or an admin"
        ),
        (
            "access.return_reviewed_by", "监测数据由集群所在省份的主管部门或管理员审核",
            "a return is reviewed by the authority of one of the cluster's provinces ({provinces}) or an admin"
        ),
        ("auth.bearer_only", "只接受 Bearer 令牌", "only Bearer tokens are accepted"),
        ("account.email", "不是有效的电子邮箱", "not an e-mail address"),
        ("account.exists", "已有使用这个邮箱的用户", "a user with this e-mail address exists"),
        (
            "account.scope", "角色的范围有误：省级主管部门填省份（如“江苏”），市级政府填城市（如“苏州”），促进机构填集群编号，部委审核人填部门名称，管理员和评审专家不填",
            "the scope does not fit the role"
        ),
        ("auth.bad_token", "API 令牌无效、已过期或已撤销", "the API token is unknown, expired or revoked"),
    ]

    static let workflowMessages: [(String, String, String)] = [
        ("ladder.event", "请选择决定事项", "one of {codes}"),
        ("ladder.unknown_evidence", "未知的依据「{value}」", "unknown evidence '{value}'; allowed: {codes}"),
        (
            "ladder.co_review_not_sent", "部门会审来自部委审核人的会签，不能直接勾选",
            "co_review comes from a ministry reviewer's sign-off, not from the request"
        ),
        (
            "ladder.notice_not_sent", "公示期满和异议处理情况由系统根据竞赛记录核对，不能直接勾选",
            "notice_closed and objections_resolved are checked from the round, not sent"
        ),
        ("ladder.designation_round", "请选择认定所依据公示的竞赛", "the round whose public notice the designation follows"),
        ("ladder.co_review_event", "只能会签需要部门会审的决定：{events}", "one of the decisions that need co-review: {codes}"),
        ("ladder.reviewer_reasons", "请填写审核意见（1 至 2000 字）", "the reviewer's reasons, 1 to 2000 characters"),
        (
            "ladder.invalid_transition", "处于“{state}”的集群不能执行“{event}”",
            "{event} does not apply to a cluster that is {state}"
        ),
        (
            "ladder.role_not_allowed", "{role}不能执行“{event}”；可执行的角色：{allowed}",
            "{role} may not {event}; allowed: {allowed}"
        ),
        ("ladder.missing_evidence", "“{event}”还缺少：{missing}", "{event} needs {missing}"),
        ("ladder.precondition", "“{event}”：{reason}", "{event}: {reason}"),
        ("ladder.backdated", "日期 {day} 早于当前状态的开始日期（{since}）", "dated {day}, before the current state began ({since})"),
        ("ladder.years_national", "须已获国家级认定满 {years} 年", "needs at least {years} years of national standing"),
        ("ladder.document_number_required", "须填写认定公告的文号", "the designation notice's document number is required"),
        ("form.choose_action", "请选择操作", "choose an action"),
        ("return.saved_not_submitted", "已保存为草稿（第 {version} 版），尚未报送", "Saved as version {version}, not submitted yet"),
        (
            "notice.objection_window", "异议须在公示期内（{from} 至 {to}）提出",
            "objections are lodged during the public notice, {from} to {to}"
        ),
        ("notice.resolution", "请填写处理意见（1 至 5000 字）", "the written reason, 1 to 5000 characters"),
        ("notice.not_ended", "公示期尚未结束（{day} 结束）", "the public notice has not ended (it closes on {day})"),
        ("notice.open_objections", "该集群尚有 {n} 条异议未处理", "{n} objection(s) to this entry are not resolved"),
        ("takeup.final", "“{state_zh}”是最终状态，不能改为“{target_zh}”", "a {state} record is final; it cannot become {target}"),
        ("takeup.only_to", "“{state_zh}”只能改为{next_zh}", "from {state} only to {next}"),
        ("takeup.unknown_policy", "请选择政策", "unknown policy"),
        ("takeup.status", "请选择状态", "one of applied, granted, paid, withdrawn"),
        ("scoring.expert", "请选择具有评审专家角色的用户", "the e-mail of a user holding the expert role"),
        ("scoring.expert_province", "请选择专家所在省份", "the expert's home province code"),
        ("scoring.own_province", "专家不能评审本省的参赛集群", "an expert never scores an entry from their own province"),
        ("scoring.already_assigned", "该专家已分配到这个参赛集群", "already assigned to this entry"),
        ("scoring.count", "请为 1 到 {n} 项指标打分", "1 to {n} indicator scores"),
        ("scoring.each_once", "每项指标只能打一次分", "each indicator once"),
        (
            "scoring.unknown_indicator", "指标体系 {set} 第 {version} 版中没有指标“{name}”",
            "unknown indicator '{name}' for {set} v{version}"
        ),
        ("scoring.score_range", "请打 0 到 100 分", "{code}: a score from 0 to 100"),
        ("scoring.comment", "请写明理由（1 到 500 字）", "{code}: a comment of 1 to 500 characters"),
        ("round.stage_dates", "每个阶段都须填写开始和结束日期", "each stage needs a kind and opens_on / closes_on dates (YYYY-MM-DD)"),
        ("round.quota_overrides", "各省名额须为 0 至 20 个", "province code → 0 to 20 entries"),
        ("round.stage", "请选择阶段", "one of {codes}"),
        ("round.cannot_close", "该阶段现在不能提前结束", "{reason}"),
        (
            "round.scoring_closed", "评分仅在{first_zh}和{final_zh}阶段开放",
            "scoring is open during the {first_en} and {final_en} stages"
        ),
        ("round.year", "请填写 2019 年以后的年份", "a year from 2019"),
        ("round.format", "请选择赛制", "one of {codes}"),
        ("round.tracks", "请至少选择一个赛道，不要重复", "one or more distinct domain codes: {codes}"),
        ("round.stages_order", "须依次填写五个阶段的起止日期", "the five stages in order: {codes}"),
        ("round.stage_closes_before_opening", "有阶段的结束日期早于开始日期", "a stage closes before it opens"),
        ("round.stages_overlap", "每个阶段须在上一阶段结束后开始", "each stage opens after the one before it closes"),
        (
            "round.notice_days", "公示期须为 {min} 至 {max} 天（含首尾两天）",
            "the public notice lasts {min} to {max} days (counting both ends)"
        ),
        ("round.quota_range", "每省推荐名额须为 1 至 20 个", "1 to 20 entries"),
        ("round.recommendation_closed", "推荐时间为 {from} 至 {to}", "recommendations are open from {from} to {to}"),
        (
            "round.lead_province_recommends", "跨省集群由牵头省份推荐",
            "a cross-province cluster is recommended by its lead province ({lead})"
        ),
        ("round.not_in_province", "该集群不在本省", "the cluster is not in province {province}"),
        ("round.track", "请选择本轮竞赛设置的赛道", "one of the round's tracks: {codes}"),
        ("round.track_not_domain", "赛道须与集群所属领域一致", "the cluster's domain is {domain}"),
        (
            "round.only_provincial", "只有省级培育或省级认定的集群可以参赛",
            "only provincial clusters (cultivating or designated) enter; this one is {state}"
        ),
        ("round.already_recommended", "该集群已推荐参加本轮竞赛", "already recommended into this round"),
        ("round.quota_used", "本省推荐名额（{quota} 个）已用完", "province {province} has used its quota of {quota}"),
        ("round.not_an_entry", "该集群不是本轮竞赛的参赛集群", "the cluster is not an entry of this round"),
        ("round.no_dossier_stage", "本轮竞赛没有申报材料阶段", "the round has no dossier stage"),
        ("round.dossiers_closed", "申报材料已于 {day} 截止", "dossiers closed on {day}"),
    ]
}
