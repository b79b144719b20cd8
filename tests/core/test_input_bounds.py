"""The bounds on one config file (issue: hostile sizes): every way a parser can fail on a huge,
deep or overlong input is a one-line `ConfigError` (or `JsoncError`) naming the file, never a
`RecursionError` or a `ValueError` from deep inside the parser, and never exit 3."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from peak_trade.dialects.freqtrade import config as freqtrade
from peak_trade.dialects.freqtrade import jsonc
from peak_trade.dialects.peak_trade.config import decode_config, parse_toml
from peak_trade.errors import ConfigError
from peak_trade.files import (
    MAX_CONFIG_BYTES,
    MAX_NESTING,
    nesting_depth,
    read_bounded,
    read_config_bytes,
)

DIGIT_LIMIT = sys.get_int_max_str_digits()
BASE = '[environment]\nmode = "paper"\n'


def nested_json(depth: int, leaf: str = "1") -> str:
    return '{"a": ' * depth + leaf + "}" * depth


def nested_array(depth: int) -> str:
    return "[" * depth + "]" * depth


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    ("data", "depth"),
    [(1, 0), ("x", 0), ({}, 1), ([], 1), ({"a": [1]}, 2), ({"a": {"b": {}}, "c": []}, 3)],
)
def test_nesting_depth_counts_tables_and_arrays(data: object, depth: int) -> None:
    assert nesting_depth(data) == depth


def test_nesting_depth_stops_counting_past_the_limit() -> None:
    deep: list[object] = []
    node = deep
    for _ in range(10_000):  # far beyond the recursion limit: the walk does not recurse
        child: list[object] = []
        node.append(child)
        node = child
    assert nesting_depth(deep) == MAX_NESTING + 1
    assert nesting_depth(deep, limit=3) == 4


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 2000, 100_000])
def test_jsonc_deeper_than_the_bound_is_an_error(depth: int) -> None:
    with pytest.raises(jsonc.JsoncError, match=f"nested deeper than {MAX_NESTING} levels"):
        jsonc.loads(nested_json(depth).encode())
    with pytest.raises(jsonc.JsoncError, match=f"nested deeper than {MAX_NESTING} levels"):
        jsonc.loads(nested_array(depth).encode())


def test_jsonc_at_the_bound_is_read() -> None:
    data = jsonc.loads(nested_json(MAX_NESTING).encode())
    assert nesting_depth(data) == MAX_NESTING


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 2000, 50_000])
def test_toml_arrays_deeper_than_the_bound_are_an_error(depth: int) -> None:
    text = BASE + "[other]\nx = " + nested_array(depth - 2) + "\n"  # root, [other], arrays
    with pytest.raises(ConfigError, match=f"^c.toml: .*nested deeper than {MAX_NESTING} levels$"):
        parse_toml(text.encode(), "c.toml")


def test_toml_at_the_bound_is_read() -> None:
    text = BASE + "[other]\nx = " + nested_array(MAX_NESTING - 2) + "\n"
    assert nesting_depth(parse_toml(text.encode(), "c.toml")) == MAX_NESTING


def _freqtrade_dir(tmp_path: Path, exchange_extra: str) -> Path:
    (tmp_path / "main.json").write_text(
        '{"dry_run": true, "stake_currency": "USDT", "add_config_files": ["inc.json"],'
        ' "exchange": {"name": "binance"}}'
    )
    (tmp_path / "inc.json").write_text(
        '{"exchange": {"name": "binance", "x": ' + exchange_extra + "}}"
    )
    return tmp_path


@pytest.mark.parametrize("depth", [100, 2000, 20_000])
def test_a_deep_include_names_the_include(tmp_path: Path, depth: int) -> None:
    home = _freqtrade_dir(tmp_path, nested_array(depth))
    with pytest.raises(ConfigError, match=r"inc\.json: nested deeper than 32 levels$"):
        freqtrade.load([str(home / "main.json")], {})


def test_merges_and_redaction_below_the_bound_never_recurse_too_deep(tmp_path: Path) -> None:
    # the deepest accepted include, merged into the main file and redacted: no RecursionError
    home = _freqtrade_dir(tmp_path, nested_json(MAX_NESTING - 2))  # root, exchange, x...
    loaded = freqtrade.load([str(home / "main.json")], {})
    assert nesting_depth(loaded.redacted) == MAX_NESTING


# --------------------------------------------------------------------------- integers


@pytest.mark.parametrize(
    "table",
    ["[live_risk]\nmax_open_positions", "[other]\nx", "[exchange.kraken]\nnonce"],
    ids=["read-table", "unread-table", "secret-table"],
)
@pytest.mark.parametrize("digits", [DIGIT_LIMIT + 1, 100_000])
def test_a_decimal_integer_past_the_conversion_limit_is_bad_input(table: str, digits: int) -> None:
    text = BASE + table + " = " + "1" * digits + "\n"
    with pytest.raises(ConfigError) as caught:
        decode_config(text.encode(), origin="c.toml")
    message = str(caught.value)
    assert message.startswith("c.toml: ")
    assert "64-bit" in message and "\n" not in message
    assert "1111" not in message  # no value quoted


@pytest.mark.parametrize(
    "literal",
    [
        "0x" + "f" * 4000,
        "0o" + "7" * 30,
        "0b1" + "0" * 63,
        "9223372036854775808",
        "-9223372036854775809",
    ],
)
def test_an_integer_toml_cannot_hold_is_bad_input_naming_the_key(literal: str) -> None:
    # TOML integers are 64-bit: "an integer that cannot be represented losslessly is an error";
    # tomllib reads any size, and a 4000-digit hex value once crashed redaction (str(int))
    text = BASE + "[other.deep]\nlist = [1, " + literal + "]\n"
    with pytest.raises(ConfigError, match=r"^c.toml: other\.deep\.list\[1\]: integer outside"):
        parse_toml(text.encode(), "c.toml")


@pytest.mark.parametrize("value", [2**63 - 1, -(2**63), 0])
def test_every_64_bit_integer_is_read(value: int) -> None:
    text = BASE + f"[other]\nx = {value}\n"
    assert parse_toml(text.encode(), "c.toml")["other"]["x"] == value


# --------------------------------------------------------------------------- size


def test_the_byte_bound_is_one_mebibyte() -> None:
    assert MAX_CONFIG_BYTES == 1024 * 1024


def test_a_file_at_the_byte_bound_is_read_one_past_it_is_not(tmp_path: Path) -> None:
    at = tmp_path / "at.toml"
    at.write_bytes(b"#" * (MAX_CONFIG_BYTES - 1) + b"\n")
    assert len(read_config_bytes(str(at))) == MAX_CONFIG_BYTES
    over = tmp_path / "over.toml"
    over.write_bytes(b"#" * MAX_CONFIG_BYTES + b"\n")
    with pytest.raises(ConfigError, match=r"over\.toml: larger than 1 MiB"):
        read_config_bytes(str(over))


class _GrowingFile(io.BufferedReader):
    """A file whose size on open understates what reading finds (it grew, or it is procfs)."""

    def __init__(self, data: bytes, reported: int) -> None:
        self._fd = os.open(os.devnull, os.O_RDONLY)
        self._reported = reported
        super().__init__(io.BytesIO(data))  # type: ignore[arg-type]

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        os.close(self._fd)
        super().close()


@pytest.mark.parametrize("reported", [0, 10, 4096, MAX_CONFIG_BYTES - 1])
@pytest.mark.parametrize("actual", [0, 11, 5000, MAX_CONFIG_BYTES, MAX_CONFIG_BYTES + 50])
def test_the_bounded_read_trusts_no_reported_size(
    monkeypatch: pytest.MonkeyPatch, reported: int, actual: int
) -> None:
    """Sized by the file for speed, but a file longer than its reported size is read on up to
    the bound plus one byte (so "larger than 1 MiB" is still told), never past it."""
    data = bytes(range(256)) * (actual // 256) + b"x" * (actual % 256)
    handle = _GrowingFile(data, reported)
    real_fstat = os.fstat
    monkeypatch.setattr(
        os,
        "fstat",
        lambda fd: (
            os.stat_result((0, 0, 0, 0, 0, 0, reported, 0, 0, 0))
            if fd == handle.fileno()
            else real_fstat(fd)
        ),
    )
    try:
        assert read_bounded(handle, MAX_CONFIG_BYTES) == data[: MAX_CONFIG_BYTES + 1]
    finally:
        handle.close()
