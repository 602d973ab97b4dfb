"""Screenshots of the main pages for the README, taken from the demo data.

.venv/bin/python scripts/screenshots.py      # writes docs/screenshots/*.png
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
PORT = 8765
PASSWORD = "screenshot-demo-123"


def main() -> None:
    env = dict(os.environ, FAZHI_VAR_DIR=tempfile.mkdtemp(prefix="fazhi-shots-"))
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "fazhi_web.settings"
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.contrib.auth.models import User\n"
            f"for u in User.objects.filter(username__in=['reviewer','reporter']): u.set_password('{PASSWORD}'); u.save()",
        ],
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [*manage, "runserver", "--insecure", f"127.0.0.1:{PORT}", "--noreload"], env=env
    )
    try:
        time.sleep(3)
        shoot()
    finally:
        server.terminate()


def shoot() -> None:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{PORT}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

        def snap(name: str, url: str) -> None:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"))

        snap("portal", "/?q=行政复议")

        def login(username: str) -> None:
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button:has-text('登录')")

        login("reviewer")
        snap("board", "/review/?year=2021")
        page.goto(base + "/review/?year=2021")
        page.click("a:has-text('清溪镇')")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "review.png"))
        snap("stats", "/stats/?year=2020")
        snap("charts", "/stats/charts/?year=2020")
        page.click("header button:has-text('退出')")
        login("reporter")
        page.goto(base + "/reports/")
        page.click("a:has-text('查看')")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / "selfcheck.png"))
        browser.close()


if __name__ == "__main__":
    main()
