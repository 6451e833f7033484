"""Streamlit dashboard: UI only. Run with `streamlit run dashboard.py`.

It opens on the corpus store (`TENSION_DB`, else the same default as the CLI), fills an empty
store with the bundled sample, and draws what `analysis.views`, `analysis.aggregate` and
`analysis.charts` compute. Frames are cached by the store file's state and the filters, so a
filter change or a new article reruns only what changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis import SAMPLE_ARTICLE, __version__, charts, nlp, tone, tone_model, views
from analysis.ingest import IngestError, load
from analysis.store import Store, StoreError, analysis_version, default_path

# Every ASCII punctuation mark can be backslash-escaped in CommonMark; Streamlit adds
# ":emoji:" and ":color[...]" directives, so ":" is escaped too.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: str) -> str:
    """`text` escaped for the Markdown-rendering elements (st.error, st.markdown, labels): names and
    reasons from users and articles must show as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


UPLOAD_TYPES = ["txt", "md", "html", "htm", "pdf", "docx", "json", "jsonl", "csv", "zip"]
VIEWS = ("Overview", "Actors", "Statements", "Articles", "Unresolved speakers")
FREQ_NAMES = {"D": "day", "W": "week", "M": "month", "article": "article"}
SCORER_NAMES = {
    "model": "fine-tuned model (MiniLM, int8 ONNX)",
    "lexicon": "lexicon (VADER + diplomatic lexicon)",
}
FORMAT_LABELS = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "html": "HTML", "json": "Vega-Lite"}
TONE_FORMAT = "%+.2f"


# ------------------------------------------------------------------ cached resources and data


@st.cache_resource(show_spinner="Opening the corpus store…")
def open_store(path: str) -> Store:
    """One open store per file for every session (the Store serialises its own transactions)."""
    return Store(path)


@st.cache_resource(show_spinner="Loading the language model…")
def analysis_pipeline() -> str:
    """spaCy's English pipeline, loaded once per server process the first time something is analysed
    (a store that is already filled is charted without it). The tone model loads with `tone_scorers`."""
    nlp.english()
    return nlp.model_name()


@st.cache_resource(show_spinner="Loading the tone scorers…")
def tone_scorers() -> tuple[tuple[str, ...], str]:
    """The tone scorers this installation has, and why the model is missing if it is (loaded once)."""
    return tone.available_scorers(), tone_model.unavailable_reason()


# The corpus frame and the filtered statements are cached as resources, not data: st.cache_data
# hands every rerun a fresh unpickled copy, which for 100,000 statements costs more than the
# rerun itself. Both are only read, never changed in place.
@st.cache_resource(show_spinner="Reading the corpus…", max_entries=2)
def corpus_frame(path: str, token: tuple[int, ...]) -> pd.DataFrame:
    """Every stored statement with its text; `token` (the store file's state) keys the cache."""
    return views.corpus_frame(open_store(path))


@st.cache_data(max_entries=32)
def timeline_data(
    path: str, token: tuple[int, ...], filters: views.Filters, _frame: pd.DataFrame
) -> tuple[pd.DataFrame, dict[tuple[str, str], list[Any]]]:
    return views.timeline_frame(_frame, filters)


@st.cache_data(max_entries=32)
def headline_data(path: str, token: tuple[int, ...], filters: views.Filters, _frame: pd.DataFrame) -> views.Headline:
    return views.headline(_frame, filters)


@st.cache_resource(max_entries=8)
def filtered(path: str, token: tuple[int, ...], filters: views.Filters, _frame: pd.DataFrame) -> pd.DataFrame:
    return views.apply_filters(_frame, filters)


@st.cache_data(max_entries=4)
def sidebar_choices(
    path: str, token: tuple[int, ...], _frame: pd.DataFrame
) -> tuple[dict[str, list[str]], tuple[Any, Any] | None]:
    """The sidebar's choices and the corpus's date span: they change only with the store."""
    return views.options(_frame), views.date_span(_frame)


@st.cache_data(max_entries=4)
def stored_articles(path: str, token: tuple[int, ...]) -> list[dict[str, Any]]:
    return open_store(path).articles()


