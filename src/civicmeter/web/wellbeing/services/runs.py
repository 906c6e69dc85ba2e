"""Starting and carrying out a wave's capacity-outcome analysis, with progress others can watch.

``analysis_start`` checks permissions and inputs and records a queued run in one transaction; the
background task (``tasks.run_analysis``) or the CLI then calls ``analysis_execute``, which writes
progress as it goes (each update commits on its own, so the page polling the run sees it) and
stores the report HTML and every table as CSV text on the run.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civicmeter.analysis import AnalysisError, ComparisonSettings, analyze, render_html
from civicmeter.analysis.settings import DEFAULT_SETTINGS
from civicmeter.outcomes import OutcomesError
from civicmeter.params import ParameterError
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes.models import Wave
from civicmeter.web.results.selectors import PSI, latest_run

from ..analysis_inputs import build_inputs
from ..models import AnalysisRun, OutcomeValue
from ..permissions import require_outcomes_manager
from .catalogue import catalogue_sync

E010_NO_SCORES = gettext_noop(
    "[wellbeing.E010] Wave %(wave)s has no PSI scores yet. Compute them first (the results page's "
    "button, or civicmeter score --wave %(wave)s)."
)
E011_NO_OUTCOMES = gettext_noop(
    "[wellbeing.E011] Programme %(programme)s has no outcome values. Import an outcome table first "
    "(the outcomes page, or civicmeter outcomes import FILE)."
)
E012_UNKNOWN_OUTCOMES = gettext_noop(
    "[wellbeing.E012] No stored values for the outcome code(s) %(codes)s. Use codes listed on the "
    "outcomes page."
)

Progress = Callable[[int, str], None]


@transaction.atomic(durable=True)
def analysis_start(
    *,
    actor,
    wave: Wave,
    settings: ComparisonSettings = DEFAULT_SETTINGS,
    background: bool = True,
) -> AnalysisRun:
    """Record a queued analysis of ``wave`` with ``settings`` and, with ``background``, enqueue it.

    ``settings.indicators`` limits the analysis to these outcome codes (default: every stored one
    except the income control). The settings are stored whole on the run, so the run can be
    repeated exactly. Raises ``PermissionDenied`` unless ``actor`` manages the programme, and
    ``ValidationError`` when the wave has no scores or the programme no matching outcomes.
    """
    require_outcomes_manager(actor, wave.programme)
    if latest_run(wave, PSI) is None:
        raise ValidationError(_(E010_NO_SCORES) % {"wave": wave.code})
    stored = OutcomeValue.objects.filter(programme=wave.programme)
    if not stored.exists():
        raise ValidationError(_(E011_NO_OUTCOMES) % {"programme": wave.programme.slug})
    if settings.indicators:
        known = set(stored.values_list("indicator__code", flat=True))
        unknown = sorted(set(settings.indicators) - known)
        if unknown:
            raise ValidationError(_(E012_UNKNOWN_OUTCOMES) % {"codes": ", ".join(unknown)})
    run = AnalysisRun.objects.create(
        wave=wave,
        parameters=settings.to_mapping(),
        actor=None if actor is SYSTEM else actor,
        message=_("Waiting for the background worker"),
    )
    if background:
        from ..tasks import run_analysis  # tasks imports this module

        transaction.on_commit(lambda: run_analysis.enqueue(run.pk))
    return run


def _progress(run: AnalysisRun, percent: int, message: str, on_progress: Progress | None) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(progress=percent, message=message)
    if on_progress is not None:
        on_progress(percent, message)


def _finite(value: float) -> float | None:
    return None if value != value else float(value)  # NaN is not JSON


def _summary(report, inputs) -> dict:
    """What the page shows above the report: outcomes, n per group, the synthetic flag."""
    groups = [
        {
            "table": table.name,
            "title": table.title,
            "rows": [
                {
                    "outcome": row.outcome,
                    "name": row.outcome_name,
                    "n_high": row.n_high,
                    "n_low": row.n_low,
                    "estimate": _finite(row.estimate),
                    "ci_lower": _finite(row.ci_lower),
                    "ci_upper": _finite(row.ci_upper),
                }
                for row in table.rows
            ],
        }
        for table in report.comparisons
    ]
    return {
        "synthetic": report.synthetic,
        "outcomes": sorted(set(inputs.outcomes["indicator"])),
        "cities_scored": int(inputs.capacity["psi_class"].notna().sum()),
        "data_use_sample": inputs.data_use_run is not None,
        "groups": groups,
        "provenance": dict(report.provenance.items()),
        "notes": list(inputs.notes),
    }


def analysis_execute(*, run_id: int, on_progress: Progress | None = None) -> AnalysisRun:
    """Carry out a queued run: build the inputs, analyse, store the report. Never raises for
    problems in the data; they end the run as failed with the message a user can act on."""
    run = AnalysisRun.objects.select_related("wave__programme", "wave__instrument").get(pk=run_id)
    AnalysisRun.objects.filter(pk=run.pk).update(status=AnalysisRun.Status.RUNNING, started_at=timezone.now())
    try:
        catalogue_sync()
        _progress(run, 10, _("Reading scores, answers and outcomes"), on_progress)
        settings = ComparisonSettings.from_mapping(run.parameters)
        inputs = build_inputs(run.wave, indicators=settings.indicators)
        _progress(run, 30, _("Comparing high- and low-capacity cities"), on_progress)
        report = analyze(
            inputs.capacity,
            inputs.outcomes,
            controls=inputs.controls,
            catalogue=inputs.catalogue,
            settings=settings,
            provenance=inputs.provenance,
            notes=inputs.notes,
        )
        _progress(run, 85, _("Writing the report"), on_progress)
        html = render_html(report)
        tables = {name: frame.to_csv(index=False) for name, frame in report.to_tables().items()}
        summary = _summary(report, inputs)
    except (AnalysisError, OutcomesError, ParameterError, LookupError) as exc:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.FAILED,
            error=str(exc),
            finished_at=timezone.now(),
            message=_("Failed"),
        )
        run.refresh_from_db()
        return run
    except Exception as exc:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.FAILED,
            finished_at=timezone.now(),
            message=_("Failed"),
            error=_("Internal error (%(type)s); the server log has the details.")
            % {"type": type(exc).__name__},
        )
        raise
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=AnalysisRun.Status.DONE,
        report_html=html,
        tables=tables,
        summary=summary,
        finished_at=timezone.now(),
    )
    _progress(run, 100, _("Done"), on_progress)
    run.refresh_from_db()
    return run
