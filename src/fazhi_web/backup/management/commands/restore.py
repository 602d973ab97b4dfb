"""`manage.py restore 备份文件`: into a fresh, empty database (DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi_web.audit.log import record
from fazhi_web.backup.archive import BackupError, restore


class Command(BaseCommand):
    help = "从 backup 生成的备份文件恢复数据库和报告原件（只能恢复到新建的空数据库）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="backup 生成的 .tar.gz 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"找不到备份文件“{path}”。")
        try:
            manifest = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = manifest["counts"]
        record(
            None,
            "system.restore",
            f"从备份 {path.name}（{manifest['created_at'][:19]}）恢复",
            after={"file": str(path), "created_at": manifest["created_at"]},
        )
        self.stdout.write(
            f"已从 {path} 恢复：报告版本{counts.get('reports.reportversion', 0)}个，"
            f"原件{len(manifest['files'])}个，审计记录{counts.get('audit.auditentry', 0)}条，"
            "核对无误。"
        )
