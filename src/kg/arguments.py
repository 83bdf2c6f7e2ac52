"""Checks of the arguments of kg's Python API: a bad value is a
:class:`~kg.errors.ParameterError` naming the argument and saying what it must be, not a
``TypeError`` from deep inside (``None`` compared with a number says nothing of where it
came from)."""

from __future__ import annotations

import math
import operator
from typing import Any

from .errors import ParameterError

__all__ = ["whole_number", "at_least", "seconds"]


def whole_number(value: Any, name: str) -> int:
    """``value`` when it is a whole number (not a flag; a NumPy integer from a data frame
    too); :class:`ParameterError` naming ``name`` otherwise.

    >>> whole_number(3, "limit")
    3
    """
    try:
        if isinstance(value, bool):
            raise TypeError
        return operator.index(value)
    except TypeError:
        raise ParameterError(f"{name} must be a whole number, not {value!r}") from None


def at_least(value: Any, name: str, low: int) -> int:
    """``value`` when it is a whole number (:func:`whole_number`) of at least ``low``;
    :class:`ParameterError` naming ``name`` and saying so otherwise.

    >>> at_least(0, "offset", 0)
    0
    """
    number = whole_number(value, name)
    if number < low:
        raise ParameterError(f"{name} must be at least {low}, not {value!r}")
    return number


def seconds(value: Any, name: str) -> float:
    """``value`` as a number of seconds when it is one above 0 and finite (not a flag);
    :class:`ParameterError` naming ``name`` otherwise.

    >>> seconds(2, "timeout")
    2.0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not 0 < value or not math.isfinite(value):
        raise ParameterError(f"{name} must be a number of seconds above 0, not {value!r}")
    return float(value)
