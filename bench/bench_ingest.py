"""Ingestion speed per format, against a baseline measured in the same run.

Run: .venv/bin/python bench/bench_ingest.py [--repeat N]
Prints, per format, articles per second, milliseconds per article, peak Python
memory while reading, and the ratio to the baseline (reading and decoding the
same text file with no analysis), so machines of different speed compare.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import SAMPLE_ARTICLE
from analysis.ingest import load, load_bytes


def make_files(folder: Path) -> dict[str, Path]:
    import docx
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    files = {"txt": folder / "a.txt"}
    files["txt"].write_text(text, encoding="utf-8")
    files["html"] = folder / "a.html"
    body = "".join(f"<p>{block}</p>" for block in blocks)
    files["html"].write_text(
        f"<html><head><title>{blocks[0]}</title></head><body><nav>Home</nav>"
        f"<article>{body}</article><footer>(c)</footer></body></html>",
        encoding="utf-8",
    )
    files["pdf"] = folder / "a.pdf"
    styles = getSampleStyleSheet()
    SimpleDocTemplate(str(files["pdf"])).build([Paragraph(block, styles["Normal"]) for block in blocks])
    files["docx"] = folder / "a.docx"
    document = docx.Document()
    for block in blocks:
        document.add_paragraph(block)
    document.save(str(files["docx"]))
    files["jsonl (100 records)"] = folder / "a.jsonl"
    files["jsonl (100 records)"].write_text(
        "\n".join(json.dumps({"title": f"t{n}", "text": f"Record {n}. " + text}) for n in range(100)), "utf-8"
    )
    files["zip (100 txt)"] = folder / "a.zip"
    with zipfile.ZipFile(files["zip (100 txt)"], "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(100):
            archive.writestr(f"{n}.txt", f"Entry {n}.\n\n" + text)
    return files


def measure(function, repeat: int) -> tuple[float, int, float]:
    """Seconds per call (best of `repeat`), articles per call, peak MB of one call."""
    count = len(function())  # warm-up: imports and caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return best, count, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        files = make_files(Path(folder))
        raw = files["txt"].read_bytes()
        baseline, _, _ = measure(lambda: [raw.decode("utf-8")], repeat * 20)
        print(f"baseline (decode one txt already in memory): {baseline * 1e3:.3f} ms")
        print(f"{'format':22} {'articles/s':>11} {'ms/article':>11} {'peak MB':>8} {'x baseline':>11}")
        cases = {name: (lambda path=path: load(path)) for name, path in files.items()}
        cases["upload bytes (txt)"] = lambda: load_bytes(raw, "upload.txt")
        for name, function in cases.items():
            seconds, count, peak = measure(function, repeat)
            per_article = seconds / count
            ratio = per_article / baseline
            print(f"{name:22} {count / seconds:11.1f} {per_article * 1e3:11.2f} {peak:8.1f} {ratio:11.0f}")


if __name__ == "__main__":
    main()
