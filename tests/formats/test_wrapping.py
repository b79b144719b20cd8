"""The fleet report wraps a finding's line as `textwrap.wrap` would (the oracle), faster."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peak_trade.views.governance import _textwrapped, _wrapped

# words (short, and some longer than a line), joined by runs of one to three spaces
WORD = st.text(alphabet="abc:/._-=()'0", min_size=1, max_size=95)
SPACES = st.sampled_from([" ", " ", " ", "  ", "   "])
LINE = st.builds(
    lambda indent, words, gaps, tail: (
        indent + "".join(w + g for w, g in zip(words, gaps, strict=False)) + words[-1] + tail
    ),
    # the findings' indent (two), or none; with more, textwrap stops counting the indent when
    # the first word does not fit beside it, and would fill that line past the width
    st.sampled_from(["", "  "]),
    st.lists(WORD, min_size=1, max_size=40),
    st.lists(SPACES, min_size=40, max_size=40),
    st.sampled_from(["", " ", "   "]),
)


@given(LINE, st.integers(min_value=20, max_value=100))
def test_wrapping_matches_textwrap(line: str, width: int) -> None:
    if len(line) <= width:
        assert _wrapped(line, width) == line + "\n"
    else:
        assert _wrapped(line, width) == _textwrapped(line, width)


def test_a_long_word_stays_whole_on_a_line_of_its_own() -> None:
    path = "fleet/" + "x" * 70 + ".toml"
    wrapped = _wrapped(f"  {path}: live_allowed: every gate is open", 80)
    assert wrapped == f"  {path}:\n    live_allowed: every gate is open\n"


def test_continuations_are_indented_four_and_fit_the_width() -> None:
    line = "  a.toml: real_orders_possible: " + " ".join(["word"] * 40)
    lines = _wrapped(line, 80).splitlines()
    assert len(lines) > 1
    assert all(len(part) <= 80 for part in lines)
    assert all(part.startswith("    ") and part[4] != " " for part in lines[1:])
    assert " ".join(part.strip() for part in lines) == line.strip()


def test_other_whitespace_goes_to_textwrap_itself() -> None:
    line = "  a.toml:\tcode: " + "\u00a0".join(["word"] * 30)
    assert _wrapped(line, 80) == _textwrapped(line, 80)


def test_a_width_narrower_than_the_indent_still_ends_with_every_word_whole() -> None:
    assert _wrapped("  alpha beta gamma", 3) == "  alpha\n    beta\n    gamma\n"
