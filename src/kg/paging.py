"""Reading an answer a page at a time, from a store that cuts long answers short.

A SPARQL endpoint may give at most so many rows of an answer, silently (Virtuoso: 10,000
by default) or with an error (kg's own server: more than 10,000 rows is an HTTP 400). kg
reads every row it needs of such a store in pages: the query ordered (a page of an
unordered answer is any rows), then ``LIMIT`` and ``OFFSET``, until a page comes back
short. The list of a dataset's graphs (:func:`kg.remote.every_row`) and the projection's
input from a remote store (:mod:`kg.analysis.reading`) are read so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["PAGE", "pages"]

T = TypeVar("T")

#: rows asked at a time of a remote store: as many as Virtuoso and kg's own server give
#: by default
PAGE = 10_000


def pages(ask: Callable[[int, int], Iterable[T]], size: int) -> Iterator[T]:
    """Every row that ``ask(limit, offset)`` gives, asked ``size`` rows at a time from
    offset 0 until a page comes back short.

    >>> rows = list(range(7))
    >>> list(pages(lambda limit, offset: rows[offset:offset + limit], 3))
    [0, 1, 2, 3, 4, 5, 6]
    """
    offset = 0
    while True:
        count = 0
        for row in ask(size, offset):
            count += 1
            yield row
        if count < size:
            return
        offset += size
