"""Dates with their precision, and the two time axes of every analysis.

A date is a day (``xsd:date``), a month (``xsd:gYearMonth``) or a year (``xsd:gYear``); each
is read as the :class:`Span` of days it covers, so no precision is invented: ``"1991"`` is
1991-01-01 .. 1991-12-31.

``as_of=DATE`` (valid time) keeps what held on that date. The rules:

* an interval is open where it has no end: ``startDate "1991"`` ("member since 1991") holds
  in 2024; a relationship with only an ``endDate`` holds up to that end;
* an imprecise date is compared as its whole span: a ``gYear`` start holds from the first
  day of that year, a ``gYear`` end up to its last day; an ``as_of`` given as a year or a
  month is likewise a span, and something holds when the two overlap;
* an event (``kg:Event`` and subclasses) holds on its date only; a fact with ``kg:date``
  that is not an event (an agreement, a signature, a designation) holds from that date on;
  ``kg:forYear`` holds during that year only;
* a relationship with no start, date or year -- known only because an article reports it
  (possibly ``kg:asOf`` some day) -- is kept, with ``validity: "reported"`` rather than
  ``"known"``, unless ``as_of`` falls on its ``kg:asOf`` date; a picture can style it apart;
* when articles contradict each other on a date, the fact holds if any stated value says so.

``reported_by=DATE`` (knowledge time) keeps only what articles issued on or before that date
state: their edges, their nodes, their dates, quotes and name variants.

>>> Span.parse("1991").precision, str(Span.parse("2024-11").end)
('year', '2024-11-30')
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ParameterError

__all__ = ["Span", "parse_when", "holds", "validity"]

_FORMS = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True, order=True)
class Span:
    """The days a date covers, first and last included, and its precision."""

    start: dt.date
    end: dt.date
    precision: str

    @classmethod
    def parse(cls, text: str) -> Span:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time zone suffix is ignored)."""
        return _parsed(str(text).strip())

    @classmethod
    def _parse(cls, text: str) -> Span:
        match = re.fullmatch(r"(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(Z|[+-]\d{2}:\d{2})?", text)
        if not match:
            raise ValueError(f"not a date: {text!r}")
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is None:
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return cls(dt.date(year, month, 1), dt.date(year, month, last), "month")
        day_ = dt.date(year, month, day)
        return cls(day_, day_, "day")

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


@functools.lru_cache(maxsize=1 << 16)
def _parsed(text: str) -> Span:
    """:meth:`Span.parse`, each text once: a projection parses the same few thousand dates
    hundreds of thousands of times (a fact's dates on each of its edges), and a span is
    immutable."""
    return Span._parse(text)


def parse_when(value: Any, *, name: str) -> Span | None:
    """A user's ``as_of`` / ``reported_by``: a date, ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``
    or None. Anything else is a :class:`~kg.errors.ParameterError` naming ``name``."""
    if value is None or value == "":
        return None
    if isinstance(value, Span):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Span(value, value, "day")
    if isinstance(value, int):
        value = str(value)
    try:
        return Span.parse(str(value))
    except ValueError:
        raise ParameterError(f"{name} must be a date (YYYY-MM-DD, YYYY-MM or YYYY), "
                             f"not {value!r}") from None


def holds(dates: dict[str, list[Span]], when: Span, *, event: bool) -> bool:
    """Whether a fact with ``dates`` (property local name -> spans) held at ``when``."""
    if "forYear" in dates:
        return any(s.overlaps(when) for s in dates["forYear"])
    if event and "date" in dates:
        return any(s.overlaps(when) for s in dates["date"])
    starts = dates.get("startDate", []) + dates.get("date", [])
    ends = dates.get("endDate", [])
    began = not starts or min(s.start for s in starts) <= when.end
    ongoing = not ends or max(s.end for s in ends) >= when.start
    return began and ongoing


def validity(dates: dict[str, list[Span]], when: Span | None) -> str:
    """``"known"`` when the dates say the fact held at ``when`` (or no time was asked);
    ``"reported"`` when only a report (and perhaps its ``asOf``) vouches for it."""
    if when is None:
        return "known"
    if any(k in dates for k in ("startDate", "date", "forYear")):
        return "known"
    if any(s.overlaps(when) for s in dates.get("asOf", [])):
        return "known"
    return "reported"
