"""Baselines: adopt classadlint on a legacy pool today, fail only on what is new.

A baseline records each finding by what does not move when lines are added above it: the
file (relative to the baseline file, so any working directory works), the code, and the
text of the line the finding starts on (whitespace-trimmed) with the flagged characters.
Line numbers are kept for people reading the file, never for matching. Identical
findings are counted, so a second copy of a known mistake is still reported.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fix import write_atomically
from classadlint.source import SourceFile

VERSION = 1

Key = tuple[str, str, str, str]


class BaselineError(ValueError):
    """A baseline file that cannot be read; the message names it."""


def _relative(file: str, base: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(file).resolve().as_posix()


def _key(d: Diagnostic, sources: dict[str, SourceFile], base: Path) -> Key:
    src = sources.get(d.file)
    line = flagged = ""
    if src is not None and 0 < d.line <= src.line_count:
        line = " ".join(src.line_text(d.line).split())
        flagged = src.text[d.span.start : d.span.end]
    return (_relative(d.file, base), d.code, line, flagged)


def write(path: Path, diagnostics: Iterable[Diagnostic], sources: dict[str, SourceFile]) -> int:
    """Record ``diagnostics`` in ``path`` (atomically); returns how many."""
    base = path.parent
    entries = [
        {
            "file": key[0],
            "code": key[1],
            "line": d.line,
            "text": key[2],
            "flagged": key[3],
            "message": d.message,
        }
        for d in sorted(diagnostics, key=Diagnostic.sort_key)
        for key in [_key(d, sources, base)]
    ]
    doc = {"classadlint-baseline": VERSION, "findings": entries}
    write_atomically(path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    return len(entries)


def read(path: Path) -> Counter[Key]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a classadlint baseline ({exc})") from None
    if not isinstance(doc, dict) or doc.get("classadlint-baseline") != VERSION:
        raise BaselineError(
            f"{path}: not a classadlint baseline (write one with --write-baseline {path})"
        )
    found: Counter[Key] = Counter()
    for i, e in enumerate(doc.get("findings", [])):
        try:
            found[(str(e["file"]), str(e["code"]), str(e["text"]), str(e["flagged"]))] += 1
        except (TypeError, KeyError) as exc:
            raise BaselineError(f"{path}: finding {i + 1} lacks {exc}") from None
    return found


def new_findings(
    path: Path, diagnostics: Iterable[Diagnostic], sources: dict[str, SourceFile]
) -> list[Diagnostic]:
    """The diagnostics the baseline in ``path`` does not already account for."""
    known = read(path)
    base = path.parent
    out: list[Diagnostic] = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = _key(d, sources, base)
        if known[key] > 0:
            known[key] -= 1
        else:
            out.append(d)
    return out
