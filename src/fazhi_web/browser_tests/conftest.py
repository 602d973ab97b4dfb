from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from fazhi_web.browser_tests.test_walkthrough import ARTIFACTS, CHROMIUM, FLAGS
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SEEDS = Path(__file__).resolve().parents[3] / "samples" / "reports"
ID_NUMBER = "11010519491231002X"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the ORM calls the test
    makes between browser steps are still synchronous. Set per test, not at import, so
    that it never leaks into the other tests' subprocesses (`check --deploy` flags it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _no_sessions_left_on_test_database(django_db_setup, django_db_blocker):
    """Let pytest-django drop the PostgreSQL test database at the end.

    The live server answers each keep-alive browser connection on a daemon
    thread with its own database session; one can still be open when the
    session ends, and DROP DATABASE then fails, leaving `test_test_gw0` behind.
    Set up before the database is torn down, this runs just before it.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture
def open_page(request):
    """Pages of a given size in one Chromium; a failing test leaves their screenshots."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        pages: list[Page] = []

        def new_page(viewport: dict[str, int] = DESKTOP) -> Page:
            page = browser.new_page(viewport=viewport, locale="zh-CN")
            pages.append(page)
            return page

        yield new_page
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for i, page in enumerate(pages):
                page.screenshot(
                    path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True
                )
        browser.close()


@pytest.fixture
def handed_in(world):
    """清溪镇's real report, with an ID number added, handed in by the town."""
    report_services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    text += f"\n联系人身份证号{ID_NUMBER}，请核实。\n"
    version = report_services.upload_version(
        world.reporter, obligation, "清溪镇报告.txt", text.encode()
    )
    report_services.submit(world.reporter, obligation, version)
    obligation.refresh_from_db()
    version.refresh_from_db()
    return obligation, version
