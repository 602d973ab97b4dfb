"""How often the public may comment on a decision draft: per address and per draft,
a short window and a daily cap, and the same text never twice a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi_web.ledgers import services, throttle
from fazhi_web.ledgers.models import MajorDecision, PublicComment
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.reports.services import ActionRefused

# 2024-12-02 10:00 in Beijing, the first second of a 10-minute window.
WINDOW_START = dt.datetime(2024, 12, 2, 2, 0, tzinfo=dt.UTC).timestamp()


def consult(world, decision):
    return services.save_consultation(
        world.reporter,
        decision,
        {"draft": "一、目标……", "opens_on": D("2024-11-25"), "closes_on": D("2024-12-25")},
    )


@pytest.fixture
def second_decision(world):
    return services.create(
        world.reporter, MajorDecision, world.town,
        {"title": "清河镇集贸市场改造方案", "year": 2024, "sponsor": "镇经发办"},
    )  # fmt: skip


def post(consultation, text, address="203.0.113.7"):
    url = reverse("ledgers_public:consultation", args=[consultation.pk])
    return Client(REMOTE_ADDR=address).post(url, {"author": "", "text": text})


def test_five_comments_in_ten_minutes_then_429_in_chinese_with_the_text_kept(world, decision):
    consultation = consult(world, decision)
    for n in range(5):
        assert post(consultation, f"第{n}条意见").status_code == 302
    response = post(consultation, "第六条意见：建议夜间也开放")
    page = response.content.decode()
    assert response.status_code == 429
    assert "提交过于频繁" in page and "每10分钟对同一草案最多提交5条" in page
    assert "第六条意见：建议夜间也开放</textarea>" in page
    assert 0 < int(response["Retry-After"]) <= 600
    assert PublicComment.objects.filter(consultation=consultation).count() == 5


def test_the_count_does_not_carry_over_to_another_draft_or_address(
    world, decision, second_decision
):
    first = consult(world, decision)
    second = consult(world, second_decision)
    for n in range(5):
        post(first, f"第{n}条意见")
    assert post(first, "多出的一条").status_code == 429
    assert post(second, "对另一份草案的意见").status_code == 302
    assert post(first, "另一个网络地址的意见", address="198.51.100.9").status_code == 302


def test_the_daily_cap(world, decision, settings):
    settings.FAZHI_COMMENT_LIMIT = 100
    settings.FAZHI_COMMENT_DAILY_LIMIT = 3
    consultation = consult(world, decision)
    for n in range(3):
        assert post(consultation, f"第{n}条意见").status_code == 302
    response = post(consultation, "第四条意见")
    assert response.status_code == 429
    assert "每天对同一草案最多提交3条意见，今天已达上限" in response.content.decode()
    assert "第四条意见</textarea>" in response.content.decode()


def test_the_window_ends_and_commenting_may_go_on():
    for second in range(5):
        assert throttle.count_comment(1, "203.0.113.7", WINDOW_START + second) is None
    too_many = throttle.count_comment(1, "203.0.113.7", WINDOW_START + 60)
    assert too_many is not None and too_many.retry_after == 540
    assert "10:10（约9分钟后）" in too_many.message
    assert throttle.count_comment(1, "203.0.113.7", WINDOW_START + 600) is None


def test_the_key_names_the_draft_and_not_the_address():
    for _ in range(6):
        last = throttle.count_comment(1, "203.0.113.7", WINDOW_START)
    assert last is not None
    assert throttle.count_comment(2, "203.0.113.7", WINDOW_START) is None
    key = throttle._key(1, "203.0.113.7", "d:2024-12-02")
    assert key != throttle._key(2, "203.0.113.7", "d:2024-12-02")
    assert "203.0.113.7" not in key


def test_the_daily_cap_runs_until_midnight_in_beijing(settings):
    settings.FAZHI_COMMENT_DAILY_LIMIT = 1
    settings.FAZHI_COMMENT_LIMIT = 100
    assert throttle.count_comment(1, "203.0.113.7", WINDOW_START) is None
    too_many = throttle.count_comment(1, "203.0.113.7", WINDOW_START + 1)
    assert too_many is not None
    assert too_many.retry_after == 14 * 3600 - 1  # 10:00:01 to 24:00 Beijing time
    # 2024-12-03 00:00 in Beijing is a new day.
    assert throttle.count_comment(1, "203.0.113.7", WINDOW_START + 14 * 3600) is None


def test_with_the_cache_down_a_comment_is_still_taken(world, decision, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    consultation = consult(world, decision)
    assert post(consultation, "缓存不可用时的意见").status_code == 302
    assert PublicComment.objects.filter(text="缓存不可用时的意见").exists()


def test_the_same_text_on_the_same_draft_within_a_day_is_refused(world, decision, second_decision):
    first = consult(world, decision)
    second = consult(world, second_decision)
    kept = services.add_comment(first, author="居民甲", text="建议增设回收点")
    with pytest.raises(ActionRefused, match="24小时内已经提交过"):
        services.add_comment(first, author="居民乙", text="  建议增设回收点 ")
    services.add_comment(second, author="居民甲", text="建议增设回收点")
    services.hide(world.reporter, kept, "重复")
    with pytest.raises(ActionRefused, match="24小时内已经提交过"):
        services.add_comment(first, author="", text="建议增设回收点")
    PublicComment.objects.filter(pk=kept.pk).update(
        submitted_at=timezone.now() - dt.timedelta(hours=25)
    )
    services.add_comment(first, author="居民甲", text="建议增设回收点")
    assert PublicComment.objects.filter(consultation=first).count() == 2


def test_a_duplicate_through_the_page_says_so_and_keeps_the_text(world, decision):
    consultation = consult(world, decision)
    assert post(consultation, "希望公开收运时间表").status_code == 302
    response = post(consultation, "希望公开收运时间表", address="198.51.100.9")
    page = response.content.decode()
    assert response.status_code == 200
    assert "24小时内已经提交过" in page and "希望公开收运时间表</textarea>" in page
    assert PublicComment.objects.filter(consultation=consultation).count() == 1
