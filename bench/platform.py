"""Platform benchmark: page latencies as the platform grows to one national year.

Grows a synthetic country province by province, each province shaped like the
national average (11 cities, 90 counties, 1,245 towns and 3,226 departments:
4,573 units), under one national office that opened the 2023 reporting year.
At 31 provinces that is one national year: 141,763 units, about 140,000 reports
(2,790 counties, 38,595 towns, 100,006 departments). At each size it measures,
through Django's test client (the whole request: routing, access checks,
queries, templates), the p50/p95 of

- the board (报送看板) and the statistics table of the national office's
  reviewer, who has every report in reach, over a mix of first and deep pages,
  filters and sorts;
- portal full-text search, anonymous, over a mix of common and rare words;
- one unit's history (five years of reports), for the national reviewer;

and, at the largest size, the time to upload, analyse and submit a 20,000-character .docx.
The data is written straight into the database (COPY on PostgreSQL): reports
are the seeds with their paragraphs shuffled and numbers changed, analysed
once each into a pool that the units draw from.

    .venv/bin/python bench/platform.py                          # PostgreSQL, 5,000 and 25,000
    .venv/bin/python bench/platform.py --sizes 5000,25000,140000
    .venv/bin/python bench/platform.py --db sqlite
    .venv/bin/python bench/platform.py --db postgres://postgres@127.0.0.1:5432/scale --reuse

--db names "postgres" (the database fazhi_bench on 127.0.0.1), "sqlite", "both"
or a PostgreSQL URL. The benchmark's database is dropped and created anew,
unless --reuse keeps a world built by an earlier run and only grows it.
On a 2-core machine building takes about 1 minute per 10,000 reports on
PostgreSQL; the default sizes run in about 4 minutes, all three in about 20.

Target: p95 <= 300 ms for every page at every size; <= 1 s for the submission.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's name would shadow the standard library's `platform` module for
# everything imported below, so its folder leaves the import path first.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "samples" / "reports"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/fazhi_bench"
# Uploads, static files and the SQLite database, kept between runs for --reuse.
VAR_DIR = Path(tempfile.gettempdir()) / "fazhi-bench"
DEFAULT_SIZES = "5000,25000"
YEAR = 2023
HISTORY_YEARS = (2019, 2020, 2021, 2022)
HISTORY_UNITS = 40
TARGET_PAGE_MS = 300.0
TARGET_SUBMIT_S = 1.0
ROOT_NAME = "全国（模拟）"

# One province shaped like the national average (31 of them: one national year).
CITIES = 11
COUNTIES = 90
TOWNS = 1245
DEPARTMENTS = 3226
PROVINCE_UNITS = 1 + CITIES + COUNTIES + TOWNS + DEPARTMENTS
DEPARTMENT_NAMES = [
    "司法局",
    "公安局",
    "财政局",
    "教育局",
    "民政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "城市管理局",
    "行政审批局",
    "信访局",
    "税务局",
    "发展和改革委员会",
    "工业和信息化局",
    "科学技术局",
    "国有资产监督管理委员会",
    "地方金融监督管理局",
    "体育局",
    "粮食和物资储备局",
]
# Mostly unsubmitted reports are rare by the time reviewers work through a year.
STATES = (("pending", 0.012), ("submitted", 0.25), ("returned", 0.07), ("filed", 0.27))
# The rest is published.


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="postgres", help="postgres, sqlite, both or a URL")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="report counts, e.g. 5000,25000")
    parser.add_argument("--rounds", type=int, default=30, help="requests per page and size")
    parser.add_argument("--reuse", action="store_true", help="keep and grow an existing world")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes 应为以逗号分隔的报告份数，例如 5000,25000,140000")
    if not sizes or min(sizes) <= 0:
        parser.error("--sizes 应为正整数")
    if args.child:
        return run_child(sizes, args.rounds)
    targets = {"both": ["sqlite", PG_DEFAULT], "postgres": [PG_DEFAULT]}.get(args.db, [args.db])
    failed = False
    for target in targets:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="fazhi_web.settings")
        env["FAZHI_VAR_DIR"] = str(VAR_DIR)
        if target == "sqlite":
            env.pop("DATABASE_URL", None)
            if not args.reuse:
                for leftover in VAR_DIR.glob("db.sqlite3*"):
                    leftover.unlink()
            print("\n== SQLite ==", flush=True)
        elif target.startswith(("postgres://", "postgresql://")):
            prepare_postgres(target, args.reuse)
            env["DATABASE_URL"] = target
            print(f"\n== PostgreSQL（{urlsplit(target).path.lstrip('/')}）==", flush=True)
        else:
            parser.error("--db 应为 postgres、sqlite、both 或 postgres:// 开头的连接地址")
        cmd = [sys.executable, __file__, "--child", "--sizes", ",".join(map(str, sizes))]
        cmd += ["--rounds", str(args.rounds)]
        failed |= subprocess.run(cmd, env=env).returncode != 0
    return 1 if failed else 0


def prepare_postgres(url: str, reuse: bool) -> None:
    """Create the benchmark's database (dropped first unless reused), from the maintenance database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"不能把数据库“{name}”用作基准测试库，请另起一个库名。")
    admin = urlunsplit(parts._replace(path="/postgres"))

    def psql(sql: str) -> str:
        done = subprocess.run(
            ["psql", admin, "-qAtc", sql], check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    if exists and not reuse:
        psql(f'DROP DATABASE "{name}"')
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{name}"')


# -- the child process: one database ------------------------------------------


@dataclass
class World:
    root: int
    reviewer: object
    history_units: list[int]


def run_child(sizes: list[int], rounds: int) -> int:
    import django

    sys.path.insert(0, str(REPO / "src"))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Served as deployed: hashed, compressed static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    pool = None
    results: dict[int, list[tuple[str, float, float]]] = {}
    for size in sizes:
        wanted = max(1, round(size / PROVINCE_UNITS))
        have = len(province_ids())
        if have > wanted:
            print(f"已有 {have} 个省的数据，大于 {size:,} 份所需的 {wanted} 个省：跳过此规模。")
            continue
        if have < wanted:
            pool = pool or Pool.build()
            start = time.perf_counter()
            grow(pool, wanted)
            print(f"构建到 {wanted} 个省：{time.perf_counter() - start:.0f} 秒", flush=True)
        world = setup_world()
        reports = report_count()
        load = os.getloadavg()[0]
        print(
            f"\n-- {reports:,} 份报告（{wanted} 个省，{unit_count():,} 个单位）；"
            f"测量时本机负载 {load:.1f}（{os.cpu_count()} 核）--",
            flush=True,
        )
        rows = measure_pages(world, rounds)
        print_rows(rows)
        results[reports] = rows
    failed = any(p95 > TARGET_PAGE_MS for rows in results.values() for _, _, p95 in rows)
    if len(results) > 1:
        print_growth(results)
    if results:
        submit_s = measure_submission()
        ok = submit_s <= TARGET_SUBMIT_S
        failed |= not ok
        print(
            f"\n上传、分析并报送 2 万字 .docx：{submit_s * 1000:.0f} 毫秒"
            f"（目标 ≤ {TARGET_SUBMIT_S * 1000:.0f}，{'达标' if ok else '未达标'}）"
        )
    return 1 if failed else 0


def print_rows(rows: list[tuple[str, float, float]]) -> None:
    print(f"{'页面':<24}{'p50 毫秒':>10}{'p95 毫秒':>10}   目标")
    for name, p50, p95 in rows:
        verdict = "达标" if p95 <= TARGET_PAGE_MS else "未达标"
        print(f"{name:<24}{p50:>10.0f}{p95:>10.0f}   ≤{TARGET_PAGE_MS:.0f} {verdict}", flush=True)


def print_growth(results: dict[int, list[tuple[str, float, float]]]) -> None:
    sizes = sorted(results)
    print("\np95（毫秒）随规模的变化，目标 ≤ 300：")
    print(f"{'页面':<24}" + "".join(f"{f'{s:,} 份':>14}" for s in sizes))
    for i, (name, _, _) in enumerate(results[sizes[0]]):
        print(f"{name:<24}" + "".join(f"{results[s][i][2]:>14.0f}" for s in sizes))


# -- building the world --------------------------------------------------------


class Pool:
    """Analysed reports the units draw from: the seeds, paragraphs shuffled and numbers changed."""

    def __init__(self, entries: list[dict]) -> None:
        self.entries = entries

    @classmethod
    def build(cls, count: int = 100) -> Pool:
        from fazhi.pipeline import analyze_bytes
        from fazhi_web.portal.search import tokens
        from fazhi_web.reports.models import ReportVersion

        start = time.perf_counter()
        entries = []
        for i, text in enumerate(synthetic_texts(count)):
            doc = analyze_bytes(f"r{i}.txt", text)
            analysis = doc.to_json()
            entries.append(
                {
                    "text": doc.text,
                    "analysis": json.dumps(analysis, ensure_ascii=False),
                    "parts_present": json.dumps(ReportVersion.parts_found(analysis)),
                    "title": analysis["meta"].get("title") or "",
                    "score": analysis["score"]["total"],
                    "indicators": [
                        (key, entry["value"], entry.get("unit", ""))
                        for key, entry in analysis["indicators"].items()
                    ],
                    "tokens": " ".join(tokens(doc.text)),
                    "size": len(text),
                }
            )
        print(f"分析 {count} 份样本报告：{time.perf_counter() - start:.0f} 秒", flush=True)
        return cls(entries)


def synthetic_texts(count: int) -> list[bytes]:
    rng = random.Random(7)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts = []
    for i in range(count):
        base = seeds[i % len(seeds)].split("\n")
        head, body = base[:3], base[3:-2]
        rng.shuffle(body)
        text = "\n".join(head + body + base[-2:])
        text = "".join(
            str(rng.randint(0, 9)) if c.isdigit() and rng.random() < 0.3 else c for c in text
        )
        texts.append(text.encode("utf-8"))
    return texts


def province_ids() -> list[int]:
    from fazhi_web.units.models import Unit

    root = Unit.objects.filter(name=ROOT_NAME, parent=None).first()
    if root is None:
        return []
    return list(Unit.objects.filter(parent=root).order_by("pk").values_list("pk", flat=True))


def report_count() -> int:
    from fazhi_web.reports.models import Obligation

    return Obligation.objects.filter(
        reporting_year__year=YEAR, current_version__isnull=False
    ).count()


def unit_count() -> int:
    from fazhi_web.units.models import Unit

    return Unit.objects.count()


def grow(pool: Pool, provinces: int) -> None:
    """Add provinces (with their reports for the national year) until there are `provinces`."""
    from django.db import connection, transaction

    from fazhi_web.reports.models import ReportingYear
    from fazhi_web.units.models import Level, Unit

    with transaction.atomic():
        root = Unit.objects.filter(name=ROOT_NAME, parent=None).first()
        if root is None:
            root = Unit.objects.create(name=ROOT_NAME, level=Level.PROVINCE, region="全国")
            for year in (*HISTORY_YEARS, YEAR):
                ReportingYear.objects.create(office=root, year=year)
    cycle = ReportingYear.objects.get(office=root, year=YEAR)
    have = len(province_ids())
    for number in range(have + 1, provinces + 1):
        rng = random.Random(number)
        with transaction.atomic():
            units = province_units(root, number, next_id(Unit))
            insert(Unit, units)
            add_reports(pool, cycle, units, rng)
        print(f"  第{number}省：{len(units):,} 个单位", flush=True)
    if not history_obligations_exist(root):
        with transaction.atomic():
            add_history(pool, root)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in ("units_unit", "reports_obligation", "reports_reportversion"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{model}', 'id'), "
                    f"(SELECT max(id) FROM {model}))"
                )
            for model in ("reports_indicatorvalue", "portal_searchdocument"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{model}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {model}), 1))"
                )
    # A bulk load leaves the planner without statistics and the tables without
    # a visibility map; a live database gets both from autovacuum within
    # minutes. Measure that steady state.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def province_units(root, number: int, first_id: int) -> list:
    """One province's units, ids assigned here so that paths need no second pass."""
    from fazhi_web.units.models import Level, Unit

    units: list[Unit] = []

    def add(name: str, level: str, parent: Unit, region: str) -> Unit:
        unit = Unit(id=first_id + len(units), name=name, level=level, parent_id=parent.pk)
        unit.region = region
        unit.path = f"{parent.path}{unit.id}/"
        units.append(unit)
        return unit

    province = add(f"第{number}省", Level.PROVINCE, root, f"第{number}省")
    cities = [
        add(f"{province.name}第{c + 1}市", Level.CITY, province, f"{province.name}第{c + 1}市")
        for c in range(CITIES)
    ]
    counties = []
    for k in range(COUNTIES):
        city = cities[k % CITIES]
        name = f"{city.name}第{k // CITIES + 1}县"
        counties.append(add(name, Level.COUNTY, city, name))
    for t in range(TOWNS):
        county = counties[t % COUNTIES]
        name = f"{county.name}第{t // COUNTIES + 1}镇"
        add(name, Level.TOWN, county, name)
    governments = [province, *cities, *counties]
    for d in range(DEPARTMENTS):
        government = governments[d % len(governments)]
        turn = d // len(governments)
        label = DEPARTMENT_NAMES[turn % len(DEPARTMENT_NAMES)]
        if turn >= len(DEPARTMENT_NAMES):
            label = f"第{turn // len(DEPARTMENT_NAMES) + 1}{label}"
        add(f"{government.name}{label}", Level.DEPARTMENT, government, government.region)
    return units


