"""The self-contained HTML report of a run, with ``metrics.json`` and ``contacts.csv``.

:func:`render_report` turns a run into one HTML page (inline CSS, charts as inline SVG,
no external resource); :func:`write_outputs` writes the page and the data files.
"""

from __future__ import annotations

from simulator.report.render import render_report, write_outputs

__all__ = ["render_report", "write_outputs"]
