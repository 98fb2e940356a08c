"""Suite-wide pytest options and markers.

Kept minimal on purpose: the ``--irp-url``/``--irp-token`` options that point the BDD suite
at a live Identity Resolution Platform, and the registration of the Gherkin tags as markers
so that ``pytest -m homoglyph`` works under ``--strict-markers``.
"""

from __future__ import annotations

import pytest

#: Gherkin tags used in ``features/*.feature``, registered as pytest markers.
BDD_TAGS: dict[str, str] = {
    "smoke": "a fast, representative slice of the BDD suite",
    "handle_change": "handle renames, resolution by immutable user id, released handles",
    "homoglyph": "look-alike handles and normalization",
    "cross_platform": "one customer across X, Instagram and LinkedIn",
    "duplicate_leads": "lead deduplication for unknown senders",
    "bot": "bot traffic closed before identity resolution",
    "rate_limit": "per-user-id rate limiting",
    "confidence": "confidence threshold and supervisor review",
    "stale_profile": "profile cache TTL, Platinum real-time lookup, agent notice",
    "routing": "routing and contact attributes by resolved identity",
    "irp_timeout": "slow or failing IRP and data-action failures",
    "input_validation": "bad input is refused and changes nothing",
    "in_process_only": "needs a controllable clock or configuration; skipped against a live IRP",
    "simulated_flow": "drives the simulator's inbound flow; skipped against a live IRP",
    "mocked_service": "simulates the identity service with `responses`; in-process pass only",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the options that target a live IRP over HTTP."""
    group = parser.getgroup("handlesim", "Handlesim BDD targets")
    group.addoption(
        "--irp-url",
        default=None,
        help="run the BDD suite over HTTP against the IRP at this base URL "
        "(e.g. http://127.0.0.1:8080) instead of in-process",
    )
    group.addoption(
        "--irp-token",
        default=None,
        help="bearer token for --irp-url (default: the HANDLESIM_TOKEN environment variable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register every Gherkin tag as a marker (the suite runs with ``--strict-markers``)."""
    for tag, description in BDD_TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {description}")