def add_reports(pool: Pool, cycle, units: list, rng: random.Random) -> None:
    """An obligation for each unit, and for most of them a submitted, analysed report."""
    from fazhi_web.reports.models import IndicatorValue, Obligation, ReportVersion
    from fazhi_web.reports.services import default_deadline

    obligations, versions, values, documents = [], [], [], []
    ob_id, version_id = next_id(Obligation), next_id(ReportVersion)
    value_id = next_id(IndicatorValue)
    from fazhi_web.portal.models import SearchDocument
    from fazhi_web.portal.search import tokens

    doc_id = next_id(SearchDocument)
    for unit in units:
        deadline = default_deadline(unit.level, cycle.year)
        state = pick_state(rng)
        ob = Obligation(
            id=ob_id,
            reporting_year_id=cycle.pk,
            unit_id=unit.pk,
            unit_path=unit.path,
            deadline=deadline,
            state=state,
        )
        ob_id += 1
        obligations.append(ob)
        if state == "pending":
            continue
        entry = rng.choice(pool.entries)
        submitted = moment(deadline, rng.randint(-60, 10), rng)
        ob.current_version_id = version_id
        ob.submitted_at = submitted
        if state in ("filed", "published"):
            ob.filed_at = submitted + dt.timedelta(days=rng.randint(3, 30))
        if state == "published":
            ob.published_at = ob.filed_at + dt.timedelta(days=rng.randint(1, 20))
        versions.append(
            ReportVersion(
                id=version_id,
                obligation_id=ob.id,
                number=1,
                original_name=f"{unit.name}{cycle.year}年度法治政府建设年度报告.docx",
                stored_name=f"bench/{version_id}.docx",
                sha256=f"{version_id:064x}",
                size=entry["size"],
                format="docx",
                score=entry["score"],
                uploaded_at=submitted - dt.timedelta(hours=1),
                submitted_at=submitted,
                analysis_state="done",
                analysis_progress=100,
                analysis_attempts=1,
                analysis_updated_at=submitted - dt.timedelta(minutes=59),
                text=entry["text"],
                analysis=Raw(entry["analysis"]),
                parts_present=Raw(entry["parts_present"]),
            )
        )
        version_id += 1
        for key, value, measure in entry["indicators"]:
            values.append(
                IndicatorValue(
                    id=value_id, obligation_id=ob.id, indicator=key, value=value, unit=measure
                )
            )
            value_id += 1
        if state == "published":
            head = " ".join(tokens(f"{unit.name} {unit.region} {entry['title']}"))
            documents.append(
                SearchDocument(id=doc_id, obligation_id=ob.id, tokens=f"{head} {entry['tokens']}")
            )
            doc_id += 1
    # Obligations point at their versions and versions at their obligations:
    # the foreign keys are checked at commit.
    insert(Obligation, obligations)
    insert(ReportVersion, versions)
    insert(IndicatorValue, values)
    insert(SearchDocument, documents)


