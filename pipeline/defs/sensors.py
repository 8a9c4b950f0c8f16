"""The inbox sensor and the sensors that file an inbox batch as done or failed."""


from pathlib import Path

import dagster as dg

from pipeline.defs.jobs import axnews_job
from pipeline.inbox import claim_batch, finish_batch
from pipeline.runner import today_partition
from pipeline.settings import Settings

BATCH_TAG = "axnews/inbox_batch"


def build_inbox_sensors(settings: Settings) -> list[dg.SensorDefinition]:
    """Sensors over settings.inbox_dir: claim dropped files, then file them when the run ends."""
    inbox = settings.inbox_dir

    @dg.sensor(name="inbox_sensor", job=axnews_job, minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description=f"Ingest URL lists (.txt) and pages (.html) dropped into {inbox}.")
    def inbox_sensor(context: dg.SensorEvaluationContext):
        batch = claim_batch(inbox)
        if batch is None:
            return dg.SkipReason(f"nothing new in {inbox}")
        context.log.info(f"claimed {batch}")
        return dg.RunRequest(
            run_key=batch.name, partition_key=today_partition(),
            run_config={"ops": {"sources": {"config": {"inbox_batch": str(batch)}}}},
            tags={BATCH_TAG: str(batch)},
        )

    def _finish(context: dg.RunStatusSensorContext, ok: bool) -> None:
        batch = context.dagster_run.tags.get(BATCH_TAG)
        if batch:
            reason = "" if ok else f"run {context.dagster_run.run_id} failed"
            finish_batch(inbox, Path(batch), ok, reason)

    @dg.run_status_sensor(name="inbox_done_sensor", run_status=dg.DagsterRunStatus.SUCCESS,
                          monitored_jobs=[axnews_job],
                          default_status=dg.DefaultSensorStatus.STOPPED)
    def inbox_done_sensor(context: dg.RunStatusSensorContext):
        _finish(context, ok=True)

    @dg.run_failure_sensor(name="inbox_failed_sensor", monitored_jobs=[axnews_job],
                           default_status=dg.DefaultSensorStatus.STOPPED)
    def inbox_failed_sensor(context: dg.RunFailureSensorContext):
        _finish(context, ok=False)

    return [inbox_sensor, inbox_done_sensor, inbox_failed_sensor]
