"""`manage.py backup`: the database and the uploaded originals in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fazhi_web.audit.log import record
from fazhi_web.backup.archive import BackupError, create


class Command(BaseCommand):
    help = "备份数据库和上传的报告原件，写成一个 .tar.gz 文件（可用 restore 恢复）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="备份文件路径；默认写入 $FAZHI_VAR_DIR/backups/fazhi-年月日-时分秒.tar.gz",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        default = Path(settings.VAR_DIR) / "backups" / f"fazhi-{stamp}.tar.gz"
        output = Path(options["output"]) if options["output"] else default
        if output.exists():
            raise CommandError(f"“{output}”已存在，不会覆盖，请换一个文件名。")
        # Logged first, so that the backup carries its own entry.
        record(
            None,
            "system.backup",
            f"备份数据库和报告原件到 {output.name}",
            after={"file": str(output)},
        )
        try:
            manifest = create(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"无法写入备份文件“{output}”：{exc.strerror}。") from None
        counts = manifest["counts"]
        self.stdout.write(
            f"已备份到 {output}：报告版本{counts.get('reports.reportversion', 0)}个，"
            f"原件{len(manifest['files'])}个，审计记录{counts.get('audit.auditentry', 0)}条。"
        )
        self.stdout.write("备份文件含密码散列和个人信息，请加密保存在另一台机器上。")
