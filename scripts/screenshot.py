"""Re-make the README screenshot: run the dashboard, open it in headless Chromium, save a PNG.

Usage: .venv/bin/python scripts/screenshot.py [--out docs/screenshot.png] [--db STORE] [--width 1400]
Without --db the dashboard runs on a new store, which it fills with the bundled sample.
Needs the system Chromium at /usr/bin/chromium (`apt-get install -y chromium`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_dashboard import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, running_dashboard, wait_until_idle  # noqa: E402


def capture(url: str, out: Path, width: int) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={**VIEWPORT, "width": width})
            page.goto(url)
            wait_until_idle(page)
            page.wait_for_selector("svg.marks", timeout=60_000)
            page.wait_for_timeout(1000)  # let the data grid finish painting its canvas
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=out)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--db", type=Path, help="the corpus store to show (default: a new one)")
    parser.add_argument("--width", type=int, default=VIEWPORT["width"], help="viewport width in pixels")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found; install it with `apt-get install -y chromium`")
    with tempfile.TemporaryDirectory() as folder, running_dashboard(Path(folder) / "server.log", args.db) as url:
        capture(url, args.out, args.width)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
