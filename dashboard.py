"""Streamlit dashboard: UI only. Run with `streamlit run dashboard.py`.

All reading and analysis happens in the `analysis` package; this file draws widgets
and calls it through cached functions keyed on plain values.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analysis import SAMPLE_ARTICLE, __version__, tone, tone_model
from analysis.ingest import IngestError, load, load_bytes_report
from analysis.models import Article, ArticleAnalysis
from analysis.pipeline import analyze_article

# Every ASCII punctuation mark can be backslash-escaped in CommonMark; Streamlit adds
# ":emoji:" and ":color[...]" directives, so ":" is escaped too.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: str) -> str:
    """`text` escaped for st.error/st.warning/st.success, which render Markdown: file names
    and reasons come from users and must show as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


UPLOAD_TYPES = ["txt", "md", "html", "htm", "pdf", "docx", "json", "jsonl", "csv", "zip"]


@st.cache_data(show_spinner="Loading the sample article…")
def load_sample(path: str, mtime: float) -> list[Article]:
    """The bundled sample; `mtime` is only part of the cache key, so edits reload it."""
    return load(path)


@st.cache_data(show_spinner="Reading the uploaded file…", max_entries=64)
def load_upload(data: bytes, filename: str) -> tuple[list[Article], list[str], str | None]:
    """Articles in one uploaded file, the records inside it that could not be read,
    and the reason when the file as a whole could not be read."""
    try:
        report = load_bytes_report(data, filename)
    except IngestError as err:
        return [], [], str(err)
    problems = [f"{problem.record}: {problem.reason}" for problem in report.problems]
    return report.articles, problems, None


def articles_frame(articles: list[Article]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": [a.title for a in articles],
            "published": [a.published for a in articles],
            "source": [a.source for a in articles],
            "author": [a.author for a in articles],
            "origin": [a.origin for a in articles],
            "language": [a.language for a in articles],
            "characters": [len(a.text) for a in articles],
            "id": [a.id[:12] for a in articles],
        }
    )


def metadata_frame(article: Article) -> pd.DataFrame:
    """The article's known metadata as (field, value) rows; unknown fields are left out."""
    fields = {
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source,
        "author": article.author,
        "speaker": article.speaker,
        "url": article.url,
        "origin": article.origin,
        "language": article.language,
        "characters": str(len(article.text)),
        "id": article.id,
    }
    known = {name: value for name, value in fields.items() if value is not None}
    return pd.DataFrame({"field": list(known), "value": list(known.values())})


def uploaded_articles() -> list[Article]:
    """Ingest the files in the sidebar uploader; report each file's outcome there."""
    files = st.sidebar.file_uploader(
        "Add articles",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key="upload_files",
        help="Text, Markdown, HTML, PDF, Word, JSON/JSONL/CSV batches or a ZIP of these.",
    )
    articles: list[Article] = []
    for file in files or []:
        loaded, problems, failure = load_upload(file.getvalue(), file.name)
        if failure is not None:
            st.sidebar.error(f"{plain(file.name)}: failed. {plain(failure)}", icon=":material/error:")
            continue
        count = f"{len(loaded)} article" + ("" if len(loaded) == 1 else "s")
        if loaded:
            st.sidebar.success(f"{plain(file.name)}: loaded {count}", icon=":material/check:")
        if problems:
            shown = "\n".join(f"- {plain(problem)}" for problem in problems[:10])
            more = f"\n- … and {len(problems) - 10} more" if len(problems) > 10 else ""
            st.sidebar.warning(
                f"{plain(file.name)}: {len(problems)} skipped:\n{shown}{more}", icon=":material/warning:"
            )
        articles.extend(loaded)
    return articles


@st.cache_resource(show_spinner="Loading the tone scorers…")
def tone_scorers() -> tuple[tuple[str, ...], str]:
    """The tone scorers this installation has, and why the model is missing if it is (loaded once)."""
    return tone.available_scorers(), tone_model.unavailable_reason()


@st.cache_data(show_spinner="Finding the statements…", max_entries=256)
def analyse(article_id: str, scorer: str, _article: Article) -> ArticleAnalysis:
    """The article's statements; cached by its id (the hash of its text) and the scorer."""
    return analyze_article(_article, scorer)


SCORER_NAMES = {
    "model": "fine-tuned model (MiniLM, int8 ONNX)",
    "lexicon": "lexicon (VADER + diplomatic lexicon)",
}


