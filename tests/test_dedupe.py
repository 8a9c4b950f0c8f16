"""Exact duplicates and story clusters."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from pipeline.models import Article
from pipeline.stages.clean import article_id
from pipeline.stages.dedupe import dedupe_articles, shingles

KST = timezone(timedelta(hours=9))
T0 = datetime(2026, 1, 12, 17, 53, tzinfo=KST)

RELEASE = (
    "충북테크노파크는 청주 오송에 온디바이스 AI 실증센터를 열었다고 13일 밝혔다. 센터는 반도체 설계 기업과 "
    "가전 부품 기업이 자사 제품에 AI 모델을 얹어 전력 소모와 지연 시간을 시험할 수 있는 장비를 갖췄다. "
    "충북도는 2028년까지 국비와 도비 180억 원을 들여 입주 기업 40곳을 지원할 계획이다. 센터장은 지역 기업이 "
    "비싼 장비를 직접 사지 않고도 제품을 검증할 수 있게 됐다고 말했다."
)
OTHER = (
    "대구시는 로봇 산업 육성을 위해 성서산업단지에 협동로봇 시험장을 짓는다. 시는 내년 상반기 착공해 2027년 "
    "문을 열 계획이며 연간 150개 기업이 이용할 것으로 내다봤다. 사업비는 국비와 시비를 합쳐 420억 원이다."
)


def art(page_id: str, text: str, minutes: int = 0, url: str | None = None) -> Article:
    """An article with the given body, published minutes after T0."""
    aid, digest = article_id(text)
    return Article(aid, page_id, "test", url or f"https://x.example/{page_id}", url or f"https://x.example/{page_id}",
                   "제목", text, "ko", T0 + timedelta(minutes=minutes), content_hash=digest)


def test_exact_duplicates_collapse_and_keep_every_url():
    a, b = art("a", RELEASE, 10), art("b", RELEASE, 0)
    result = dedupe_articles([a, b, art("c", OTHER)])
    assert sorted(x.page_id for x in result.articles) == ["b", "c"]  # earliest copy kept
    assert sorted(u[2] for u in result.urls) == ["a", "b", "c"]
    assert [(d.page_id, d.reason, d.stage) for d in result.duplicates] == [("a", "duplicate", "dedupe")]


def test_syndicated_copy_with_small_edits_joins_the_story():
    edited = RELEASE.replace("13일 밝혔다", "13일 전했다").replace("말했다", "설명했다") + " 개소식에는 도지사가 참석했다."
    first, copy = art("agency", RELEASE, 0), art("regional", edited, 90)
    result = dedupe_articles([copy, first, art("other", OTHER)])
    story = {aid: (sid, rep, sim) for sid, aid, rep, sim in result.stories}
    assert story[copy.article_id][0] == story[first.article_id][0] == first.article_id
    assert story[first.article_id][1] is True and story[copy.article_id][1] is False
    assert 0.5 < story[copy.article_id][2] < 1.0
    assert story[art("other", OTHER).article_id][0] != first.article_id


def test_every_article_belongs_to_exactly_one_story():
    items = [art("a", RELEASE), art("b", OTHER), art("c", OTHER + " 추가 문장이다.", 5)]
    result = dedupe_articles(items)
    members = [aid for _, aid, _, _ in result.stories]
    assert sorted(members) == sorted(a.article_id for a in result.articles)
    assert sum(rep for _, _, rep, _ in result.stories) == len({sid for sid, *_ in result.stories})


def test_representative_is_earliest_then_longest():
    short, longer = art("s", RELEASE), art("l", RELEASE + " 추가 설명이다.")
    result = dedupe_articles([short, longer])
    reps = [aid for _, aid, rep, _ in result.stories if rep]
    assert reps == [longer.article_id]  # same time: the longer one
    late_long = replace(longer, published_at=T0 + timedelta(hours=1))
    reps = [aid for _, aid, rep, _ in dedupe_articles([short, late_long]).stories if rep]
    assert reps == [short.article_id]


def test_story_ids_are_stable_across_input_order():
    items = [art("a", RELEASE), art("b", RELEASE + " 덧붙인 문장이다.", 3), art("c", OTHER)]
    assert dedupe_articles(items).stories == dedupe_articles(list(reversed(items))).stories


def test_unrelated_articles_stay_apart_at_a_high_threshold():
    result = dedupe_articles([art("a", RELEASE), art("b", OTHER)], threshold=0.9)
    assert len({sid for sid, *_ in result.stories}) == 2


def test_shingles_ignore_whitespace():
    assert shingles("가 나다라") == shingles("가나 다라") == {"가나다라"}


def test_stored_banding_is_the_one_datasketch_chooses_for_the_threshold():
    from datasketch import MinHashLSH

    from pipeline.stages.dedupe import DEFAULT_THRESHOLD
    from pipeline.stages.stories import BANDS, NUM_PERM, ROWS

    lsh = MinHashLSH(threshold=DEFAULT_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


def test_band_keys_match_for_a_copy_and_mostly_differ_for_another_text():
    from pipeline.stages.dedupe import minhash
    from pipeline.stages.stories import NUM_PERM, band_keys, signature_bytes

    edited = RELEASE.replace("40곳", "45곳")
    keys = band_keys([signature_bytes(minhash(t, NUM_PERM)) for t in (RELEASE, edited, OTHER)])
    assert keys.shape == (3, 32) and (keys >= 0).all()
    assert (keys[0] == keys[1]).sum() >= 8  # a near copy shares many bands
    assert (keys[0] == keys[2]).sum() == 0  # an unrelated text shares none


def test_incremental_stories_match_the_batch_grouping(tmp_path):
    """Articles added one run at a time end in the same stories as grouping them all at once."""
    from pipeline.stages.dedupe import DEFAULT_THRESHOLD, group_stories
    from pipeline.stages.stories import NUM_PERM
    from pipeline.steps.articles import update_stories
    from pipeline.warehouse import connect
    from pipeline.warehouse.articles import ArticleBatch

    con = connect(tmp_path / "w.duckdb")
    articles = [art("p1", RELEASE), art("p2", OTHER, 5), art("p3", RELEASE.replace("40곳", "45곳"), 9),
                art("p4", OTHER + " 시는 이날 설명회도 열었다.", 30), art("p5", RELEASE + " 끝.", -3)]
    from pipeline.stages.dedupe import minhash
    from pipeline.stages.stories import signature_bytes

    for a in articles:  # one run per article
        out, new_ids = ArticleBatch(), []
        out.add(a, signature_bytes(minhash(a.text, NUM_PERM)), {a.page_id: "k"}, set(), new_ids)
        out.load(con)
        update_stories(con, new_ids)
    stored = sorted(con.execute("select story_id, article_id, is_representative from stories").fetchall())
    batch = sorted((s, a, rep) for s, a, rep, _ in group_stories(articles, DEFAULT_THRESHOLD, NUM_PERM))
    assert stored == batch
    assert len({s for s, _, _ in stored}) == 2


def test_a_bucket_of_hundreds_of_copies_costs_linear_candidates(tmp_path):
    """Boilerplate shared by many pages: each joins through the bucket's anchor, not all pairs."""
    import pyarrow as pa

    from pipeline.settings import SQL_DIR
    from pipeline.stages.dedupe import minhash
    from pipeline.stages.stories import NUM_PERM, signature_bytes
    from pipeline.steps.articles import update_stories
    from pipeline.warehouse import connect
    from pipeline.warehouse.articles import ArticleBatch

    con = connect(tmp_path / "w.duckdb")
    out, new_ids = ArticleBatch(), []
    for i in range(150):
        a = art(f"p{i:03d}", RELEASE + f" 문의 번호 {i:03d}.", i)
        out.add(a, signature_bytes(minhash(a.text, NUM_PERM)), {a.page_id: "k"}, set(), new_ids)
    out.load(con)
    con.register("_new_articles", pa.table({"article_id": new_ids}))
    n_pairs = len(con.execute((SQL_DIR / "load" / "story_candidates.sql").read_text()).fetchall())
    con.unregister("_new_articles")
    assert n_pairs < 11_175 // 4  # all pairs would be 11,175
    update_stories(con, new_ids)
    assert con.execute("select count(distinct story_id) from stories").fetchone()[0] == 1


