"""``contacts.csv``: one row per contact of the first replication, every design.

The columns are the fields of :class:`~simulator.engine.records.ContactRecord` in
declaration order, plus the derived ``wait_s``. Times are rounded to the millisecond
so that the file is stable and small; reasons are joined with ``;``. Text cells that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` first) are prefixed with
``'`` (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from simulator.engine.records import ContactRecord, ReplicationResult

COLUMNS: tuple[str, ...] = (*(f.name for f in fields(ContactRecord)), "wait_s")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, tuple | list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def contact_rows(results: Mapping[str, ReplicationResult]) -> Iterable[list[str]]:
    """Rows of every design's records, designs in the given order, contacts by id."""
    for result in results.values():
        for record in sorted(result.records, key=lambda r: r.contact_id):
            values = [getattr(record, name) for name in COLUMNS]
            yield [_cell(v) for v in values]


def contacts_csv(results: Mapping[str, ReplicationResult]) -> str:
    """The whole CSV text (header included, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(contact_rows(results))
    return buffer.getvalue()


def write_contacts_csv(results: Mapping[str, ReplicationResult], path: Path) -> Path:
    """Write :func:`contacts_csv` to ``path`` (UTF-8) and return the path."""
    path.write_text(contacts_csv(results), encoding="utf-8", newline="")
    return path
