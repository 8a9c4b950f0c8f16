"""`axnews`: thin commands over the steps, the stages and the warehouse."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.settings import load_settings
from pipeline.sources import URL_LIKE
from pipeline.warehouse.backends import warehouse_exists, warehouse_setting

FORMATS = ("table", "csv", "json")


def _print_frame(frame, fmt: str, bom: bool = False) -> None:
    """Print a result: aligned table (blanks, 억 원, 1,234), CSV (opt. with a BOM) or JSON lines."""
    from pipeline.formatting import csv_frame, render_table

    if fmt == "csv":
        if bom:
            sys.stdout.write("\ufeff")  # Excel on Korean Windows reads UTF-8 only after a BOM
        csv_frame(frame).to_csv(sys.stdout, index=False)
    elif fmt == "json":
        for record in json.loads(frame.to_json(orient="records", date_format="iso",
                                               force_ascii=False)):
            print(json.dumps(record, ensure_ascii=False))
    else:
        print(render_table(frame))


# ---------------------------------------------------------------- run


EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2  # documented in README "Exit codes"
NEXT_COMMANDS = (
    ("axnews report --list", "the questions answered in SQL"),
    ("axnews search 반도체", "articles by words"),
    ("axnews events --list --type FUNDING", "designations, funding, agreements …"),
    ("make sql", "the warehouse in DuckDB's shell (read-only, Korean time)"),
    ("make ui", "the Dagster UI on http://127.0.0.1:3000"),
)


def _warehouse_of(args: argparse.Namespace, command: str) -> tuple[Path, int | None]:
    """The warehouse a read command opens, and the exit code when it does not exist yet."""
    warehouse = args.warehouse or load_settings().warehouse
    if warehouse_exists(warehouse):
        return warehouse, None
    return warehouse, _fail(command, f"warehouse not found: {warehouse}",
                            "run `axnews run` first, or pass --warehouse FILE")


def _fail(command: str, problem: str, fix: str, code: int = EXIT_USAGE) -> int:
    """Print what went wrong and, on the last line, what to do about it."""
    print(f"axnews {command}: {problem}", file=sys.stderr)
    print(f"  fix: {fix}", file=sys.stderr)
    return code


def _failure_fix(message: str) -> str:
    """One line saying what to do about a failed run, from its error messages."""
    if "check " in message and "failed" in message:
        return ("see what the check found: `axnews report rejects_by_reason`; its limits are "
                "AXNEWS_MAX_REJECT_SHARE and AXNEWS_MAX_ARTICLES_WITHOUT_ENTITIES")
    if "SourcesError" in message or "sources file" in message:
        return "correct the sources file named above, then run again"
    if "Could not set lock" in message or "Conflicting lock" in message:
        return "close the other process using the warehouse (a `make sql` shell, a run), then retry"
    return "run again with --verbose to see Dagster's full log"


def _run_failures(result) -> list[str]:
    """Failed checks (what they guard) and the first line of each failed step's error."""
    from pipeline.warehouse import list_checks

    described = list_checks()
    messages = [
        f"check {e.check_name} failed on {e.asset_key.to_user_string()}: "
        f"{described.get(e.check_name, '')} ({e.metadata['failing_rows'].value} failing rows)"
        for e in result.get_asset_check_evaluations() if not e.passed and e.metadata.get(
            "failing_rows")]
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        error = event.step_failure_data.error
        if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
            continue  # said above, check by check
        text = (error.message if error else event.message or "").strip()
        cause = error.cause if error is not None else None
        while cause is not None and "dagster" in (cause.cls_name or "").lower():
            cause = cause.cause
        if cause is not None and cause.message:
            text = cause.message.strip()
        line = next((part for part in text.splitlines() if part.strip()), text)
        where = f"step {event.step_key}: " if event.step_key else ""
        if line and f"{where}{line}" not in messages:
            messages.append(f"{where}{line}")
    return messages


def _print_run_summary(settings) -> None:
    from pipeline.warehouse import connect
    from pipeline.warehouse.db import run_summary

    with connect(settings.warehouse, read_only=True) as con:
        totals, reasons = run_summary(con)
    print(f"\npages: {totals['fetched']:,} fetched, {totals['failed']:,} failed, "
          f"{totals['rejected']:,} rejected after fetching")
    if reasons:
        print("  by reason: " + ", ".join(f"{reason} {n:,}" for reason, n in reasons))
    print(f"warehouse: {totals['articles']:,} articles, {totals['entities']:,} entities, "
          f"{totals['events']:,} events in {settings.warehouse}")
    report = settings.reports_dir / "axnews-report.html"
    if report.exists():
        print(f"report: {report}")
    from pipeline.formatting import display_width

    print("next:")
    width = max(display_width(command) for command, _ in NEXT_COMMANDS)
    for command, what in NEXT_COMMANDS:
        print(f"  {command}{' ' * (width - display_width(command))}   {what}")