@st.cache_resource(max_entries=32)
def chart_spec(key: tuple[Any, ...], _build: Callable[[], alt.TopLevelMixin]) -> str:
    """A chart's Vega-Lite specification as JSON, built once per `key`: the store's state, the
    filters and the chart's own choices. Converting an Altair chart costs about 0.15 s, which every
    rerun paid for every chart on the page."""
    # Not validated against the Vega-Lite schema on every build (a third of the cost): the chart
    # builders are validated by the tests (test_views), and vl-convert checks every export.
    return _build().to_json(validate=False)


@st.cache_data(max_entries=32)
def actor_data(path: str, token: tuple[int, ...], filters: views.Filters, _frame: pd.DataFrame) -> pd.DataFrame:
    return views.actors(_frame, filters)


@st.cache_data(max_entries=32)
def matrix_data(
    path: str, token: tuple[int, ...], filters: views.Filters, level: str, _frame: pd.DataFrame
) -> pd.DataFrame:
    return views.top_matrix(_frame, filters, level)


# ------------------------------------------------------------------ pieces


def export_buttons(spec: str, stem: str, filters: views.Filters, key: str) -> None:
    """Download buttons for a chart (its Vega-Lite JSON): each file is made only when its button is
    clicked, and cached by the chart's specification (`charts.export_chart`)."""
    columns = st.columns(len(charts.EXPORT_FORMATS), gap="small")
    for column, (fmt, mime) in zip(columns, charts.EXPORT_FORMATS.items(), strict=True):
        extension = "vl.json" if fmt == "json" else fmt
        column.download_button(
            FORMAT_LABELS[fmt],
            data=lambda fmt=fmt: charts.export_chart(spec, fmt),
            file_name=views.export_name(stem, extension, filters),
            mime=mime,
            key=f"{key}_{fmt}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def show_chart(
    build: Callable[[], alt.TopLevelMixin],
    cache_key: tuple[Any, ...],
    stem: str,
    filters: views.Filters,
    key: str,
    selectable: bool = False,
) -> Any:  # noqa: ANN401 - Streamlit's selection state
    """Draw a chart with the analysis version and filters in its subtitle, then its export buttons.
    `build` makes the chart; it runs only when `cache_key` (with the filters) is new."""
    version = analysis_version()
    spec = chart_spec(
        (stem, version, filters, *cache_key),
        lambda: charts.with_provenance(build(), version, filters.text()),
    )
    with st.container(key=f"chart_{key}"):
        # A fresh dict each run: Streamlit may add to the spec it is given, and the cached one is shared.
        if selectable:
            event = st.vega_lite_chart(json.loads(spec), on_select="rerun", selection_mode=charts.PICK, key=key)
        else:
            st.vega_lite_chart(json.loads(spec))
            event = None
        export_buttons(spec, stem, filters, key=f"export_{key}")
    return event


def statements_list(rows: pd.DataFrame, key: str, selectable: bool = False) -> Any:  # noqa: ANN401
    """A statements table (text shown as plain cells: the grid never renders HTML)."""
    table = views.statement_table(rows)
    return st.dataframe(
        table,
        hide_index=True,
        key=key,
        on_select="rerun" if selectable else "ignore",
        selection_mode="single-row",
        column_config={
            "tone": st.column_config.NumberColumn(format=TONE_FORMAT, help="−1 hostile … +1 friendly"),
            "stance": st.column_config.NumberColumn(format="%+.1f", help="−1 conflict … +1 cooperation"),
            "text": st.column_config.TextColumn(width="large"),
            "date": st.column_config.DateColumn(help="The day it was said, else the publication date"),
        },
    )


def selected_row(event: Any) -> int | None:  # noqa: ANN401 - Streamlit's selection state
    try:
        rows = event.selection.rows
    except AttributeError:
        return None
    return rows[0] if rows else None


