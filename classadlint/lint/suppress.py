"""Suppression comments. HTCondor config has no inline comments (``#`` after a value is
part of it), so a suppression is a comment *line*: ``# classadlint: disable=CA201 reason``
applies to the next statement, ``# classadlint: disable-file=CA401`` to the whole file.
A suppression that silences nothing is itself reported (CA001)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classadlint.lint.diagnostic import Diagnostic
from classadlint.source import SourceFile

_COMMENT = re.compile(
    r"^\s*#\s*classadlint:\s*(?P<kind>disable|disable-file)\s*=\s*(?P<codes>[A-Z0-9, ]+)", re.I
)


@dataclass
class Suppression:
    file: str
    line: int  # the comment's own line
    target: int | None  # the next non-comment line, None for the whole file
    codes: tuple[str, ...]
    used: bool = False


def find_suppressions(src: SourceFile) -> list[Suppression]:
    out = []
    lines = src.text.splitlines()
    for i, text in enumerate(lines, start=1):
        m = _COMMENT.match(text)
        if m is None:
            continue
        codes = tuple(c.strip().upper() for c in m.group("codes").replace(",", " ").split())
        target = None
        if m.group("kind").lower() == "disable":
            j = i
            while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
                j += 1
            target = j + 1
        out.append(Suppression(src.path, i, target, codes))
    return out


def apply_suppressions(
    diagnostics: list[Diagnostic], sources: dict[str, SourceFile]
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add CA001 for each suppression that matched nothing."""
    suppressions = [s for src in sources.values() for s in find_suppressions(src)]
    kept = []
    for d in diagnostics:
        hit = next(
            (
                s
                for s in suppressions
                if s.file == d.file
                and (s.target is None or s.target == d.line)
                and any(d.code.startswith(c) for c in s.codes)
            ),
            None,
        )
        if hit is None:
            kept.append(d)
        else:
            hit.used = True
    for s in suppressions:
        if not s.used:
            kept.append(
                Diagnostic(
                    "CA001",
                    "unused-suppression",
                    "warning",
                    f"suppression of {', '.join(s.codes)} matches nothing: remove it",
                    s.file,
                    s.line,
                    1,
                )
            )
    return sorted(kept, key=Diagnostic.sort_key)
