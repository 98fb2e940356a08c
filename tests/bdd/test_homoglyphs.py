"""Steps of ``features/homoglyphs.feature`` (all shared, see ``conftest.py``)."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("homoglyphs.feature")
