"""How often the public may comment on one decision draft from one address.

Two fixed windows are counted in the cache (settings.CACHES: Redis when
FAZHI_CACHE_URL is set, else each process's memory): a short one
(FAZHI_COMMENT_LIMIT comments per FAZHI_COMMENT_WINDOW_MINUTES) and the day
(FAZHI_COMMENT_DAILY_LIMIT). The key holds the draft, so an address busy on one draft
may still comment on another; it holds a digest of the address, not the address.
Numbers and their defaults: docs/安全.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis import RedisError

logger = logging.getLogger("fazhi_web")


@dataclass(frozen=True)
class TooMany:
    message: str
    retry_after: int  # seconds


def _key(consultation_id: int, address: str, window: str) -> str:
    digest = hashlib.sha256(address.encode()).hexdigest()[:16]
    return f"ledgers:comment:{consultation_id}:{digest}:{window}"


def _count(key: str, seconds: int) -> int:
    """One more in the window `key`: atomic on Redis and in memory (incr)."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def _clock(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M}"


def count_comment(consultation_id: int, address: str, now: float | None = None) -> TooMany | None:
    """Counts one comment; says why and for how long when it is one too many."""
    now = time.time() if now is None else now
    window = settings.FAZHI_COMMENT_WINDOW_MINUTES * 60
    window_index = int(now // window)
    moment = dt.datetime.fromtimestamp(now, tz=dt.UTC)
    day = timezone.localtime(moment).date()
    next_day = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    until_tomorrow = max(1, int(next_day.timestamp() - now))
    try:
        in_window = _count(_key(consultation_id, address, f"w{window}:{window_index}"), window)
        in_day = _count(_key(consultation_id, address, f"d:{day.isoformat()}"), until_tomorrow)
    except (RedisError, OSError):
        # A comment is worth more than the limit: with the cache down, let it through.
        logger.warning("comment throttle: cache unavailable, not counted", exc_info=True)
        return None
    kept = "您填写的内容已保留在下面。"
    if in_day > settings.FAZHI_COMMENT_DAILY_LIMIT:
        return TooMany(
            f"同一网络地址每天对同一草案最多提交{settings.FAZHI_COMMENT_DAILY_LIMIT}条意见，"
            f"今天已达上限，请明天再提交。{kept}",
            until_tomorrow,
        )
    if in_window > settings.FAZHI_COMMENT_LIMIT:
        retry = max(1, int((window_index + 1) * window - now))
        ends = moment + dt.timedelta(seconds=retry)
        return TooMany(
            f"提交过于频繁：同一网络地址每{settings.FAZHI_COMMENT_WINDOW_MINUTES}分钟对同一草案"
            f"最多提交{settings.FAZHI_COMMENT_LIMIT}条意见。请于{_clock(ends)}"
            f"（约{-(-retry // 60)}分钟后）再提交。{kept}",
            retry,
        )
    return None
