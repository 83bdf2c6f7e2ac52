"""The detached process that writes a cache entry after ``kg query`` has answered.

``python -m kg.cache_writer BUILDING ENTRY MARKER``: started by :func:`kg.cache.written_after`
(never by hand), it bulk-loads the dump left in the ``.building-*`` folder ``BUILDING``
into a store folder, completes its ``meta.json``, renames it into place as ``ENTRY`` and
removes the ``.writing-*`` file ``MARKER`` (:func:`kg.cache.finish_entry`). A new
process rather than a fork of the command: a fork would inherit the command's threads'
locks (Oxigraph's, Python's) held at that moment, and could wait on them forever.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from .cache import finish_entry

    if len(argv) != 3:
        print("usage: python -m kg.cache_writer BUILDING ENTRY MARKER", file=sys.stderr)
        return 2
    building, entry, marker = (Path(arg) for arg in argv)
    finish_entry(building, entry, marker)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
