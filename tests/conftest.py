"""Shared fixtures: the bundled sample and the third-party data in ../shared (read, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from analysis import SAMPLE_ARTICLE

PROJECT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TENSION_SHARED", PROJECT.parent / "shared"))
SHARED_DATA = SHARED / "data"

# Hypothesis profiles (tests/test_fuzz.py). "ci", the default, is derandomized so every run tries
# the same examples (a CI failure reproduces locally) and keeps tests/test_fuzz.py within ~90 s on
# two cores; "long" (HYPOTHESIS_PROFILE=long) tries ten times as many, random ones, and keeps the
# failures it finds in .hypothesis/ (git-ignored) to replay them first next time. No deadline:
# spaCy and the tone model take longer on their first call and on a loaded machine. The too_slow
# health check is off because some strategies write real .docx and .pdf files while generating.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or a skip with the reason when this machine has no copy."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"third-party test data not present: {path} (CI has it; see DESIGN.md)")
    return path


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SAMPLE_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_paragraphs(seed_text: str) -> list[str]:
    """The sample's body paragraphs: no title, no trailing boilerplate."""
    paragraphs = [block.strip() for block in seed_text.split("\n\n") if block.strip()]
    return paragraphs[1 : paragraphs.index("Source link")]