def show_reader(corpus: Store, frame: pd.DataFrame, article_id: str, selected: int | None = None) -> None:
    """An article with its statements highlighted; with `selected` (a row label of `frame`), that
    statement emphasised and explained: who said it, how the speaker was found, what drove its tone."""
    article = corpus.article(article_id)
    if article is None:
        st.warning("That article is no longer in the store.")
        return
    statements = frame[frame["article_id"] == article_id]
    with st.container(key="article_reader"):
        st.subheader(plain(article.title or article.origin))
        facts = [article.published.isoformat() if article.published else "no date", article.source or "no source"]
        facts += [f"language: {article.language}", f"{len(statements)} statements"]
        st.caption(plain(" · ".join(facts)))
        if article.language != views.ENGLISH:
            st.warning(
                "This article is not in English: its tones are unreliable and are left out of the charts "
                "unless 'Include articles not in English' is on."
            )
        if selected is not None and selected in statements.index:
            row = statements.loc[selected]
            left, right = st.columns([3, 2])
            with left:
                st.text(str(row["content"]))
                drivers = [
                    (article.text[start:end], weight) for start, end, weight in row["drivers"] if 0 <= start < end
                ]
                if drivers:
                    st.caption(
                        "Words that moved the tone: "
                        + plain(", ".join(f"{word} ({weight:+.2f})" for word, weight in drivers))
                    )
            with right:
                targets = ", ".join(
                    f"{name} ({side or '?'}) {value:+.2f}"
                    for name, side, value in zip(row["targets"], row["target_sides"], row["target_tones"], strict=True)
                )
                details = pd.DataFrame(
                    {
                        "field": ["speaker", "side", "found by", "cue", "kind", "said on", "tone", "stance", "targets"],
                        "value": [
                            row["speaker"] or "unknown",
                            row["speaker_side"] or "none",
                            f"{row['resolution']}: {views.RESOLUTIONS.get(row['resolution'], '')}",
                            row["cue"],
                            row["kind"],
                            row["said_on"].isoformat() if row["said_on"] else "unknown",
                            f"{row['tone']:+.2f} ({row['tone_label']}) by the {row['scorer']} scorer",
                            f"{row['stance']:+.1f}" + (" (disagrees with the tone)" if row["mixed_signals"] else ""),
                            targets or "none",
                        ],
                    }
                )
                st.dataframe(details, hide_index=True, width="stretch")
        st.caption(
            "Statements are shaded yellow, the selected one stronger with its speaker underlined; "
            "red and blue mark the words that pushed its tone toward hostile and friendly."
        )
        with st.container(height=520, key="article_text"):
            # views.article_html escapes every character of the article; only our own spans are markup.
            st.html(views.article_html(article.text, statements, selected))


# ------------------------------------------------------------------ sidebar


def clean_choices(key: str, allowed: list[str]) -> None:
    """Drop remembered choices that no longer exist (an article was removed), before the widget runs."""
    if key in st.session_state:
        st.session_state[key] = [value for value in st.session_state[key] if value in allowed]


def sidebar_filters(path: str, token: tuple[int, ...], frame: pd.DataFrame) -> views.Filters:
    choices, span = sidebar_choices(path, token, frame)
    bar = st.sidebar
    bar.header("Filters")
    every_side = bar.toggle("Every side", key="every_side", help="Chart every pair of sides, not just one dyad.")
    sides = choices["sides"]
    dyad: tuple[str, str] | None = None
    if not every_side:
        first, second = bar.columns(2)
        side_a = first.selectbox("Side", sides, index=sides.index(views.DEFAULT_DYAD[0]), key="side_a")
        side_b = second.selectbox("↔ side", sides, index=sides.index(views.DEFAULT_DYAD[1]), key="side_b")
        dyad = (side_a, side_b)
        if side_a == side_b:
            bar.warning("Pick two different sides.")
    since = until = None
    if bar.checkbox("Limit the dates", key="limit_dates", disabled=span is None):
        chosen = bar.date_input("Dates", value=span, key="dates", format="YYYY-MM-DD")
        if isinstance(chosen, tuple | list) and len(chosen) == 2:
            since, until = chosen
        elif isinstance(chosen, tuple | list) and len(chosen) == 1:
            since = chosen[0]
    clean_choices("speakers", choices["speakers"])
    clean_choices("sources", choices["sources"])
    speakers = bar.multiselect("Speakers", choices["speakers"], key="speakers", placeholder="All speakers")
    sources = bar.multiselect("Sources", choices["sources"], key="sources", placeholder="All sources")
    kinds = bar.multiselect(
        "Statement kinds",
        list(views.KINDS),
        default=list(views.DEFAULT_KINDS),
        key="kinds",
        help="Journalists' questions are not a side's rhetoric: they are off unless you add them.",
    )
    freq = bar.selectbox(
        "Period", list(FREQ_NAMES), index=1, format_func=FREQ_NAMES.get, key="freq", help="One timeline point per …"
    )
    basis = bar.radio(
        "Date statements by",
        ["published", "said_on"],
        format_func={"published": "publication date", "said_on": "day said"}.get,
        key="date_basis",
        horizontal=True,
    )
    min_count = bar.number_input(
        "Minimum statements per point", min_value=1, max_value=1000, value=1, step=1, key="min_count"
    )
    other = bar.checkbox(
        "Include articles not in English",
        key="other_languages",
        help="Both tone scorers read English only; scores of other languages are noise.",
    )
    try:
        return views.Filters(
            dyad=dyad if dyad is None or dyad[0] != dyad[1] else None,
            since=since,
            until=until,
            speakers=tuple(speakers),
            sources=tuple(sources),
            kinds=tuple(kinds),
            min_count=int(min_count),
            freq=freq,
            date_basis=basis,
            other_languages=other,
        )
    except ValueError as error:
        bar.error(plain(str(error)))
        return views.Filters()


