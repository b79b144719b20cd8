"""Every documented command works as written.

Each ```bash block of README.md and docs/*.md runs here, command by command and in order, in a
fresh directory per document that holds a copy of the repository's files (as a new user's
checkout does) and a fresh HOME. Each command must exit 0, or the code its trailing comment
names (`# exit 1`). A command this machine cannot run says why: `# doc-test: skip (reason)`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```(?:bash|sh)\n(.*?)^```", re.DOTALL | re.MULTILINE)
_EXIT = re.compile(r"#\s*exit (\d+)\b")  # a trailing comment that starts with "exit N"
_SKIP = "# doc-test: skip"


def commands(document: Path) -> list[tuple[str, int]]:
    """(command, expected exit code) for each command of each bash block, in order."""
    found = []
    for block in _BLOCK.findall(document.read_text()):
        logical = ""
        for line in block.splitlines():
            piece = line.strip()
            if piece.endswith("\\"):
                logical += piece[:-1].rstrip() + " "
                continue
            logical += piece
            text, logical = logical.strip(), ""
            if not text or text.startswith("#") or _SKIP in text:
                continue
            expected = _EXIT.search(text)
            found.append((text, int(expected[1]) if expected else 0))
    return found


def _checkout(target: Path) -> None:
    """The repository's tracked files, as a fresh clone has them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,  # noqa: S607
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.mark.parametrize("document", DOCS, ids=[str(d.relative_to(REPO)) for d in DOCS])
def test_every_documented_command_runs_as_written(document: Path, tmp_path: Path) -> None:
    work, home = tmp_path / "checkout", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    _checkout(work)
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
    }
    failures = []
    for command, expected in commands(document):
        result = subprocess.run(  # noqa: S602 - the documented command, as a user types it
            command,
            shell=True,
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            executable="/bin/bash",
            check=False,
        )
        if result.returncode != expected:
            failures.append(
                f"{command!r}: exit {result.returncode}, documented {expected}:"
                f" {result.stderr.strip()[-300:]}"
            )
    assert not failures, f"{document.name}:\n" + "\n".join(failures)


def test_the_parser_reads_annotations() -> None:
    sample = REPO / "tests" / "assets" / "doc_sample.md"
    assert commands(sample) == [
        ("peak-trade status", 0),
        ("peak-trade audit check --config x.toml  # exit 1", 1),
        ("peak-trade audit export --stdout --format json", 0),
    ]
