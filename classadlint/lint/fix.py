"""Apply fixes to files without ever losing what the user wrote.

* A fix is all of its edits or nothing. Fixes are taken in a deterministic order (file,
  first edit, then title) and a fix any of whose edits overlaps (or touches the same
  insertion point as) an edit already taken is left for the next round: the caller lints
  again and repeats until nothing changes.
* Files are read as bytes and decoded as UTF-8 without newline translation, so offsets
  are the ones the linter computed and ``\\r\\n`` line endings survive.
* The new text goes to a temporary file in the same directory, which replaces the
  original in one step (``os.replace``) with the original's permission bits: an
  interrupted run leaves either the old file or the new one, never half of each.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from classadlint.lint.diagnostic import Diagnostic, Edit, Fix


def select_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool = False) -> list[Fix]:
    """The first applicable fix of each diagnostic, safe ones only unless ``unsafe``."""
    out: dict[Fix, None] = {}
    for d in diagnostics:
        for f in d.fixes:
            if f.applicable and (f.safe or unsafe):
                out[f] = None
                break
    return sorted(out, key=_order)


def _order(fix: Fix) -> tuple[str, int, int, str]:
    first = min(fix.edits, key=lambda e: (e.file, e.start, e.end))
    return (first.file, first.start, first.end, fix.title)


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.file != b.file:
        return False
    if a.start == a.end or b.start == b.end:  # insertions: same point or inside
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def choose(fixes: Iterable[Fix]) -> list[Fix]:
    """A non-overlapping subset, deterministically (earlier fixes win)."""
    taken: list[Fix] = []
    edits: list[Edit] = []
    for fix in sorted(fixes, key=_order):
        if any(_overlaps(e, t) for e in fix.edits for t in edits):
            continue
        taken.append(fix)
        edits.extend(fix.edits)
    return taken


def apply_edits(text: str, fixes: Iterable[Fix], file: str | None = None) -> tuple[str, int]:
    """``text`` with the non-overlapping fixes applied (only edits of ``file`` when given);
    returns the new text and the number of fixes applied."""
    chosen = choose(f for f in fixes if file is None or all(e.file == file for e in f.edits))
    edits = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.start, e.end))
    for e in reversed(edits):
        text = text[: e.start] + e.text + text[e.end :]
    return text, len(chosen)


def read_text(path: Path) -> str:
    """The file's text exactly as the linter saw it (UTF-8, no newline translation)."""
    return path.read_bytes().decode("utf-8")


def apply_fixes(fixes: Iterable[Fix]) -> dict[str, int]:
    """Apply fixes to their files; returns the number applied per file. A fix whose edits
    span several files is applied only if all of them are."""
    chosen = choose(fixes)
    by_file: dict[str, list[Fix]] = defaultdict(list)
    for fix in chosen:
        for file in {e.file for e in fix.edits}:
            by_file[file].append(fix)
    applied: dict[str, int] = {}
    for file, file_fixes in sorted(by_file.items()):
        path = Path(file)
        text = read_text(path)
        edits = sorted(
            (e for f in file_fixes for e in f.edits if e.file == file),
            key=lambda e: (e.start, e.end),
        )
        for e in reversed(edits):
            text = text[: e.start] + e.text + text[e.end :]
        write_atomically(path, text)
        applied[file] = len(file_fixes)
    return applied


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path``'s content in one step, keeping its permission bits (a new file
    gets the usual 0644 less the umask)."""
    if path.exists():
        mode = path.stat().st_mode
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".classadlint", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
