"""The dialect list at its exact boundaries (the second hostile round, item 9): tests that kill
the mutants `scripts/mutate.py` left alive in `dialects/__init__.py` and the Peak_Trade dialect.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from peak_trade import dialects
from tests.conftest import toml_config, write

BOUNDED = "[bounded_live]\nenabled = true\n\n[bounded_live.limits]\nmax_order_notional = 25.0\n"


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = write(tmp_path / "config.toml", toml_config())
    write(tmp_path / "bounded_live.toml", BOUNDED)
    return path


def test_loading_merges_the_bounded_live_file_unless_told_not_to(config: str) -> None:
    """Peak_Trade merges `bounded_live.toml` beside its config: so does every command that
    does not pass `--no-bounded-live`, i.e. the library's default."""
    overlay = str(Path(config).parent / "bounded_live.toml")
    for loaded in (
        dialects.load([config], environ={}),
        dialects.load([config], environ={}, bounded_live=True),
    ):
        assert [f.path for f in loaded.files] == [config, overlay]
        assert "bounded_live.limits.max_order_notional" in {c.key for c in loaded.caps}
    skipped = dialects.load([config], environ={}, bounded_live=False)
    assert [f.path for f in skipped.files] == [config]
    assert "bounded_live.limits.max_order_notional" not in {c.key for c in skipped.caps}
