"""No repeated work: re-runs process only what is new, and rule changes reuse stored pages."""

from __future__ import annotations

import shutil

from pipeline import parallel, steps, workers
from pipeline.warehouse import connect, list_reports
from tests.conftest import DEMO_DIR, make_settings

PAGES = DEMO_DIR / "pages"


def _run_all(con, settings) -> dict[str, dict]:
    steps.load_sources_step(con, settings)
    return {
        "pages": steps.ingest_pages_step(con, settings).counts,
        "articles": steps.build_articles_step(con, settings).counts,
        "enrich": steps.enrich_step(con, settings).counts,
    }


def _folder(tmp_path, files):
    pages = tmp_path / "pages"
    pages.mkdir()
    for f in files:
        shutil.copy(f, pages / f.name)
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "one"\nkind = "html_dir"\nlocation = "pages"\n', "utf-8")
    return pages, sources


def test_second_run_with_nothing_new_processes_nothing(tmp_path):
    files = sorted((PAGES / "econ").glob("*.html"))[:3]
    _pages, sources = _folder(tmp_path, files)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    first = _run_all(con, settings)
    assert first["articles"]["articles_new"] == 3 and first["enrich"]["articles_enriched"] == 3
    second = _run_all(con, settings)
    assert second["articles"]["pages_processed"] == 0
    assert second["enrich"]["articles_enriched"] == 0
    assert second["enrich"]["mentions"] == first["enrich"]["mentions"]


def test_one_new_page_is_the_only_one_processed(tmp_path):
    files = sorted((PAGES / "wire").glob("*.html"))
    pages, sources = _folder(tmp_path, files[:3])
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    _run_all(con, settings)
    shutil.copy(files[3], pages / files[3].name)
    again = _run_all(con, settings)
    assert again["articles"]["pages_processed"] == 1 and again["articles"]["articles_new"] == 1
    assert again["enrich"]["articles_enriched"] == 1
    assert again["articles"]["articles"] == 4


def _story_pages(story: str) -> list:
    from pipeline.corpus.render import load_content

    items = [i for i in load_content(DEMO_DIR / "content") if i.get("story") == story]
    return [PAGES / i["outlet"] / f"{i['id']}.html" for i in items]


def test_syndicated_copy_added_later_joins_the_stored_story(tmp_path):
    original, *copies = _story_pages("gjtp-ai-chip-alliance-2026")
    assert copies, "the demo corpus has syndicated copies of one press release"
    pages, sources = _folder(tmp_path, [original, *sorted((PAGES / "econ").glob("b-*.html"))[:2]])
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    _run_all(con, settings)
    assert con.execute("select count(distinct story_id) from stories").fetchone()[0] == 3
    shutil.copy(copies[0], pages / copies[0].name)
    counts = _run_all(con, settings)["articles"]
    assert counts["articles_new"] == 1 and counts["stories_touched"] == 1
    sizes = sorted(n for (n,) in con.execute("select count(*) from stories group by story_id").fetchall())
    assert sizes == [1, 1, 2]


def test_changed_cleaning_rules_reextract_from_the_raw_store(tmp_path):
    files = sorted((PAGES / "daily").glob("*.html"))[:2]
    pages, sources = _folder(tmp_path, files)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    _run_all(con, settings)
    for f in pages.iterdir():
        f.unlink()  # the pages are gone from disk: only the raw store has them
    con.execute("update axnews_state.stage_state set version = 'rules-before-the-change' where stage = 'articles'")
    redo = steps.build_articles_step(con, settings).counts
    assert redo["pages_processed"] == 2 and redo["articles"] == 2


def test_every_page_is_processed_when_the_input_spans_many_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PAGE_BATCH", 4)  # the demo's pages in many small batches
    files = sorted((PAGES / "econ").glob("*.html")) + sorted((PAGES / "wire").glob("*.html"))
    _pages, sources = _folder(tmp_path, files)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    counts = _run_all(con, settings)
    assert counts["articles"]["pages_processed"] == len(files) > 8
    n_articles = counts["articles"]["articles"]
    assert counts["enrich"]["articles_enriched"] == n_articles
    assert con.execute("select count(distinct article_id) from mentions").fetchone()[0] == n_articles


