"""manage.py revoke_token ID --reason 原因: a revoked token is refused at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi_web.api.models import ApiToken
from fazhi_web.api.services import revoke_token
from fazhi_web.reports.services import ActionRefused


class Command(BaseCommand):
    help = "吊销接口令牌（令牌不删除，只停用）；不带参数时列出全部令牌。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token_id", nargs="?", type=int, help="令牌编号")
        parser.add_argument("--reason", default="", help="吊销原因")

    def handle(self, *args: Any, token_id: int | None, reason: str, **options: Any) -> None:
        if token_id is None:
            for t in ApiToken.objects.select_related("user").order_by("pk"):
                state = f"已吊销 {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "有效"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用"
                self.stdout.write(
                    f"{t.pk}\t{t.user.get_username()}\t{t.name}\t{state}\t最近使用：{used}"
                )
            return
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"令牌编号 {token_id} 不存在。")
        try:
            revoke_token(None, token, reason)
        except ActionRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已吊销令牌 {token_id}（{token.name}）。")