def scorer_panel(corpus: Store, frame: pd.DataFrame, token: tuple[int, ...]) -> str:
    """Which scorer produced the stored tones, the scorer for new articles, and a rescore switch."""
    available, reason = tone_scorers()
    bar = st.sidebar
    bar.header("Tone")
    stored = sorted({scorer for scorer in frame["scorer"] if isinstance(scorer, str)})
    used = " and ".join(SCORER_NAMES.get(name, name) for name in stored) or "nothing yet"
    bar.caption(plain(f"The tones shown come from the {used}."))
    scorer = bar.radio(
        "Tone scorer",
        options=list(available),
        index=list(available).index(stored[0]) if len(stored) == 1 and stored[0] in available else 0,
        format_func=SCORER_NAMES.get,
        key="tone_scorer",
        help="Who scores the tone of each statement toward each target. The words that drove a "
        "statement's tone always come from the lexicon scorer.",
    )
    if reason:
        bar.info(f"The fine-tuned tone model is not available, so tones come from the lexicon: {plain(reason)}")
    scorer = scorer or "lexicon"
    stale = [row for row in stored_articles(str(corpus.path), token) if row.get("scorer") != scorer]
    if stale and bar.button(f"Rescore {len(stale)} article(s) with the {scorer} scorer", key="rescore"):
        progress = bar.progress(0.0, text="Rescoring…")
        done = corpus.rescore(
            progress=lambda i, n: progress.progress(i / max(1, n), text=f"Rescoring: {i} of {n}"), scorer=scorer
        )
        progress.empty()
        bar.success(f"Rescored {done} article(s).")
    return scorer


def report_outcomes(outcomes: list[views.AddOutcome]) -> None:
    for outcome in outcomes:
        name = plain(outcome.origin)
        counts = f"{outcome.added} added, {outcome.duplicates} already stored"
        if outcome.failed:
            st.error(f"{name}: failed. {plain('; '.join(outcome.problems))}", icon=":material/error:")
            continue
        if outcome.added:
            st.success(f"{name}: {counts}", icon=":material/check:")
        elif outcome.duplicates:
            st.info(f"{name}: duplicate ({counts})", icon=":material/content_copy:")
        if outcome.problems:
            shown = "\n".join(f"- {plain(problem)}" for problem in outcome.problems[:10])
            more = f"\n- … and {len(outcome.problems) - 10} more" if len(outcome.problems) > 10 else ""
            st.warning(f"{name}: {len(outcome.problems)} skipped:\n{shown}{more}", icon=":material/warning:")
        for note in outcome.notes:
            st.warning(f"Stored, but cut short by a limit: {plain(note)}", icon=":material/content_cut:")
        if not outcome.added and not outcome.duplicates and not outcome.problems:
            st.warning(f"{name}: no article in it", icon=":material/warning:")


def run_add(corpus: Store, inputs: list[tuple[str, Callable[[], Any]]], scorer: str) -> None:
    analysis_pipeline()
    bar = st.sidebar.progress(0.0, text="Starting…")
    outcomes = views.add_inputs(
        corpus, inputs, scorer, progress=lambda fraction, text: bar.progress(min(1.0, fraction), text=plain(text))
    )
    bar.empty()
    st.session_state["add_outcomes"] = outcomes


