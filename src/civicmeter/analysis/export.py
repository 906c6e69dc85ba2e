"""Writing an :class:`AnalysisReport` to a directory: one CSV per table plus ``report.html``.

Shared by ``civicmeter analyze-files`` and the wave-based ``analyze``, so both write the same files.
Everything is rendered in memory before the first file is written, so a failure leaves nothing
half-written.
"""

from __future__ import annotations

from pathlib import Path

from civicmeter.analysis.report import AnalysisReport
from civicmeter.analysis.report_html import render_html
from civicmeter.params import InstanceOf, validate_params


@validate_params(
    {
        "report": [InstanceOf(AnalysisReport, "an AnalysisReport")],
        "directory": [InstanceOf((str, Path), "a directory path")],
    }
)
def write_report(report: AnalysisReport, directory: str | Path) -> list[Path]:
    """Write ``<table>.csv`` for every table and ``report.html``; return the paths written."""
    directory = Path(directory)
    contents = {
        f"{name}.csv": frame.to_csv(index=False) for name, frame in report.to_tables().items()
    }
    contents["report.html"] = render_html(report)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in contents.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
