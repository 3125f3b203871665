"""The full lint in a child process, so that slow rules never hold up the next edit.

The server publishes a quick lint (without the rules it measured slow) from its own lint
thread, then asks this child for the full result. A rule cannot be interrupted halfway,
and some take seconds on a large file (the proof rules ask an SMT solver); in the child
they use the other core (at a lower priority) and the server's next quick lint does not
wait for them. When the user types again, the child gives up its current lint at the next
rule (a shared generation counter says the result is no longer wanted).

The child keeps its own caches (:class:`~classadlint.lsp.projects.Projects`) between
jobs. It never writes to the LSP stream: its stdout is redirected to stderr.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.settings import Settings


@dataclass(frozen=True)
class FullJob:
    """Lint ``root`` with every rule, reading ``texts`` instead of the files on disk."""

    root: str
    texts: dict[str, str]
    settings: Settings
    generation: int


@dataclass(frozen=True)
class FullResult:
    """What the full lint found, and what each rule cost (for the next quick lint)."""

    root: str
    texts: dict[str, str]
    diagnostics: tuple[Diagnostic, ...] = ()
    problems: tuple[str, ...] = ()
    config_seconds: dict[str, float] = field(default_factory=dict)
    expression_seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    #: the expression rules' results the child stored since its last result, and the
    #: settings they were found under (for the server's memo: see ExpressionMemo.take_new)
    memo: dict[tuple[str, str | None, str, str], list[Diagnostic]] = field(default_factory=dict)
    settings: Settings | None = None


def _child(conn: Connection, generation: Any) -> None:
    """The child's loop: one job in, one result (or None: cancelled) out."""
    os.dup2(2, 1)  # nothing the child prints may reach the editor's LSP stream
    sys.stdout = sys.stderr
    os.nice(10)  # background work: the server's quick lint comes first for the CPU
    from classadlint.lint.memo import ExpressionMemo
    from classadlint.lsp.projects import Projects

    state = Projects(memo=ExpressionMemo(keep_new=True))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_run(state, job, generation))


def _run(state: Any, job: FullJob, generation: Any) -> FullResult | None:
    if generation.value != job.generation:
        return None
    try:
        if state.settings != job.settings:
            state.settings = job.settings
            state.memo.clear()
            state.broken.clear()
        state.texts = dict(job.texts)
        done = state.relint(
            [job.root], quick=False, cancelled=lambda: generation.value != job.generation
        )
        if not done:
            return None
        snap = state.snapshots[job.root]
        return FullResult(
            job.root,
            job.texts,
            snap.diagnostics,
            snap.problems,
            dict(state.config_seconds),
            dict(state.memo.seconds),
            memo=state.memo.take_new(),
            settings=job.settings,
        )
    except Exception as exc:  # reported by the server; the child lives on
        return FullResult(job.root, job.texts, error=f"{type(exc).__name__}: {exc}")


class FullLinter:
    """The child process and the pipe to it (one job at a time)."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.generation = ctx.Value("q", 0, lock=False)
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(
            target=_child,
            args=(child, self.generation),
            daemon=True,
            name="classadlint-full-lint",
        )
        self._process.start()
        child.close()
        self._lock = threading.Lock()

    def want(self, generation: int) -> None:
        """Only results of this generation are wanted from now on."""
        self.generation.value = generation

    def run(self, job: FullJob) -> FullResult | None:
        """Blocking (call it from a thread): the result, or None when it was cancelled or
        the child is gone."""
        with self._lock:
            if self.generation.value != job.generation or not self._process.is_alive():
                return None
            try:
                self._conn.send(job)
                result: FullResult | None = self._conn.recv()
            except (EOFError, OSError):
                return None
            return result

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def close(self) -> None:
        self._process.terminate()
