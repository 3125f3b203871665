"""Proof answers kept on disk between runs, so a check that asks what an earlier one
asked does not solve again.

Nearly all of a check's time is proofs (z3 queries of a few to 200 ms each), and a
pool's policy changes a knob or two per commit: a pre-commit hook or a CI job with its
cache restored re-proves only what changed. An answer is a pure function of the question
(the expression, the whole knob it belongs to, the scope, the facts, the budget) and of
the code that answers it, so the key is a digest of all of those: the question's text
and this installation's sources and catalogs (any change to classadlint invalidates
everything, decided as Python decides its bytecode is stale: size and modification time)
and HTCondor's version (witnesses are checked with classad2). A question not decided within
the budget is kept as "not proved" too, so a second run reports what the first did;
``--no-cache`` asks everything again. A witness that did not reproduce (a bug) is never kept.

One file per answer under ``$CLASSADLINT_CACHE_DIR`` (default
``$XDG_CACHE_HOME/classadlint``, else ``~/.cache/classadlint``), written atomically, so
forked workers and concurrent runs share the store safely; a file that cannot be read is
a miss. ``CLASSADLINT_NO_CACHE=1`` (``check --no-cache``) neither reads nor writes it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from classadlint.analysis.symbolic import Answer

#: Bumped when the stored format changes.
FORMAT = 1


def store_dir() -> Path | None:
    """Where answers live, or None when the store is off."""
    if os.environ.get("CLASSADLINT_NO_CACHE", "") not in ("", "0"):
        return None
    configured = os.environ.get("CLASSADLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "classadlint"


@functools.cache
def code_digest() -> str:
    """This installation's sources and catalogs, and HTCondor's version: what answers
    depend on besides the question."""
    from importlib.metadata import PackageNotFoundError, version

    import classadlint

    root = Path(classadlint.__file__).parent
    h = hashlib.sha256(f"{FORMAT}\0{classadlint.__version__}\0".encode())
    try:
        h.update(version("htcondor").encode())
    except PackageNotFoundError:
        h.update(b"no htcondor")
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".lark") and "__pycache__" not in path.parts:
            st = path.stat()  # as Python's own bytecode cache decides: size and mtime
            h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


def stable_text(value: object) -> str:
    """``repr`` with sets in sorted order and dataclasses field by field: the same text in
    every process (a set's order follows string hashing, which differs per process)."""
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(stable_text(v) for v in value)) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(stable_text(v) for v in value) + ")"
    if isinstance(value, dict):
        items = sorted((stable_text(k), stable_text(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (
            f"{f.name}={stable_text(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__name__}({', '.join(fields)})"
    return repr(value)


def _path(key: tuple[object, ...]) -> Path | None:
    where = store_dir()
    if where is None:
        return None
    digest = hashlib.sha256(f"{code_digest()}\0{stable_text(key)}".encode()).hexdigest()
    return where / "answers" / digest[:2] / digest[2:]


def load(key: tuple[object, ...]) -> object | None:
    """What was stored under ``key``, or None (not stored, store off, unreadable)."""
    path = _path(key)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            value: object = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return value


def save(key: tuple[object, ...], value: object) -> None:
    """Keep ``value`` under ``key``; a store that cannot be written is silently skipped:
    the answer was computed and is used all the same."""
    path = _path(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        return


def keepable(answer: Answer) -> bool:
    """Whether an answer may be kept: not one whose witness did not reproduce (a bug)."""
    return answer.mismatch is None
