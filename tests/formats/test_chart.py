"""The history chart's downsampling: at most `capacity` buckets however long the stream, each
bucket exactly the facts of its own consecutive entries (checked against a brute-force oracle),
and a step line that is exact while every entry is its own bucket."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.formats.chart import Downsampled, Frame, _n, nice_ceiling, series_path, svg

values = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False))


@given(
    entries=st.lists(st.tuples(values, values), max_size=300),
    capacity=st.sampled_from([2, 4, 8, 16]),
)
def test_buckets_are_bounded_and_each_summarises_exactly_its_entries(
    entries: list[tuple[float | None, float | None]], capacity: int
) -> None:
    data = Downsampled(2, capacity)
    for pair in entries:
        data.add(pair)
    assert data.entries == len(entries)
    assert len(data.buckets) <= capacity
    # contiguous, in order, covering every entry once; all but the last bucket are full
    position = 0
    for bucket in data.buckets:
        assert bucket.first == position
        position = bucket.last + 1
    assert position == len(entries)
    assert all(b.size == data.width for b in data.buckets[:-1])
    for bucket in data.buckets:
        for series, span in enumerate(bucket.spans):
            own = [entries[i][series] for i in range(bucket.first, bucket.last + 1)]
            numbers = [v for v in own if v is not None]
            assert span.count == len(numbers) and span.gaps == len(own) - len(numbers)
            if numbers:
                assert (span.lo, span.hi) == (min(numbers), max(numbers))
                assert (span.first, span.last) == (numbers[0], numbers[-1])


def test_many_entries_keep_the_capacity() -> None:
    data = Downsampled(2)
    for i in range(20_000):
        data.add((float(i % 7), None if i % 1000 == 0 else 1.0))
    assert len(data.buckets) <= data.capacity and data.width == 64  # 313 buckets of 64
    assert data.maximum() == 6.0


def test_an_exact_step_line() -> None:
    data = Downsampled(1)
    for value in (100.0, 100.0, 200.0, None, 50.0):
        data.add((value,))
    frame = Frame(data.entries, 200.0)
    path = series_path(data.buckets, 0, frame)
    y = {v: frame.y(v) for v in (50.0, 100.0, 200.0)}
    assert y[200.0] < y[100.0] < y[50.0]  # higher caps are drawn higher
    # two subpaths: the first three entries, then (after the gap) the fifth
    assert path.count("M") == 2
    assert path.startswith(f"M{_n(frame.x(0))} {_n(frame.y(100.0))}")
    assert path.endswith(f"V{_n(frame.y(50.0))}H{_n(frame.x(5))}")


def test_the_svg_names_its_sampling_and_escapes_its_labels() -> None:
    data = Downsampled(2, 4)
    for i in range(10):
        data.add((float(i), 10.0))
    picture = svg(
        data,
        ["per-order cap", "total cap"],
        first_label="<first>",
        last_label="last",
        unit="EUR",
        escape=lambda s: s.replace("<", "&lt;").replace(">", "&gt;"),
    )
    assert picture.startswith("<svg") and picture.endswith("</svg>")
    assert 'data-entries="10"' in picture and 'data-entries-per-point="4"' in picture
    assert "&lt;first&gt;" in picture and "<first>" not in picture


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(1.0, 1.0), (1.1, 1.5), (2.2, 2.5), (2750.0, 3000.0), (0.035, 0.04), (8.5, 10.0)],
)
def test_nice_ceiling(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_capacity_must_be_even() -> None:
    with pytest.raises(ValueError, match="even"):
        Downsampled(1, 3)
