"""IRP drivers for the BDD suite: one small interface, an in-process and an HTTP target."""

from __future__ import annotations

from tests.bdd.irp.base import (
    AccountFixture,
    CustomerFixture,
    IRPDriver,
    Reply,
    Unsupported,
)
from tests.bdd.irp.http import HttpIRP
from tests.bdd.irp.in_process import InProcessIRP

__all__ = [
    "AccountFixture",
    "CustomerFixture",
    "HttpIRP",
    "IRPDriver",
    "InProcessIRP",
    "Reply",
    "Unsupported",
]
