"""The audit log in plain Chinese: each entry as a sentence, its details as labelled values.

Entries keep what the service recorded (an action code, a summary, the state
before and after as JSON). Readers see none of that: "李审查 将 信访事项受理数
由 541 更正为 118". The sentence is built when the log is read, from the entry's
values, so entries written before a wording changed read the same way as new ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fazhi import data as engine_data
from fazhi.render.common import format_number, rule_name
from fazhi_web.audit.models import AuditEntry
from fazhi_web.rectification.models import ItemState, Source
from fazhi_web.reports.models import AnalysisState, State
from fazhi_web.units.models import Level, Role

ACTION_LABELS = {
    "unit.create": "新建单位",
    "unit.update": "修改单位",
    "unit.hide": "隐藏单位",
    "unit.import": "导入单位",
    "user.create": "新建用户",
    "membership.add": "添加角色",
    "api_token.issue": "签发接口令牌",
    "api_token.revoke": "吊销接口令牌",
    "deadline.set": "设置截止日期",
    "year.open": "开启年度",
    "obligation.extend": "同意延期",
    "version.upload": "上传报告",
    "version.retry_analysis": "重试分析",
    "version.analyse": "分析完成",
    "version.analysis_failed": "分析失败",
    "version.reanalyse": "重新分析",
    "obligation.submit": "报送",
    "obligation.return": "退回修改",
    "obligation.file": "备案",
    "obligation.publish": "公开",
    "finding.dismiss": "标记误报",
    "finding.restore": "撤销误报",
    "indicator.correct": "更正指标",
    "comment.comment": "审查意见",
    "comment.return": "退回意见",
    "comment.approve": "备案意见",
    "comment.publish": "公开意见",
    "comment.reply": "答复",
    "comment.hide": "隐藏意见",
    "notice.generate": "生成通报",
    "draft.generate": "生成报告初稿",
    "login": "登录",
    "logout": "退出登录",
    "login.lockout": "登录锁定",
    "login.unlock": "解除登录锁定",
    "password.change": "修改密码",
    "password.require_change": "要求修改密码",
    "session.end": "结束会话",
    "user.create_sso": "统一身份认证建号",
    "read.report": "查看报告",
    "read.diff": "比较版本",
    "read.download": "下载原件",
    "read.evidence": "下载整改佐证材料",
    "read.attachment": "下载执法记录文件",
    "read.analysis": "接口读取分析",
    "audit.export": "导出审计日志",
    "system.backup": "备份",
    "system.restore": "恢复",
    "obligation.remind": "催报",
    "enforcement.officer.create": "登记执法人员",
    "enforcement.certificate.add": "登记执法证",
    "enforcement.certificate.review": "执法证年审",
    "enforcement.certificate.revoke": "注销执法证",
    "enforcement.case.create": "登记执法案件",
    "enforcement.case.edit": "修改执法案件",
    "enforcement.event.filed": "执法案件立案",
    "enforcement.event.investigated": "执法案件调查",
    "enforcement.event.notified": "执法案件告知",
    "enforcement.event.hearing": "执法案件听证",
    "enforcement.event.decided": "作出执法决定",
    "enforcement.event.served": "执法文书送达",
    "enforcement.event.executed": "执法决定执行",
    "enforcement.event.closed": "执法案件结案",
    "enforcement.attachment.add": "上传全过程记录",
    "enforcement.legal_review": "法制审核",
    "enforcement.publication.prepare": "准备执法公示文本",
    "enforcement.publication.approve": "审核执法公示文本",
    "enforcement.publication.publish": "公示执法决定",
    "enforcement.entity.create": "登记检查对象",
    "enforcement.random.create": "新建双随机抽查",
    "enforcement.random.draw": "双随机抽取",
    "enforcement.random.result": "登记抽查结果",
    "enforcement.random.publish": "公示抽查结果",
    "enforcement.import": "导入执法台账",
    "enforcement.case.hide": "隐藏执法案件",
    "enforcement.officer.hide": "隐藏执法人员",
    "enforcement.entity.hide": "隐藏检查对象",
    "enforcement.randominspection.hide": "隐藏双随机抽查",
    "evaluation.copy": "建立考评方案",
    "evaluation.criterion_edit": "修改考评指标",
    "evaluation.compute": "计算自动评分",
    "evaluation.score": "考评评分",
    "evaluation.adjust": "调整自动评分",
    "evaluation.publish": "公布考评结果",
    "rectification.raise": "列入整改",
    "rectification.evidence": "上传佐证材料",
    "rectification.submit": "提交整改情况",
    "rectification.close": "整改销号",
    "rectification.return": "退回整改",
    "rectification.escalate": "挂牌督办",
    "rectification.unescalate": "取消挂牌督办",
    "inspection.record": "记录督察",
}
OTHER_ACTION = "其他操作"

# What a recorded value is called, by key. Keys missing here (internal ids) are not shown.
FIELD_LABELS = {
    "name": "名称",
    "level": "层级",
    "region": "地区",
    "parent": "上级单位",
    "hidden_reason": "隐藏原因",
    "reason": "理由",
    "state": "状态",
    "version": "报送版本",
    "errors": "未处理的错误",
    "number": "版本",
    "sha256": "文件校验值",
    "size": "文件大小（字节）",
    "file": "文件名",
    "created": "新建",
    "updated": "更新",
    "unchanged": "未变化",
    "username": "登录名",
    "role": "角色",
    "user": "用户",
    "revoked": "已吊销",
    "month": "截止月份",
    "day": "截止日",
    "extended_to": "延期至",
    "year": "年度",
    "units": "应报送单位数",
    "score": "得分",
    "findings": "问题数",
    "attempts": "已分析次数",
    "dismissed": "标为误报",
    "body": "内容",
    "quote": "所指原文",
    "value": "数值",
    "indicator": "指标",
    "finding": "问题",
    "rule": "问题类型",
    "severity": "级别",
    "message": "说明",
    "total": "应报送单位数",
    "on_time": "按时报送",
    "late": "逾期报送",
    "missing": "逾期未报",
    "not_due": "未到截止日期",
    "returned": "退回修改",
    "issuer": "发文机关",
    "reminders": "催报次数",
    "reviewed": "审查报告数",
    "missing_parts_units": "缺少法定内容的单位数",
    "missing_parts": "缺少的法定内容项数",
    "open_errors_units": "尚有错误的单位数",
    "open_errors": "未处理错误数",
    "copy_groups": "雷同段落数",
    "copy_units": "内容雷同的单位数",
    "criterion": "考评指标",
    "points": "分值",
    "evidence": "评分依据",
    "note": "评分说明",
    "measured": "自动评分",
    "dropped": "作废的评分数",
    "problem": "问题",
    "source": "来源",
    "person": "责任人",
    "due_on": "时限",
    "limit_days": "时限（工作日）",
    "measures": "整改措施",
    "rect_state": "整改状态",
    "escalated": "挂牌督办",
    "held_on": "督察日期",
    "team": "督察组",
    "inspected": "被督察单位",
    "index_number": "索引号",
    "topic": "主题分类",
    "written_on": "成文日期",
}
# The same key means another thing in some entries.
FIELD_LABELS_BY_ACTION = {
    "indicator.correct": {"unit": "计量单位"},
    "user.create": {"unit": "单位"},
    "membership.add": {"unit": "单位"},
    "version.upload": {"name": "文件名"},
    "api_token.issue": {"name": "令牌名称"},
    "notice.generate": {"year": "年度", "number": "文号"},
    "evaluation.copy": {"name": "指标体系", "criteria": "三级指标数", "total": "总分"},
    "evaluation.criterion_edit": {"number": "指标编号", "text": "指标内容"},
    "evaluation.compute": {"units": "参评单位数", "scores": "自动评分项数"},
    "evaluation.score": {"value": "得分"},
    "evaluation.adjust": {"value": "得分"},
    "rectification.raise": {"year": "整改年度"},
    "obligation.publish": {"issuer": "发布机构"},
}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def _indicator_names() -> dict[str, str]:
    names: dict[str, str] = engine_data.load("indicator_names")["names"]
    return names


def _choice(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _date(value: Any) -> str:
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日"


def show(key: str, value: Any, action: str = "") -> str:
    """One recorded value as a reader expects it: labels for codes, 是/否, Chinese dates."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "state":
        choices = AnalysisState if action.startswith("version.") else State
        return _choice(choices, value)
    if key == "level":
        return _choice(Level, value)
    if key == "role":
        return _choice(Role, value)
    if key == "rect_state":
        return _choice(ItemState, value)
    if key == "source" and action.startswith("rectification."):
        return _choice(Source, value)
    if key in ("extended_to", "due_on", "held_on"):
        return _date(value)
    if key == "indicator":
        return _indicator_names().get(str(value), "未知指标")
    if key == "rule":
        return rule_name(str(value))
    if key == "severity":
        return SEVERITY_NAMES.get(str(value), "—")
    if key in ("version", "number") and action != "notice.generate":
        return f"第{value}版"
    if isinstance(value, int | float):
        return format_number(float(value))
    if isinstance(value, dict | list):
        return "—"
    return str(value)