def pick_state(rng: random.Random) -> str:
    roll = rng.random()
    for state, share in STATES:
        if roll < share:
            return state
        roll -= share
    return "published"


def moment(deadline: dt.date, days: int, rng: random.Random) -> dt.datetime:
    from django.utils import timezone

    day = deadline + dt.timedelta(days=days)
    naive = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=rng.randint(0, 540))
    return timezone.make_aware(naive)


def history_obligations_exist(root) -> bool:
    from fazhi_web.reports.models import Obligation

    return Obligation.objects.filter(
        reporting_year__office=root, reporting_year__year__in=HISTORY_YEARS
    ).exists()


def add_history(pool: Pool, root) -> None:
    """Four earlier years for a few units of the first province, so their history has five."""
    from fazhi_web.reports.models import ReportingYear
    from fazhi_web.units.models import Level, Unit

    rng = random.Random(0)
    first = province_ids()[0]
    candidates = list(
        Unit.objects.filter(path__startswith=f"{root.path}{first}/")
        .exclude(level=Level.PROVINCE)
        .order_by("pk")
    )
    units = rng.sample(candidates, HISTORY_UNITS)
    for year in HISTORY_YEARS:
        cycle = ReportingYear.objects.get(office=root, year=year)
        add_reports(pool, cycle, units, rng)


