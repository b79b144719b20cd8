"""Heavy imports stay off the hot commands (checked in a fresh interpreter per command)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PASSING_CONFIG, REPO

HEAVY = (
    "rich",
    "cryptography",
    "pandas",
    "numpy",
    "pydantic",
    "typing_extensions",
    "importlib.metadata",
    "_hashlib",  # OpenSSL: core.digest uses CPython's builtin SHA-256 instead (~3.5 ms)
    "hmac",
    "peak_trade.live.snapshot_v1",  # only for reading schema-1 archives
    "peak_trade.live.snapshot_v2",  # only for reading schema-2 archives
    "peak_trade.dialects.freqtrade.jsonc",  # only for freqtrade configs
    "peak_trade.dialects.freqtrade.config",
    "peak_trade.dialects.nautilus.config",  # only for NautilusTrader configs
    "peak_trade.dialects.nautilus.adapters",
    "yaml",  # PyYAML and ruamel.yaml: only for a Hummingbot instance
    "ruamel",
    "peak_trade.dialects.hummingbot.config",
    "peak_trade.dialects.hummingbot.yamlio",
    "peak_trade.formats.names",  # OutputFormat: an enum class to create, for library callers
    "peak_trade.dialects.interface",  # Protocol classes, for the type checker only
)
CONFIG = str(PASSING_CONFIG)  # valid and meets every policy: each command exits 0

PROBE = """
import contextlib, io, json, sys
from peak_trade.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(json.loads(sys.argv[1]))
loaded = [m for m in json.loads(sys.argv[2]) if m in sys.modules]
print(json.dumps({"code": code, "loaded": loaded}))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["status", "--config", CONFIG],
        ["drills", "--config", CONFIG],
        ["audit", "export", "--stdout", "--config", CONFIG],
        ["audit", "export", "--stdout", "--format", "json", "--config", CONFIG],
        ["audit", "check", "--config", CONFIG],
        ["audit", "check", "--profile", "sec-15c3-5", "--config", CONFIG],
        ["audit", "check", "--format", "sarif", "--config", CONFIG],
    ],
    ids=lambda argv: " ".join(a for a in argv if a != CONFIG),
)
def test_hot_command_import_set(argv: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout)
    # drills: E fails for every Peak_Trade config (its total cap sees one order): exit 1
    assert result["code"] == (1 if argv[0] == "drills" else 0)
    assert result["loaded"] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "export", "--stdout", "--format", "json", "--config", "c.toml"],
        ["audit", "verify", "--head", f"3:{'a' * 64}", "--archive-dir", "x"],
        ["audit", "diff", "latest~1", "latest", "--format", "json"],
        ["audit", "fleet", "a", "b", "--output-json", "o.json"],
        ["audit", "check", "--expect", "allowed"],
        ["audit", "check", "--profile", "fia", "--format", "sarif"],
        ["audit", "keygen", "--out", "k.pem"],
        ["audit", "archive", "--sign-key", "k.pem", "--environment-id", "prod"],
        ["audit", "history", "--format", "json"],
        ["audit", "schema"],
        ["status", "--format", "json"],
        ["drills", "--scenario", "a", "--scenario", "B"],
    ],
)
def test_the_lazily_built_parser_parses_like_the_full_one(argv: list[str]) -> None:
    from peak_trade.cli import build_parser

    assert vars(build_parser(argv).parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_msgspec_without_typing_extensions_falls_back_when_msgspec_needs_it() -> None:
    probe = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def picky(name, *a, **k):\n"
        "    if name == 'msgspec' and sys.modules.get('typing_extensions', 0) is None:\n"
        "        raise ImportError('needs typing_extensions')\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = picky\n"
        "from peak_trade._startup import import_msgspec_without_typing_extensions as f\n"
        "f()\n"
        "builtins.__import__ = real\n"
        "import msgspec\n"
        "print(msgspec.json.encode([1]).decode(), sys.modules.get('typing_extensions', 'absent'))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.split()[0] == "[1]"


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["audit", "--help"],
        ["status", "--help"],  # its --dialect choices come from the (light) dialect list
        ["audit", "export", "--help"],
    ],
)
def test_version_and_help_import_no_msgspec_and_no_config_code(argv: list[str]) -> None:
    light = (
        *HEAVY,
        "msgspec",
        "peak_trade.dialects.peak_trade.config",
        "peak_trade.dialects.freqtrade.config",
        "peak_trade.dialects.nautilus.config",  # only for NautilusTrader configs
        "peak_trade.dialects.nautilus.adapters",
        "peak_trade.dialects.peak_trade.assessment",
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(light)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout)
    assert result == {"code": 0, "loaded": []}


