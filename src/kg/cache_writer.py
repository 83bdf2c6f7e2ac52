"""The detached process that writes a cache entry after ``kg query`` has answered.

``python -m kg.cache_writer MARKER``: started by :func:`kg.cache.written_after` (never by
hand), it loads the files that the ``.writing-*`` file ``MARKER`` names (everything
derived, as the cache keeps a store), keeps the store as their entry and removes
``MARKER`` (:func:`kg.cache.finish_entry`). A new process rather than a fork of the
command: a fork would inherit the command's threads' locks (Oxigraph's, Python's) held at
that moment, and could wait on them forever.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from .cache import finish_entry

    if len(argv) != 1:
        print("usage: python -m kg.cache_writer MARKER", file=sys.stderr)
        return 2
    finish_entry(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
