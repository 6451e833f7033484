"""Altair charts from the frames of `analysis.aggregate` (no Streamlit here), and the pieces to embed
them in a self-contained HTML page (the Vega scripts inlined from vl-convert, nothing fetched)."""

from __future__ import annotations

import functools
import itertools
import json
import statistics
from datetime import date
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

if TYPE_CHECKING:
    from .aggregate import Shift

TONE_DOMAIN: list[float] = [-1.0, 1.0]
DYAD_ARROW = "→"
PICK = "pick"
"""Name of the click-selection parameter of the selectable charts (Streamlit reports selections by it)."""
TONE_SCHEME = alt.Scale(scheme="redblue", domain=TONE_DOMAIN, domainMid=0)
"""Red hostile, blue friendly, white neutral: the diverging scale every tone colour uses."""
EXPORT_FORMATS: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "json": "application/json",
}
"""Chart export formats and their MIME types; "json" is the Vega-Lite specification itself."""
PNG_SCALE = 2
"""Pixel density of exported PNGs: twice the on-screen size, sharp on high-density screens and in print."""


def _dyad(speaker_side: object, target_side: object) -> str:
    return f"{speaker_side}{DYAD_ARROW}{target_side}"


def _dated(dyads: pd.DataFrame) -> pd.DataFrame:
    """The rows with a period start, with `dyad` and `start` (ISO text Vega parses) columns."""
    rows = dyads[[start is not None and not pd.isna(start) for start in dyads["period_start"]]].copy()
    rows["dyad"] = [_dyad(s, t) for s, t in zip(rows["speaker_side"], rows["target_side"], strict=True)]
    rows["start"] = [start.isoformat() for start in rows["period_start"]]
    rows["period"] = rows["period"].astype(str)
    rows["run"] = runs(rows["dyad"].tolist(), [start for start in dyads.loc[rows.index, "period_start"]])
    return rows[["dyad", "start", "period", "count", "mean", "ci_low", "ci_high", "few", "run"]]


GAP_FACTOR = 4
"""A dyad's line and band break where two neighbouring periods are more than this many times
its usual (median) spacing apart: a line across fifteen silent years would show a trend nobody
measured. Points stay; only the connection between them goes."""


def runs(dyads: list[str], starts: list[date]) -> list[str]:
    """For each point, the run of its dyad it belongs to ("USA→RUS#0", "USA→RUS#1", ...): a new run
    starts after a gap of more than GAP_FACTOR times the dyad's median gap between periods."""
    by_dyad: dict[str, list[int]] = {}
    for index, dyad in enumerate(dyads):
        by_dyad.setdefault(dyad, []).append(index)
    labels = [""] * len(dyads)
    for dyad, indices in by_dyad.items():
        ordered = sorted(indices, key=lambda index: starts[index])
        gaps = [(starts[b] - starts[a]).days for a, b in itertools.pairwise(ordered)]
        usual = statistics.median(gaps) if gaps else 0
        run = 0
        for position, index in enumerate(ordered):
            if position and usual > 0 and gaps[position - 1] > GAP_FACTOR * usual:
                run += 1
            labels[index] = f"{dyad}#{run}"
    return labels


def timeline(
    dyads: pd.DataFrame, shifts: dict[tuple[str, str], list[Shift]] | None = None, selectable: bool = False
) -> alt.LayerChart:
    """Mean tone per period per dyad (a frame of `aggregate.dyad_tone`): lines, points sized by the
    statement count, the bootstrap interval as a band, and each shift as a labelled vertical rule.

    selectable: clicking a point selects it (the `PICK` parameter, fields dyad and period), so a
    dashboard can list that point's statements."""
    data = _dated(dyads)
    x = alt.X("start:T", title="Period")
    colour = alt.Color("dyad:N", title="Speaker → target", scale=alt.Scale(scheme="category10"))
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
        y=alt.Y("ci_low:Q", title="Mean tone", scale=alt.Scale(domain=TONE_DOMAIN)),
        y2="ci_high:Q",
        detail="run:N",
    )
    line = base.mark_line().encode(y=y, detail="run:N")
    points = base.mark_point(filled=True).encode(y=y, size=alt.Size("count:Q", title="Statements"), tooltip=tooltip)
    if selectable:
        pick = alt.selection_point(name=PICK, fields=["dyad", "period"], on="click")
        points = points.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)))
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


def matrix_chart(frame: pd.DataFrame, level: str = "side", selectable: bool = False) -> alt.LayerChart:
    """Heatmap speaker × target coloured by mean tone (a frame of `aggregate.matrix`): side codes at
    level "side", actor names at level "actor". selectable: clicking a cell selects it (`PICK`, fields
    speaker and target)."""
    data = frame[["speaker", "target", "speaker_side", "target_side", "count", "mean"]].copy()
    what = "side" if level == "side" else "actor"
    colour = alt.Color("mean:Q", title="Mean tone", scale=TONE_SCHEME)
    tooltip = [
        alt.Tooltip("speaker:N", title=f"Speaker {what}"),
        alt.Tooltip("target:N", title=f"Target {what}"),
        alt.Tooltip("mean:Q", title="Mean tone", format="+.3f"),
        alt.Tooltip("count:Q", title="Statements"),
    ]
    if level != "side":
        tooltip[2:2] = [
            alt.Tooltip("speaker_side:N", title="Speaker side"),
            alt.Tooltip("target_side:N", title="Target side"),
        ]
    base = alt.Chart(data).encode(
        x=alt.X("target:N", title=f"Target {what}"),
        y=alt.Y("speaker:N", title=f"Speaker {what}"),
    )
    cells = base.mark_rect().encode(color=colour, tooltip=tooltip)
    if selectable:
        pick = alt.selection_point(name=PICK, fields=["speaker", "target"], on="click")
        cells = cells.add_params(pick).encode(
            stroke=alt.condition(pick, alt.value("black"), alt.value(None)), strokeWidth=alt.value(2)
        )
    labels = base.mark_text(fontSize=10).encode(text=alt.Text("mean:Q", format="+.2f"), tooltip=tooltip)
    return alt.layer(cells, labels).properties(title=f"Tone by speaker {what} × target {what}")


