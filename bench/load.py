"""Deadline-day load: many reporters submit at once, through a real server.

For each database (SQLite file, a temporary PostgreSQL database), this starts
gunicorn on a free port of 127.0.0.1 with gunicorn.conf.py, as `make run` does,
against a fresh database; creates one reporting unit per submission; then
fires the submissions, `--concurrency` at a time: half through the API (upload
the file, then submit it; every tenth submit is sent twice at once, a double
click), half through the web form (the report page for its CSRF token, the
upload form, the page again for the version, the submit form, the page with
the confirmation). It prints successes, errors by kind and p50/p95 latencies,
then checks in the database that each success is stored exactly once (one
version, submitted, one audit entry for the submission) and that no failure
left anything behind.

    .venv/bin/python bench/load.py                  # both databases, 500 submissions, 50 at a time
    .venv/bin/python bench/load.py --db sqlite --requests 100 --concurrency 20

Targets: no errors on either database; p95 of a request <= 1 s on PostgreSQL.
Exits 1 when a target or a database check is missed. Every request has a
timeout, so the run ends by itself; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/platform.py would shadow the standard library's `platform` module.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "samples" / "reports"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/test"
HOST = "127.0.0.1"
PASSWORD = "load-test-password-2024"
YEAR = 2023
REQUEST_TIMEOUT_S = 60.0
TARGET_P95_S = 1.0
DOUBLE_SUBMIT_EVERY = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--requests", type=int, default=500, help="submissions (default 500)")
    parser.add_argument("--concurrency", type=int, default=50, help="at once (default 50)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: config)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the server's logs (var/log) and print where"
    )
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify", metavar="RESULTS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return child_setup(args.requests, args.concurrency)
    if args.verify:
        return child_verify(Path(args.verify))
    failed = False
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        print(f"\n== {db}：{args.requests} 份报送，并发 {args.concurrency} ==", flush=True)
        failed |= not run(db, args.requests, args.concurrency, args.workers, args.keep)
    return 1 if failed else 0


# -- the parent: one database ---------------------------------------------------------


def run(db: str, requests: int, concurrency: int, workers: int, keep: bool) -> bool:
    tmp = Path(tempfile.mkdtemp(prefix="fazhi-load-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="fazhi_web.settings",
        FAZHI_VAR_DIR=str(tmp),
        FAZHI_SECRET_KEY=secrets.token_urlsafe(50),
        FAZHI_ALLOWED_HOSTS=HOST,
        FAZHI_BIND=HOST,
        FAZHI_PORT=str(port),
    )
    if workers:
        env["FAZHI_WORKERS"] = str(workers)
    pg_name = f"fazhi_load_{os.getpid()}"
    if db == "postgres":
        psql(f"DROP DATABASE IF EXISTS {pg_name}")
        psql(f"CREATE DATABASE {pg_name}")
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name
    server = None
    try:
        for cmd in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *cmd], env=env, cwd=REPO, check=True)
        setup_cmd = [sys.executable, __file__, "--setup", "--requests", str(requests)]
        setup = subprocess.run(
            [*setup_cmd, "--concurrency", str(concurrency)],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
        jobs = json.loads(setup.stdout)
        log = (tmp / "server.log").open("wb")
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(port, server)
        outcome = fire(port, jobs, concurrency)
        stop(server)
        server = None
        results = tmp / "results.json"
        results.write_text(json.dumps(outcome.per_job), encoding="utf-8")
        checked = subprocess.run(
            [sys.executable, __file__, "--verify", str(results)],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
        check = json.loads(checked.stdout)
        tracebacks = sum(
            p.read_text(encoding="utf-8", errors="replace").count("Traceback")
            for p in [tmp / "server.log", *(tmp / "log").glob("*.log")]
        )
        return report(db, outcome, check, tracebacks)
    finally:
        if server is not None:
            stop(server)
        if db == "postgres":
            psql(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        if keep:
            print(f"服务器日志保留在 {tmp}/server.log 和 {tmp}/log/")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn 未能启动（退出码 {server.returncode}）")
        try:
            if get(port, "/accounts/login/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn 60 秒内未就绪")


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# -- HTTP -----------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Failed(Exception):
    """One step of a submission failed; `kind` is how it is counted."""

    def __init__(self, kind: str, step: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.step = step


def call(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    latencies: list[tuple[str, float]] | None = None,
) -> Reply:
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    seconds = time.perf_counter() - start
    if latencies is not None:
        latencies.append((f"{method} {re.sub(r'[0-9]+', '<编号>', path)}", seconds))
    return Reply(response.status, response.headers, data, seconds)


def get(port: int, path: str, headers: dict[str, str] | None = None) -> Reply:
    return call(port, "GET", path, headers=headers)


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Jar:
    """The cookies of one browser tab."""

    def __init__(self, cookies: dict[str, str] | None = None) -> None:
        self.cookies = dict(cookies or {})

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def take(self, reply: Reply) -> None:
        for raw in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value


# -- the load -------------------------------------------------------------------------


@dataclass
class Outcome:
    per_job: list[dict[str, Any]] = field(default_factory=list)
    latencies: list[tuple[str, float]] = field(default_factory=list)
    submissions: list[float] = field(default_factory=list)
    login_seconds: float = 0.0
    logins: int = 0
    wall_seconds: float = 0.0


def kind_of(reply: Reply) -> str:
    return f"HTTP {reply.status}"


def connection_kind(exc: Exception) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "超时"
    return f"连接错误（{type(exc).__name__}）"


def fire(port: int, jobs: dict[str, Any], concurrency: int) -> Outcome:
    outcome = Outcome()
    lock = threading.Lock()
    contents = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]

    start = time.perf_counter()
    sessions: dict[str, dict[str, str]] = {}
    with ThreadPoolExecutor(concurrency) as pool:
        for username, cookies in pool.map(lambda u: (u, login(port, u)), jobs["web_users"]):
            sessions[username] = cookies
    outcome.login_seconds = time.perf_counter() - start
    outcome.logins = len(sessions)

    def one(job: dict[str, Any]) -> None:
        latencies: list[tuple[str, float]] = []
        content = contents[job["n"] % len(contents)] + f"\n（压测第{job['n']}份）\n".encode()
        began = time.perf_counter()
        result: dict[str, Any] = {
            "obligation": job["obligation"],
            "via": job["via"],
            "double": job.get("double", False),
        }
        try:
            if job["via"] == "api":
                api_submission(port, job, content, latencies)
            else:
                web_submission(port, job, sessions[job["username"]], content, latencies)
            result.update(ok=True)
        except Failed as exc:
            result.update(ok=False, kind=exc.kind, step=exc.step)
        except (OSError, http.client.HTTPException) as exc:
            result.update(ok=False, kind=connection_kind(exc), step="unknown")
        with lock:
            outcome.latencies.extend(latencies)
            if result["ok"]:
                outcome.submissions.append(time.perf_counter() - began)
            outcome.per_job.append(result)

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, jobs["jobs"]))
    outcome.wall_seconds = time.perf_counter() - start
    return outcome


def login(port: int, username: str) -> dict[str, str]:
    jar = Jar()
    page = get(port, "/accounts/login/")
    jar.take(page)
    token = csrf_token(page.text())
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    reply = call(
        port,
        "POST",
        "/accounts/login/",
        body.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **jar.header()},
    )
    jar.take(reply)
    if reply.status != 302 or "sessionid" not in jar.cookies:
        raise SystemExit(f"登录失败：{username}（HTTP {reply.status}）")
    return jar.cookies


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise Failed("页面缺少 CSRF 令牌", "page")
    return found.group(1)


def api_submission(
    port: int, job: dict[str, Any], content: bytes, latencies: list[tuple[str, float]]
) -> None:
    auth = {"Authorization": f"Bearer {job['token']}"}
    body, ctype = multipart({}, f"报告{job['n']}.txt", content)
    ob = job["obligation"]
    reply = call(
        port,
        "POST",
        f"/api/obligations/{ob}/versions",
        body,
        {"Content-Type": ctype, **auth},
        latencies,
    )
    if reply.status != 201:
        raise Failed(kind_of(reply), "upload")
    number = json.loads(reply.body)["number"]
    submit = json.dumps({"version": number}).encode()
    headers = {"Content-Type": "application/json", **auth}
    path = f"/api/obligations/{ob}/submit"
    if not job["double"]:
        reply = call(port, "POST", path, submit, headers, latencies)
        if reply.status != 200:
            raise Failed(kind_of(reply), "submit")
        return
    # A double click: the same submit twice at once. One is taken, the other refused.
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda _: call(port, "POST", path, submit, headers), range(2)))
    latencies.extend((f"POST {path}（重复报送）", r.seconds) for r in replies)
    statuses = sorted(r.status for r in replies)
    if statuses != [200, 400]:
        raise Failed(f"重复报送 {statuses}", "submit")
    refused = json.loads(next(r for r in replies if r.status == 400).body)["detail"]
    if "不能重复报送" not in refused:
        raise Failed("重复报送未被拒绝", "submit")


def web_submission(
    port: int,
    job: dict[str, Any],
    session: dict[str, str],
    content: bytes,
    latencies: list[tuple[str, float]],
) -> None:
    jar = Jar(session)
    ob = job["obligation"]
    page_path = f"/reports/{ob}/"

    def page(step: str, expect: str) -> str:
        reply = call(port, "GET", page_path, headers=jar.header(), latencies=latencies)
        jar.take(reply)
        if reply.status != 200:
            raise Failed(kind_of(reply), step)
        text = reply.text()
        if expect not in text:
            error = re.search(r'<li class="error">([^<]*)</li>', text)
            raise Failed(f"表单拒绝：{error.group(1) if error else '无确认信息'}", step)
        return text

    def post(path: str, body: bytes, ctype: str, step: str) -> None:
        reply = call(port, "POST", path, body, {"Content-Type": ctype, **jar.header()}, latencies)
        jar.take(reply)
        if reply.status != 302:
            raise Failed(kind_of(reply), step)

    text = page("upload", "上传")
    token = csrf_token(text)
    body, ctype = multipart({"csrfmiddlewaretoken": token}, f"报告{job['n']}.txt", content)
    post(f"/reports/{ob}/upload/", body, ctype, "upload")
    text = page("upload", "已上传第")
    found = re.search(
        rf'action="/reports/{ob}/submit/">.*?name="version" value="(\d+)"', text, re.S
    )
    if not found:
        raise Failed("页面缺少报送按钮", "submit")
    # A report with 错误 findings is handed in after its confirmation dialog.
    form = urlencode(
        {"csrfmiddlewaretoken": csrf_token(text), "version": found.group(1), "confirm_errors": "1"}
    )
    post(f"/reports/{ob}/submit/", form.encode(), "application/x-www-form-urlencoded", "submit")
    page("submit", "已报送第")


# -- the report -----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(db: str, outcome: Outcome, check: dict[str, Any], tracebacks: int) -> bool:
    ok = [r for r in outcome.per_job if r["ok"]]
    failed = [r for r in outcome.per_job if not r["ok"]]
    kinds = Counter(f"{r['kind']}（{r['via']} {r['step']}）" for r in failed)
    seconds = [s for _, s in outcome.latencies]
    p95 = percentile(seconds, 95)
    by_via = Counter(r["via"] for r in ok)
    print(f"网页用户登录 {outcome.logins} 次，用时 {outcome.login_seconds:.1f} s（不计入）")
    print(
        f"成功 {len(ok)}/{len(outcome.per_job)}（接口 {by_via['api']}，网页 {by_via['web']}），"
        f"用时 {outcome.wall_seconds:.1f} s，{len(outcome.per_job) / outcome.wall_seconds:.1f} 份/秒"
    )
    print(f"失败 {len(failed)}" + "".join(f"\n  {k}: {n}" for k, n in kinds.most_common()))
    print(
        f"单个请求（{len(seconds)} 个）p50 {percentile(seconds, 50) * 1000:.0f} ms，"
        f"p95 {p95 * 1000:.0f} ms，最长 {max(seconds, default=0) * 1000:.0f} ms"
    )
    routes: dict[str, list[float]] = {}
    for route, s in outcome.latencies:
        routes.setdefault(re.sub(r"/obligations/[^/]+/", "/obligations/<编号>/", route), []).append(
            s
        )
    for route, values in sorted(routes.items()):
        print(
            f"  {route:<44} {len(values):>5} 个  p50 {percentile(values, 50) * 1000:>5.0f} ms"
            f"  p95 {percentile(values, 95) * 1000:>5.0f} ms"
        )
    print(
        f"整份报送 p50 {percentile(outcome.submissions, 50) * 1000:.0f} ms，"
        f"p95 {percentile(outcome.submissions, 95) * 1000:.0f} ms"
    )
    print(f"服务器日志中的 Traceback：{tracebacks}")
    print(
        f"数据库核对：成功的 {check['ok_checked']} 份各存一次"
        f"{'' if not check['problems'] else '——有问题'}；"
        f"失败的 {check['failed_checked']} 份未留下报送；重复报送 {check['double_checked']} 次均只算一次"
    )
    for problem in check["problems"][:20]:
        print(f"  ✗ {problem}")
    passed = not failed and not check["problems"] and tracebacks == 0
    if db == "postgres" and p95 > TARGET_P95_S:
        print(f"未达标：PostgreSQL 上 p95 {p95:.2f} s > {TARGET_P95_S:.0f} s")
        passed = False
    print("达标" if passed else "未达标")
    return passed


# -- children: Django inside, on the same database as the server ----------------------


def _django() -> None:
    import django

    sys.path.insert(0, str(REPO / "src"))
    django.setup()


def child_setup(count: int, concurrency: int) -> int:
    """Units, a year, reporters with tokens (API) or a password (web); jobs on stdout."""
    _django()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction

    from fazhi_web.api.models import ApiToken
    from fazhi_web.reports.models import Obligation
    from fazhi_web.reports.services import open_year
    from fazhi_web.units.models import Level, Membership, Role, Unit

    # Even jobs through the API, odd ones through the web form. A few units per
    # web user: one login per user, not per submission (a login costs a
    # deliberately slow password hash).
    web_users = max(1, min(concurrency, count // 2))
    password = make_password(PASSWORD)
    with transaction.atomic():
        office = Unit.objects.create(name="压测省", level=Level.PROVINCE, region="压测省")
        admin = User.objects.create_user("load_admin")
        Membership.objects.create(user=admin, unit=office, role=Role.ADMIN)
        units = [
            Unit.objects.create(
                name=f"压测第{i + 1}镇",
                level=Level.TOWN,
                region=f"压测省第{i + 1}镇",
                parent=office,
            )
            for i in range(count)
        ]
        cycle = open_year(admin, office, YEAR)
        obligations = {o.unit_id: o.pk for o in Obligation.objects.filter(reporting_year=cycle)}
        jobs = []
        for i, unit in enumerate(units):
            job: dict[str, Any] = {"n": i, "obligation": obligations[unit.pk]}
            if i % 2 == 0:
                user = User.objects.create_user(f"api_{i}")
                Membership.objects.create(user=user, unit=unit, role=Role.REPORTER)
                job.update(
                    via="api",
                    token=ApiToken.issue(user, "压测")[1],
                    double=(i // 2) % DOUBLE_SUBMIT_EVERY == 0,
                )
            else:
                username = f"web_{(i // 2) % web_users}"
                user, made = User.objects.get_or_create(username=username)
                if made:
                    user.password = password
                    user.save()
                Membership.objects.create(user=user, unit=unit, role=Role.REPORTER)
                job.update(via="web", username=username)
            jobs.append(job)
    users = sorted({j["username"] for j in jobs if j["via"] == "web"})
    json.dump({"jobs": jobs, "web_users": users}, sys.stdout)
    return 0


def child_verify(results_path: Path) -> int:
    """Each success stored once; each failure left no submission (and, if the upload
    itself failed, no version)."""
    _django()
    from fazhi_web.audit.models import AuditEntry
    from fazhi_web.reports.models import Obligation, ReportVersion, State

    results = json.loads(results_path.read_text(encoding="utf-8"))
    problems: list[str] = []
    ok_checked = failed_checked = double_checked = 0
    for r in results:
        ob = Obligation.objects.select_related("current_version").get(pk=r["obligation"])
        versions = list(ReportVersion.objects.filter(obligation=ob))
        submitted = [v for v in versions if v.submitted_at is not None]
        submits = AuditEntry.objects.filter(action="obligation.submit", unit=ob.unit_id).count()
        where = f"任务 {ob.pk}（{r['via']}）"
        if r["ok"]:
            ok_checked += 1
            if len(versions) != 1 or len(submitted) != 1:
                problems.append(
                    f"{where} 成功，却有 {len(versions)} 个版本、{len(submitted)} 个已报送"
                )
            if ob.state != State.SUBMITTED or ob.current_version_id != versions[0].pk:
                problems.append(f"{where} 成功，状态却为 {ob.state}")
            if submits != 1:
                problems.append(f"{where} 成功，报送记录却有 {submits} 条")
        else:
            failed_checked += 1
            if submitted or ob.state != State.PENDING or submits:
                problems.append(f"{where} 失败，却留下了报送")
            if r["step"] == "upload" and versions:
                problems.append(f"{where} 上传失败，却留下了 {len(versions)} 个版本")
        double_checked += 1 if r["ok"] and r["double"] and submits == 1 else 0
    pending = Obligation.objects.filter(pk__in=[r["obligation"] for r in results])
    extra = pending.filter(state=State.SUBMITTED).count() - sum(r["ok"] for r in results)
    if extra:
        problems.append(f"已报送的任务比成功数多 {extra} 个")
    json.dump(
        {
            "problems": problems,
            "ok_checked": ok_checked,
            "failed_checked": failed_checked,
            "double_checked": double_checked,
        },
        sys.stdout,
        ensure_ascii=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
