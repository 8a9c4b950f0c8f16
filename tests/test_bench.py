"""The benchmark runs end to end on a tiny corpus (figures come from `make bench`, not tests)."""

from __future__ import annotations

from pathlib import Path

from pipeline.bench import main


def test_benchmark_runs_on_a_tiny_corpus_and_prints_every_figure(tmp_path, capsys):
    assert main(["--pages", "24", "--no-naive", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for figure in ("ours end-to-end", "reference: extract + Kiwi", "ratio ours / reference",
                   "re-run, nothing new", "1 % new pages", "peak RSS", "warehouse size",
                   "speedup", "characters/s", "pages/s from a loopback server",
                   "smallest gap", "report times", "ratio of the work alone", "load average",
                   "end to end over our own work alone", "where each ms per page goes",
                   "outside the steps", "step seconds"):
        assert figure in out, figure
    # Whether the 1 s delay held is a timing figure for `make bench` to print (server-side arrival
    # times jitter on a loaded machine); test_fetch tests the spacing itself.
    assert len(list((tmp_path / "pages-24").rglob("*.html"))) == 24

    # the daily runs again on the warehouse the bench left, with a second set of new pages
    import runpy
    import sys

    script = Path(__file__).parents[1] / "scripts" / "bench_increments.py"
    argv, sys.argv = sys.argv, [str(script), str(tmp_path), "100", "--round", "2"]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        assert done.code == 0
    finally:
        sys.argv = argv
    out = capsys.readouterr().out
    assert "re-run with nothing new" in out and "with 1 % new pages (1)" in out
    assert len(list((tmp_path / "run" / "extra").rglob("*.html"))) == 2  # one per round


def _real_dir(tmp_path):
    """A stand-in for ../shared/data: two saved pages in two charsets, one without <p>."""
    import json

    root = tmp_path / "real"
    pages = {
        "ko_pages": {"ko1": ("<html><head><meta charset='euc-kr'><link rel='canonical' "
                             "href='https://news.example.kr/a/1'></head><body><p>짧다.</p><p>"
                             + "반도체 클러스터를 2026년까지 짓는다. " * 5 + "</p></body></html>",
                             "euc-kr", "https://news.example.kr/a/1")},
        "web_pages": {"de1.html": ("<html><head><title>T</title></head><body><div>"
                                   + "Die Stadt baut 12 neue Schulen. " * 4 + "</div></body></html>",
                                   "latin-1", "https://stadt.example.de/x")},
    }
    for folder, items in pages.items():
        (root / folder / "html").mkdir(parents=True)
        expected = {}
        for name, (html, charset, url) in items.items():
            stem = name.removesuffix(".html")
            (root / folder / "html" / f"{stem}.html").write_bytes(html.encode(charset))
            expected[name] = {"url": url}
        (root / folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return root


def test_real_page_copies_are_unique_with_their_own_url_in_their_own_charset(tmp_path):
    import re

    from pipeline.corpus.scale import real_pages

    copies = list(real_pages(_real_dir(tmp_path), 40, shared_url_rate=0.0))
    assert len({body for _, body in copies}) == 40 and len({name for name, _ in copies}) == 40
    urls = [re.findall(rb'rel="canonical" href="([^"]+)"', body) for _, body in copies]
    assert all(len(u) == 1 for u in urls) and len({u[0] for u in urls}) == 40
    assert urls[0][0].startswith(b"https://news.example.kr/a/1/copy-")
    assert b"news.example.kr/a/1'" not in copies[0][1]  # the page's own canonical is replaced
    korean = copies[0][1].decode("euc-kr")  # still valid in the page's charset
    assert "짧다." in korean and korean.count("반도체 클러스터") == 5  # only the long one changed
    assert "Revised 0:" in korean
    assert "Revised 1:" in copies[1][1].decode("latin-1")  # no <p>: the longest text run


def test_some_real_page_copies_share_a_url_when_asked(tmp_path):
    import re

    from pipeline.corpus.scale import real_pages

    copies = list(real_pages(_real_dir(tmp_path), 200, shared_url_rate=0.2))
    urls = [re.search(rb'rel="canonical" href="([^"]+)"', body).group(1) for _, body in copies]
    assert 100 < len(set(urls)) < 190
    assert len({body for _, body in copies}) == 200  # same URL, different text


def test_copies_are_edited_inside_the_extracted_article_not_in_a_longer_footer(tmp_path):
    import random

    from pipeline.corpus.scale import changed_paragraph, edit_span, extracted_body

    article = "".join(f"<p>{i}번째 문단: 지역 AI 전환 사업에 올해 {i * 10}억 원이 배정되었고 기업 "
                      f"지원 과제가 선정되었다는 설명이 이어졌다.</p>" for i in range(1, 7))
    footer = "<p>" + "무단 전재와 재배포를 금지하며 모든 권리는 발행처에 있습니다. " * 12 + "</p>"
    html = (f"<html><head><title>지역 AI 전환 예산</title></head><body><article>{article}"
            f"</article><footer>{footer}</footer></body></html>").encode()
    url = "https://news.example.kr/ax/1"
    base, _ = extracted_body(html, url)
    assert base and "무단 전재" not in base  # the footer is not part of the article

    def texts(span):
        return {extracted_body(changed_paragraph(html, i, random.Random(i), span), url)[0]
                for i in range(3)}

    assert len(texts(None)) == 1  # the longest paragraph is the footer: copies collapse
    span = edit_span(html, url)
    assert span is not None
    copies = texts(span)
    assert len(copies) == 3 and all("Revised" in t for t in copies)


def test_memory_sampler_sees_a_child_process_grow_and_reads_pss(tmp_path):
    import subprocess
    import sys
    import time

    from pipeline.bench import PeakRss, process_memory

    rss, pss = process_memory(__import__("os").getpid(), pss=True)
    assert rss > 10e6 and 0 < pss <= rss * 1.01
    assert process_memory(2**22 + 12345, pss=True) is None  # no such process

    with PeakRss(interval=0.05, slow_interval=0.1) as sampler:
        time.sleep(0.3)
        before, before_pss = sampler.peak, sampler.peak_pss
        child = subprocess.Popen([sys.executable, "-c",
                                  "import time; b = bytearray(300_000_000); time.sleep(60)"])
        # PSS rounds are spaced by their own cost (up to seconds in a large test process): wait
        # for one that saw the child, then let it go.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (sampler.peak - before <= 250
                                               or sampler.peak_pss - before_pss <= 200):
            time.sleep(0.05)
        child.kill()
        child.wait()
    assert sampler.peak - before > 250  # MB: the child's 300 MB counted in the tree's sum
    assert sampler.peak_pss - before_pss > 200
    assert 10 < sampler.peak_main < sampler.peak