ACTOR_SORTS: tuple[str, ...] = ("count", "tone", "name")


def actor_bars(frame: pd.DataFrame, sort: str = "count") -> alt.Chart:
    """Mean tone per speaker (a frame of `aggregate.actor_tone`) as horizontal bars coloured by tone.
    sort: "count" (most statements first), "tone" (most hostile first) or "name"."""
    if sort not in ACTOR_SORTS:
        raise ValueError(f"sort must be one of {ACTOR_SORTS}, not {sort!r}")
    data = frame[["speaker", "speaker_side", "count", "mean"]].copy()
    data["speaker_side"] = [side if isinstance(side, str) else "none" for side in data["speaker_side"]]
    if sort == "count":
        y_sort: alt.SortField | str = alt.SortField("count", order="descending")
    elif sort == "tone":
        y_sort = alt.SortField("mean", order="ascending")
    else:
        y_sort = "ascending"
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("mean:Q", title="Mean tone", scale=alt.Scale(domain=TONE_DOMAIN)),
            y=alt.Y("speaker:N", title=None, sort=y_sort),
            color=alt.Color("mean:Q", title="Mean tone", scale=TONE_SCHEME),
            tooltip=[
                alt.Tooltip("speaker:N", title="Speaker"),
                alt.Tooltip("speaker_side:N", title="Side"),
                alt.Tooltip("mean:Q", title="Mean tone", format="+.3f"),
                alt.Tooltip("count:Q", title="Statements"),
            ],
        )
        .properties(width=520, height=alt.Step(18), title="Mean tone by speaker")
    )


def with_provenance(chart: alt.TopLevelMixin, version: str, filters: str) -> alt.TopLevelMixin:
    """The chart with the analysis version and the filters as its subtitle (so an exported image says
    what it shows) and in its `usermeta` (so does the Vega-Lite JSON)."""
    title = chart.title if isinstance(chart.title, str) else ""
    subtitle = [f"Filters: {filters}", f"Analysis version {version}"]
    return chart.properties(
        title=alt.Title(title, subtitle=subtitle, subtitleFontSize=10, anchor="start"),
        usermeta={"analysis_version": version, "filters": filters},
    )


@functools.lru_cache(maxsize=64)
def export_chart(spec: str, fmt: str) -> bytes:
    """A chart (its Vega-Lite JSON text) as PNG, SVG, PDF, offline HTML or the JSON itself.

    Cached by spec and format: vl-convert's first call starts its JavaScript engine (about a
    second), later ones take tens of milliseconds, and the same chart asked twice costs nothing."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {tuple(EXPORT_FORMATS)}, not {fmt!r}")
    if fmt == "json":
        return json.dumps(json.loads(spec), indent=2, ensure_ascii=False).encode("utf-8")
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    version = vl_version_for_vl_convert()
    if fmt == "png":
        return bytes(vl_convert.vegalite_to_png(spec, vl_version=version, scale=PNG_SCALE))
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec, vl_version=version).encode("utf-8")
    if fmt == "pdf":
        return bytes(vl_convert.vegalite_to_pdf(spec, vl_version=version))
    # Our own page rather than vl-convert's: its HTML writes the spec into a <script> unescaped, so
    # a speaker or title containing "</script>" would end the script and inject markup.
    return chart_page(spec).encode("utf-8")


def chart_page(spec: str, title: str = "Chart") -> str:
    """A self-contained HTML page drawing one chart (its Vega-Lite JSON text): the Vega scripts
    inlined (renders offline), the spec's "<" escaped so no data value can close the script."""
    import html

    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<script type="text/javascript">\n{vega_script()}\n</script>\n</head>\n<body>\n'
        f"{embed_spec(spec, 'chart')}\n</body>\n</html>\n"
    )


def vega_script() -> str:
    """The vega, vega-lite and vega-embed JavaScript bundled in vl-convert, for one inline <script>."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert()).replace("</script", "<\\/script")


def embed(chart: alt.Chart | alt.LayerChart, div_id: str) -> str:
    """A <div> and the <script> that draws `chart` into it (needs `vega_script()` on the page)."""
    return embed_spec(json.dumps(chart.to_dict(), ensure_ascii=False), div_id)


def embed_spec(spec: str, div_id: str) -> str:
    """`embed` for a spec given as JSON text. The JSON has "<" escaped (as \\u003c, the same string
    to JavaScript), so no data value can close the script element."""
    spec = json.dumps(json.loads(spec), ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<div class="vega-chart" id="{div_id}"></div>\n'
        f'<script type="text/javascript">vegaEmbed("#{div_id}", {spec}, {{"mode": "vega-lite"}})'
        ".catch(console.error);</script>"
    )
