"""A small step chart of a few series over a stream of entries, drawn as inline SVG. Pure.

Memory stays flat however many entries stream past: `Downsampled` keeps at most `capacity`
buckets. While the entries fit, each bucket is one entry and the chart is exact. When one more
would not fit, adjacent buckets merge pairwise and each bucket from then on covers twice as many
consecutive entries (1, 2, 4, ... entries per bucket). A merged bucket keeps, per series, the
smallest, largest, first and last number of its entries and how many entries had no number, so
the drawing still shows a raise or a cut inside a bucket (a vertical stroke from its smallest to
its largest value) and a stretch without a number (a mark under the axis).

The SVG is built from numbers and fixed names only: no text from a config reaches it except
through `escape`, which the caller passes in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Final

#: at most this many buckets (points) per series: 2 pixels each across the chart's width
CAPACITY: Final = 360


class Span:
    """The numbers one series had over one bucket's entries (none: `count` is 0)."""

    __slots__ = ("count", "first", "gaps", "hi", "last", "lo")

    def __init__(self, value: float | None) -> None:
        number = value is not None
        self.count = 1 if number else 0
        self.gaps = 0 if number else 1  #: entries without a number (not set, unlimited, unknown)
        v = value if value is not None else 0.0
        self.lo = self.hi = self.first = self.last = v

    def merge(self, later: Span) -> None:
        """Fold the span of the entries right after this one into it."""
        if later.count:
            if self.count:
                self.lo, self.hi = min(self.lo, later.lo), max(self.hi, later.hi)
            else:
                self.lo, self.hi, self.first = later.lo, later.hi, later.first
            self.last = later.last
        self.count += later.count
        self.gaps += later.gaps


class Bucket:
    """Consecutive entries `first`..`last` (0-based positions in the stream), one span per
    series."""

    __slots__ = ("first", "last", "spans")

    def __init__(self, position: int, values: Sequence[float | None]) -> None:
        self.first = self.last = position
        self.spans = [Span(v) for v in values]

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    def merge(self, later: Bucket) -> None:
        self.last = later.last
        for span, other in zip(self.spans, later.spans, strict=True):
            span.merge(other)


class Downsampled:
    """Series of values streamed one entry at a time, kept in at most `capacity` buckets."""

    def __init__(self, series: int, capacity: int = CAPACITY) -> None:
        if capacity < 2 or capacity % 2:
            raise ValueError("capacity must be an even number of at least 2")
        self.series = series
        self.capacity = capacity
        self.width = 1  #: entries per bucket (a power of two)
        self.entries = 0
        self.buckets: list[Bucket] = []

    def add(self, values: Sequence[float | None]) -> None:
        """One entry: a number per series, or None where that series has none."""
        if len(values) != self.series:
            raise ValueError(f"expected {self.series} values, got {len(values)}")
        bucket = Bucket(self.entries, values)
        self.entries += 1
        if self.buckets and self.buckets[-1].size < self.width:
            self.buckets[-1].merge(bucket)
            return
        self.buckets.append(bucket)
        if len(self.buckets) > self.capacity:
            self._halve()

    def _halve(self) -> None:
        merged = []
        for i in range(0, len(self.buckets), 2):
            pair = self.buckets[i : i + 2]
            head = pair[0]
            if len(pair) == 2:
                head.merge(pair[1])
            merged.append(head)
        self.buckets = merged
        self.width *= 2

    def maximum(self) -> float | None:
        """The largest number of any series, or None when there is none."""
        his = [s.hi for b in self.buckets for s in b.spans if s.count]
        return max(his) if his else None


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is at least
    `value` (> 0): the top of the value axis."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label(value: float) -> str:
    return f"{value:g}"


class Frame:
    """Where the plot sits in the SVG, and how entries and values map onto it."""

    def __init__(self, entries: int, top_value: float) -> None:
        self.width, self.height = 760, 230
        self.left, self.right, self.top, self.bottom = 72, 14, 26, 62
        self.entries = max(entries, 1)
        self.top_value = top_value

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def base(self) -> float:  # the y of the value 0
        return self.height - self.bottom

    def x(self, position: float) -> float:
        return self.left + self.plot_width * position / self.entries

    def y(self, value: float) -> float:
        return self.base - (self.base - self.top) * value / self.top_value


