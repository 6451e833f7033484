"""Shared fixtures: the bundled sample and the third-party data in ../shared (read, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis import SAMPLE_ARTICLE

PROJECT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TENSION_SHARED", PROJECT.parent / "shared"))
SHARED_DATA = SHARED / "data"


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