def add_panel(corpus: Store, scorer: str) -> None:
    """Upload files, fetch URLs or paste text; each file is analysed once, when it arrives."""
    with st.sidebar.expander("Add articles", expanded=False, icon=":material/add:"):
        files = st.file_uploader(
            "Files",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key="upload_files",
            help="Text, Markdown, HTML, PDF, Word, JSON/JSONL/CSV batches or a ZIP of these.",
        )
        done: set[str] = st.session_state.setdefault("uploads_done", set())
        fresh = [file for file in files or [] if file.file_id not in done]
        if fresh:
            run_add(corpus, [(file.name, views.file_reader(file.getvalue(), file.name)) for file in fresh], scorer)
            done.update(file.file_id for file in fresh)
        with st.form("add_form", clear_on_submit=True, border=False):
            urls = st.text_area("URLs, one per line", key="add_urls", placeholder="https://…")
            text = st.text_area("Or paste a text", key="add_text")
            title = st.text_input("Title", key="add_title")
            published = st.date_input("Published", value=None, key="add_published", format="YYYY-MM-DD")
            speaker = st.text_input(
                "Speaker", key="add_speaker", help="For a speech or a statement in its speaker's own words."
            )
            submitted = st.form_submit_button("Add", icon=":material/add:")
        if submitted:
            inputs: list[tuple[str, Callable[[], Any]]] = [(url, views.url_reader(url)) for url in views.urls_in(urls)]
            if text.strip():
                name = views.none_if_blank(title) or "pasted text"
                inputs.append(
                    (name, views.text_reader(text, views.none_if_blank(title), published, views.none_if_blank(speaker)))
                )
            if inputs:
                run_add(corpus, inputs, scorer)
            else:
                st.session_state["add_outcomes"] = []
                st.warning("Nothing to add: give a URL or paste a text.")
        report_outcomes(st.session_state.get("add_outcomes", []))


# ------------------------------------------------------------------ views


def overview(corpus: Store, frame: pd.DataFrame, filters: views.Filters, token: tuple[int, ...]) -> None:
    path = str(corpus.path)
    figures = headline_data(path, token, filters, frame)
    columns = st.columns(3 + len(figures.dyads))
    columns[0].metric("Articles", figures.articles)
    columns[1].metric("Statements", figures.statements)
    columns[2].metric("Speakers", figures.speakers)
    for column, dyad in zip(columns[3:], figures.dyads, strict=True):
        column.metric(
            f"{dyad.speaker_side}→{dyad.target_side} tone",
            "—" if dyad.mean is None else f"{dyad.mean:+.2f}",
            delta=None if dyad.change is None else f"{dyad.change:+.2f}",
            help=f"Mean tone of {dyad.speaker_side} speakers toward {dyad.target_side} in the {figures.period} "
            f"({dyad.count} statements); the change is from {figures.previous_period}.",
        )
    if figures.dyads:
        st.caption(
            plain(f"Tone in the {figures.period}, change from {figures.previous_period}. −1 hostile … +1 friendly.")
        )
    if figures.other_languages:
        st.caption(
            f"{figures.other_languages} article(s) not in English are left out: the tone scorers read English "
            "only. Include them in the sidebar."
        )
    points, shifts = timeline_data(path, token, filters, frame)
    st.subheader("Rhetoric timeline")
    if points.empty:
        st.info("No statement of one side addresses the other under these filters.")
        return
    event = show_chart(
        lambda: charts.timeline(points, shifts, selectable=True), (path, token), "timeline", filters, "timeline", True
    )
    found = [(key, shift) for key, items in shifts.items() for shift in items]
    if found:
        st.caption(
            plain(
                "Shifts: "
                + "; ".join(
                    f"{a}→{b} from {shift.period}: {shift.mean_before:+.2f} → {shift.mean_after:+.2f} "
                    f"(p={shift.confidence:.2g})"
                    for (a, b), shift in found
                )
            )
        )
    picked = (event.selection.get(charts.PICK) if event is not None else None) or []
    if picked:
        point = picked[0]
        rows = views.picked_point(frame, filters, str(point.get("dyad")), str(point.get("period")))
        st.markdown(plain(f"Statements behind {point.get('dyad')} in {point.get('period')} ({len(rows)})"))
        statements_list(rows, key="timeline_statements")
    else:
        st.caption("Click a point to list its statements.")


