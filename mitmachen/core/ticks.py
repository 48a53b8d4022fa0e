"""Round axis ticks and class breaks, shared by the SVG charts and maps drawn on the
server (climate's charts, the Ortsteil maps of ``organisations.maps``, the staff
statistics)."""

from __future__ import annotations

import math


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def decimals_for(ticks: list[float]) -> int:
    """The fewest decimal places that write every tick exactly (2.5 needs one: with
    none, the ticks 2.5, 5, 7.5 would read 2, 5, 8)."""
    for places in range(10):
        if all(abs(t - round(t, places)) <= 1e-9 * max(1.0, abs(t)) for t in ticks):
            return places
    return 10