def test_a_backfill_placed_in_chunks_gives_the_batch_stories(tmp_path, monkeypatch):
    from pipeline.stages.dedupe import DEFAULT_THRESHOLD, group_stories, minhash
    from pipeline.stages.stories import NUM_PERM, signature_bytes
    from pipeline.steps import articles as steps
    from pipeline.warehouse import connect
    from pipeline.warehouse.articles import ArticleBatch

    monkeypatch.setattr(steps, "STORY_CHUNK", 2)
    con = connect(tmp_path / "w.duckdb")
    articles = [art("p1", RELEASE), art("p2", OTHER, 5), art("p3", RELEASE.replace("40곳", "45곳"), 9),
                art("p4", OTHER + " 시는 이날 설명회도 열었다.", 30), art("p5", RELEASE + " 끝.", -3)]
    out, new_ids = ArticleBatch(), []
    for a in articles:
        out.add(a, signature_bytes(minhash(a.text, NUM_PERM)), {a.page_id: "k"}, set(), new_ids)
    out.load(con)
    steps.update_stories(con, new_ids)  # three chunks: p1 p2 | p3 p4 | p5
    stored = sorted(con.execute("select story_id, article_id, is_representative from stories").fetchall())
    batch = sorted((s, a, rep) for s, a, rep, _ in group_stories(articles, DEFAULT_THRESHOLD, NUM_PERM))
    assert stored == batch
