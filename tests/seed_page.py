"""Build an HTML page in the seed outlet's style around the seed text in ../shared/seeds/."""

from __future__ import annotations

import html
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def seed_text() -> str | None:
    """The seed document's text, or None when ../shared/seeds is absent."""
    files = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    return files[0].read_text(encoding="utf-8") if files else None


def _section(lines: list[str], start: str, stop: str | None) -> list[str]:
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    j = next((n for n, line in enumerate(lines) if stop and line.startswith(stop) and n > i),
             len(lines))
    return lines[i:j]


def build_seed_html(text: str) -> str:
    """Lay the seed's parts out as the outlet's page does: body, controls, lists, ticker."""
    lines = [ln.strip().lstrip("•").strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    title, stamp = lines[0], lines[1]
    subtitle = next(ln for ln in lines if ln.startswith("AI·제조"))
    captions = [ln for ln in lines if ln.startswith("▲")]
    first_body = lines.index(captions[-1]) + 1
    end_body = next(n for n, ln in enumerate(lines) if ln.startswith("좋아요"))
    body = lines[first_body:end_body]
    reactions = lines[end_body : end_body + 4]
    news = _section(lines, "주요 뉴스", "오늘의 상승종목")[1:]
    ticker = _section(lines, "실시간 암호화폐 시세", None)
    e = html.escape
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>{e(title)} - 한빛경제</title>
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="한빛경제">
<meta property="og:url" content="https://www.hanbiteconomy.co.kr/news/view/2544001">
<link rel="canonical" href="https://www.hanbiteconomy.co.kr/news/view/2544001">
</head><body>
<header><nav><ul><li><a href="/">홈</a></li><li><a href="/economy">경제</a></li>
<li><a href="/industry">산업</a></li><li><a href="/it">IT·바이오</a></li></ul></nav></header>
<main><article class="news_view">
<h1 class="main_title">{e(title)}</h1>
<div class="view_top_info"><span class="date">{e(stamp)}</span>
<ul class="font_size"><li><button>가장작게</button></li><li><button>작게</button></li>
<li><button>기본</button></li><li><button>크게</button></li><li><button>가장크게</button></li></ul></div>
<h2 class="sub_title">{e(subtitle)}</h2>
<div class="articleView" itemprop="articleBody">
<figure><img src="/photo/gtp.jpg" alt=""><figcaption>{e(captions[0])}</figcaption></figure>
{paragraphs}
</div>
<ul class="reaction">{''.join(f'<li><button>{e(r)}</button></li>' for r in reactions)}</ul>
</article>
<aside class="main_news"><h3>주요 뉴스</h3><ul>
{''.join(f'<li><a href="/news/{i}">{e(n)}</a></li>' for i, n in enumerate(news))}
</ul></aside>
<aside class="coin"><h3>{e(ticker[0])}</h3><ul>
{''.join(f'<li>{e(t)}</li>' for t in ticker[1:])}
</ul></aside></main>
<footer><p>한빛경제 Copyright ⓒ 무단전재 및 재배포 금지</p></footer>
</body></html>"""
