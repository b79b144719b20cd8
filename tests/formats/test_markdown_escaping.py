"""The Markdown report never lets a config's key names, paths or ids become HTML or code: what
a CommonMark renderer (markdown-it, which rich ships) makes of the report holds no tag from the
config, and every name still reads as it was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import CliResult, write

HOSTILE = [
    "x`<img src=x onerror=alert(1)>`_token",
    "``<script>alert(1)</script>``_secret",
    "a&lt;b_key",
    "<b>bold</b>_password",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_key_name_stays_text(cli: object, tmp_path: Path, name: str) -> None:
    quoted = name.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"')
    path = write(
        tmp_path / "config.toml", f'[environment]\nmode = "paper"\n[alerts]\n"{quoted}" = "v"\n'
    )
    result: CliResult = cli("audit", "export", "--config", path, "--stdout")  # type: ignore[operator]
    assert result.code == 0, result.err
    html = MarkdownIt("commonmark").render(result.out)
    for tag in ("<img", "<script", "<b>"):
        assert tag not in html
    # the key's text survives, escaped for HTML by the renderer (inside a code span)
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f"alerts.{escaped}" in html


def test_a_hostile_file_name_stays_text(cli: object, tmp_path: Path) -> None:
    path = write(tmp_path / "a<b>c.toml", '[environment]\nmode = "paper"\n')
    result: CliResult = cli("audit", "export", "--config", path, "--stdout")  # type: ignore[operator]
    html = MarkdownIt("commonmark").render(result.out)
    assert "<b>" not in html and "a&lt;b&gt;c" in html