def test_reference_data_change_reenriches_every_article_once(tmp_path):
    from dataclasses import replace

    files = sorted((PAGES / "regional").glob("*.html"))[:3]
    _pages, sources = _folder(tmp_path, files)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    first = _run_all(con, settings)
    extra = tmp_path / "myref"
    extra.mkdir()
    (extra / "organizations.tsv").write_text(
        "canonical\ttype\taliases\tregion\n한빛가상회사연구소\tinstitute\t한빛가상연\t\n", encoding="utf-8")
    changed = replace(settings, reference_dir=extra)
    again = _run_all(con, changed)
    assert again["enrich"]["articles_enriched"] == first["articles"]["articles"]
    assert again["enrich"]["mentions"] == first["enrich"]["mentions"]  # same text: same rows
    assert _run_all(con, changed)["enrich"]["articles_enriched"] == 0


def test_an_edited_saved_page_is_read_and_processed_again(tmp_path):
    import os

    files = sorted((PAGES / "econ").glob("*.html"))[:2]
    pages, sources = _folder(tmp_path, files)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    _run_all(con, settings)
    edited = pages / files[0].name
    html = edited.read_text(encoding="utf-8").replace("</p>", " 추가 문장이 붙었다.</p>", 1)
    edited.write_text(html, encoding="utf-8")
    later = os.stat(edited).st_mtime + 5
    os.utime(edited, (later, later))
    again = _run_all(con, settings)
    assert again["pages"]["skipped"] == 1 and again["pages"]["fetched"] == 1
    assert again["articles"]["pages_processed"] == 1 and again["articles"]["articles"] == 2


def test_the_pool_path_processes_every_page_once(tmp_path, monkeypatch):
    """Two worker processes (the threshold lowered so the demo's pages use the pool)."""
    from dataclasses import replace

    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_POOL", 1)
    monkeypatch.setattr(parallel, "PAGE_BATCH", 5)
    files = sorted((PAGES / "econ").glob("*.html")) + sorted((PAGES / "agency").glob("*.html"))
    _pages, sources = _folder(tmp_path, files)
    settings = replace(make_settings(tmp_path / "out", sources_file=sources), workers=2)
    con = connect(settings.warehouse)
    counts = _run_all(con, settings)
    assert counts["articles"]["pages_processed"] == len(files) > 10
    n_articles = counts["articles"]["articles"]
    assert counts["enrich"]["articles_enriched"] == n_articles
    one = make_settings(tmp_path / "one", sources_file=sources)
    con_one = connect(one.warehouse)
    _run_all(con_one, one)
    query = "select article_id, label, canonical, start_char from mentions order by all"
    assert con.execute(query).fetchall() == con_one.execute(query).fetchall()


def test_a_raw_body_missing_from_the_store_becomes_a_reject(tmp_path):
    files = sorted((PAGES / "daily").glob("*.html"))[:2]
    _pages, sources = _folder(tmp_path, files)
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    steps.load_sources_step(con, settings)
    steps.ingest_pages_step(con, settings)
    (key,) = con.execute("select html_key from pages where ok order by page_id limit 1").fetchone()
    gone = next(settings.raw_dir.rglob(f"{key}*"))
    gone.unlink()
    counts = steps.build_articles_step(con, settings).counts
    assert counts["pages_processed"] == 2 and counts["rejects_new"] == 1
    (reason,) = con.execute("select reason from rejects where stage = 'extract'").fetchone()
    assert reason == "raw_missing"


