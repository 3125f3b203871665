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

Everything here runs on the server's single lint thread; the snapshots it publishes are
not changed afterwards, so request handlers may read them from the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.engine import RuleError, lint_project
from classadlint.lint.memo import ExpressionMemo
from classadlint.lint.settings import Settings
from classadlint.project import ParseCache, Project
from classadlint.source import SourceFile

_FAILED_RULE = re.compile(r"internal error in rule (\w+)")
#: How many crashing rules a lint skips (each is reported) before giving up on a file.
_MAX_SKIPPED_RULES = 5


@dataclass(frozen=True)
class Snapshot:
    """One configuration as linted: the root file, its project and what was found.

    ``texts`` are the buffer texts it was built from (to tell whether it is current);
    ``problems`` are internal errors (a crashing rule), already worked around.
    """

    root: str
    project: Project
    diagnostics: tuple[Diagnostic, ...]
    texts: Mapping[str, str]
    problems: tuple[str, ...] = ()

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
    cache: ParseCache = field(default_factory=ParseCache)
    memo: ExpressionMemo = field(default_factory=ExpressionMemo)

    # --- changes -------------------------------------------------------------------------
    def set_settings(self, settings: Settings) -> list[str]:
        """New settings: every result may differ (selection, severities, site rules)."""
        self.settings = settings
        self.memo.clear()
        return self.relint(list(self.snapshots))

    def update(self, texts: Mapping[str, str], changed: Iterable[str]) -> list[str]:
        """Take the buffers as they are now; re-lint the roots ``changed`` files touch.
        Returns the roots re-linted."""
        changed = set(changed)
        self.texts = dict(texts)
        for gone in [r for r in self.snapshots if r not in self.texts]:
            del self.snapshots[gone]
        roots = [r for r in self.texts if r in changed or r not in self.snapshots]
        roots += [r for r, s in self.snapshots.items() if r not in roots and changed & set(s.files)]
        return self.relint(roots)

    def relint(self, roots: Iterable[str]) -> list[str]:
        done = []
        for root in roots:
            if root in self.texts:
                self.snapshots[root] = self._lint(root)
                done.append(root)
        return done

    def _lint(self, root: str) -> Snapshot:
        """Model and lint one root. A crashing rule is skipped (and reported as a problem)
        so that the file still gets every other diagnostic."""
        settings = self.settings
        problems: list[str] = []
        texts = dict(self.texts)
        while True:
            project = Project(
                [Path(root)],
                [Path(root)],
                subsystem=settings.subsystem,
                texts=texts,
                cache=self.cache,
            )
            try:
                found = lint_project(project, settings, memo=self.memo)
            except RuleError as exc:
                problems.append(str(exc))
                m = _FAILED_RULE.search(str(exc))
                if m is None or len(problems) > _MAX_SKIPPED_RULES:
                    found = []
                    break
                settings = replace(settings, ignore=(*settings.ignore, m.group(1)))
                continue
            break
        return Snapshot(root, project, tuple(found), texts, tuple(problems))

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
