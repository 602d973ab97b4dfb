"""A fixed world for the platform's tests.

Two offices: 东江市 (the demo city) and 西山市 (another city, another office).
Users, one per role, plus `outsider` who has an account but no role, and
`other_reviewer` / `other_reporter` on the other office's side, so that every
view gets a test that tries to cross a boundary.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection

from fazhi_web.units.models import Level, Membership, Role, Unit

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "samples" / "reports"
# Seconds any wait on a subprocess (worker, server) may take before the test fails.
WAIT = 60
# Follows the password rule (accounts.passwords), like every password the platform sets.
PASSWORD = "Correct-horse-42-staple"


@dataclass
class World:
    city: Unit
    district: Unit
    town: Unit
    bureau: Unit
    district_bureau: Unit
    other_city: Unit
    other_town: Unit
    reviewer: User
    reporter: User
    admin: User
    outsider: User
    other_reviewer: User
    other_reporter: User
    district_reporter: User


def _user(username: str, unit: Unit | None, role: str | None, **extra: Any) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=extra.pop("name", ""))
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Remove what SQLite leaves of the file test database (settings.py) once it is gone.

    Django deletes the database file itself but not its write-ahead log and
    shared-memory files, which would pile up in the temp directory run after run.
    """
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if not name or connection.vendor != "sqlite":
        return
    for leftover in Path(name).parent.glob(Path(name).name + "*-[ws][ah][lm]"):
        database = Path(str(leftover)[: -len("-wal")])
        if not database.exists():
            leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    # Real hashing costs seconds per fixture world; tests need logins, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages are rendered without `collectstatic` having run: plain static storage
    # (the deployment's manifest storage would refuse files not yet collected).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Counts kept in the cache (the comment throttle) must not carry over between tests.
    cache.clear()


@pytest.fixture
def world(db) -> World:
    city = Unit.objects.create(name="东江市", level=Level.CITY, region="东江市")
    district = Unit.objects.create(
        name="东江市南湖区", level=Level.COUNTY, region="东江市南湖区", parent=city
    )
    town = Unit.objects.create(
        name="南湖区清河镇", level=Level.TOWN, region="东江市南湖区清河镇", parent=district
    )
    bureau = Unit.objects.create(
        name="东江市司法局", level=Level.DEPARTMENT, region="东江市", parent=city
    )
    district_bureau = Unit.objects.create(
        name="南湖区市场监督管理局", level=Level.DEPARTMENT, region="东江市南湖区", parent=district
    )
    other_city = Unit.objects.create(name="西山市", level=Level.CITY, region="西山市")
    other_town = Unit.objects.create(
        name="西山市白石镇", level=Level.TOWN, region="西山市白石镇", parent=other_city
    )
    return World(
        city=city,
        district=district,
        town=town,
        bureau=bureau,
        district_bureau=district_bureau,
        other_city=other_city,
        other_town=other_town,
        reviewer=_user("reviewer", city, Role.REVIEWER, name="李审查"),
        reporter=_user("reporter", town, Role.REPORTER, name="王填报"),
        admin=_user("admin", city, Role.ADMIN, name="赵管理"),
        outsider=_user("outsider", None, None, name="路人"),
        other_reviewer=_user("other_reviewer", other_city, Role.REVIEWER),
        other_reporter=_user("other_reporter", other_town, Role.REPORTER),
        district_reporter=_user("district_reporter", district, Role.REPORTER),
    )


@pytest.fixture
def seed_bytes() -> dict[str, bytes]:
    """The five real reports by prefix ("000".."004")."""
    return {p.name[:3]: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}


# -- real processes: a Celery worker on Redis ------------------------------------


def stop(process: subprocess.Popen, grace: float = 15) -> None:
    """End a server or worker subprocess: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def database_url_of_this_run() -> str:
    """This run's test database as a DATABASE_URL, for server and worker subprocesses."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """A real `celery worker` on a Redis database of this xdist worker's own, so that
    parallel runs never take each other's tasks; always stopped at the end."""
    subprocess.run([str(REPO / "scripts/ensure-redis.sh")], check=True, timeout=WAIT)
    number = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    broker = f"redis://127.0.0.1:6379/{1 + number % 15}"
    redis.Redis.from_url(broker).flushdb()
    var = tmp_path_factory.mktemp("worker-var")
    log_path = var / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fazhi_web.settings",
        "DATABASE_URL": database_url_of_this_run(),
        "FAZHI_DB_CONN_MAX_AGE": "0",
        "FAZHI_BROKER_URL": broker,
        "FAZHI_VAR_DIR": str(var),
    }
    celery = Path(sys.executable).with_name("celery")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(celery), "-A", "fazhi_web", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"fazhi-test-{worker_id}@%h"],
            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + WAIT
        while "ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("Celery worker 未能启动：\n" + log_path.read_text())
            time.sleep(0.1)
        yield {"broker": broker, "var": var, "log": log_path}
    finally:
        stop(process)
