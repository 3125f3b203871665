"""The server's state: one linted :class:`~classadlint.project.Project` per open file.

Each open file is the root of a configuration, read with everything it includes, as
``classadlint check FILE`` would read it; the editor's unsaved text replaces the file on
disk. An edit re-models only the roots whose configuration contains the edited file (the
file itself and the open files that include it); the parse cache keeps every other file's
parse, and the expression memo every expression whose expanded text did not change.

A file is shown in the view of one configuration: the first open file that includes it
(HTCondor reads an included file in its includer's context: macros defined above the
``include`` are visible), else its own. Files that open files include are linted and
published too, open in the editor or not.

An edit is linted quickly first: without the rules measured slow on this configuration
(:meth:`Projects.slow_rules`), whose earlier findings are carried over with the text
around them; the full result comes from the child process of
:mod:`classadlint.lsp.background` (which runs this same class) and replaces it.

Everything here runs on the server's single lint thread; the snapshots it publishes are
not changed afterwards, so request handlers may read them from the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from classadlint.config.parser import common_ends
from classadlint.lint.diagnostic import Diagnostic, Location, Related, dedupe
from classadlint.lint.engine import Cancelled, RuleError, lint_project, selected_rules
from classadlint.lint.memo import ExpressionMemo
from classadlint.lint.settings import Settings
from classadlint.lint.suppress import selector_matches
from classadlint.lsp.background import FullResult
from classadlint.project import ParseCache, Project
from classadlint.source import SourceFile, Span

_FAILED_RULE = re.compile(r"internal error in rule (\w+)")
#: How many crashing rules a lint skips (each is reported) before giving up on a file.
_MAX_SKIPPED_RULES = 5


#: The time the config rules of a quick lint may take together: the costliest rules (as
#: last measured on the configuration) are deferred until the rest fit; an expression
#: rule slower than ``EXPRESSION_SLOW`` on one expression is deferred too. An edit first
#: publishes everything else, then the full result (the proof rules ask an SMT solver;
#: some config rules scan every statement for every expression).
CONFIG_BUDGET = 0.015
EXPRESSION_SLOW = 0.005


@dataclass(frozen=True)
class Snapshot:
    """One configuration as linted: the root file, its project and what was found.

    ``texts`` are the buffer texts it was built from (to tell whether it is current);
    ``problems`` are internal errors (a crashing rule), already worked around;
    ``deferred`` the rules left out of this quick lint (empty: the full result).
    """

    root: str
    project: Project
    diagnostics: tuple[Diagnostic, ...]
    texts: Mapping[str, str]
    problems: tuple[str, ...] = ()
    deferred: frozenset[str] = frozenset()

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.project.model.files)

    def diagnostics_of(self, path: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.file == path]

    def source(self, path: str) -> SourceFile | None:
        return self.project.sources.get(path)


@dataclass
class Projects:
    """Open buffers, their configurations' snapshots, and the caches shared by all."""

    settings: Settings = field(default_factory=Settings)
    texts: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    #: the last full result of each root (what deferred rules said, to carry over)
    complete: dict[str, Snapshot] = field(default_factory=dict)
    cache: ParseCache = field(default_factory=ParseCache)
    memo: ExpressionMemo = field(default_factory=ExpressionMemo)
    config_seconds: dict[str, float] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # rules that crashed: skipped from then on

    # --- changes -------------------------------------------------------------------------
    def set_settings(self, settings: Settings) -> list[str]:
        """New settings: every result may differ (selection, severities, site rules), so
        every root is linted again (quickly; see :meth:`slow_rules`)."""
        self.settings = settings
        self.memo.clear()
        self.broken.clear()
        self.complete.clear()
        return self.relint(list(self.snapshots))

    def update(
        self, texts: Mapping[str, str], changed: Iterable[str], quick: bool = True
    ) -> list[str]:
        """Take the buffers as they are now; re-lint the roots ``changed`` files touch
        (``quick``: without the slow rules, see :meth:`slow_rules`). Returns those roots."""
        changed = set(changed)
        self.texts = dict(texts)
        for gone in [r for r in self.snapshots if r not in self.texts]:
            del self.snapshots[gone]
            self.complete.pop(gone, None)
        roots = [r for r in self.texts if r in changed or r not in self.snapshots]
        roots += [r for r, s in self.snapshots.items() if r not in roots and changed & set(s.files)]
        return self.relint(roots, quick)

    def accept_full(self, result: FullResult) -> bool:
        """Take the full result computed elsewhere (the child process) for a root, if it
        was computed from the buffers its current snapshot was built from. What its
        expression rules found goes into the memo either way (it is keyed by the
        expression's text), if it was found under the current settings."""
        if result.settings == self.settings:
            self.memo.merge(result.memo)
        snap = self.snapshots.get(result.root)
        if snap is None or any(result.texts.get(f) != snap.texts.get(f) for f in snap.files):
            return False
        full = replace(
            snap, diagnostics=result.diagnostics, problems=result.problems, deferred=frozenset()
        )
        self.snapshots[result.root] = self.complete[result.root] = full
        self.config_seconds.update(result.config_seconds)
        self.memo.seconds.update(result.expression_seconds)
        return True

    def slow_rules(self) -> frozenset[str]:
        """The rules a quick lint leaves out: those measured slow, and before any rule has
        been measured (the first lint of a session) every rule but the syntax rules."""
        if not self.config_seconds:
            codes = {r.rule.code for r in selected_rules(self.settings)}
            return frozenset(c for c in codes if not c.startswith("CA1"))
        slow = {c for c, t in self.memo.seconds.items() if t > EXPRESSION_SLOW}
        costs = sorted(self.config_seconds.items(), key=lambda item: item[1], reverse=True)
        total = sum(t for _, t in costs)
        for code, seconds in costs:
            if total <= CONFIG_BUDGET:
                break
            slow.add(code)
            total -= seconds
        return frozenset(slow)

    def relint(
        self,
        roots: Iterable[str],
        quick: bool = True,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[str]:
        """Lint ``roots``, quickly (without the slow rules) or fully; a full lint stops
        (leaving the roots not done) as soon as ``cancelled`` says so."""
        done = []
        deferred = self.slow_rules() if quick else frozenset()
        for root in roots:
            if root in self.texts:
                try:
                    snap = self._lint(root, deferred, cancelled)
                except Cancelled:
                    break
                if deferred:
                    snap = self._carry_over(snap)
                else:
                    self.complete[root] = snap
                self.snapshots[root] = snap
                done.append(root)
        return done

    def _lint(
        self,
        root: str,
        deferred: frozenset[str],
        cancelled: Callable[[], bool] | None = None,
    ) -> Snapshot:
        """Model and lint one root. A crashing rule is skipped (and reported as a problem)
        so that the file still gets every other diagnostic."""
        problems: list[str] = []
        texts = dict(self.texts)
        timings: dict[str, float] = {}
        while True:
            skip = (*self.settings.ignore, *sorted(deferred | self.broken))
            settings = replace(self.settings, ignore=skip)
            project = Project(
                [Path(root)],
                [Path(root)],
                subsystem=settings.subsystem,
                texts=texts,
                cache=self.cache,
            )
            try:
                found = lint_project(
                    project, settings, memo=self.memo, timings=timings, cancelled=cancelled
                )
            except RuleError as exc:
                problems.append(str(exc))
                m = _FAILED_RULE.search(str(exc))
                if m is None or len(problems) > _MAX_SKIPPED_RULES:
                    found = []
                    break
                self.broken.add(m.group(1))
                continue
            break
        self.config_seconds.update(timings)
        return Snapshot(root, project, tuple(found), texts, tuple(problems), deferred)

    def _carry_over(self, snap: Snapshot) -> Snapshot:
        """A quick lint keeps what the deferred rules found last time, moved with the
        text around it; findings in text an edit touched are dropped until the full lint."""
        last = self.complete.get(snap.root)
        if last is None:
            return snap
        kept = []
        shifts: dict[str, _Shift] = {}
        for d in last.diagnostics:
            if not any(selector_matches(s, d.code, d.name) for s in snap.deferred):
                continue
            moved = _moved(d, last, snap, shifts)
            if moved is not None:
                kept.append(moved)
        if not kept:
            return snap
        return replace(snap, diagnostics=tuple(dedupe([*snap.diagnostics, *kept])))

    # --- reading -------------------------------------------------------------------------
    def view(self, path: str) -> Snapshot | None:
        """The snapshot a file is shown in: its first open includer's, else its own."""
        snapshots = dict(self.snapshots)  # a copy: the lint thread may be adding one
        for root in sorted(snapshots):
            snap = snapshots[root]
            if root != path and path in snap.project.model.files:
                return snap
        return snapshots.get(path)

    def shown_files(self) -> set[str]:
        """Every file some configuration reads: the files diagnostics are published for."""
        return {f for s in self.snapshots.values() for f in s.files} | set(self.snapshots)

    def diagnostics_of(self, path: str) -> list[Diagnostic]:
        snap = self.view(path)
        return snap.diagnostics_of(path) if snap is not None else []


def is_current(snap: Snapshot, texts: Mapping[str, str]) -> bool:
    """Whether a snapshot was built from these buffers (its root and every file it read)."""
    return texts.get(snap.root) == snap.texts.get(snap.root) and all(
        texts.get(f) == snap.texts.get(f) for f in snap.files
    )


_Shift = tuple[int, int, int, SourceFile] | None


def _moved(
    d: Diagnostic, last: Snapshot, now: Snapshot, shifts: dict[str, _Shift]
) -> Diagnostic | None:
    """``d`` (found in ``last``) at the same text in ``now``, or None if that text (or any
    it points at) was edited. ``shifts``: per file, what the edit kept (filled as needed)."""

    def shift(file: str, offset: int) -> int | None:
        if file not in shifts:
            old, new = last.source(file), now.source(file)
            if old is None or new is None:
                shifts[file] = None
            else:
                prefix, suffix = common_ends(old.text, new.text)
                shifts[file] = (prefix, len(old.text) - suffix, len(new.text) - len(old.text), new)
        s = shifts[file]
        if s is None:
            return None
        prefix, tail, delta, _ = s
        if offset < prefix or (offset == prefix and prefix == tail):
            return offset
        return offset + delta if offset >= tail else None

    def location(loc: Location) -> Location | None:
        start, end = shift(loc.file, loc.span.start), shift(loc.file, loc.span.end)
        entry = shifts.get(loc.file)
        if start is None or end is None or entry is None:
            return None
        return Location.of(entry[3], Span(start, end))

    where = location(d.location)
    related = [(location(r.location), r.note) for r in d.related]
    if where is None or any(loc is None for loc, _ in related):
        return None
    fixes = []
    for fix in d.fixes:
        edits = []
        for e in fix.edits:
            start, end = shift(e.file, e.start), shift(e.file, e.end)
            if start is None or end is None:
                break
            edits.append(replace(e, start=start, end=end))
        else:
            fixes.append(replace(fix, edits=tuple(edits)))
    return replace(
        d,
        location=where,
        related=tuple(Related(loc, note) for loc, note in related if loc is not None),
        fixes=tuple(fixes),
    )