def test_the_in_process_extractor_follows_a_reference_change(tmp_path):
    """Small increments run in the calling process, which keeps its extractor between runs."""
    workers.init_extractor(None)
    assert workers.extractor().gazetteer.lookup("한빛가상연") is None
    extra = tmp_path / "myref"
    extra.mkdir()
    (extra / "organizations.tsv").write_text(
        "canonical\ttype\taliases\tregion\n한빛가상회사연구소\tinstitute\t한빛가상연\t\n", encoding="utf-8")
    workers.init_extractor(extra)
    assert workers.extractor().gazetteer.lookup("한빛가상연") is not None
    workers.init_extractor(None)
    assert workers.extractor().gazetteer.lookup("한빛가상연") is None


# ---------------------------------------------------------------- reports skip unchanged inputs


def _demo_copy(demo_run, tmp_path):
    """A writable copy of the demo warehouse, with its own (empty) reports folder."""
    from dataclasses import replace

    shutil.copy(demo_run.warehouse, tmp_path / "warehouse.duckdb")
    return replace(demo_run, warehouse=tmp_path / "warehouse.duckdb",
                   reports_dir=tmp_path / "reports")


def _written(folder, pattern="*.csv") -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob(pattern)}


def _reports_naming(table: str) -> set[str]:
    import re

    from pipeline.settings import SQL_DIR

    return {f"{p.stem}.csv" for p in (SQL_DIR / "reports").glob("*.sql")
            if re.search(rf"\b{table}\b", p.read_text(encoding="utf-8"))}


def test_reports_are_skipped_until_a_table_they_read_changes_in_place(demo_run, tmp_path):
    settings = _demo_copy(demo_run, tmp_path)
    con = connect(settings.warehouse)
    n_reports = len(list_reports())
    first = steps.reports_step(con, settings).counts
    assert first["reports_written"] == n_reports and first["reports_skipped"] == 0
    before = _written(settings.reports_dir)
    again = steps.reports_step(con, settings).counts
    assert again["reports_written"] == 0 and again["reports_skipped"] == n_reports
    assert _written(settings.reports_dir) == before
    assert again == {**first, "reports_written": 0, "reports_skipped": n_reports}  # rows still counted
    # Same row counts, values rewritten in place: exactly the reports reading the table run again.
    for table, update in [
        ("entities", ("update entities set n_mentions = n_mentions + 1000 where canonical = "
                      "(select min(canonical) from entities where label = 'ORG')")),
        ("sources", "update sources set outlet = outlet || ' (renamed)'"),
        ("stories", "update stories set similarity = similarity / 2"),
    ]:
        before = _written(settings.reports_dir)
        con.execute(update)
        counts = steps.reports_step(con, settings).counts
        after = _written(settings.reports_dir)
        rewritten = {name for name in after if after[name] != before[name]}
        assert rewritten == _reports_naming(table) and counts["reports_written"] == len(rewritten)
    assert "(renamed)" in (settings.reports_dir / "articles_per_source.csv").read_text("utf-8")
    (settings.reports_dir / "law_mentions.csv").unlink()
    gone = steps.reports_step(con, settings).counts
    assert gone["reports_written"] == 1 and (settings.reports_dir / "law_mentions.csv").is_file()
    con.close()


def test_a_report_reading_a_view_follows_the_views_tables(tmp_path):
    from pipeline.warehouse.fingerprints import TableFingerprints

    con = connect(tmp_path / "w.duckdb")
    con.execute("create view busy_sources as select name, outlet from sources")
    report = "select * from busy_sources"
    before = TableFingerprints(con).inputs(report)
    con.execute("insert into sources (name, kind, location, loaded_at) values ('x', 'html_dir', 'pages', now())")
    assert TableFingerprints(con).inputs(report) != before
    con.close()


