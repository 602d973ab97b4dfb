"""What the enforcement records mean, derived from their dates and the rule data
(`fazhi/data/enforcement.toml`, `fazhi/data/clocks.toml`); nothing here is stored.

- a certificate's validity on a day, and its expiry reminder;
- the order of a case's events;
- the publication clock of a decision;
- the masking of personal data in the public copy;
- the hash chain of the 全过程记录;
- the reproducible 双随机 draw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from fazhi import clocks
from fazhi.clocks import ClockState
from fazhi_web import uploads
from fazhi_web.enforcement.models import RULES, Attachment, Case, CaseEvent, Certificate
from fazhi_web.ledgers.deadlines import Calendars, Clock

EVENT_ORDER = [e["code"] for e in RULES["event"]]
EVENT_LABELS = {e["code"]: e["label"] for e in RULES["event"]}
KINDS = RULES["kind"]
GENESIS = "0" * 64


# -- certificates --------------------------------------------------------------------


def certificate_ends_on(cert: Certificate) -> dt.date:
    """The last day the certificate is valid: its expiry, or the day before it was revoked
    or failed its 年审."""
    ends = cert.expires_on
    if cert.revoked_on is not None:
        ends = min(ends, cert.revoked_on - dt.timedelta(days=1))
    for review in cert.reviews.all():
        if not review.passed:
            ends = min(ends, review.reviewed_on - dt.timedelta(days=1))
    return ends


def valid_on(cert: Certificate, day: dt.date) -> bool:
    return cert.issued_on <= day <= certificate_ends_on(cert)


def certificate_clock(cert: Certificate) -> Clock:
    """The expiry as a reminder clock: due soon from `reminder_days` before it."""
    reminder = int(RULES["certificate"]["reminder_days"])
    ends = certificate_ends_on(cert)
    ended = cert.revoked_on or next(
        (r.reviewed_on for r in cert.reviews.all() if not r.passed), None
    )
    lines = (
        f"{cert.issued_on}发证，有效期至{cert.expires_on}。",
        f"届满前{reminder}日（{cert.expires_on - dt.timedelta(days=reminder)}起）提醒换证。",
    )
    if ended is not None:
        lines += (f"{ended}起失效（{cert.revoked_reason or '年审不合格'}）。",)
    return Clock(
        "执法证有效期", cert, ends, ended, lines,
        soon_from=cert.expires_on - dt.timedelta(days=reminder),
    )  # fmt: skip


def certificate_state(cert: Certificate, today: dt.date) -> str:
    """有效, 即将到期, 已过期, 已注销 (or 年审不合格) — as the staff pages show it."""
    clock = certificate_clock(cert)
    if clock.done_on is not None and clock.done_on <= today:
        return "已注销" if cert.revoked_on else "年审不合格"
    state = clock.state(today)
    if today < cert.issued_on:
        return "尚未生效"
    return {ClockState.OVERDUE: "已过期", ClockState.DUE_SOON: "即将到期"}.get(state, "有效")


# -- events ----------------------------------------------------------------------------


def order_problem(case: Case, existing: Sequence[CaseEvent], kind: str, on: dt.date) -> str:
    """Why `kind` on `on` cannot be recorded next on the case ("" when it can)."""
    if kind not in EVENT_ORDER:
        return "没有这个程序环节。"
    label = EVENT_LABELS[kind]
    done = {e.kind: e for e in existing}
    if kind in done:
        return f"“{label}”已经登记，不能重复登记。"
    index = EVENT_ORDER.index(kind)
    later = [e for e in existing if EVENT_ORDER.index(e.kind) > index]
    if later:
        return f"已登记“{EVENT_LABELS[later[0].kind]}”，不能再登记在它之前的“{label}”。"
    required = KINDS[case.kind]["required"]
    skipped = [EVENT_LABELS[k] for k in EVENT_ORDER[:index] if k in required and k not in done]
    if skipped:
        return f"请先登记“{'”“'.join(skipped)}”，再登记“{label}”。"
    last = max((e.on for e in existing), default=None)
    if last is not None and on < last:
        return f"“{label}”的日期 {on} 早于上一环节的日期 {last}。"
    return ""


# -- publication -----------------------------------------------------------------------


def publicity_rule(case: Case) -> clocks.ClockRule | None:
    slug = KINDS[case.kind]["publicity"]
    return clocks.rule(slug, case.unit.region) if slug else None


def decided_on(case: Case) -> dt.date | None:
    return next((e.on for e in case.events.all() if e.kind == "decided"), None)


def publicity_clock(case: Case, calendars: Calendars) -> Clock | None:
    """The time limit to publish the decision, from the day it was made."""
    rule = publicity_rule(case)
    decided = decided_on(case)
    if rule is None or decided is None:
        return None
    deadline = clocks.compute(rule, decided, calendars.for_region(case.unit.region))
    publication = getattr(case, "publication", None)
    published = publication.published_on if publication is not None else None
    return Clock(
        "执法决定公示", case, deadline.due, published, tuple(deadline.explain()), deadline,
        unannounced=deadline.unannounced,
    )  # fmt: skip


# -- masking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MaskRule:
    code: str
    label: str
    pattern: re.Pattern[str]
    replacement: str


@cache
def mask_rules() -> tuple[MaskRule, ...]:
    return tuple(
        MaskRule(r["code"], r["label"], re.compile(r["pattern"]), r["replacement"])
        for r in RULES["masking"]["rule"]
    )


def mask(text: str, person_names: Sequence[str] = ()) -> str:
    """`text` with the personal data the rules name masked: each natural person's name as
    surname + 某, then ID numbers, phone numbers and addresses."""
    replacement = RULES["masking"]["party_name_replacement"]
    for name in sorted({n.strip() for n in person_names if n.strip()}, key=len, reverse=True):
        text = text.replace(name, name[0] + replacement)
    for rule in mask_rules():
        text = rule.pattern.sub(rule.replacement, text)
    return text


def unmasked(text: str) -> list[str]:
    """The labels of the rules that still match `text` (a reviewer's edit put data back)."""
    return [rule.label for rule in mask_rules() if rule.pattern.search(text)]


# -- the hash chain --------------------------------------------------------------------


def link_of(previous: str, sha256: str, event: CaseEvent, attachment: Attachment) -> str:
    """sha256 of the previous link, the file's sha256 and the event's metadata."""
    meta = {
        "case": event.case_id,
        "event": event.pk,
        "kind": event.kind,
        "on": event.on.isoformat(),
        "note": event.note,
        "file": attachment.original_name,
        "type": attachment.kind,
        "by": attachment.uploaded_by_id,
        "at": attachment.uploaded_at.isoformat(),
    }
    payload = previous + sha256 + json.dumps(meta, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain(case: Case) -> list[Attachment]:
    return list(Attachment.objects.filter(event__case=case).select_related("event").order_by("pk"))


def verify(case: Case) -> list[str]:
    """What no longer matches in the case's chain (empty when every link holds): a file
    changed on disk, a record or an event edited, a link removed or reordered."""
    problems: list[str] = []
    previous = GENESIS
    for number, item in enumerate(chain(case), start=1):
        where = (
            f"第{number}个记录文件“{item.original_name}”（{EVENT_LABELS.get(item.event.kind, '')}）"
        )
        path = uploads.path_of(item.stored_name)
        if path is None or not path.is_file():
            problems.append(f"{where}的文件已不存在。")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != item.sha256:
            problems.append(f"{where}的文件内容在上传后被改动。")
        if item.previous != previous:
            problems.append(f"{where}与前一个记录文件的链接不符（记录被删除或调换）。")
        if link_of(item.previous, item.sha256, item.event, item) != item.link:
            problems.append(f"{where}或其所属环节的登记信息在上传后被改动。")
        previous = item.link
    return problems


# -- 双随机 ------------------------------------------------------------------------------


def draw(
    seed: str, entity_ids: Sequence[int], officer_ids: Sequence[int], entities: int, officers: int
) -> list[tuple[int, list[int]]]:
    """The entities drawn and, for each, the officers sent: the same seed and pool always
    draw the same."""
    rng = random.Random(seed)
    chosen = rng.sample(sorted(entity_ids), entities)
    return [(entity, rng.sample(sorted(officer_ids), officers)) for entity in chosen]
