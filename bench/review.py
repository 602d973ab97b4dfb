"""Review workspace benchmark: the reviewer's page of one report and the in-place actions.

Two reports are handed in: the longest seed, and a 40,000-character report made
of the five seeds over and over (so with hundreds of facts and duplicated
sentences). The page and the htmx actions on it (误报, 撤销误报, 意见 on a
finding, 更正指标) are timed through Django's test client (the whole request:
routing, access checks, queries, templates) on SQLite.

    .venv/bin/python bench/review.py

Targets: p95 <= 300 ms for the real report's page and actions, <= 1 s for the long one's.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/platform.py would shadow the standard library's `platform` module.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import os
import statistics
import tempfile
import time

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "samples" / "reports"
TARGET_MS = 300.0
# A report four times the longest seed, with hundreds of findings: the worst a reviewer meets.
TARGET_LONG_MS = 1000.0
ROUNDS = 30
WARM = 3
LENGTH = 40_000


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[round(0.95 * (len(samples) - 1))]


def long_report() -> bytes:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    body = ""
    while len(body) < LENGTH:
        for text in texts:
            body += "\n".join(text.split("\n")[1:]) + "\n"
    return ("示范镇2023年法治政府建设年度报告\n" + body[:LENGTH]).encode("utf-8")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi_web.settings")
    os.environ["FAZHI_VAR_DIR"] = tempfile.mkdtemp(prefix="fazhi-bench-review-")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    largest = max(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)
    failed = False
    for n, (name, content, target) in enumerate(
        [
            ("最长的真实报告", largest.read_bytes(), TARGET_MS),
            (f"{LENGTH // 10_000}万字报告", long_report(), TARGET_LONG_MS),
        ]
    ):
        failed |= scenario(n, name, content, target)
    return 1 if failed else 0


def scenario(n: int, name: str, content: bytes, target: float) -> bool:
    """Hand in `content` and time the page and the actions on it; True if a target is missed."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from fazhi_web.reports import services
    from fazhi_web.reports.models import Obligation
    from fazhi_web.units.models import Level, Membership, Role, Unit

    city = Unit.objects.create(name=f"示范市{n}", level=Level.CITY, region="示范市")
    town = Unit.objects.create(name=f"示范镇{n}", level=Level.TOWN, parent=city)
    reviewer = User.objects.create_user(f"bench_reviewer{n}", first_name="审查员")
    reporter = User.objects.create_user(f"bench_reporter{n}", first_name="填报员")
    Membership.objects.create(user=reviewer, unit=city, role=Role.REVIEWER)
    Membership.objects.create(user=reporter, unit=town, role=Role.REPORTER)
    services.open_year(reviewer, city, 2023)
    obligation = Obligation.objects.get(unit=town)
    version = services.upload_version(reporter, obligation, "报告.txt", content)
    services.submit(reporter, obligation, version)
    version.refresh_from_db()
    findings = version.analysis["findings"]
    print(
        f"\n== {name}：{len(version.text)} 字，{len(findings)} 个问题，"
        f"{len(version.analysis['facts'])} 条数据 =="
    )

    client = Client()
    client.force_login(reviewer)
    htmx = {"HX-Request": "true"}
    page_url = reverse("review:report", args=[obligation.pk])
    positioned = [i for i, f in enumerate(findings) if f.get("start") is not None]
    rows = []

    def timed(label: str, request, count: int = ROUNDS) -> None:
        samples = []
        for i in range(count + WARM):
            begin = time.perf_counter()
            response = request(i)
            elapsed = (time.perf_counter() - begin) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
            if i >= WARM:  # the first requests warm caches
                samples.append(elapsed)
        rows.append((label, *percentiles(samples)))

    def finding(i: int) -> int:
        return positioned[i % len(positioned)]

    timed("审查页面（整页）", lambda i: client.get(page_url))
    size = len(client.get(page_url).content)
    # Each round marks a finding 误报 and undoes it, so that both are real changes every time.
    dismissed, restored = [], []
    for i in range(ROUNDS + WARM):
        for samples, name in ((dismissed, "dismiss"), (restored, "restore")):
            url = reverse(f"review:{name}", args=[version.pk, finding(i)])
            begin = time.perf_counter()
            response = client.post(url, {"reason": "压测"}, headers=htmx)
            if response.status_code != 200 or 'role="alert"' in response.content.decode():
                raise SystemExit(f"{name}: 未能完成")
            if i >= WARM:
                samples.append((time.perf_counter() - begin) * 1000)
    rows.append(("误报（就地更新）", *percentiles(dismissed)))
    rows.append(("撤销误报（就地更新）", *percentiles(restored)))
    timed(
        "对问题发表意见（就地更新）",
        lambda i: client.post(
            reverse("review:finding_comment", args=[version.pk, finding(i)]),
            {"body": f"第{i}条意见"},
            headers=htmx,
        ),
    )
    timed(
        "更正指标（就地更新）",
        lambda i: client.post(
            reverse("review:correct", args=[obligation.pk]),
            {"indicator": "study_sessions", "value": str(i), "unit": "次", "reason": "压测"},
            headers=htmx,
        ),
    )
    failed = False
    print(f"页面大小：{size / 1024:.0f} KB")
    print(f"{'请求':<24}{'p50 ms':>10}{'p95 ms':>10}{'目标':>12}")
    for label, p50, p95 in rows:
        ok = p95 <= target
        failed |= not ok
        verdict = f"≤{target:.0f} " + ("达标" if ok else "未达标")
        print(f"{label:<24}{p50:>10.0f}{p95:>10.0f}{verdict:>12}")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
