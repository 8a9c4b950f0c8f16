"""What a person watching `axnews run` sees: one line per finished asset and progress bars.

Both go through here so that Dagster-free code (steps, stages) can report progress without
knowing who listens. Lines go to the `axnews.run` logger (the CLI prints it; Dagster's UI shows
asset metadata instead); bars go to stderr, only on a terminal or with AXNEWS_PROGRESS=1, so
test output and piped logs stay clean.
"""

from __future__ import annotations

import logging
import os
import sys

RUN_LOG = logging.getLogger("axnews.run")

# counts key → the words shown for it, per asset; the first keys found are shown.
SHOWN_COUNTS = {
    "sources": [("sources", "sources")],
    "pages": [("fetched", "pages fetched"), ("failed", "failed"), ("skipped", "unchanged")],
    "articles": [("articles_new", "new articles"), ("rejects_new", "rejects"),
                 ("duplicates_new", "duplicates")],
    "enrichment": [("articles_enriched", "articles enriched"), ("mentions_new", "mentions"),
                   ("events_new", "events")],
    "article_search": [("articles_indexed", "articles indexed")],
    "reports": [("reports", "reports written")],
    "chart_report": [("bytes", "bytes")],
}


def bars_enabled() -> bool:
    """Progress bars on: AXNEWS_PROGRESS=1, or unset and stderr is a terminal."""
    setting = os.environ.get("AXNEWS_PROGRESS", "").strip().lower()
    if setting in {"0", "false", "no", "off"}:
        return False
    return setting in {"1", "true", "yes", "on"} or sys.stderr.isatty()


def asset_line(asset: str, counts: dict[str, int], seconds: float) -> str:
    """`pages        120 pages fetched, 3 failed        2.1 s`: one finished asset."""
    shown = [f"{int(counts[key]):,} {words}" for key, words in SHOWN_COUNTS.get(asset, [])
             if key in counts]
    return f"  {asset:<15} {', '.join(shown):<52} {seconds:6.1f} s"


def asset_done(asset: str, counts: dict[str, int], seconds: float) -> None:
    """Announce a finished asset on the `axnews.run` logger."""
    RUN_LOG.info(asset_line(asset, counts, seconds))


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress_bar(total: int | None, label: str, unit: str = "item"):
    """A bar with `.update(n)` and `.close()` (or used as a context manager) on stderr, when bars
    are enabled and the work is long enough; total None: not known in advance (a counter)."""
    if not bars_enabled() or (total is not None and total < 50):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=f"  {label}", unit=unit, file=sys.stderr, leave=False,
                dynamic_ncols=True, mininterval=0.5)
