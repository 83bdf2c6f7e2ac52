"""How kg writes counts in what it says: ``1 hop``, ``2 hops``.

>>> counted(1, "violation"), counted(0, "warning")
('1 violation', '0 warnings')
"""

from __future__ import annotations

__all__ = ["counted"]


def counted(number: int, thing: str) -> str:
    """``number`` and ``thing``, plural unless there is one."""
    return f"{number} {thing}{'' if number == 1 else 's'}"
