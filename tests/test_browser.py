"""The dashboard once in a real browser: `streamlit run` plus headless system Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from analysis import SAMPLE_ARTICLE
from analysis.ingest import load
from tests.live_dashboard import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    DashboardError,
    running_dashboard,
    wait_until_idle,
)


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found; install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        with running_dashboard(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
            yield url
    except DashboardError as error:
        pytest.fail(str(error))


def test_dashboard_shows_the_sample_in_chromium(dashboard_url: str, tmp_path: Path) -> None:
    (sample,) = load(SAMPLE_ARTICLE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(dashboard_url)
            wait_until_idle(page)
            expect(page.get_by_role("heading", name="Diplomatic tension")).to_be_visible()
            assert sample.title
            expect(page.get_by_role("combobox", name="Article")).to_have_value(sample.title)
            article_text = page.locator(".st-key-article_detail").get_by_test_id("stText").last
            expect(article_text).to_be_visible()
            expect(article_text).to_contain_text(sample.title)
            expect(article_text).to_contain_text(sample.text.splitlines()[-1])
            expect(page.get_by_test_id("stException")).to_have_count(0)
            screenshot = tmp_path / "dashboard.png"
            page.screenshot(path=screenshot, full_page=True)
            assert screenshot.stat().st_size > 10_000
        finally:
            browser.close()