@dataclass
class Change:
    label: str
    before: str
    after: str


def _flat(values: Any) -> dict[str, Any]:
    """Recorded values by key; a nested finding is shown by its own labelled keys."""
    if not isinstance(values, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "finding" and isinstance(value, dict):
            out.update({k: value.get(k) for k in ("rule", "severity", "message")})
        else:
            out[key] = value
    return out


def changes(entry: AuditEntry) -> list[Change]:
    """The values before and after, each under its Chinese label, for the 详情 toggle."""
    before, after = _flat(entry.before), _flat(entry.after)
    labels = {**FIELD_LABELS, **FIELD_LABELS_BY_ACTION.get(entry.action, {})}
    out = []
    for key in dict.fromkeys([*before, *after]):
        if key not in labels:
            continue
        old = show(key, before.get(key), entry.action) if key in before else ""
        new = show(key, after.get(key), entry.action) if key in after else ""
        out.append(Change(labels[key], old, new))
    return out


# -- sentences -----------------------------------------------------------------


def _get(values: Any, key: str, default: Any = None) -> Any:
    return values.get(key, default) if isinstance(values, dict) else default


_QUOTED = re.compile(r"“([^”]*)”")
_OLD_INDICATOR = re.compile(r"更正指标([a-z_]+)为")


def _quoted(summary: str) -> str:
    """The first “…” of a summary: the name services quote (unit, file, finding)."""
    m = _QUOTED.search(summary)
    return m[1] if m else ""


def _after_colon(summary: str) -> str:
    """What a summary gives after its first colon: the reason or the text."""
    return summary.split("：", 1)[1] if "：" in summary else ""


def _unit_name(entry: AuditEntry) -> str:
    return entry.unit.name if entry.unit_id else ""


def _of_report(entry: AuditEntry) -> str:
    return f"{_unit_name(entry)}的报告" if entry.unit_id else "报告"


def _with_reason(sentence: str, reason: str) -> str:
    return f"{sentence}，理由：{reason}" if reason else sentence


def _correct(entry: AuditEntry) -> str:
    after = entry.after or {}
    key = _get(after, "indicator")
    if key is None:
        m = _OLD_INDICATOR.search(entry.summary)
        key = m[1] if m else ""
    name = _indicator_names().get(key, "指标")
    unit = _get(after, "unit") or ""
    new = show("value", _get(after, "value")) + unit
    old_value = _get(entry.before, "value")
    if old_value is None:
        change = f"更正为 {new}"
    else:
        change = f"由 {show('value', old_value)}{_get(entry.before, 'unit') or ''} 更正为 {new}"
    return _with_reason(f"将 {name} {change}", _get(after, "reason", ""))


def _transition(verb: str) -> Callable[[AuditEntry], str]:
    def sentence(entry: AuditEntry) -> str:
        return f"{verb} {_of_report(entry)}"

    return sentence


def _submit(entry: AuditEntry) -> str:
    number = _get(entry.after, "version")
    what = f"第{number}版" if number else "报告"
    late = "（逾期）" if "逾期" in entry.summary else ""
    errors = _get(entry.after, "errors") or 0
    still = f"，确认时仍有 {errors} 处错误" if errors else ""
    return f"报送 {what}{late}{still}"


def _extend(entry: AuditEntry) -> str:
    until = show("extended_to", _get(entry.after, "extended_to"))
    return _with_reason(f"同意 {_unit_name(entry)} 延期至 {until}", _get(entry.after, "reason"))


def _deadline(entry: AuditEntry) -> str:
    after = entry.after or {}
    level = next((label for label in Level.labels if label in entry.summary), "")
    new = f"次年{_get(after, 'month')}月{_get(after, 'day')}日"
    if entry.before:
        old = f"次年{_get(entry.before, 'month')}月{_get(entry.before, 'day')}日"
        return f"将 {level} 报送截止日期 由 {old} 改为 {new}"
    return f"将 {level} 报送截止日期 定为 {new}"


def _dismiss(entry: AuditEntry) -> str:
    message = _get(_get(entry.before, "finding"), "message") or _quoted(entry.summary)
    return _with_reason(f"将问题“{message[:60]}”标为误报", _get(entry.after, "reason"))


def _restore(entry: AuditEntry) -> str:
    message = _get(_get(entry.before, "finding"), "message") or _quoted(entry.summary)
    return f"撤销对问题“{message[:60]}”的误报标记"


def _comment(kind: str) -> Callable[[AuditEntry], str]:
    def sentence(entry: AuditEntry) -> str:
        body = _get(entry.after, "body") or _after_colon(entry.summary)
        quote = _get(entry.after, "quote")
        about = f"{_of_report(entry)}中“{quote}”" if quote else _of_report(entry)
        return f"就 {about} 发表{kind}：{body[:80]}"

    return sentence


def _unit_update(entry: AuditEntry) -> str:
    name = _get(entry.before, "name") or _unit_name(entry)
    parts = [
        f"{c.label} 由 {c.before} 改为 {c.after}" for c in changes(entry) if c.before != c.after
    ]
    return f"修改单位 {name}" + ("：" + "；".join(parts) if parts else "")


def _unit_import(entry: AuditEntry) -> str:
    after = entry.after or {}
    source = f"表格“{after['file']}”" if _get(after, "file") else "表格"
    return (
        f"从{source}导入单位：新建 {_get(after, 'created', 0)} 个，"
        f"更新 {_get(after, 'updated', 0)} 个，未变化 {_get(after, 'unchanged', 0)} 个"
    )


def _role(entry: AuditEntry) -> str:
    return show("role", _get(entry.after, "role"))


def _user_create(entry: AuditEntry) -> str:
    after = entry.after or {}
    name = _get(after, "name") or _get(after, "username")
    return f"新建用户 {name}，担任 {_get(after, 'unit', '')}{_role(entry)}"


def _membership(entry: AuditEntry) -> str:
    name = _quoted(entry.summary)
    m = re.search(r"（([^）]*)）", entry.summary)
    who = m[1] if m and m[1] else name
    return f"为 {who} 添加 {_get(entry.after, 'unit', '')}{_role(entry)} 角色"


def _version_name(entry: AuditEntry) -> str:
    number = _get(entry.after, "number") or _get(entry.before, "number")
    m = re.search(r"第(\d+)版", entry.summary)
    label = f"第{number or (m[1] if m else '')}版"
    name = _get(entry.after, "name") or _quoted(entry.summary)
    return f"{label}“{name}”" if name else label


def _analysed(entry: AuditEntry) -> str:
    score = show("score", _get(entry.after, "score"))
    return f"完成 {_version_name(entry)}的分析，得分 {score}"


def _reanalysed(entry: AuditEntry) -> str:
    old = show("score", _get(entry.before, "score"))
    new = show("score", _get(entry.after, "score"))
    return f"按现行规则重新分析 {_version_name(entry)}，得分 由 {old} 变为 {new}"


def _token(verb: str) -> Callable[[AuditEntry], str]:
    def sentence(entry: AuditEntry) -> str:
        name = _quoted(entry.summary)
        text = f"{verb}接口令牌“{name}”"
        return _with_reason(text, _get(entry.after, "reason") if verb == "吊销" else "")

    return sentence


def _notice(entry: AuditEntry) -> str:
    text = f"生成 {_get(entry.after, 'year', '')} 年度报告报送情况通报"
    number = _get(entry.after, "number")
    return f"{text}（{number}）" if number else text


def _rectification(verb: str) -> Callable[[AuditEntry], str]:
    def sentence(entry: AuditEntry) -> str:
        problem = _get(entry.after, "problem") or _quoted(entry.summary)
        text = f"{verb} {_unit_name(entry)} 的整改事项“{problem[:60]}”"
        return _with_reason(text, _get(entry.after, "reason", ""))

    return sentence


def _evidence(entry: AuditEntry) -> str:
    return f"为 {_unit_name(entry)} 的整改事项上传佐证材料“{_get(entry.after, 'file', '')}”"


def _inspection(entry: AuditEntry) -> str:
    after = entry.after or {}
    when = show("held_on", _get(after, "held_on"))
    return f"记录 {when} {_get(after, 'team', '')}对 {_get(after, 'inspected', '')} 的督察"


SENTENCES: dict[str, Callable[[AuditEntry], str]] = {
    "unit.create": lambda e: (
        f"新建单位 {_get(e.after, 'name', _unit_name(e))}（{show('level', _get(e.after, 'level'))}）"
    ),
    "unit.update": _unit_update,
    "unit.hide": lambda e: _with_reason(
        f"隐藏单位 {_unit_name(e)}", _get(e.after, "hidden_reason")
    ),
    "unit.import": _unit_import,
    "user.create": _user_create,
    "membership.add": _membership,
    "api_token.issue": _token("签发"),
    "api_token.revoke": _token("吊销"),
    "deadline.set": _deadline,
    "year.open": lambda e: (
        f"开启 {_get(e.after, 'year', '')} 年度报告，共 {_get(e.after, 'units', 0)} 个单位应报送"
    ),
    "obligation.extend": _extend,
    "version.upload": lambda e: f"上传 {_version_name(e)}",
    "version.retry_analysis": lambda e: f"重新排队分析 {_version_name(e)}",
    "version.analyse": _analysed,
    "version.analysis_failed": lambda e: f"分析 {_version_name(e)}时出错，分析失败",
    "version.reanalyse": _reanalysed,
    "obligation.submit": _submit,
    "obligation.return": _transition("退回"),
    "obligation.file": _transition("备案"),
    "obligation.publish": _transition("公开"),
    "finding.dismiss": _dismiss,
    "finding.restore": _restore,
    "indicator.correct": _correct,
    "comment.comment": _comment("审查意见"),
    "comment.return": _comment("退回意见"),
    "comment.approve": _comment("备案意见"),
    "comment.publish": _comment("公开意见"),
    "comment.reply": _comment("答复"),
    "comment.hide": lambda e: _with_reason("隐藏一条意见", _get(e.after, "hidden_reason")),
    "notice.generate": _notice,
    "rectification.raise": lambda e: (
        f"将“{_get(e.after, 'problem', '')[:60]}”列入 {_unit_name(e)} 的整改事项"
        f"（来源：{show('source', _get(e.after, 'source'), e.action)}）"
    ),
    "rectification.evidence": _evidence,
    "rectification.submit": _rectification("提交"),
    "rectification.close": _rectification("销号"),
    "rectification.return": _rectification("退回"),
    "rectification.escalate": _rectification("挂牌督办"),
    "rectification.unescalate": _rectification("取消挂牌督办"),
    "inspection.record": _inspection,
    "obligation.remind": lambda e: (
        f"催报 {_unit_name(e)} 的报告（第 {_get(e.after, 'reminders', 1)} 次）"
    ),
}


def _evaluation_score(verb: str) -> Callable[[AuditEntry], str]:
    def sentence(entry: AuditEntry) -> str:
        after = entry.after or {}
        new = show("value", _get(after, "value"))
        old = _get(entry.before, "value")
        change = (
            f"由 {show('value', old)} 分{verb}为 {new} 分" if old is not None else f"评为 {new} 分"
        )
        text = f"将 {_unit_name(entry)} 的考评指标 {_get(after, 'criterion', '')} {change}"
        return _with_reason(text, _get(after, "reason") or _get(after, "note"))

    return sentence


def _criterion_edit(entry: AuditEntry) -> str:
    number = _get(entry.after, "number", "")
    parts = [
        f"{c.label} 由 {c.before} 改为 {c.after}"
        for c in changes(entry)
        if c.before != c.after and c.before and c.after
    ]
    dropped = _get(entry.after, "dropped") or 0
    tail = f"，原有 {dropped} 项评分作废" if dropped else ""
    return f"修改考评指标 {number}" + ("：" + "；".join(parts) if parts else "") + tail


SENTENCES |= {
    "evaluation.copy": lambda e: (
        f"复制“{_get(e.after, 'name', '')}”为 {_get(e.after, 'year', '')} 年度考评方案，"
        f"共 {_get(e.after, 'criteria', 0)} 项三级指标"
    ),
    "evaluation.criterion_edit": _criterion_edit,
    "evaluation.compute": lambda e: (
        f"计算 {_get(e.after, 'year', '')} 年度考评的自动评分："
        f"{_get(e.after, 'units', 0)} 个单位，{_get(e.after, 'scores', 0)} 项"
    ),
    "evaluation.score": _evaluation_score("改"),
    "evaluation.adjust": _evaluation_score("调整"),
    "evaluation.publish": lambda e: f"公布 {_get(e.after, 'year', '')} 年度考评结果",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, OTHER_ACTION)


def sentence(entry: AuditEntry) -> str:
    """What happened, after the actor's name: "将 信访事项受理数 由 541 更正为 118"."""
    build = SENTENCES.get(entry.action)
    if build is None:
        return entry.summary
    try:
        return build(entry)
    except (KeyError, TypeError, AttributeError, ValueError):
        # An entry of an older shape: what the service wrote then is still Chinese.
        return entry.summary
