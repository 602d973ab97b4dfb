"""Backup and restore (等保 数据备份恢复): a backup restored into a fresh database, in
another process, has every report, version, sha256, original and audit row intact;
damaged or foreign archives and non-empty targets are refused in Chinese."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fazhi_web.audit.log import record
from fazhi_web.audit.models import AuditEntry
from fazhi_web.backup import archive
from fazhi_web.conftest import REPO, database_url_of_this_run
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, ReportVersion
from fazhi_web.review import services as review

# What must come back exactly: read the same way from both databases.
SNAPSHOT = """
import json
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.models import Obligation, ReportVersion
from fazhi_web.units.models import Unit
from django.contrib.auth.models import User
print(json.dumps({
    "units": sorted([u.pk, u.name, u.path, u.parent_id] for u in Unit.objects.all()),
    "users": sorted([u.pk, u.username, u.password, u.first_name] for u in User.objects.all()),
    "reports": sorted(
        [o.pk, o.unit_id, o.reporting_year.year, o.state, o.current_version_id]
        for o in Obligation.objects.select_related("reporting_year")
    ),
    "versions": sorted(
        [v.pk, v.obligation_id, v.number, v.sha256, v.size, v.stored_name, v.score,
         len(v.text), len(v.analysis.get("findings", []))]
        for v in ReportVersion.objects.all()
    ),
    "audit": sorted(
        [e.pk, e.at.isoformat(), e.actor_id, e.action, e.summary, e.unit_id, e.before, e.after]
        for e in AuditEntry.objects.all()
    ),
}, ensure_ascii=False, default=str))
"""


def snapshot_here() -> dict:
    out = io.StringIO()
    namespace: dict = {"print": lambda text: out.write(text)}
    exec(SNAPSHOT, namespace)
    return json.loads(out.getvalue())


@pytest.fixture
def platform(transactional_db, world, seed_bytes):
    """Reports in several states, with their originals and audit entries."""
    year = services.open_year(world.admin, world.city, 2023)
    town = Obligation.objects.get(reporting_year=year, unit=world.town)
    bureau = Obligation.objects.get(reporting_year=year, unit=world.bureau)
    first = services.upload_version(world.reporter, town, "报告.txt", seed_bytes["002"])
    services.submit(world.reporter, town, first)
    review.return_report(world.reviewer, town, "请补充")
    services.upload_version(world.reporter, town, "修改稿.txt", seed_bytes["003"])
    services.paste_version(world.reporter, bureau, seed_bytes["000"].decode("utf-8"))
    record(world.admin, "unit.update", "备份前的最后一条", unit=world.town)
    return world


def _env(var: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update(
        DJANGO_SETTINGS_MODULE="fazhi_web.settings",
        FAZHI_VAR_DIR=str(var),
        DATABASE_URL=database_url,
        FAZHI_DB_CONN_MAX_AGE="0",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same vendor as this run's."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"fazhi_restore_{uuid.uuid4().hex[:8]}"
    base = database_url_of_this_run()
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_into_a_fresh_database_finds_everything_intact(
    platform, tmp_path, fresh_database, settings, capsys
):
    backup = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(backup))
    assert "已备份到" in capsys.readouterr().out
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    before = snapshot_here()
    assert len(before["versions"]) == 3 and len(before["audit"]) >= 8

    var = tmp_path / "restored-var"
    env = _env(var, fresh_database)
    done = _manage(env, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "核对无误" in done.stdout

    shown = _manage(env, "shell", "-c", SNAPSHOT)
    assert shown.returncode == 0, shown.stderr
    after = json.loads(shown.stdout.strip().splitlines()[-1])
    restored_audit = after.pop("audit")
    assert after == {k: v for k, v in before.items() if k != "audit"}
    # Every audit row as it was, then the restore's own entry.
    assert restored_audit[: len(before["audit"])] == before["audit"]
    assert [row[3] for row in restored_audit[len(before["audit"]) :]] == ["system.restore"]
    for version in ReportVersion.objects.all():
        content = (var / "uploads" / version.stored_name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == version.sha256

    # The restored platform works: its audit log still refuses changes.
    changed = _manage(
        env, "shell", "-c",
        "from fazhi_web.audit.models import AuditEntry as A; A.objects.all().update(summary='x')",
    )  # fmt: skip
    assert changed.returncode != 0 and "append-only" in changed.stderr


def test_restore_refuses_a_database_with_data(platform, tmp_path):
    backup = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(backup))
    entries = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="目标数据库中已有数据"):
        call_command("restore", str(backup))
    assert AuditEntry.objects.count() == entries


def _rewrite(source: Path, target: Path, change) -> None:
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda name, data: data.replace(b"\xe6", b"\xe7", 1) if name == "data.jsonl" else data,
         "校验值不符"),
        (lambda name, data: None if name.startswith("uploads/") else data, "备份文件不完整"),
        (lambda name, data: None if name == "manifest.json" else data, "不是法治平台的备份文件"),
    ],
)  # fmt: skip
def test_a_damaged_archive_is_refused_before_anything_is_written(
    platform, tmp_path, fresh_database, change, message
):
    backup = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(backup))
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(backup, damaged, change)
    var = tmp_path / "restored-var"
    done = _manage(_env(var, fresh_database), "restore", str(damaged))
    assert done.returncode == 1 and message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (var / "uploads").exists()


def test_not_an_archive_at_all(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="已损坏或无法读取"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_backup_refuses_when_an_original_is_missing(platform, tmp_path, settings):
    version = ReportVersion.objects.first()
    (Path(settings.UPLOAD_ROOT) / version.stored_name).unlink()
    with pytest.raises(CommandError, match="找不到"):
        call_command("backup", output=str(tmp_path / "b.tar.gz"))
    assert not (tmp_path / "b.tar.gz").exists()


def test_manifest_names_every_file_with_its_hash(platform, tmp_path):
    manifest = archive.create(tmp_path / "b.tar.gz")
    stored = set(ReportVersion.objects.values_list("stored_name", flat=True))
    assert set(manifest["files"]) == stored
    assert manifest["counts"]["reports.reportversion"] == 3


def test_a_backup_from_an_older_release_restores_and_is_migrated_on(
    platform, tmp_path, fresh_database
):
    """As if made before the accounts app existed: no such migration, no such rows."""
    backup = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(backup))
    with tarfile.open(backup, "r:gz") as old:
        manifest = json.loads(old.extractfile("manifest.json").read())
        data = old.extractfile("data.jsonl").read()
    lines = [line for line in data.splitlines(keepends=True) if b'"model": "accounts.' not in line]
    older = b"".join(lines)
    manifest["migrations"].pop("accounts")
    manifest["counts"] = {
        k: v for k, v in manifest["counts"].items() if not k.startswith("accounts.")
    }
    manifest["data_sha256"] = hashlib.sha256(older).hexdigest()

    def change(name, content):
        if name == "data.jsonl":
            return older
        if name == "manifest.json":
            return json.dumps(manifest).encode()
        return content

    aged = tmp_path / "older.tar.gz"
    _rewrite(backup, aged, change)
    env = _env(tmp_path / "restored-var", fresh_database)
    done = _manage(env, "restore", str(aged))
    assert done.returncode == 0, done.stderr
    shown = _manage(env, "showmigrations", "accounts")
    assert "[X] 0001_initial" in shown.stdout