def cmd_run(args: argparse.Namespace) -> int:
    """Materialize every asset: ingest, clean, enrich, load, report."""
    import logging

    from pipeline.sources import validate_sources_file

    settings = load_settings().with_overrides(
        sources_file=args.sources.resolve() if args.sources else None,
        warehouse=args.warehouse or None,
        workers=args.workers, allow_private=args.allow_private or None,
        refetch=args.refetch or None,
    )
    if args.only and not (args.urls or args.html_dir):
        return _fail("run", "--only needs --urls or --html-dir",
                     "add --urls FILE or --html-dir FOLDER, or drop --only")
    # Checked before Dagster is even imported: a typo fails in a second, not after retries.
    problems = [] if args.only else validate_sources_file(settings.sources_file)
    if args.urls and not args.urls.is_file():
        problems.append(f"--urls {args.urls}: file not found")
    if args.html_dir and not args.html_dir.is_dir():
        problems.append(f"--html-dir {args.html_dir}: folder not found")
    if problems:
        for problem in problems[:4]:
            print(f"axnews run: {problem}", file=sys.stderr)
        print("  fix: correct the sources file or the option named above (see README "
              "\"Sources file\"), then run again", file=sys.stderr)
        return EXIT_USAGE

    from pipeline.runner import materialize_all, with_one_offs

    run_log = logging.getLogger("axnews.run")
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    run_log.addHandler(handler)
    run_log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    run_log.propagate = args.verbose
    try:
        settings = with_one_offs(settings, args.urls, args.html_dir, args.only,
                                 args.allow_private)
        if not args.quiet:
            print(f"axnews run: {settings.sources_file} → {settings.warehouse}")
        result = materialize_all(settings, verbose=args.verbose)
    finally:
        run_log.removeHandler(handler)
    if not result.success:
        failures = _run_failures(result)
        for line in failures[:4]:
            print(f"axnews run: {line}", file=sys.stderr)
        return _fail("run", "the run failed", _failure_fix(" ".join(failures)),
                     EXIT_SOME_FAILED)
    if not args.quiet:
        _print_run_summary(settings)
    return EXIT_OK


# ---------------------------------------------------------------- extract


