"""The fast canonical form of a ledger entry is RFC 8785, byte for byte (the known answers in
tests/test_known_answers.py pin the bytes; this checks every shape an entry can take)."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from peak_trade.archive.ledger import canonical_entry

_ascii = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12)
_any_text = st.text(max_size=12)
_text = st.one_of(_ascii, _any_text)
_value = st.one_of(
    _text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**54), max_value=2**54),
    st.dictionaries(_text, _text, max_size=3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(_text, max_size=2),
)


@given(st.dictionaries(_text, _value, max_size=8))
def test_the_fast_canonical_form_is_rfc8785(full: dict[str, object]) -> None:
    try:
        expected = rfc8785.dumps(full)
    except rfc8785.CanonicalizationError:
        with pytest.raises(rfc8785.CanonicalizationError):  # nor may the fast path invent one
            canonical_entry(full)
        return
    assert canonical_entry(full) == expected


def test_values_rfc8785_refuses_are_refused() -> None:
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_entry({"seq": 2**53})
