"""A small AST mutation tester for the safety-critical modules.

    python scripts/mutate.py [MODULE.py ...] [--tests PATH ...] [--json OUT]

Copies the repository to a scratch directory, then for each mutant (one operator changed at one
place) writes the mutated module there and runs the tests against it (PYTHONPATH puts the copy
first). A mutant is *killed* when the tests fail, *survives* when they pass. Prints the score and
every survivor with its place, so each can be killed by a new test or explained as equivalent.
The working tree is never modified.

Operators: comparisons (< <= > >= == != is, is not, in, not in) swapped with their neighbours
and negations, `and`/`or` swapped, `not x` -> `x`, True/False flipped, numeric constants +1,
`return x` -> `return not x` for boolean-looking returns, `if c:` -> `if not c:`.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T", bound=ast.AST)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODULES = [
    "src/peak_trade/live/safety.py",
    "src/peak_trade/live/risk_limits.py",
    "src/peak_trade/core/caps.py",
]
PARTS = (
    "src",
    "tests",
    "config",
    "scripts",
    "docs",
    "contrib",
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
)
DEFAULT_TESTS = ["tests/live", "tests/core", "tests/test_known_answers.py"]

_SWAP: dict[type[ast.cmpop], list[type[ast.cmpop]]] = {
    ast.Lt: [ast.LtE, ast.Gt],
    ast.LtE: [ast.Lt, ast.Gt],
    ast.Gt: [ast.GtE, ast.Lt],
    ast.GtE: [ast.Gt, ast.Lt],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
}


class Mutant:
    def __init__(self, line: int, description: str, tree: ast.Module) -> None:
        self.line, self.description, self.tree = line, description, tree


def _skip(node: ast.AST) -> bool:
    """Docstrings, type annotations and __all__ are not behaviour."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def mutants(tree: ast.Module) -> Iterator[Mutant]:
    nodes = [n for n in ast.walk(tree) if hasattr(n, "lineno")]
    annotations = {
        id(sub)
        for n in ast.walk(tree)
        for field in ("annotation", "returns")
        if (ann := getattr(n, field, None)) is not None
        for sub in ast.walk(ann)
    }
    for index, node in enumerate(nodes):
        if id(node) in annotations or _skip(node):
            continue
        yield from _mutate(tree, index, node)


def _at(tree: ast.Module, index: int, kind: type[T]) -> tuple[ast.Module, T]:
    """A copy of the tree and, in it, the node at `index` (of type `kind`)."""
    clone = copy.deepcopy(tree)
    node = [n for n in ast.walk(clone) if hasattr(n, "lineno")][index]
    if not isinstance(node, kind):
        raise TypeError(f"node {index} is not a {kind.__name__}")
    return clone, node


def _mutate(tree: ast.Module, index: int, node: ast.AST) -> Iterator[Mutant]:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            for replacement in _SWAP.get(type(op), []):
                clone, target = _at(tree, index, ast.Compare)
                target.ops[position] = replacement()
                yield Mutant(line, f"{type(op).__name__} -> {replacement.__name__}", clone)
    elif isinstance(node, ast.BoolOp):
        clone, target = _at(tree, index, ast.BoolOp)
        target.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield Mutant(line, f"{type(node.op).__name__} -> {type(target.op).__name__}", clone)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        clone, target = _at(tree, index, ast.UnaryOp)
        _replace(clone, target, target.operand)
        yield Mutant(line, "not x -> x", clone)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        clone, target = _at(tree, index, ast.Constant)
        target.value = not node.value
        yield Mutant(line, f"{node.value} -> {not node.value}", clone)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        clone, target = _at(tree, index, ast.Constant)
        target.value = node.value + 1
        yield Mutant(line, f"{node.value} -> {node.value + 1}", clone)
    elif isinstance(node, ast.If):
        clone, target = _at(tree, index, ast.If)
        target.test = ast.UnaryOp(op=ast.Not(), operand=target.test)
        yield Mutant(line, "if c -> if not c", clone)


def _replace(tree: ast.Module, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new


def run_tests(scratch: Path, tests: list[str], timeout: float) -> bool:
    """True when the tests pass (the mutant survives)."""
    env = {**os.environ, "PYTHONPATH": str(scratch / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and test paths
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=scratch,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False  # a mutant that hangs the tests is detected
    return proc.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=DEFAULT_MODULES)
    parser.add_argument("--tests", nargs="+", default=DEFAULT_TESTS)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--json", default=None, help="write every result here")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="peak-trade-mutate-"))
    try:
        # everything a test may read from the repository (hooks, docs, contrib, scripts)
        for part in PARTS:
            source = REPO / part
            if not source.exists():
                continue
            if source.is_dir():
                shutil.copytree(source, scratch / part)
            else:
                shutil.copy(source, scratch / part)
        if not run_tests(scratch, args.tests, args.timeout):
            raise SystemExit("the tests fail without any mutation; fix them first")
        results = []
        started = time.monotonic()
        for module in args.modules:
            path = scratch / module
            original = path.read_text()
            tree = ast.parse(original)
            for mutant in mutants(tree):
                path.write_text(ast.unparse(ast.fix_missing_locations(mutant.tree)))
                survived = run_tests(scratch, args.tests, args.timeout)
                results.append(
                    {
                        "module": module,
                        "line": mutant.line,
                        "mutation": mutant.description,
                        "survived": survived,
                    }
                )
                mark = "SURVIVED" if survived else "killed"
                print(f"{mark:8} {module}:{mutant.line}  {mutant.description}", flush=True)
            path.write_text(original)
        killed = sum(not r["survived"] for r in results)
        print(
            f"\nmutation score: {killed}/{len(results)} killed"
            f" ({100 * killed / max(len(results), 1):.1f} %) in {time.monotonic() - started:.0f} s"
        )
        for r in results:
            if r["survived"]:
                print(f"  survivor: {r['module']}:{r['line']}  {r['mutation']}")
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
