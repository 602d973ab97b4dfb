"""The README's screenshots, taken from the demo data at 1440×900 and on a 390×844 phone.

    .venv/bin/python scripts/screenshots.py      # writes docs/screenshots/*.png

The demo is loaded into a throw-away SQLite database and served by gunicorn on
a spare port; Playwright drives /usr/bin/chromium. With Pillow installed
(`.venv/bin/pip install pillow`; it is not a dependency of the platform) each
PNG is reduced to a 256-colour palette, a third of its size or less; without
it the shots are kept as Chromium wrote them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
PASSWORD = "screenshot-demo-123"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The demo's report years: 清溪镇's 2021 report waits for review, 2020 has the most reports.
BOARD_YEAR = 2021
STATS_YEAR = 2020


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"演示服务器未能在{seconds:.0f}秒内启动：{base}")


def main() -> None:
    env = dict(os.environ, FAZHI_VAR_DIR=tempfile.mkdtemp(prefix="fazhi-shots-"))
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "fazhi_web.settings"
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    # The hashed static files the pages link to, as `make run` collects them.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.contrib.auth.models import User\n"
            "for u in User.objects.filter(username__in=['reviewer','reporter']):\n"
            f"    u.set_password('{PASSWORD}'); u.save()",
        ],
        env=env,
        check=True,
    )
    port = free_port()
    # Served as `make run` serves it: gunicorn, with WhiteNoise handing out the hashed files.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fazhi_web.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        env=env,
        cwd=REPO,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        written = shoot(base)
    finally:
        server.terminate()
        server.wait(timeout=15)
    for path in written:
        before = path.stat().st_size
        optimise(path)
        print(f"{path.relative_to(REPO)}  {before // 1024} KB → {path.stat().st_size // 1024} KB")


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import Page, sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def snap(page: Page, name: str, url: str | None = None) -> None:
        if url is not None:
            page.goto(base + url)
        page.wait_for_load_state("networkidle")
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path))
        written.append(path)

    def login(page: Page, username: str) -> None:
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('登录')")
        page.wait_for_load_state("networkidle")

    def open_review(page: Page) -> None:
        page.goto(f"{base}/review/?year={BOARD_YEAR}")
        page.click(".board-table tbody tr:first-child a:has-text('审查')")

    def board_rows(page: Page) -> None:
        # On a phone the filters fill the first screen: show the rows below them.
        page.goto(f"{base}/review/?year={BOARD_YEAR}")
        page.locator("#batch").evaluate("el => el.scrollIntoView()")

    def open_selfcheck(page: Page) -> None:
        page.goto(base + "/reports/")
        page.click("a:has-text('查看')")

    def open_published(page: Page) -> None:
        page.goto(base + "/")
        page.click("table.portal-list tbody tr:first-child a")

    def open_evaluation(page: Page) -> None:
        page.goto(base + "/evaluation/")
        page.click("a:has-text('结果')")

    shots: list[tuple[str, dict[str, int], str | None, Callable[[Page], Any] | None, str | None]]
    # (name, viewport, who is logged in, how to get there, or the URL)
    shots = [
        ("portal", DESKTOP, None, None, "/?q=行政复议"),
        ("portal-report", DESKTOP, None, open_published, None),
        ("board", DESKTOP, "reviewer", None, f"/review/?year={BOARD_YEAR}"),
        ("review", DESKTOP, "reviewer", open_review, None),
        ("stats", DESKTOP, "reviewer", None, f"/stats/?year={STATS_YEAR}"),
        ("charts", DESKTOP, "reviewer", None, f"/stats/charts/?year={STATS_YEAR}"),
        ("selfcheck", DESKTOP, "reporter", open_selfcheck, None),
        ("ledgers", DESKTOP, "reviewer", None, "/ledgers/"),
        ("enforcement", DESKTOP, "reviewer", None, "/enforcement/"),
        ("rectification", DESKTOP, "reviewer", None, "/rectification/"),
        ("evaluation", DESKTOP, "reviewer", open_evaluation, None),
        ("board-phone", PHONE, "reviewer", board_rows, None),
        ("review-phone", PHONE, "reviewer", open_review, None),
        ("portal-report-phone", PHONE, None, open_published, None),
        ("stats-phone", PHONE, "reviewer", None, f"/stats/?year={STATS_YEAR}"),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, viewport, who, how, url in shots:
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            if who:
                login(page, who)
            if how is not None:
                how(page)
            snap(page, name, url)
            context.close()
        browser.close()
    return written


def optimise(path: Path) -> None:
    """A 256-colour palette: screenshots of flat pages lose nothing visible."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


if __name__ == "__main__":
    main()