def series_path(buckets: Sequence[Bucket], index: int, frame: Frame) -> str:
    """The step line of one series: each run of buckets with numbers is one subpath; inside a
    bucket, a vertical stroke over its range, then its last value across its width."""
    parts: list[str] = []
    drawing = False
    for bucket in buckets:
        span = bucket.spans[index]
        if not span.count:
            drawing = False
            continue
        x0, x1 = _n(frame.x(bucket.first)), _n(frame.x(bucket.last + 1))
        parts.append(f"{'V' if drawing else f'M{x0} '}{_n(frame.y(span.first))}")
        if span.lo != span.hi:
            parts.append(f"V{_n(frame.y(span.lo))}V{_n(frame.y(span.hi))}")
        parts.append(f"V{_n(frame.y(span.last))}H{x1}")
        drawing = True
    return "".join(parts)


def gap_marks(buckets: Sequence[Bucket], index: int, frame: Frame, row: int) -> list[str]:
    """Rectangles under the axis where the series had no number (adjacent ones joined)."""
    marks: list[str] = []
    start: int | None = None
    end = 0
    y = frame.base + 8 + 7 * row
    for bucket in (*buckets, None):
        if bucket is not None and bucket.spans[index].gaps:
            start = bucket.first if start is None else start
            end = bucket.last + 1
            continue
        if start is not None:
            x0, x1 = frame.x(start), frame.x(end)
            marks.append(
                f'<rect class="gap s{index}" x="{_n(x0)}" y="{_n(y)}"'
                f' width="{_n(max(x1 - x0, 1.0))}" height="5"/>'
            )
            start = None
    return marks


def svg(
    data: Downsampled,
    names: Sequence[str],
    *,
    first_label: str,
    last_label: str,
    unit: str,
    escape: Callable[[str], str],
) -> str:
    """The chart as one `<svg>` element. `names` (fixed words) title each series' line;
    `first_label` and `last_label` name the first and last entry under the axis (escaped)."""
    top = data.maximum()
    # headroom above the largest value, so that its line does not run along the frame's top
    frame = Frame(data.entries, nice_ceiling(top * 1.1) if top is not None else 1.0)
    described = ", ".join(names)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
        f' viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}"'
        f' height="{frame.height}" data-entries="{data.entries}"'
        f' data-points="{len(data.buckets)}" data-entries-per-point="{data.width}">',
        f"<title>{escape(described)} over the archive's entries</title>",
        f'<line class="axis" x1="{frame.left}" y1="{_n(frame.base)}"'
        f' x2="{frame.width - frame.right}" y2="{_n(frame.base)}"/>',
        f'<line class="axis" x1="{frame.left}" y1="{frame.top}" x2="{frame.left}"'
        f' y2="{_n(frame.base)}"/>',
    ]
    if top is not None:
        for fraction in (0.5, 1.0):
            value = frame.top_value * fraction
            y = _n(frame.y(value))
            parts.append(
                f'<line class="grid" x1="{frame.left}" y1="{y}"'
                f' x2="{frame.width - frame.right}" y2="{y}"/>'
            )
            parts.append(
                f'<text class="tick" x="{frame.left - 6}" y="{y}" dy="4"'
                f' text-anchor="end">{escape(_label(value))}</text>'
            )
    parts.append(
        f'<text class="tick" x="{frame.left - 6}" y="{_n(frame.base)}" dy="4"'
        f' text-anchor="end">0</text>'
    )
    if unit:
        parts.append(f'<text class="tick unit" x="{frame.left}" y="12">{escape(unit)}</text>')
    for index, name in enumerate(names):
        path = series_path(data.buckets, index, frame)
        if path:
            parts.append(
                f'<path class="series s{index}" d="{path}"><title>{escape(name)}</title></path>'
            )
        parts += gap_marks(data.buckets, index, frame, index)
    label_y = _n(frame.height - 12)
    parts.append(f'<text class="tick" x="{frame.left}" y="{label_y}">{escape(first_label)}</text>')
    parts.append(
        f'<text class="tick" x="{frame.width - frame.right}" y="{label_y}"'
        f' text-anchor="end">{escape(last_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
