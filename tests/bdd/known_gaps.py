"""Scenarios that state a requirement the reference IRP does not meet yet.

Each is marked ``xfail(strict=True)`` with its reason, so the suite stays green while the
gap is visible in every report, and the scenario turns red (XPASS) the day the IRP is
fixed, asking for its entry here to be removed. The feature files are not weakened.
"""

from __future__ import annotations

#: scenario title -> why it is expected to fail (and who owns the fix)
KNOWN_GAPS: dict[str, str] = {}
