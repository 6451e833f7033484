"""The dashboard served for real and a headless Chromium to look at it: shared by the
browser test and scripts/screenshot.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach the (closed) network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SERVER_START_SECONDS = 60.0
IDLE_TIMEOUT_MS = 60_000


class DashboardError(RuntimeError):
    """The dashboard did not start; the message holds its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise DashboardError(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with no_proxy.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise DashboardError(
        f"streamlit did not answer within {SERVER_START_SECONDS} s:\n{log.read_text(errors='replace')}"
    )


@contextmanager
def running_dashboard(log: Path, db: Path | None = None) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free local port until the block ends; yields its URL.
    db: the corpus store it opens (TENSION_DB); default: `store.sqlite` next to the log, so a test
    never touches the user's own store."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
               "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]  # fmt: skip
    with log.open("wb") as log_file:
        environment = {**os.environ, "TENSION_DB": str(db or log.with_name("store.sqlite"))}
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_idle(page: Page) -> None:
    """The app has finished its script run and nothing on the page is stale."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=IDLE_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=IDLE_TIMEOUT_MS)
