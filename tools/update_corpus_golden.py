"""Regenerate the corpus golden files from what ``classadlint check`` reports today.

Run after a change that moves a finding: ``python tools/update_corpus_golden.py``, then
review the diff (every line is a claim about a corpus file: a defect found, or a false
positive to list). ``tests/test_corpus_golden.py`` compares the committed files with what
this writes, so they cannot drift.

What it writes:

* ``<file>.expected`` beside every corpus config file: the concise findings for that file
  (``path:line:col: CODE message [name]``, one a line; empty when clean). A directory
  that is one configuration (``corpus/desy``, ``corpus/desy-seed``) is checked as a whole,
  exactly as ``classadlint check corpus/<dir>`` does, and the findings are split by file.
  ``corpus/examples`` is not a configuration: each example is checked alone, as
  ``classadlint check corpus/examples/<file>``.
* ``corpus/desy-seed/expected-diagnostics.txt``: the text-format output of
  ``classadlint check corpus/desy-seed`` (what the README's main job shows for the seed).

Everything runs in-process through the real command line (Typer's runner) from the
repository root, so paths and output are the ones a user sees.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
#: Directories checked as one configuration each; the rest of corpus/ is examples/.
CONFIGURATIONS = ("desy", "desy-seed")
EXAMPLES = "examples"
SEED_SNAPSHOT = CORPUS / "desy-seed" / "expected-diagnostics.txt"
_CONCISE = re.compile(r"^(?P<file>[^:\n]+):\d+:\d+: CA\d{3} ")


@contextmanager
def _in_repo() -> Iterator[None]:
    old = Path.cwd()
    os.chdir(REPO)
    try:
        yield
    finally:
        os.chdir(old)


def run_check(*args: str) -> tuple[int, str]:
    """``classadlint check ARGS`` from the repository root: (exit status, stdout)."""
    from typer.testing import CliRunner

    from classadlint.cli import app

    with _in_repo():
        result = CliRunner().invoke(app, ["check", *args], catch_exceptions=False)
    if result.exit_code not in (0, 1):
        raise RuntimeError(f"classadlint check {' '.join(args)}: {result.output.strip()}")
    return result.exit_code, result.stdout


def config_files() -> list[Path]:
    """Every corpus file ``classadlint check`` reads as configuration, in path order."""
    from classadlint.discovery import config_files_in
    from classadlint.lint.settings import discover

    out: list[Path] = []
    for name in (*CONFIGURATIONS, EXAMPLES):
        directory = CORPUS / name
        settings = discover(directory)
        out.extend(f for f in config_files_in(directory) if not settings.excluded(f))
    return out


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _concise_lines(stdout: str) -> list[str]:
    """The finding lines of concise output (the summary line dropped)."""
    lines = [line for line in stdout.splitlines() if _CONCISE.match(line)]
    rest = [line for line in stdout.splitlines() if line and not _CONCISE.match(line)]
    if len(rest) != 1 or not (rest[0].startswith("Found ") or rest[0] == "No problems found."):
        raise RuntimeError(f"unexpected concise output: {rest!r}")
    return lines


def expected() -> dict[Path, str]:
    """Golden file path -> the content it should have."""
    files = config_files()
    out: dict[Path, str] = {}
    by_file: dict[str, list[str]] = {_rel(f): [] for f in files}
    for name in CONFIGURATIONS:
        _, stdout = run_check("--format", "concise", f"corpus/{name}")
        for line in _concise_lines(stdout):
            file = _CONCISE.match(line).group("file")  # type: ignore[union-attr]
            if file not in by_file:
                raise RuntimeError(f"a finding in a file that is no corpus config: {line}")
            by_file[file].append(line)
    for f in files:
        if f.parent == CORPUS / EXAMPLES:
            _, stdout = run_check("--format", "concise", _rel(f))
            by_file[_rel(f)] = _concise_lines(stdout)
    for f in files:
        lines = by_file[_rel(f)]
        out[f.with_name(f.name + ".expected")] = "".join(line + "\n" for line in lines)
    _, text = run_check("corpus/desy-seed")
    out[SEED_SNAPSHOT] = text
    return out


def stale_goldens(want: dict[Path, str]) -> list[Path]:
    """``*.expected`` files in the corpus that no config file needs any more."""
    return sorted(p for p in CORPUS.rglob("*.expected") if p not in want)


def main() -> int:
    want = expected()
    for stale in stale_goldens(want):
        stale.unlink()
        print(f"removed {_rel(stale)}")
    changed = 0
    for path, text in want.items():
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            changed += 1
            print(f"wrote {_rel(path)}")
    findings = sum(t.count("\n") for p, t in want.items() if p.suffix == ".expected")
    print(f"{len(want)} golden files ({changed} changed), {findings} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