def test_chart_report_is_skipped_until_its_inputs_change(demo_run, tmp_path):
    settings = _demo_copy(demo_run, tmp_path)
    con = connect(settings.warehouse)
    assert steps.chart_report_step(con, settings).counts["skipped"] == 0
    page = settings.reports_dir / "axnews-report.html"
    for update in ("update events set sentence = sentence || ' '",
                   "update mentions set canonical = canonical || '재단' where label = 'ORG'",
                   "update quotes set speaker = speaker || '씨'",
                   # read by the event timeline's own query (sql/load), not named in the code
                   "update event_roles set name = name || ' 컨소시엄' where role = 'agent'"):
        written = page.stat().st_mtime_ns
        assert steps.chart_report_step(con, settings).counts["skipped"] == 1
        assert page.stat().st_mtime_ns == written
        con.execute(update)
        assert steps.chart_report_step(con, settings).counts["skipped"] == 0, update
    con.close()


def test_report_assets_say_in_their_metadata_that_they_skipped(demo_run, tmp_path):
    import dagster as dg

    from pipeline.defs.assets import chart_report, reports
    from pipeline.runner import build_resources

    settings = _demo_copy(demo_run, tmp_path)

    def metadata() -> dict[str, dict]:
        result = dg.materialize([reports, chart_report], resources=build_resources(settings))
        return {str(m.asset_key.path[-1]): m.metadata
                for m in (e.materialization for e in result.get_asset_materialization_events())}

    first = metadata()
    assert "skipped" not in first["reports"] and "skipped" not in first["chart_report"]
    second = metadata()
    assert second["reports"]["skipped"].value == "skipped: inputs unchanged"
    assert second["chart_report"]["skipped"].value == "skipped: inputs unchanged"
    assert second["reports"]["reports_skipped"].value == len(list_reports())


def test_entities_are_rebuilt_only_when_their_inputs_changed(tmp_path):
    files = sorted((PAGES / "wire").glob("*.html"))
    pages, sources = _folder(tmp_path, files[:3])
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    assert _run_all(con, settings)["enrich"]["entities_rebuilt"] == 1
    entities = con.execute("select * from entities order by entity_id").fetchall()
    assert _run_all(con, settings)["enrich"]["entities_rebuilt"] == 0  # nothing new
    assert con.execute("select * from entities order by entity_id").fetchall() == entities
    shutil.copy(files[3], pages / files[3].name)
    assert _run_all(con, settings)["enrich"]["entities_rebuilt"] == 1  # one new article
    # a changed publication time changes first/last seen: rebuilt
    con.execute("update articles set published_at = published_at - interval 1 day")
    assert _run_all(con, settings)["enrich"]["entities_rebuilt"] == 1
    # tables emptied by hand are built again
    con.execute("delete from entity_aliases")
    assert _run_all(con, settings)["enrich"]["entities_rebuilt"] == 1
    assert con.execute("select count(*) from entity_aliases").fetchone()[0] > 0


def test_offsets_check_reads_the_latest_enrichment_run(tmp_path):
    from pipeline.settings import Settings
    from pipeline.warehouse import run_check

    limits = Settings().check_variables()
    files = sorted((PAGES / "wire").glob("*.html"))
    pages, sources = _folder(tmp_path, files[:3])
    settings = make_settings(tmp_path / "out", sources_file=sources)
    con = connect(settings.warehouse)
    _run_all(con, settings)
    first = {a for (a,) in con.execute("select article_id from articles").fetchall()}
    shutil.copy(files[3], pages / files[3].name)
    _run_all(con, settings)
    (new,) = {a for (a,) in con.execute("select article_id from articles").fetchall()} - first

    def last_enriched():
        return {a for (a,) in con.execute(
            "select article_id from axnews_state.last_enriched").fetchall()}

    assert last_enriched() == {new}
    _run_all(con, settings)  # nothing new: the list still names the run that wrote rows
    assert last_enriched() == {new}

    def spoil(article_id):
        con.execute("update mentions set start_char = start_char + 1 where rowid = (select "
                    "min(rowid) from mentions where field = 'text' and article_id = ?)",
                    [article_id])

    spoil(min(first))  # rows of an earlier run were checked when written: not read again
    assert run_check(con, "mentions_offsets_valid", limits).empty
    spoil(new)
    assert len(run_check(con, "mentions_offsets_valid", limits)) == 1
