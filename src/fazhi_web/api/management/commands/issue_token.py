"""manage.py issue_token USERNAME --name 用途: prints a new API token once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi_web.api.services import issue_token
from fazhi_web.reports.services import ActionRefused


class Command(BaseCommand):
    help = "为用户签发接口令牌；令牌只显示这一次，请妥善保存。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="令牌代表的用户名")
        parser.add_argument("--name", required=True, help="令牌用途，如“省司法厅数据对接”")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        try:
            token, key = issue_token(None, user, name)
        except ActionRefused as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            f"已为用户 {username} 签发令牌（编号 {token.pk}，用途：{token.name}）。"
            "令牌只显示这一次，请妥善保存；请求时使用请求头 Authorization: Bearer <令牌>。"
        )
        # The key alone on stdout, so a script can capture it.
        self.stdout.write(key)
