"""Backups of the whole platform: the database (any vendor) and the uploaded originals,
in one .tar.gz that `manage.py restore` puts back into a fresh database.

Inside the archive:
- data.jsonl: every table (Django's JSON Lines serializer, primary keys kept), dumped
  from one consistent snapshot of the database;
- uploads/…: each stored original a report version points at;
- manifest.json: the migrations the data was dumped at, row counts per model, and the
  sha256 of data.jsonl and of every file, checked before anything is restored.

The format is the same for SQLite and PostgreSQL, so a backup of one restores into the
other. A restore migrates the fresh database to the backup's migrations, loads the
data, then migrates on to the code's: a backup from an older release restores too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "fazhi-backup/1"
DATA = "data.jsonl"
# The serialization format (backup.serializer); loaddata knows it by the file's suffix.
SERIALIZER = "fzjsonl"
MANIFEST = "manifest.json"
UPLOADS = "uploads/"
# What a session or a lockout in progress is: not worth restoring.
EXCLUDED = [
    "sessions.session",
    "accounts.usersession",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
]
# How reports.services names a stored original: its sha256 and suffix.
STORED_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}(\.[a-z0-9]{1,8})?")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message is for the operator."""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_stream(stream: IO[bytes], copy_to: IO[bytes] | None = None) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _snapshot(connection: Any) -> Iterator[None]:
    """One consistent view of the database for every table dumped, without taking the
    write lock: a deferred read transaction on SQLite (WAL keeps writers going), a
    repeatable-read, read-only one on PostgreSQL."""
    if connection.in_atomic_block:
        # Already inside one transaction (a caller's): that is the snapshot.
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            # Django's own atomic() would BEGIN IMMEDIATE (settings), blocking uploads.
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
        return
    yield


def applied_migrations(connection: Any) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _counts(database: str) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(database).count()
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy
    }