def actors_view(corpus: Store, frame: pd.DataFrame, filters: views.Filters, token: tuple[int, ...]) -> None:
    path = str(corpus.path)
    table = actor_data(path, token, filters, frame)
    st.subheader("Speakers")
    if table.empty:
        st.info("No statement with a known speaker under these filters.")
    else:
        sort = st.radio(
            "Sort by",
            charts.ACTOR_SORTS,
            format_func={"count": "statements", "tone": "tone", "name": "name"}.get,
            horizontal=True,
            key="actor_sort",
        )
        show_chart(lambda: charts.actor_bars(table.head(60), sort), (path, token, sort), "speakers", filters, "actors")
    st.subheader("Who speaks of whom")
    level = st.radio("Level", ["side", "actor"], horizontal=True, key="matrix_level")
    cells = matrix_data(path, token, filters, level, frame)
    if cells.empty:
        st.info("No statement addresses a target under these filters.")
        return
    event = show_chart(
        lambda: charts.matrix_chart(cells, level, selectable=True),
        (path, token, level),
        f"matrix-{level}",
        filters,
        f"matrix_{level}",
        True,
    )
    picked = (event.selection.get(charts.PICK) if event is not None else None) or []
    if picked:
        cell = picked[0]
        rows = views.picked_cell(frame, filters, level, str(cell.get("speaker")), str(cell.get("target")))
        st.markdown(plain(f"{cell.get('speaker')} about {cell.get('target')} ({len(rows)})"))
        statements_list(rows, key="matrix_statements")
    else:
        st.caption("Click a cell to list its statements.")


def statements_view(corpus: Store, frame: pd.DataFrame, filters: views.Filters, token: tuple[int, ...]) -> None:
    path = str(corpus.path)
    chosen = filtered(path, token, filters, frame)
    query = st.text_input("Search", key="search", placeholder="Words in the statement, speaker, target or title")
    labels = st.pills("Tone", ["negative", "neutral", "positive"], selection_mode="multi", key="label_filter")
    rows = views.search(chosen, query)
    if labels:
        rows = rows[rows["tone_label"].isin(labels)]
    st.caption(f"{len(rows)} of {len(chosen)} statements. Select a row to read it in its article.")
    event = statements_list(rows, key="statements_table", selectable=True)
    data_exports(corpus, frame, rows, filters)
    position = selected_row(event)
    if position is not None and position < len(rows):
        label = rows.index[position]
        show_reader(corpus, frame, str(rows.at[label, "article_id"]), label)


def data_exports(corpus: Store, frame: pd.DataFrame, rows: pd.DataFrame, filters: views.Filters) -> None:
    version = analysis_version()
    csv_column, json_column, report_column = st.columns(3)
    csv_column.download_button(
        "Statements CSV",
        data=lambda: views.statements_csv(rows, filters, version),
        file_name=views.export_name("statements", "csv", filters),
        mime="text/csv",
        key="export_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    json_column.download_button(
        "Statements JSON",
        data=lambda: views.statements_json(rows, filters, version),
        file_name=views.export_name("statements", "json", filters),
        mime="application/json",
        key="export_json",
        icon=":material/download:",
        on_click="ignore",
    )
    report_column.download_button(
        "HTML report",
        data=lambda: views.report(corpus, frame, filters),
        file_name=views.export_name("report", "html", filters),
        mime="text/html",
        key="export_report",
        icon=":material/download:",
        on_click="ignore",
        help="One self-contained page (charts, shifts, extremes, articles) for the current filters.",
    )


def articles_view(corpus: Store, frame: pd.DataFrame) -> None:
    table = views.articles_table(corpus, frame)
    st.subheader(f"Articles ({len(table)})")
    with st.container(key="articles_list"):
        st.dataframe(
            table.drop(columns=["id"]),
            hide_index=True,
            column_config={
                "title": st.column_config.TextColumn(width="large"),
                "mean tone": st.column_config.NumberColumn(format=TONE_FORMAT),
                "view": st.column_config.LinkColumn("view", display_text="open", help="Open the article's view"),
            },
        )
    if table.empty:
        return
    ids = list(table["id"])
    titles = dict(zip(table["id"], table["title"], strict=True))
    wanted = st.query_params.get("article")
    if wanted in titles and st.session_state.get("article_pick") != wanted and not st.session_state.get("_linked"):
        st.session_state["article_pick"] = wanted
        st.session_state["_linked"] = True
    chosen = st.selectbox("Article", ids, format_func=lambda key: titles[key], key="article_pick")
    if chosen is None:
        return
    with st.container(key="remove_article"):
        if st.session_state.get("confirm_remove") == chosen:
            st.warning(plain(f"Remove “{titles[chosen]}” and its statements from the store? This cannot be undone."))
            yes, no = st.columns(2)
            if yes.button("Yes, remove it", type="primary", key="remove_yes"):
                corpus.remove(chosen)
                st.session_state.pop("confirm_remove", None)
                st.session_state.pop("article_pick", None)
                st.rerun()
            if no.button("Cancel", key="remove_no"):
                st.session_state.pop("confirm_remove", None)
                st.rerun()
        elif st.button("Remove this article…", key="remove_article_button", icon=":material/delete:"):
            st.session_state["confirm_remove"] = chosen
            st.rerun()
    show_reader(corpus, frame, chosen)


