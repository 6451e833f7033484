"""Diplomatic-tension analysis: statements, speakers, sides, targets, dates and tone.

The package never imports streamlit; `dashboard.py` is the only UI.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

# Data the code reads is found relative to the package, never the working directory.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SAMPLE_ARTICLE = DATA_DIR / "kremlin-cold-war-2021-03-19.txt"
"""The bundled sample: the article the project started from (see data/README.md)."""


_PIPELINE_EXPORTS = ("analyze_text", "analyze_article", "analyze_file")


def __getattr__(name: str) -> object:
    # The pipeline imports spaCy; load it only when analysis is asked for, so that
    # ingestion and the CLI's light commands start fast.
    if name in _PIPELINE_EXPORTS:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


__all__ = ["DATA_DIR", "SAMPLE_ARTICLE", "__version__", *_PIPELINE_EXPORTS]
