"""Sort keys stored on each comment when its votes change."""

from __future__ import annotations

import math

_Z = 1.281551565545  # 80 % confidence, as Reddit's "best"


def wilson_lower_bound(up: int, down: int) -> float:
    """Lower bound of the Wilson score interval for the share of up-votes."""
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    z2 = _Z * _Z
    centre = p + z2 / (2 * n)
    spread = _Z * math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)
    return (centre - spread) / (1 + z2 / n)


def controversy(up: int, down: int) -> float:
    """High when many votes split evenly (Reddit's formula)."""
    if up <= 0 or down <= 0:
        return 0.0
    magnitude = up + down
    balance = down / up if up > down else up / down
    return float(magnitude**balance)
