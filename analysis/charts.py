"""Altair charts from the frames of `analysis.aggregate` (no Streamlit here), and the pieces to embed
them in a self-contained HTML page (the Vega scripts inlined from vl-convert, nothing fetched)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

if TYPE_CHECKING:
    from .aggregate import Shift

TONE_DOMAIN: list[float] = [-1.0, 1.0]
DYAD_ARROW = "→"


def _dyad(speaker_side: object, target_side: object) -> str:
    return f"{speaker_side}{DYAD_ARROW}{target_side}"


def _dated(dyads: pd.DataFrame) -> pd.DataFrame:
    """The rows with a period start, with `dyad` and `start` (ISO text Vega parses) columns."""
    rows = dyads[[start is not None and not pd.isna(start) for start in dyads["period_start"]]].copy()
    rows["dyad"] = [_dyad(s, t) for s, t in zip(rows["speaker_side"], rows["target_side"], strict=True)]
    rows["start"] = [start.isoformat() for start in rows["period_start"]]
    rows["period"] = rows["period"].astype(str)
    return rows[["dyad", "start", "period", "count", "mean", "ci_low", "ci_high", "few"]]


def timeline(dyads: pd.DataFrame, shifts: dict[tuple[str, str], list[Shift]] | None = None) -> alt.LayerChart:
    """Mean tone per period per dyad (a frame of `aggregate.dyad_tone`): lines, points sized by the
    statement count, the bootstrap interval as a band, and each shift as a labelled vertical rule."""
    data = _dated(dyads)
    x = alt.X("start:T", title="Period")
    colour = alt.Color("dyad:N", title="Speaker → target")
    tooltip = [
        alt.Tooltip("dyad:N", title="Dyad"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("mean:Q", title="Mean tone", format="+.3f"),
        alt.Tooltip("ci_low:Q", title="CI low", format="+.3f"),
        alt.Tooltip("ci_high:Q", title="CI high", format="+.3f"),
        alt.Tooltip("count:Q", title="Statements"),
    ]
    y = alt.Y("mean:Q", title="Mean tone", scale=alt.Scale(domain=TONE_DOMAIN))
    base = alt.Chart(data).encode(x=x, color=colour)
    band = base.mark_errorband(opacity=0.2).encode(
        y=alt.Y("ci_low:Q", scale=alt.Scale(domain=TONE_DOMAIN)), y2="ci_high:Q"
    )
    line = base.mark_line().encode(y=y)
    points = base.mark_point(filled=True).encode(y=y, size=alt.Size("count:Q", title="Statements"), tooltip=tooltip)
    layers: list[alt.Chart] = [band, line, points]
    rows = [
        {
            "dyad": _dyad(*key),
            "start": shift.period_start.isoformat(),
            "period": shift.period,
            "label": f"{_dyad(*key)} Δ {shift.delta:+.2f}",
            "mean_before": shift.mean_before,
            "mean_after": shift.mean_after,
            "delta": shift.delta,
            "p": shift.confidence,
        }
        for key, found in (shifts or {}).items()
        for shift in found
    ]
    if rows:
        marks = alt.Chart(pd.DataFrame(rows)).encode(x=x, color=colour)
        shift_tooltip = [
            alt.Tooltip("label:N", title="Shift"),
            alt.Tooltip("period:N", title="From"),
            alt.Tooltip("mean_before:Q", title="Mean before", format="+.3f"),
            alt.Tooltip("mean_after:Q", title="Mean after", format="+.3f"),
            alt.Tooltip("p:Q", title="p", format=".3g"),
        ]
        layers.append(marks.mark_rule(strokeDash=[4, 3]).encode(tooltip=shift_tooltip))
        layers.append(
            marks.mark_text(angle=270, align="left", dx=4, dy=-4, baseline="bottom").encode(
                text="label:N", y=alt.value(4)
            )
        )
    return alt.layer(*layers).properties(width=640, height=320, title="Tone by period")


def matrix_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Heatmap speaker side × target side coloured by mean tone (a frame of `aggregate.matrix(level="side")`)."""
    data = frame[["speaker_side", "target_side", "count", "mean"]].copy()
    colour = alt.Color("mean:Q", title="Mean tone", scale=alt.Scale(scheme="redblue", domain=TONE_DOMAIN, domainMid=0))
    tooltip = [
        alt.Tooltip("speaker_side:N", title="Speaker side"),
        alt.Tooltip("target_side:N", title="Target side"),
        alt.Tooltip("mean:Q", title="Mean tone", format="+.3f"),
        alt.Tooltip("count:Q", title="Statements"),
    ]
    base = alt.Chart(data).encode(
        x=alt.X("target_side:N", title="Target side"), y=alt.Y("speaker_side:N", title="Speaker side")
    )
    cells = base.mark_rect().encode(color=colour, tooltip=tooltip)
    labels = base.mark_text().encode(text=alt.Text("mean:Q", format="+.2f"), tooltip=tooltip)
    return alt.layer(cells, labels).properties(title="Tone by speaker side × target side")


def vega_script() -> str:
    """The vega, vega-lite and vega-embed JavaScript bundled in vl-convert, for one inline <script>."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert()).replace("</script", "<\\/script")


def embed(chart: alt.Chart | alt.LayerChart, div_id: str) -> str:
    """A <div> and the <script> that draws `chart` into it (needs `vega_script()` on the page).
    The spec's JSON has "<" escaped, so no data value can close the script element."""
    spec = json.dumps(chart.to_dict(), ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<div class="vega-chart" id="{div_id}"></div>\n'
        f'<script type="text/javascript">vegaEmbed("#{div_id}", {spec}, {{"mode": "vega-lite"}})'
        ".catch(console.error);</script>"
    )