def _imported_by_the_entry_point(*argv: str) -> set[str]:
    """Every module the real `python -m peak_trade ARGV` process imports, interpreter start-up
    included (`-X importtime` lists each on stderr)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "peak_trade", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-500:]
    lines = [line for line in run.stderr.splitlines() if line.startswith("import time:")]
    assert lines, "no -X importtime lines"
    return {line.rsplit("|", 1)[1].strip() for line in lines[1:]}  # the first is the heading


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["audit", "--help"], ["-V"]])
def test_the_entry_point_never_imports_msgspec_for_version_or_help(argv: list[str]) -> None:
    imported = _imported_by_the_entry_point(*argv)
    assert "peak_trade.cli" in imported  # the probe sees our imports at all
    assert not {m for m in imported if m == "msgspec" or m.startswith("msgspec.")}
    assert not {"tomllib", "peak_trade.dialects.freqtrade.jsonc"} & imported
    if argv[0] in ("--version", "-V"):  # answered before the parser and the commands exist
        assert not {"argparse", "peak_trade.cli.entry", "typing"} & imported
    else:
        assert "argparse" in imported


FREQTRADE = str(REPO / "tests" / "assets" / "freqtrade" / "futures.json")
TOML_PARSER = ("tomllib", "peak_trade.dialects.peak_trade.config")
JSONC_PARSER = ("peak_trade.dialects.freqtrade.jsonc", "peak_trade.dialects.freqtrade.config")


@pytest.mark.parametrize(
    ("argv", "other_dialect"),
    [
        (["audit", "export", "--stdout", "--config", FREQTRADE], TOML_PARSER),
        (["audit", "export", "--stdout", "--format", "json", "-c", FREQTRADE], TOML_PARSER),
        (["audit", "check", "--config", FREQTRADE], TOML_PARSER),
        (["status", "--config", FREQTRADE], TOML_PARSER),
        (["audit", "fleet", FREQTRADE], TOML_PARSER),
        (["audit", "export", "--stdout", "--config", CONFIG], JSONC_PARSER),
        (["audit", "fleet", CONFIG], JSONC_PARSER),
    ],
    ids=[
        "freqtrade export",
        "freqtrade export json",
        "freqtrade check",
        "freqtrade status",
        "freqtrade fleet",
        "toml export",
        "toml fleet",
    ],
)
def test_each_dialect_imports_only_its_own_parser(
    argv: list[str], other_dialect: tuple[str, ...]
) -> None:
    own = JSONC_PARSER if other_dialect == TOML_PARSER else TOML_PARSER
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps([*own, *other_dialect])],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout)
    assert result["code"] in (0, 1)  # the freqtrade bot is live: check and fleet find that
    assert result["loaded"] == list(own)  # its own parser ran; the other dialect's did not


COMPILES = """
import contextlib, io, json, sys
strings = []
def hook(event, args):
    if event == "compile" and args[1] == "<string>":  # not a module's source: code made at run time
        strings.append(repr(args[0])[:80])
sys.addaudithook(hook)
from peak_trade.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(json.loads(sys.argv[1]))
print(json.dumps(strings))
"""


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["audit", "--help"]])
def test_help_compiles_no_code_at_run_time(argv: list[str]) -> None:
    """A NamedTuple (or dataclass) compiles source when its class is made; the first compile in
    a process is dear (~2 ms, a tenth of an interpreter's start), and --help needs none. (A
    command with --dialect reads the dialect list, whose MarkdownWords is a NamedTuple.)"""
    run = subprocess.run(
        [sys.executable, "-c", COMPILES, json.dumps(argv)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == []
