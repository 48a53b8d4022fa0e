"""Largest-Triangle-Three-Buckets (Steinarsson 2013): shrink a long series for a chart
while keeping its shape – peaks and troughs survive, unlike taking every n-th point.

Only the chart is downsampled; tables and downloads always carry every value.
"""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]


def lttb(points: Sequence[Point], threshold: int) -> list[Point]:
    """At most ``threshold`` of ``points`` (sorted by x), always with the first and last.

    Each of the ``threshold - 2`` buckets between them contributes the point that forms
    the largest triangle with the point chosen before it and the mean of the next bucket.
    """
    n = len(points)
    if threshold >= n or n <= 2:
        return list(points)
    if threshold < 3:
        raise ValueError("threshold must be at least 3")
    sampled = [points[0]]
    every = (n - 2) / (threshold - 2)
    a = 0
    for i in range(threshold - 2):
        start = int(i * every) + 1
        end = int((i + 1) * every) + 1
        next_start, next_end = end, min(int((i + 2) * every) + 1, n)
        if next_start >= n - 1 or i == threshold - 3:
            next_start, next_end = n - 1, n  # the last bucket looks at the last point
        count = next_end - next_start
        avg_x = sum(p[0] for p in points[next_start:next_end]) / count
        avg_y = sum(p[1] for p in points[next_start:next_end]) / count
        ax, ay = points[a]
        best, best_area = start, -1.0
        for j in range(start, min(end, n - 1)):
            x, y = points[j]
            area = abs((ax - avg_x) * (y - ay) - (ax - x) * (avg_y - ay))
            if area > best_area:
                best, best_area = j, area
        sampled.append(points[best])
        a = best
    sampled.append(points[-1])
    return sampled