def create(output: Path, database: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the backup to `output` (readable by its owner only); returns the manifest."""
    from fazhi_web.reports.models import ReportVersion

    connection = connections[database]
    root = Path(settings.UPLOAD_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fazhi-backup-") as tmp:
        data = Path(tmp) / DATA
        with _snapshot(connection):
            call_command(
                "dumpdata",
                format=SERIALIZER,
                exclude=EXCLUDED,
                output=str(data),
                database=database,
                verbosity=0,
            )
            counts = _counts(database)
            stored = sorted(
                set(ReportVersion.objects.using(database).values_list("stored_name", flat=True))
            )
            migrations = applied_migrations(connection)
        missing = [name for name in stored if not (root / name).is_file()]
        if missing:
            raise BackupError(
                f"有{len(missing)}个报告原件在上传目录 {root} 中找不到（如 {missing[0]}），"
                "备份未完成。请先找回这些文件。"
            )
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "data_sha256": _sha256_file(data),
            "files": {},
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data, arcname=DATA)
            for name in stored:
                manifest["files"][name] = _sha256_file(root / name)
                archive.add(root / name, arcname=UPLOADS + name)
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(dt.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
        partial.chmod(0o600)
        partial.replace(output)
    return manifest


# -- restore -------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        stream = archive.extractfile(member)
        manifest = json.loads(stream.read()) if stream else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("这不是法治平台的备份文件，或文件已损坏（缺少有效的 manifest.json）。")
    return manifest


def _check_files(archive: tarfile.TarFile, manifest: dict[str, Any], into: Path) -> None:
    """Every member is one the manifest names, with the content it names; the data file
    is extracted to `into` on the way."""
    expected = {DATA: manifest["data_sha256"]} | {
        UPLOADS + name: digest for name, digest in manifest["files"].items()
    }
    seen: set[str] = set()
    for member in archive:
        if member.name == MANIFEST:
            continue
        if member.name not in expected or not member.isfile():
            raise BackupError(f"备份文件中有不应出现的内容“{member.name}”，已停止恢复。")
        stream = archive.extractfile(member)
        assert stream is not None
        if member.name == DATA:
            with (into / f"data.{SERIALIZER}").open("wb") as copy:
                digest = _sha256_stream(stream, copy)
        else:
            digest = _sha256_stream(stream)
        if digest != expected[member.name]:
            raise BackupError(f"备份文件已损坏：“{member.name}”的校验值不符，已停止恢复。")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"备份文件不完整：缺少“{missing[0]}”等{len(missing)}项，已停止恢复。")


def _check_empty(database: str) -> None:
    """Nothing to lose: no table yet, or none of the platform's tables has a row."""
    from django.contrib.auth import get_user_model

    from fazhi_web.audit.models import AuditEntry
    from fazhi_web.units.models import Unit

    tables = set(connections[database].introspection.table_names())
    for model in (get_user_model(), Unit, AuditEntry):
        if model._meta.db_table in tables and model._base_manager.using(database).exists():
            raise BackupError(
                "目标数据库中已有数据，恢复只能在新建的空数据库上进行，以免覆盖现有数据和审计日志。"
                "请新建一个空数据库，将 DATABASE_URL 指向它后再恢复。"
            )


def _migrate_to(database: str, migrations: dict[str, list[str]]) -> None:
    """Bring the database to the backup's migrations (the code must know them all)."""
    connection = connections[database]
    executor = MigrationExecutor(connection)
    known = set(executor.loader.graph.nodes)
    unknown = [(app, name) for app, names in migrations.items() for name in names]
    unknown = [
        key for key in unknown if key not in known and key[0] in executor.loader.migrated_apps
    ]
    if unknown:
        raise BackupError(
            f"备份来自更新版本的平台（包含本版本没有的数据库迁移 {unknown[0][0]}.{unknown[0][1]}），"
            "请先升级平台再恢复。"
        )
    targets = []
    for app in executor.loader.migrated_apps:
        leaves = [(app, name) for name in migrations.get(app, []) if (app, name) in known]
        # The latest of the backup's migrations of this app: those after it wait.
        leaf = max(leaves, key=lambda k: len(executor.loader.graph.forwards_plan(k)), default=None)
        targets.append(leaf or (app, None))
    plan = executor.migration_plan(targets)
    executor.migrate(targets, plan=plan)


def _restore_uploads(archive_path: Path, manifest: dict[str, Any]) -> int:
    root = Path(settings.UPLOAD_ROOT).resolve()
    written = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if not member.name.startswith(UPLOADS):
                continue
            name = member.name[len(UPLOADS) :]
            if not STORED_NAME.fullmatch(name):
                raise BackupError(f"备份中的文件名“{name}”不符合平台的存储规则，已停止恢复。")
            target = (root / name).resolve()
            if not target.is_relative_to(root):
                raise BackupError(f"备份中的文件名“{name}”不符合平台的存储规则，已停止恢复。")
            if target.is_file() and _sha256_file(target) == manifest["files"][name]:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = archive.extractfile(member)
            assert stream is not None
            partial = target.with_name(target.name + ".part")
            with partial.open("wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
            partial.replace(target)
            written += 1
    return written


def verify(manifest: dict[str, Any], database: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What differs between the restored platform and the manifest (empty: all intact)."""
    from fazhi_web.reports.models import ReportVersion

    problems = []
    counts = _counts(database)
    for label, expected in manifest["counts"].items():
        if label in counts and counts[label] < expected:
            problems.append(f"{label}：应有{expected}条，恢复后只有{counts[label]}条")
    root = Path(settings.UPLOAD_ROOT)
    for version in ReportVersion.objects.using(database).only("pk", "stored_name", "sha256"):
        path = root / version.stored_name
        if not path.is_file():
            problems.append(f"报告版本 {version.pk} 的原件缺失")
        elif _sha256_file(path) != version.sha256:
            problems.append(f"报告版本 {version.pk} 的原件校验值不符")
    return problems


def restore(archive_path: Path, database: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Put the backup into the (fresh, empty) database and the upload directory."""
    with tempfile.TemporaryDirectory(prefix="fazhi-restore-") as tmp:
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                manifest = read_manifest(archive)
                _check_files(archive, manifest, Path(tmp))
        except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
            raise BackupError(f"备份文件“{archive_path.name}”已损坏或无法读取：{exc}") from None
        _check_empty(database)
        _migrate_to(database, manifest["migrations"])
        with transaction.atomic(using=database):
            # The fresh database's own content types and permissions make way for the
            # backup's, so that every primary key is the one it had.
            from django.contrib.auth.models import Permission

            Permission.objects.using(database).all().delete()
            ContentType.objects.using(database).all().delete()
            ContentType.objects.clear_cache()
            fixture = Path(tmp) / f"data.{SERIALIZER}"
            call_command("loaddata", str(fixture), database=database, verbosity=0)
        ContentType.objects.clear_cache()
    call_command("migrate", database=database, verbosity=0, interactive=False)
    _restore_uploads(archive_path, manifest)
    problems = verify(manifest, database)
    if problems:
        raise BackupError("恢复后核对不一致：" + "；".join(problems[:5]))
    return manifest