def unresolved_view(frame: pd.DataFrame, filters: views.Filters) -> None:
    rows = views.unresolved(
        views.apply_filters(frame, views.Filters(dyad=None, kinds=filters.kinds, other_languages=True))
    )
    st.subheader(f"Speakers the registry could not place ({len(rows)})")
    st.caption(
        "Mentions of speakers that are not in data/actors.csv, with how often they speak. Their statements "
        'count for a side only where the text states one ("Russian ambassador X").'
    )
    if rows.empty:
        st.info("Every speaker was placed.")
        return
    st.dataframe(
        rows,
        hide_index=True,
        key="unresolved_table",
        column_config={"example": st.column_config.TextColumn(width="large")},
    )


# ------------------------------------------------------------------ page


def store_or_stop() -> Store:
    path = default_path()
    try:
        return open_store(str(path))
    except StoreError as error:
        st.error(f"The corpus store cannot be opened. {plain(str(error))}", icon=":material/error:")
        st.markdown(
            "The file was left as it is. Start the dashboard on another store with the `TENSION_DB` variable, "
            "for example `TENSION_DB=~/other-corpus.sqlite streamlit run dashboard.py`."
        )
        st.stop()
        raise  # st.stop() ends the run; this line only tells type checkers so


def fill_if_empty(corpus: Store, scorer: str | None) -> None:
    """A newcomer never meets an empty page: the first run of a session on an empty store adds the sample."""
    if st.session_state.get("sample_checked"):
        return
    st.session_state["sample_checked"] = True
    if corpus.articles():
        return
    try:
        analysis_pipeline()
        with st.spinner("Analysing the bundled sample article…"):
            corpus.add(load(SAMPLE_ARTICLE), scorer)
    except (IngestError, StoreError, OSError) as error:
        st.error(f"Could not add the bundled sample article: {plain(str(error))}")


def main() -> None:
    st.set_page_config(page_title="Diplomatic tension", page_icon=":material/public:", layout="wide")
    st.title("Diplomatic tension")
    corpus = store_or_stop()
    available, _ = tone_scorers()
    # New articles get the scorer chosen in the Tone panel (drawn further down the sidebar).
    scorer = st.session_state.get("tone_scorer") or (available[0] if available else "lexicon")
    fill_if_empty(corpus, scorer)
    add_panel(corpus, scorer)
    token = views.store_token(corpus.path)
    frame = corpus_frame(str(corpus.path), token)
    filters = sidebar_filters(str(corpus.path), token, frame)
    scorer_panel(corpus, frame, token)
    if views.store_token(corpus.path) != token:  # rescored just now: read it again
        token = views.store_token(corpus.path)
        frame = corpus_frame(str(corpus.path), token)
    st.caption(
        plain(
            f"Who said what about whom in US–Russia relations, and in what tone. Store: {corpus.path} · "
            f"version {__version__} · analysis {analysis_version()}"
        )
    )
    if "article" in st.query_params and "view" not in st.session_state:
        st.session_state["view"] = "Articles"
    view = st.radio("View", VIEWS, horizontal=True, key="view", label_visibility="collapsed")
    if frame.empty and view != "Articles":
        st.info("The store holds no statements yet. Add articles in the sidebar.")
        return
    if view == "Overview":
        overview(corpus, frame, filters, token)
    elif view == "Actors":
        actors_view(corpus, frame, filters, token)
    elif view == "Statements":
        statements_view(corpus, frame, filters, token)
    elif view == "Articles":
        articles_view(corpus, frame)
    else:
        unresolved_view(frame, filters)


main()
