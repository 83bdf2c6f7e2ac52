"""A memo keyed by an object's identity, holding the object weakly.

What is worked out once per loaded graph, or once per projection input, is kept until
that object is collected: keyed by ``id(obj)`` (a :class:`~kg.load.KnowledgeGraph` or a
:class:`~kg.analysis.reading.Raw` cannot be a dictionary key: they are not hashable), with
a weak reference that says the entry is still that object's (an id is reused once its
object is gone) and removes the entry when it is collected, so that a dead graph's
projection does not stay in memory until its id comes round again.
"""

from __future__ import annotations

import weakref
from typing import Any, Generic, TypeVar

__all__ = ["ByIdentity"]

V = TypeVar("V")


class ByIdentity(Generic[V]):
    """Values by the identity of an object, each kept as long as its object lives.

    >>> class Graph:  # an object that cannot be a dictionary key
    ...     __hash__ = None
    >>> memo, graph = ByIdentity(), Graph()
    >>> memo.put(graph, "projection")
    'projection'
    >>> memo.get(graph), memo.get(Graph()), len(memo)
    ('projection', None, 1)
    >>> del graph
    >>> len(memo)
    0
    >>> other = Graph()
    >>> memo.put(other, "its projection") and memo.discard(other)
    >>> memo.get(other), len(memo)
    (None, 0)
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Any], V]] = {}

    def get(self, owner: Any) -> V | None:
        """The value kept for ``owner``, if any."""
        entry = self._entries.get(id(owner))
        return entry[1] if entry is not None and entry[0]() is owner else None

    def put(self, owner: Any, value: V) -> V:
        """Keep ``value`` for ``owner`` (replacing what was kept), until ``owner`` goes."""
        key = id(owner)
        entries = self._entries

        def gone(ref: weakref.ref[Any]) -> None:
            current = entries.get(key)
            if current is not None and current[0] is ref:  # not a newer owner's entry
                del entries[key]

        entries[key] = (weakref.ref(owner, gone), value)
        return value

    def discard(self, owner: Any) -> None:
        """Forget what was kept for ``owner``, if anything."""
        if self.get(owner) is not None:
            del self._entries[id(owner)]

    def __len__(self) -> int:
        return len(self._entries)
