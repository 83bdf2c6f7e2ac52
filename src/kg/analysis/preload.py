"""Imported by the fork server of a server's workers, and only there: it loads, once, the
projection file named by :data:`~.snapshot.PRELOAD_VARIABLE` in its environment
(:func:`.snapshot.preload`), so that every worker forked from it shares that projection
instead of reading it again (:func:`.snapshot.load`).

This is the one kg module that does work when imported: a module name is all a fork
server can be told to run before it forks (:func:`kg.execute.start_fork_server` puts this
one last in its list, and the variable in its environment). Imported anywhere else (the
variable unset) it does nothing.
"""

from __future__ import annotations

import os

from . import snapshot

__all__: list[str] = []

_path = os.environ.get(snapshot.PRELOAD_VARIABLE)
if _path:
    snapshot.preload(_path)
