"""Asset checks: each runs one query from sql/checks, which passes when it returns no rows."""


import dagster as dg

from pipeline.defs.resources import AxnewsResource
from pipeline.warehouse import list_checks, run_check

# check file → (asset it guards, blocking). Blocking checks stop downstream assets on failure.
CHECKS: dict[str, tuple[str, bool]] = {
    "articles_nonempty_bodies": ("articles", True),
    "articles_unique_ids": ("articles", True),
    "articles_no_future_dates": ("articles", True),
    "rejects_share_under_limit": ("articles", True),
    "articles_freshness": ("articles", False),
    "entity_coverage": ("mentions", True),
    "mentions_offsets_valid": ("mentions", True),
    "events_have_type_and_object": ("events", True),
    "events_dates_in_bounds": ("events", True),
}


def _build_check(name: str, asset: str, blocking: bool) -> dg.AssetChecksDefinition:
    description = list_checks().get(name, name)

    @dg.asset_check(asset=asset, name=name, blocking=blocking, description=description)
    def _check(axnews: AxnewsResource) -> dg.AssetCheckResult:
        variables = axnews.settings().check_variables()
        with axnews.connect(read_only=True) as con:
            bad = run_check(con, name, variables)
        return dg.AssetCheckResult(
            passed=bad.empty,
            severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            metadata={"failing_rows": dg.MetadataValue.int(len(bad)),
                      **({"sample": dg.MetadataValue.md(bad.head(5).astype(str).to_markdown(
                          index=False))} if not bad.empty else {})},
        )

    return _check


ALL_CHECKS = [_build_check(name, asset, blocking) for name, (asset, blocking) in CHECKS.items()]
