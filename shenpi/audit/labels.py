"""The audit log in Chinese: what each recorded action and object type is called on the
pages that show the log (the records keep the stable codes)."""

from __future__ import annotations

ACTIONS = {
    # accounts and access
    "login": "登录", "login.otp": "动态口令验证", "logout": "退出",
    "account.register": "注册账户", "account.register_at_window": "窗口登记申请人",
    "account.register_by_system": "系统登记申请人", "account.unlock": "解除锁定",
    "account.unlock_code": "发放解锁码", "otp.enrol": "绑定动态口令",
    "otp.activation_code": "发放动态口令激活码", "token.create": "签发接口令牌",
    "token.revoke": "吊销接口令牌", "observer.view": "代表委员查看",
    "admin.add": "后台新增", "admin.change": "后台修改", "admin.delete": "后台删除",
    # the catalogue and publishing
    "item.create": "新建事项", "item.draft": "起草事项版本", "item.update": "修改事项版本",
    "item.submit": "提交法制审核", "item.return": "退回修改", "item.publish": "审核发布",
    "item.in_force": "新版本生效", "item.abolish": "废止事项",
    "item.guide_confirmed": "确认办事指南", "form.upload": "上传表格",
    "publication.draft": "起草信息", "publication.update": "修改信息",
    "publication.submit": "提交审核", "publication.publish": "发布信息",
    "publication.withdraw": "撤下信息", "bundle.submit": "提交套餐审核",
    # a case
    "case.draft": "创建申请草稿", "case.submit": "提交申请", "case.material": "添加材料",
    "case.material.add": "上传材料", "case.material.remove": "删除材料",
    "case.material.reuse": "复用材料", "case.personal_read": "查看完整个人信息",
    "case.commitment": "签署告知承诺", "case.commitment_withdraw": "撤回告知承诺",
    "case.correction_held": "一次性告知补正", "case.supplement": "提交补正",
    "case.accept": "受理", "case.not_accept": "不予受理", "case.original_seen": "核验原件",
    "case.suspend": "进入特别程序", "case.resume": "恢复计时", "case.extension_ask": "申请延期",
    "case.extend": "批准延期", "case.decide": "作出决定", "case.deliver": "送达",
    "case.withdraw": "撤回申请", "case.terminate": "终止办理", "case.urge": "催办",
    "case.rate": "评价", "case.rating_device": "窗口评价", "case.post_check": "事后核查",
    "case.push": "下级平台推送", "bundle.apply": "一件事申请",
    "case.deemed_renew": "视为准予延续", "case.deemed_withdraw": "视为撤回申请",
    "case.extension_decide": "审批延期申请", "case.request_correction": "发出补正通知",
    "task.claim": "认领环节", "task.complete": "完成环节", "task.verify": "复核环节",
    "task.hand_back": "退回待办", "task.pass": "转交环节", "task.respond": "答复不同意意见",
    "hearing.request": "申请听证", "hearing.notify": "告知听证权利",
    "hearing.schedule": "安排听证", "hearing.record": "记录听证",
    # licences
    "licence.revoke": "撤销证照", "licence.cancel": "注销证照",
    "licence.consent": "授权证照共享", "licence.consent_revoke": "撤回证照共享授权",
    "licence.shared_read": "调用电子证照",
    # agency
    "authorisation.sign": "签署委托", "authorisation.revoke": "撤销委托",
    "project.open": "建立代理项目", "project.apply": "代理申请",
    # supervision and feedback
    "supervision.order": "督办", "supervision.answer": "答复督办",
    "supervision.correction": "认定纠错", "supervision.responsibility": "认定责任",
    "finding.statement": "陈述意见", "rule.activate": "启用预警规则",
    "evaluation.scheme": "设置评估方案", "review.generate": "生成质量评审报告",
    "complaint.file": "投诉", "complaint.find": "查询投诉", "complaint.reply": "答复投诉",
    "complaint.decide": "处理投诉", "complaint.rate": "评价投诉处理",
    "rating.appeal": "差评申诉", "rating.confirm": "差评核实", "rating.follow_up": "差评回访",
    "question.ask": "咨询", "question.route": "分派咨询", "question.assign": "指派答复人",
    "question.claim": "认领咨询", "question.answer": "答复咨询", "question.transfer": "转办咨询",
    "question.details": "补充咨询内容", "question.follow_up": "追问",
    "question.head_review": "负责人复核答复", "question.rate": "评价答复",
    "faq.propose": "提议常见问题", "faq.publish": "发布常见问题",
    # the exchange
    "exchange.push_refused": "拒绝下级平台推送", "exchange.replay": "重新投递事件",
    "exchange.rotate_key": "轮换交换密钥",
    # the service hall
    "booking.create": "预约", "booking.cancel": "取消预约", "booking.check_in": "预约签到",
    "booking.late": "预约迟到转现场取号", "booking.no_show": "预约未到",
    "ticket.take": "取号", "ticket.call": "叫号", "ticket.recall": "再次呼叫",
    "ticket.skip": "过号", "ticket.transfer": "转窗口", "ticket.start": "开始办理",
    "ticket.end": "结束办理", "window.open": "开放窗口", "window.paused": "暂停窗口",
    "window.closed": "关闭窗口",
}  # fmt: skip

OBJECTS = {
    "case": "办件", "user": "用户", "item": "事项", "item_version": "事项版本",
    "publication": "信息", "question": "咨询", "faq": "常见问题", "complaint": "投诉",
    "licence_consent": "证照共享授权", "authorisation": "委托", "project": "代理项目",
    "bundle": "一件事套餐", "bundle_application": "一件事申请", "api_token": "接口令牌",
    "otp_device": "动态口令", "system_client": "系统客户端", "subscriber": "事件订阅",
    "delivery": "事件投递", "warning_rule": "预警规则", "evaluation_scheme": "评估方案",
    "management_review": "质量评审报告", "form_file": "表格", "booking": "预约",
    "ticket": "排队号", "window": "窗口",
}  # fmt: skip


def action_label(code: str) -> str:
    """The action's Chinese name; a refused access names what was refused; an unknown code
    (a new action not named here yet) is shown as it is rather than hidden."""
    if code in ACTIONS:
        return ACTIONS[code]
    if code.endswith(".denied"):
        kind = code.removesuffix(".denied")
        return f"拒绝访问（{OBJECTS.get(kind, kind)}）"
    return code


def object_label(kind: str) -> str:
    return OBJECTS.get(kind, kind)
