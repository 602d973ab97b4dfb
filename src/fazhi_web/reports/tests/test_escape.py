"""Report text is data, never markup."""

from __future__ import annotations

from django.urls import reverse

from fazhi_web.reports import services
from fazhi_web.reports.tests.conftest import REPORT_TEXT

SCRIPT = "<script>alert(1)</script>"


def test_script_in_report_text_is_escaped_on_the_obligation_page(client, world, obligation):
    text = REPORT_TEXT.replace("扎实推进法治政府建设", f"扎实推进{SCRIPT}法治政府建设")
    services.paste_version(world.reporter, obligation, text)
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in page


def test_script_in_file_name_and_finding_quote_is_escaped(client, world, obligation):
    # A doubled character right after the script makes it part of a finding's quote.
    text = REPORT_TEXT.replace("镇党委召开", f"镇党委{SCRIPT}为为召开")
    services.upload_version(world.reporter, obligation, f"{SCRIPT}.txt", text.encode("utf-8"))
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.txt" in page


def test_script_in_report_text_is_escaped_on_the_diff_page(client, world, obligation):
    services.paste_version(world.reporter, obligation, REPORT_TEXT)
    services.paste_version(world.reporter, obligation, REPORT_TEXT + f"补充说明{SCRIPT}\n")
    client.force_login(world.reporter)
    page = client.get(reverse("reports:diff", args=[obligation.pk])).content.decode()
    assert "补充说明&lt;script&gt;" in page
    assert SCRIPT not in page
