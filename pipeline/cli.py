"""`axnews`: thin commands over the steps, the stages and the warehouse."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from pipeline.settings import load_settings
from pipeline.warehouse.backends import warehouse_exists, warehouse_setting

FORMATS = ("table", "csv", "json")


def _print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        for record in json.loads(frame.to_json(orient="records", date_format="iso",
                                               force_ascii=False)):
            print(json.dumps(record, ensure_ascii=False))
    else:
        print(frame.to_string(index=False) if not frame.empty else "(no rows)")


# ---------------------------------------------------------------- run


def cmd_run(args: argparse.Namespace) -> int:
    """Materialize every asset: ingest, clean, enrich, load, report."""
    from pipeline.runner import materialize_all, with_one_offs
    from pipeline.warehouse import connect, run_report

    settings = load_settings().with_overrides(
        sources_file=args.sources.resolve() if args.sources else None,
        warehouse=args.warehouse or None,
        workers=args.workers, allow_private=args.allow_private or None,
        refetch=args.refetch or None,
    )
    if args.only and not (args.urls or args.html_dir):
        print("axnews run: --only needs --urls or --html-dir", file=sys.stderr)
        return 2
    if not settings.sources_file.is_file() and not args.only:
        print(f"axnews run: sources file not found: {settings.sources_file}", file=sys.stderr)
        return 2
    settings = with_one_offs(settings, args.urls, args.html_dir, args.only, args.allow_private)
    result = materialize_all(settings)
    if not result.success:
        for event in result.all_events:
            if event.is_failure:
                print(f"axnews run: {event.message}", file=sys.stderr)
        return 1
    if not args.quiet:
        with connect(settings.warehouse, read_only=True) as con:
            for name in ("articles_per_source", "top_organizations", "top_people",
                         "top_technologies", "rejects_by_reason"):
                print(f"\n== {name} ==")
                _print_frame(run_report(con, name).head(10), "table")
        print(f"\nwarehouse: {settings.warehouse}")
    return 0


# ---------------------------------------------------------------- extract


def _extract_one(item: str, allow_private: bool) -> dict:
    from pipeline.models import PageRef, Reject
    from pipeline.stages.clean import process_page
    from pipeline.stages.fetch import FetchPolicy, fetch_pages, read_page_file

    if "://" in item and not item.startswith("file://"):
        policy = FetchPolicy(allow_private=allow_private)
        pages = list(fetch_pages([PageRef(source="cli", url=item)], policy))
        page = pages[0]
    else:
        path = Path(item.removeprefix("file://"))
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
    for item in args.inputs:
        try:
            record = _extract_one(item, args.allow_private)
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
            record = {"source": item, "error": "internal_error", "detail": f"{exc}"}
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 0


# ---------------------------------------------------------------- entities


def _extractor():
    """The entity extractor as configured (reference data, optional NER model)."""
    from pipeline.reference import load_reference
    from pipeline.stages.enrich import EntityExtractor

    settings = load_settings()
    return EntityExtractor(load_reference(settings.reference_dir), model_path=settings.ner_model,
                           label_map=settings.ner_label_map)


def _read_json_lines():
    """(record, text, published_at) per stdin line; a bad line prints an error line instead."""
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = str(record.get("text") or "")
            published = record.get("published_at")
            published_at = datetime.fromisoformat(published) if published else None
        except (ValueError, AttributeError, TypeError) as exc:
            print(json.dumps({"line": n, "error": f"bad input: {exc}"}, ensure_ascii=False))
            continue
        yield record, text, published_at


def cmd_entities(args: argparse.Namespace) -> int:
    """Read {"id", "text"} JSON lines on stdin; write {"id", "entities": [...]} lines."""
    extractor = _extractor()
    for record, text, published_at in _read_json_lines():
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
    return 0


# ---------------------------------------------------------------- events

EVENT_LIST_SQL = """
select e.date, e.type, string_agg(r.name, '; ') filter (where r.role = 'agent') as agent,
       string_agg(r.name, '; ') filter (where r.role = 'object') as object,
       e.title, e.basis, e.amount, e.currency, e.region, a.title as article
from events e
join articles a using (article_id)
left join event_roles r using (article_id, event_index)
where (?::varchar is null or e.type = ?) and (?::date is null or e.date >= ?)
group by all
order by e.date desc nulls last, e.type
"""


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

        warehouse = args.warehouse or load_settings().warehouse
        if not warehouse_exists(warehouse):
            print(f"axnews events: warehouse not found: {warehouse}", file=sys.stderr)
            return 2
        since = args.since.isoformat() if args.since else None
        with connect(warehouse, read_only=True) as con:
            frame = con.execute(EVENT_LIST_SQL, [args.type, args.type, since, since]).df()
        _print_frame(frame, args.format)
        return 0
    from pipeline.stages.events import extract_events

    extractor = _extractor()
    for record, text, published_at in _read_json_lines():
        mentions, _quotes = extractor.extract(text, published_at)
        events = extract_events(text, mentions, published_at, reference=extractor.reference)
        print(json.dumps({"id": record.get("id"), "events": [_event_json(e) for e in events]},
                         ensure_ascii=False), flush=True)
    return 0


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
        print(f"axnews report: no report named {args.name!r}; try --list", file=sys.stderr)
        return 2
    warehouse = args.warehouse or load_settings().warehouse
    if not warehouse_exists(warehouse):
        print(f"axnews report: warehouse not found: {warehouse} (run `axnews run` first)",
              file=sys.stderr)
        return 2
    with connect(warehouse, read_only=True) as con:
        _print_frame(run_report(con, args.name), args.format)
    return 0


# ---------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    """Write every warehouse table as Parquet (articles partitioned by month)."""
    from pipeline.warehouse import connect
    from pipeline.warehouse.export import export_parquet

    warehouse = args.warehouse or load_settings().warehouse
    if not warehouse_exists(warehouse):
        print(f"axnews export: warehouse not found: {warehouse}", file=sys.stderr)
        return 2
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
    run.add_argument("--quiet", action="store_true", help="do not print the summary")
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
    events.add_argument("--warehouse", type=warehouse_setting, help="DuckDB file")
    events.set_defaults(func=cmd_events)

    report = sub.add_parser("report", help=cmd_report.__doc__, description=cmd_report.__doc__)
    report.add_argument("name", nargs="?", help="report name (see --list)")
    report.add_argument("--list", action="store_true", help="list the reports")
    report.add_argument("--format", choices=FORMATS, default="table")
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
