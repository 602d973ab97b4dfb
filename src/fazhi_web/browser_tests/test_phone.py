"""On a 390 px phone no page of the reviewer's day scrolls sideways: wide tables scroll
inside their own box, and everything else wraps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi_web.browser_tests.conftest import PHONE
from fazhi_web.browser_tests.test_walkthrough import login
from fazhi_web.review import services as review_services
from fazhi_web.stats.tests.build import open_years, published, submitted

YEAR = 2021


@pytest.mark.django_db(transaction=True)
def test_no_sideways_scroll_at_390_px(live_server, world, seed_bytes, open_page):
    open_years(world, YEAR)
    public = published(world, world.bureau, YEAR, seed_bytes["004"])
    waiting = submitted(world, world.town, YEAR, seed_bytes["002"])
    review_services.add_comment(world.reviewer, waiting, "请补充行政复议案件的办理情况。")
    page = open_page(PHONE)
    login(page, live_server.url, "reviewer")
    pages = {
        "看板": reverse("review:board"),
        "审查": reverse("review:report", args=[waiting.pk]),
        "公开报告": reverse("portal:report", args=[public.pk]),
        "统计表": reverse("stats:table") + "?empty=1",
        "统计图": reverse("stats:charts"),
        "公开统计": reverse("portal:stats"),
    }
    wide = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
    assert wide == {}, f"pages wider than {PHONE['width']} px: {wide}"