def choose_scorer() -> str:
    """The sidebar's tone-scorer switch; says so when the model is not installed."""
    available, reason = tone_scorers()
    scorer = st.sidebar.radio(
        "Tone scorer",
        options=list(available),
        format_func=SCORER_NAMES.get,
        key="tone_scorer",
        help="Who scores the tone of each statement toward each target. The words that drove a "
        "statement's tone always come from the lexicon scorer.",
    )
    if reason:
        st.sidebar.info(f"The fine-tuned tone model is not available, so tones come from the lexicon: {plain(reason)}")
    return scorer or "lexicon"


def statements_frame(analysis: ArticleAnalysis) -> pd.DataFrame:
    text = analysis.article.text
    return pd.DataFrame(
        {
            "kind": [s.kind for s in analysis.statements],
            "speaker": [s.speaker for s in analysis.statements],
            "side": [s.speaker_side for s in analysis.statements],
            "said on": [s.said_on for s in analysis.statements],
            "tone": [s.tone for s in analysis.statements],
            "label": [s.tone_label for s in analysis.statements],
            "stance": [s.stance for s in analysis.statements],
            "targets": [
                ", ".join(
                    f"{name} ({side or '?'}) {value:+.2f}"
                    for name, side, value in zip(s.targets, s.target_sides, s.target_tones, strict=True)
                )
                for s in analysis.statements
            ],
            "statement": [text[s.content_start : s.content_end] for s in analysis.statements],
        }
    )


def show_statements(analysis: ArticleAnalysis, scorer: str) -> None:
    st.subheader(f"Statements ({len(analysis.statements)})")
    st.caption(f"Tone by the {SCORER_NAMES[scorer]}: −1 hostile … +1 friendly.")
    if not analysis.statements:
        st.info("No statements found in this article.")
        return
    st.dataframe(
        statements_frame(analysis),
        hide_index=True,
        column_config={
            "tone": st.column_config.NumberColumn(format="%+.2f"),
            "stance": st.column_config.NumberColumn(format="%+.1f"),
            "statement": st.column_config.TextColumn(width="large"),
        },
    )
    if analysis.unresolved:
        st.caption("Speakers the registry could not place: " + plain("; ".join(analysis.unresolved)))


def show_article(article: Article) -> None:
    facts, body = st.columns([1, 2])
    with facts:
        st.dataframe(metadata_frame(article), hide_index=True)
        if article.headings:
            with st.expander(f"Headings ({len(article.headings)})"):
                st.text("\n".join(article.text[start:end] for start, end in article.headings))
    with body:
        # st.text shows the string literally (no Markdown, no HTML) and wraps long lines.
        st.text(article.text, width="stretch", wrap=True)


def main() -> None:
    st.set_page_config(page_title="Diplomatic tension", page_icon=":material/public:", layout="wide")
    st.title("Diplomatic tension")
    st.write(
        "Who said what about whom in US–Russia relations, and in what tone: "
        "load news articles, transcripts and speeches and follow the rhetoric of each side."
    )
    st.caption(
        f"Version {__version__}. This page lists the loaded articles and, for the one you pick, its "
        "statements with speaker, side, date and tone; charts over the whole corpus come in a later version."
    )

    articles: list[Article] = []
    try:
        articles.extend(load_sample(str(SAMPLE_ARTICLE), SAMPLE_ARTICLE.stat().st_mtime))
    except (IngestError, OSError) as err:
        st.error(f"Could not load the bundled sample article: {plain(str(err))}")
    articles.extend(uploaded_articles())
    scorer = choose_scorer()
    by_id: dict[str, Article] = {}
    for article in articles:  # the same text twice is one article; the first copy wins
        by_id.setdefault(article.id, article)
    articles = list(by_id.values())
    if not articles:
        st.info("No articles loaded. Add some with the uploader in the sidebar.")
        return

    st.subheader(f"Articles ({len(articles)})")
    with st.container(key="articles_table"):  # keyed containers: hooks for tests and CSS
        st.dataframe(
            articles_frame(articles),
            hide_index=True,
            column_config={"title": st.column_config.TextColumn(width=360)},
        )
    selected = st.selectbox(
        "Article",
        options=list(by_id),
        format_func=lambda key: by_id[key].title or by_id[key].origin,
        key="articles_select",
    )
    if selected is not None:
        with st.container(key="article_statements"):
            show_statements(analyse(selected, scorer, by_id[selected]), scorer)
        with st.container(key="article_detail"):
            show_article(by_id[selected])


main()