def insert(model, objects: list) -> None:
    """Write model instances as they are (ids included): COPY on PostgreSQL, else executemany."""
    from django.db import connection

    if not objects:
        return
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rows = []
    for obj in objects:
        row = []
        for f in fields:
            value = getattr(obj, f.attname)
            row.append(
                value.text if isinstance(value, Raw) else f.get_db_prep_save(value, connection)
            )
        rows.append(row)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


@dataclass
class Raw:
    """A JSON document already serialised: the pool's analyses are dumped once, not per row."""

    text: str


# -- measuring -------------------------------------------------------------------


def setup_world() -> World:
    from django.contrib.auth.models import User

    from fazhi_web.reports.models import Obligation
    from fazhi_web.units.models import Membership, Role, Unit

    root = Unit.objects.get(name=ROOT_NAME, parent=None)
    reviewer = User.objects.filter(username="bench_reviewer").first()
    if reviewer is None:
        reviewer = User.objects.create_user("bench_reviewer", password="bench-password-123")
        Membership.objects.create(user=reviewer, unit=root, role=Role.REVIEWER)
    history = Obligation.objects.filter(reporting_year__year=HISTORY_YEARS[0])
    return World(root.pk, reviewer, sorted(history.values_list("unit_id", flat=True)))


def measure_pages(world: World, rounds: int) -> list[tuple[str, float, float]]:
    from django.urls import reverse

    from fazhi_web.reports.models import Obligation
    from fazhi_web.review.views import BOARD_PAGE_SIZE
    from fazhi_web.stats.queries import INDICATORS
    from fazhi_web.stats.views import PAGE_SIZE

    rng = random.Random(3)
    board, table = reverse("review:board"), reverse("stats:table")
    national = Obligation.objects.filter(reporting_year__year=YEAR).count()
    indicator = next(iter(INDICATORS))

    def mix(base: str, page_size: int, sorts: list[str]) -> list[str]:
        last_page = max(1, national // page_size)
        params = [
            "",
            f"&page={rng.randint(2, max(2, last_page))}",
            "&state=submitted",
            "&level=town&page=2",
            "&overdue=1",
            *sorts,
        ]
        return [f"{base}?office={world.root}&year={YEAR}{p}" for p in params]

    stats_sorts = ["&sort=-score", f"&sort=-{indicator}", "&sort=on_time&page=3", "&sort=unit"]
    searches = ["行政复议", "规范性文件 备案", "12345热线", "清溪", "第2省 法律顾问", "信访 化解"]
    portal = reverse("portal:index")
    search_urls = [f"{portal}?q={q}" for q in searches] + [
        f"{portal}?q=行政复议&page=5",
        f"{portal}?q=执法&level=town&year={YEAR}",
        portal,
    ]
    history = [reverse("stats:unit", args=[u]) for u in world.history_units]
    return [
        measure("报送看板", world.reviewer, mix(board, BOARD_PAGE_SIZE, []), rounds),
        measure("统计表", world.reviewer, mix(table, PAGE_SIZE, stats_sorts), rounds),
        measure("门户全文检索（匿名）", None, search_urls, rounds),
        measure("单位历年情况", world.reviewer, history, rounds),
    ]


def measure(name: str, user, urls: list[str], rounds: int) -> tuple[str, float, float]:
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    samples = []
    for i in range(rounds + 3):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{name}：{url} 返回 HTTP {response.status_code}")
        if i >= 3:  # the first requests warm caches
            samples.append(elapsed)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return name, statistics.median(samples), p95


def twenty_thousand_char_docx() -> bytes:
    import docx

    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n") if len(p) > 30]
    document = docx.Document()
    document.add_heading("示范镇2023年法治政府建设年度报告", level=0)
    total = 0
    for p in paragraphs:
        document.add_paragraph(p)
        total += len(p)
        if total >= 20_000:
            break
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def measure_submission() -> float:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from fazhi_web.reports.models import Obligation, State
    from fazhi_web.units.models import Membership, Role

    obligation = Obligation.objects.filter(state=State.PENDING, reporting_year__year=YEAR).first()
    reporter, _ = User.objects.get_or_create(username=f"bench_reporter_{obligation.pk}")
    Membership.objects.get_or_create(user=reporter, unit=obligation.unit, role=Role.REPORTER)
    client = Client()
    client.force_login(reporter)
    content = twenty_thousand_char_docx()
    start = time.perf_counter()
    upload = SimpleUploadedFile("report.docx", content)
    response = client.post(reverse("reports:upload", args=[obligation.pk]), {"file": upload})
    if response.status_code not in (200, 302):
        raise SystemExit(f"上传失败：HTTP {response.status_code}")
    version = obligation.versions.last()
    response = client.post(
        reverse("reports:submit", args=[obligation.pk]),
        {"version": version.pk, "confirm_errors": "1"},  # as after the confirmation dialog
    )
    elapsed = time.perf_counter() - start
    obligation.refresh_from_db()
    if obligation.state != State.SUBMITTED:
        raise SystemExit("报送失败")
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