def _extract_one(item: str, allow_private: bool) -> dict:
    from pipeline.models import PageRef, Reject
    from pipeline.stages.clean import process_page
    from pipeline.stages.fetch import FetchPolicy, fetch_pages, read_page_file

    if URL_LIKE.match(item) and not item.startswith("file://") or item.startswith("www."):
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.hostname or "://" not in item:
            return {"source": item, "error": "bad_url",
                    "detail": f"expected a URL like https://host/path or a file; got {item!r}"}
        policy = FetchPolicy(allow_private=allow_private)
        pages = list(fetch_pages([PageRef(source="cli", url=item)], policy))
        page = pages[0]
    else:
        path = Path(item.removeprefix("file://"))
        if path.is_dir():
            return {"source": item, "error": "is_directory",
                    "detail": f"expected an HTML file or a URL; {path} is a folder "
                              "(ingest a folder with `axnews run --html-dir FOLDER`)"}
        if not path.is_file():
            return {"source": item, "error": "not_found", "detail": f"no such file: {path}"}
        page = read_page_file(PageRef(source="cli", url=path.resolve().as_uri(), path=str(path)))
    if not page.ok:
        return {"source": item, "url": page.url, "error": page.reason, "detail": page.detail}
    result = process_page(page)
    if isinstance(result, Reject):
        return {"source": item, "url": page.url, "error": result.reason, "detail": result.detail}
    return {
        "source": item, "url": result.canonical_url or result.url, "title": result.title,
        "text": result.text,
        "published_at": result.published_at.isoformat() if result.published_at else None,
        "updated_at": result.updated_at.isoformat() if result.updated_at else None,
        "authors": list(result.authors), "site_name": result.site_name,
        "language": result.language, "subtitle": result.subtitle, "section": result.section,
        "tags": list(result.tags), "captions": list(result.captions),
        "body_source": result.body_source,
    }


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract clean articles from files or URLs, one JSON line per input, in order."""
    failed = 0
    for item in args.inputs:
        try:
            record = _extract_one(item, args.allow_private)
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
            record = {"source": item, "error": "internal_error", "detail": f"{exc}"}
        failed += "error" in record
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return _some_failed("extract", failed, len(args.inputs))


def _some_failed(command: str, failed: int, total: int) -> int:
    """Exit 1 with a count on stderr when some inputs failed (their lines say why), else 0."""
    if not failed:
        return EXIT_OK
    print(f"axnews {command}: {failed} of {total} inputs failed (see their \"error\" lines)",
          file=sys.stderr)
    return EXIT_SOME_FAILED


# ---------------------------------------------------------------- entities


def _extractor():
    """The entity extractor as configured (reference data, optional NER model)."""
    from pipeline.reference import load_reference
    from pipeline.stages.enrich import EntityExtractor

    settings = load_settings()
    return EntityExtractor(load_reference(settings.reference_dir), model_path=settings.ner_model,
                           label_map=settings.ner_label_map)


EXPECTED_LINE = 'one JSON object per line with a "text" field, e.g. {"id": "a1", "text": "…"}'


class _InputLines:
    """(record, text, published_at) per good stdin line; a bad one prints an error line instead.

    A line that is not JSON, not an object, or has no "text" string is an error, not an article
    without entities: `failed` counts them for the exit code.
    """

    def __init__(self) -> None:
        self.failed = 0
        self.total = 0

    def _error(self, n: int, record, detail: str) -> None:
        self.failed += 1
        rid = record.get("id") if isinstance(record, dict) else None
        print(json.dumps({"line": n, **({"id": rid} if rid is not None else {}),
                          "error": "bad_input", "detail": detail}, ensure_ascii=False))

    def __iter__(self):
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            self.total += 1
            try:
                record = json.loads(line)
            except ValueError:
                self._error(n, None, f"expected {EXPECTED_LINE}; got {line.strip()[:40]!r}")
                continue
            if not isinstance(record, dict):
                self._error(n, None, f"expected {EXPECTED_LINE}; got a JSON "
                                     f"{type(record).__name__}")
                continue
            text = record.get("text")
            if not isinstance(text, str):
                self._error(n, record, 'expected a "text" field holding the article body'
                            + ("" if text is None else f"; got {type(text).__name__}"))
                continue
            published = record.get("published_at")
            try:
                published_at = datetime.fromisoformat(published) if published else None
            except (TypeError, ValueError):
                self._error(n, record, f'expected "published_at" as an ISO date like '
                                       f'2025-11-18T09:00:00+09:00; got {published!r}')
                continue
            yield record, text, published_at


def cmd_entities(args: argparse.Namespace) -> int:
    """Read {"id", "text"} JSON lines on stdin; write {"id", "entities": [...]} lines."""
    extractor = _extractor()
    lines = _InputLines()
    for record, text, published_at in lines:
        mentions, quotes = extractor.extract(text, published_at)
        out = {
            "id": record.get("id"),
            "entities": [
                {"start": m.start, "end": m.end, "label": m.label, "text": m.text,
                 "canonical": m.canonical, "entity_id": m.entity_id, "known": m.known,
                 **({"role": m.role} if m.role else {}),
                 **({"affiliation": m.affiliation} if m.affiliation else {}),
                 **({"value": m.value, "unit": m.unit} if m.value is not None else {})}
                for m in mentions
            ],
        }
        if args.quotes:
            out["quotes"] = [{"start": q.start, "end": q.end, "text": q.text,
                              "speaker": q.speaker, "role": q.speaker_role} for q in quotes]
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return _some_failed("entities", lines.failed, lines.total)


# ---------------------------------------------------------------- events

def _event_json(event) -> dict:
    names = lambda values: list(values) if len(values) > 1 else (values[0] if values else None)
    return {"type": event.type, "start": event.start, "end": event.end,
            "agent": names(event.agent), "object": names(event.object), "title": event.title,
            "basis": event.basis, "date": event.date, "date_end": event.date_end,
            "amount": event.amount, "currency": event.currency, "region": event.region}


def cmd_events(args: argparse.Namespace) -> int:
    """Extract policy events from {"id", "text", "published_at"} JSON lines, or list stored ones."""
    if args.list:
        from pipeline.warehouse import connect
        from pipeline.warehouse.sqlfiles import run_load

        warehouse, failed = _warehouse_of(args, "events")
        if failed is not None:
            return failed
        since = args.since.isoformat() if args.since else None
        with connect(warehouse, read_only=True) as con:
            frame = run_load(con, "events_list", {"type": args.type, "since": since}).df()
        _print_frame(frame, args.format, args.bom)
        return 0
    from pipeline.stages.events import extract_events

    extractor = _extractor()
    lines = _InputLines()
    for record, text, published_at in lines:
        mentions, _quotes = extractor.extract(text, published_at)
        events = extract_events(text, mentions, published_at, reference=extractor.reference)
        print(json.dumps({"id": record.get("id"), "events": [_event_json(e) for e in events]},
                         ensure_ascii=False), flush=True)
    return _some_failed("events", lines.failed, lines.total)


# ---------------------------------------------------------------- report


def cmd_report(args: argparse.Namespace) -> int:
    """Run a named SQL report from sql/reports against the warehouse."""
    from pipeline.warehouse import connect, list_reports, run_report

    reports = list_reports()
    if args.list or not args.name:
        for name, description in reports.items():
            print(f"{name:28} {description}")
        return 0
    if args.name not in reports:
        return _fail("report", f"no report named {args.name!r}",
                     "pick a name from `axnews report --list`")
    warehouse, failed = _warehouse_of(args, "report")
    if failed is not None:
        return failed
    with connect(warehouse, read_only=True) as con:
        _print_frame(run_report(con, args.name), args.format, args.bom)
    return 0


# ---------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    """Write every warehouse table as Parquet (articles partitioned by month)."""
    from pipeline.warehouse import connect
    from pipeline.warehouse.export import export_parquet

    if args.to.exists() and not args.to.is_dir():
        return _fail("export", f"--to {args.to} is a file; expected a folder for the Parquet files",
                     "name a new or existing folder, e.g. --to data/export")
    warehouse, failed = _warehouse_of(args, "export")
    if failed is not None:
        return failed
    with connect(warehouse, read_only=True) as con:
        counts = export_parquet(con, args.to)
    for table, n in counts.items():
        print(f"{table:20} {n:8} rows")
    print(f"written to {args.to}")
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per verb."""
    parser = argparse.ArgumentParser(
        prog="axnews", description="News-intelligence warehouse for Korea's regional AX.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help=cmd_run.__doc__, description=cmd_run.__doc__)
    run.add_argument("--sources", type=Path, help="sources file (default: the bundled demo)")
    run.add_argument("--warehouse", type=warehouse_setting, help="DuckDB file (default data/warehouse.duckdb)")
    run.add_argument("--urls", type=Path, help="also ingest a text file of URLs")
    run.add_argument("--html-dir", type=Path, help="also ingest a folder of saved pages")
    run.add_argument("--only", action="store_true",
                     help="ingest only --urls/--html-dir, not the sources file")
    run.add_argument("--allow-private", action="store_true",
                     help="allow loopback and private addresses for this run")
    run.add_argument("--refetch", action="store_true", help="fetch pages fetched before again")
    run.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    run.add_argument("--quiet", action="store_true",
                     help="print nothing but errors (no line per asset, no summary)")
    run.add_argument("--verbose", action="store_true", help="also print Dagster's event log")
    run.set_defaults(func=cmd_run)

    extract = sub.add_parser("extract", help=cmd_extract.__doc__, description=cmd_extract.__doc__)
    extract.add_argument("inputs", nargs="+", metavar="FILE_OR_URL")
    extract.add_argument("--allow-private", action="store_true",
                         help="allow loopback and private addresses")
    extract.set_defaults(func=cmd_extract)

    entities = sub.add_parser("entities", help=cmd_entities.__doc__,
                              description=cmd_entities.__doc__ + " Labels: PERSON, ORG, "
                              "LOCATION, LAW, TECH, DATE, MONEY; start/end are character offsets.")
    entities.add_argument("--quotes", action="store_true", help="also output direct quotes")
    entities.set_defaults(func=cmd_entities)

    events = sub.add_parser("events", help=cmd_events.__doc__, description=cmd_events.__doc__)
    events.add_argument("--list", action="store_true", help="list events stored in the warehouse")
    events.add_argument("--type", choices=("DESIGNATION", "SELECTION", "FUNDING", "AGREEMENT",
                                           "LAUNCH", "CALL", "INVESTMENT", "LAW", "PLAN"),
                        help="with --list: only this type")
    events.add_argument("--since", type=date.fromisoformat, help="with --list: from this date")
    events.add_argument("--format", choices=FORMATS, default="table")
    events.add_argument("--bom", action="store_true",
                        help="with --format csv: start with a UTF-8 BOM (Excel on Windows)")
    events.add_argument("--warehouse", type=warehouse_setting, help="DuckDB file")
    events.set_defaults(func=cmd_events)

    report = sub.add_parser("report", help=cmd_report.__doc__, description=cmd_report.__doc__)
    report.add_argument("name", nargs="?", help="report name (see --list)")
    report.add_argument("--list", action="store_true", help="list the reports")
    report.add_argument("--format", choices=FORMATS, default="table")
    report.add_argument("--bom", action="store_true",
                        help="with --format csv: start with a UTF-8 BOM (Excel on Windows)")
    report.add_argument("--warehouse", type=warehouse_setting, help="DuckDB file")
    report.set_defaults(func=cmd_report)

    export = sub.add_parser("export", help=cmd_export.__doc__, description=cmd_export.__doc__)
    export.add_argument("--to", type=Path, required=True, help="output folder")
    export.add_argument("--warehouse", type=warehouse_setting, help="DuckDB file")
    export.set_defaults(func=cmd_export)

    from pipeline.search import add_search_parser

    add_search_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `axnews` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `axnews extract … | head`: the reader left, not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
