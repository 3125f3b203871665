"""Apply fixes to files without ever losing what the user wrote.

Edits are applied from the end of the file backwards (so earlier offsets stay valid),
overlapping edits keep the first one only, and the new text is written to a temporary
file in the same directory and moved over the original in one step (``os.replace``),
keeping its permissions: an interrupted run leaves either the old file or the new one.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from classadlint.lint.diagnostic import Diagnostic, Fix


def select_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Fix]:
    fixes = [f for d in diagnostics for f in d.fixes[:1] if f.safe or unsafe]
    return sorted(set(fixes), key=lambda f: (f.file, f.start, f.end))


def apply_fixes(fixes: Iterable[Fix]) -> dict[str, int]:
    """Apply fixes; returns the number applied per file."""
    by_file: dict[str, list[Fix]] = defaultdict(list)
    for fix in fixes:
        by_file[fix.file].append(fix)
    applied: dict[str, int] = {}
    for file, edits in by_file.items():
        path = Path(file)
        text = path.read_text(encoding="utf-8")
        chosen: list[Fix] = []
        last_end = -1
        for fix in sorted(edits, key=lambda f: (f.start, f.end)):
            if fix.start >= last_end:
                chosen.append(fix)
                last_end = fix.end
        for fix in reversed(chosen):
            text = text[: fix.start] + fix.text + text[fix.end :]
        write_atomically(path, text)
        applied[file] = len(chosen)
    return applied


def write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
