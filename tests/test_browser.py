"""The dashboard once in a real browser: `streamlit run` on its own store plus headless system Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from analysis.ingest import load_bytes
from tests.live_dashboard import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    DashboardError,
    running_dashboard,
    wait_until_idle,
)

SECOND = (
    "Lavrov warns Washington\n\n"
    "MOSCOW, June 3, 2022 - Russian Foreign Minister Sergei Lavrov said on Friday that Washington was "
    "destroying the last arms control treaties and that Moscow would respond firmly to any new sanctions.\n\n"
    "US Secretary of State Antony Blinken said Russia had chosen confrontation and that the United States "
    "would hold Moscow accountable for its aggression.\n"
)
HOSTILE_TITLE = "<script>alert('title')</script> Peskov <img src=x onerror=alert(2)>"
HOSTILE = (
    f"{HOSTILE_TITLE}\n\n"
    "MOSCOW, July 1, 2022 - Kremlin spokesman Dmitry Peskov said that <script>alert('x')</script> "
    "was not a threat and that Washington <img src=x onerror=alert(1)> had chosen escalation.\n"
)
POINTS = ".st-key-chart_timeline svg.marks .mark-symbol path"


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found; install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("streamlit")
    try:
        with running_dashboard(folder / "server.log", folder / "corpus.sqlite") as url:
            yield url
    except DashboardError as error:
        pytest.fail(str(error))


def upload(page: Page, name: str, text: str) -> None:
    expander = page.get_by_test_id("stExpander").filter(has_text="Add articles")
    if not expander.get_by_test_id("stFileUploaderDropzone").is_visible():  # the expander is closed
        expander.get_by_text("Add articles").click()
    expander.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode("utf-8")}]
    )
    page.wait_for_timeout(300)
    wait_until_idle(page)


def test_dashboard_end_to_end_in_chromium(dashboard_url: str, tmp_path: Path) -> None:
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(dashboard_url)
            wait_until_idle(page)
            expect(page.get_by_role("heading", name="Diplomatic tension")).to_be_visible()
            expect(page.locator(".st-key-chart_timeline svg.marks")).to_be_visible(timeout=30_000)
            before = page.locator(POINTS).count()
            assert before >= 2  # USA→RUS and RUS→USA on the sample's week
            page.locator(POINTS).first.click(force=True)  # a point lists its statements
            expect(page.get_by_text("Statements behind")).to_be_visible(timeout=30_000)
            wait_until_idle(page)
            expect(page.get_by_test_id("stMain").get_by_test_id("stDataFrame")).to_have_count(1)

            upload(page, "lavrov.txt", SECOND)
            expect(page.get_by_text("lavrov.txt: 1 added")).to_be_visible()
            expect(page.locator(POINTS)).not_to_have_count(before, timeout=30_000)
            assert page.locator(POINTS).count() > before

            with page.expect_download(timeout=60_000) as info:
                page.locator(".st-key-chart_timeline").locator(".st-key-export_timeline_png").get_by_role(
                    "button"
                ).click()
            png = tmp_path / "timeline.png"
            info.value.save_as(png)
            assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
            assert png.stat().st_size > 5_000

            upload(page, "hostile.txt", HOSTILE)
            expect(page.get_by_text("hostile.txt: 1 added")).to_be_visible()
            (hostile,) = load_bytes(HOSTILE.encode(), "hostile.txt")
            page.goto(f"{dashboard_url}/?article={hostile.id}")
            wait_until_idle(page)
            reader = page.locator(".st-key-article_reader")
            expect(reader.get_by_role("heading", name=HOSTILE_TITLE)).to_be_visible()
            expect(reader.get_by_text("<script>alert('x')</script>", exact=False)).to_be_visible()
            expect(reader.get_by_text("<img src=x onerror=alert(1)>", exact=False)).to_be_visible()
            assert reader.locator("img, script").count() == 0
            expect(page.get_by_test_id("stException")).to_have_count(0)
            page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
        finally:
            browser.close()
    assert dialogs == [], "a script from an article ran"
