"""An article the enrichment rules raise on ends as a `rejects` row; the run goes on.

The failure is injected into the event rules for articles holding a marker sentence: no real
text is known to make the rules raise, and the point here is what the step does when one does.
"""

from __future__ import annotations

import shutil

import pytest

from pipeline import steps
from pipeline.stages import events
from pipeline.warehouse import connect
from tests.conftest import DEMO_DIR, make_settings

MARKER = "이 문장에서 규칙이 멈춘다"


@pytest.fixture()
def three_articles(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    files = sorted((DEMO_DIR / "pages" / "econ").glob("*.html"))[:3]
    for f in files:
        shutil.copy(f, pages / f.name)
    # the marker goes into the body of the second page
    html = (pages / files[1].name).read_text("utf-8")
    (pages / files[1].name).write_text(html.replace("</p>", f" {MARKER}.</p>", 1), "utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "one"\nkind = "html_dir"\nlocation = "pages"\n', "utf-8")
    settings = make_settings(tmp_path / "out", sources_file=sources, workers=1)
    con = connect(settings.warehouse)
    steps.load_sources_step(con, settings)
    steps.ingest_pages_step(con, settings)
    assert steps.build_articles_step(con, settings).counts["articles_new"] == 3
    yield con, settings
    con.close()


def _raise_on_marker(monkeypatch):
    real = events.extract_events

    def extract_events(text, *args, **kwargs):
        if MARKER in text:
            raise ValueError("event rules failed on this text")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(events, "extract_events", extract_events)


def _enrich_rejects(con):
    return con.execute("select page_id, reason, detail from rejects where stage = 'enrich'").fetchall()


def _enrich_with_one_failure(con, settings) -> tuple[str, str]:
    """Enrich; two articles pass and one is an `enrich_error` reject: (its article, detail)."""
    counts = steps.enrich_step(con, settings).counts
    assert counts["articles_enriched"] == 2 and counts["articles_failed"] == 1
    ((page_id, reason, detail),) = _enrich_rejects(con)
    assert reason == "enrich_error"
    failed_article = con.execute("select article_id from articles where page_id = ?",
                                 [page_id]).fetchone()[0]
    return failed_article, detail


def test_a_failing_article_is_a_reject_and_the_others_are_enriched(three_articles, monkeypatch):
    con, settings = three_articles
    _raise_on_marker(monkeypatch)
    failed_article, detail = _enrich_with_one_failure(con, settings)
    assert detail == "ValueError: event rules failed on this text"
    assert con.execute("select reason from axnews_state.processed where stage = 'enrichment' "
                       "and item_id = ?", [failed_article]).fetchone() == ("enrich_error",)
    # the other two articles have their rows; the failed one has none
    with_mentions = {a for (a,) in con.execute("select distinct article_id from mentions").fetchall()}
    assert failed_article not in with_mentions and len(with_mentions) == 2


def test_a_failed_article_is_not_retried_every_run_but_after_a_rule_change(three_articles,
                                                                            monkeypatch):
    con, settings = three_articles
    _raise_on_marker(monkeypatch)
    steps.enrich_step(con, settings)
    again = steps.enrich_step(con, settings).counts
    assert again["articles_enriched"] == 0 and again["articles_failed"] == 0
    assert len(_enrich_rejects(con)) == 1  # not written twice
    # a new version of the rules (here: the fault gone and the version row changed) retries it
    monkeypatch.undo()
    con.execute("update axnews_state.stage_state set version = 'older' where stage = 'enrichment'")
    after_fix = steps.enrich_step(con, settings).counts
    assert after_fix["articles_enriched"] == 3 and after_fix["articles_failed"] == 0
    assert _enrich_rejects(con) == []


def _shift_mentions_on_marker(monkeypatch):
    """Offsets one character off for the mentions of texts holding the marker (the shape a rule
    that counts characters of a cleaned copy of the text would give)."""
    from dataclasses import replace

    from pipeline.stages.enrich import EntityExtractor

    real = EntityExtractor.extract_many_with_tokens

    def extract_many_with_tokens(self, texts, published_at):
        found = real(self, texts, published_at)
        return [([replace(m, start=m.start + 1, end=m.end + 1) for m in mentions], quotes, toks)
                if MARKER in text and mentions else (mentions, quotes, toks)
                for text, (mentions, quotes, toks) in zip(texts, found)]

    monkeypatch.setattr(EntityExtractor, "extract_many_with_tokens", extract_many_with_tokens)


def test_misplaced_offsets_make_the_article_a_reject_not_stored_rows(three_articles, monkeypatch):
    con, settings = three_articles
    _shift_mentions_on_marker(monkeypatch)
    failed_article, detail = _enrich_with_one_failure(con, settings)
    assert detail.startswith("ValueError: mention ") and "of the text does not match" in detail
    assert con.execute("select count(*) from mentions where article_id = ?",
                       [failed_article]).fetchone() == (0,)
    # what the offsets check re-reads: the articles this run stored rows for
    last = {a for (a,) in con.execute("select article_id from axnews_state.last_enriched").fetchall()}
    assert len(last) == 2 and failed_article not in last
