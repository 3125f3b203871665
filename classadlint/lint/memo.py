"""Expression rules remembered by the expression's text, so an edit re-checks only the
expressions it changed.

The language server lints a whole configuration after every edit. Most expression knobs
expand to the same text as before, but their characters sit at new file offsets (an edit
above them shifted the file), so a diagnostic computed earlier cannot simply be reused.
What can be reused is the diagnostic in the coordinates of the expression itself: the
rules run once on a context whose span map is the identity on the expression's text, and
each result is mapped through the knob's current source map, exactly as
:meth:`ExpressionContext.report` and :meth:`ExpressionContext.fix` would have mapped it
(location, "expanded from" notes, then fix edits, a fix being dropped when one of its edits
lands on characters not written contiguously in one file).

This holds for rules that report through the context (``report``/``fix``/``replace``), as
every expression rule does; ``tests/test_lsp_incremental.py`` checks that a memoized lint
equals a fresh one on the corpus and after edits.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence

from classadlint.lint.context import ExpressionContext, SpanMap, TextMap
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix, Location, Related
from classadlint.lint.rule import LoadedRule
from classadlint.source import SourceFile, Span

#: The file name of an expression's own coordinates (never a real path: it has a NUL).
EXPRESSION_SPACE = "\0expression"

_Key = tuple[str, str | None, str, str]


class ExpressionMemo:
    """Diagnostics of each expression rule by (rule, knob, expanded text, string syntax).

    Kept per rule, so that runs with different selections share it, and with the time
    each rule took on the last expression it checked (``seconds``, a decaying maximum):
    the language server defers the slow ones. The owner clears it when rules or settings
    change (a site rule edited under the same code). Bounded: past ``max_entries`` it
    starts again empty.
    """

    def __init__(self, max_entries: int = 200_000, keep_new: bool = False) -> None:
        self._table: dict[_Key, list[Diagnostic]] = {}
        #: ``keep_new``: what was stored since the last take_new() (else nothing)
        self._new: dict[_Key, list[Diagnostic]] | None = {} if keep_new else None
        self.max_entries = max_entries
        self.seconds: dict[str, float] = {}
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        self._table.clear()
        if self._new is not None:
            self._new.clear()
        self.seconds.clear()

    def take_new(self) -> dict[_Key, list[Diagnostic]]:
        """What was stored since the last call: the language server's full-lint process
        hands it over, so that the server's own memo knows every expression the full lint
        checked (otherwise the first quick lint after opening a file checks them all)."""
        new = self._new or {}
        if self._new is not None:
            self._new = {}
        return new

    def merge(self, entries: dict[_Key, list[Diagnostic]]) -> None:
        """Entries another memo stored (see :meth:`take_new`), made under the same rules
        and settings."""
        if len(self._table) + len(entries) >= self.max_entries:
            self._table.clear()
        self._table.update(entries)

    def run(self, ctx: ExpressionContext, rules: Sequence[LoadedRule]) -> list[Diagnostic]:
        """What ``run_expression_rules(ctx, rules)`` reports, from memory for each rule
        that checked the same knob with the same text before."""
        from classadlint.lint.engine import RuleError, run_expression_rules

        out: list[Diagnostic] = []
        local: ExpressionContext | None = None
        for rule in rules:
            key = (rule.rule.code, ctx.knob, ctx.text, ctx.strings)
            found = self._table.get(key)
            if found is None:
                self.misses += 1
                if local is None:
                    local = ExpressionContext(
                        ctx.text,
                        ctx.tree,
                        ctx.error,
                        TextMap(SourceFile(EXPRESSION_SPACE, ctx.text)),
                        ctx.knob,
                        ctx.context,
                        ctx.strings,
                    )
                started = time.perf_counter()
                try:
                    found = list(run_expression_rules(local, [rule]))
                except RuleError:
                    # the error message should name the user's file: the real context says it
                    out.extend(run_expression_rules(ctx, [rule]))
                    continue
                took = time.perf_counter() - started
                code = rule.rule.code
                self.seconds[code] = max(took, 0.8 * self.seconds.get(code, 0.0))
                if len(self._table) >= self.max_entries:
                    self._table.clear()
                self._table[key] = found
                if self._new is not None:
                    self._new[key] = found
            else:
                self.hits += 1
            out.extend(relocate(d, ctx.span_map) for d in found)
        return out


def relocate(d: Diagnostic, span_map: SpanMap) -> Diagnostic:
    """A diagnostic in expression coordinates, mapped to the files through ``span_map``."""

    def where(loc: Location) -> Location:
        return span_map.location(loc.span) if loc.file == EXPRESSION_SPACE else loc

    related = (
        *span_map.notes(d.span),
        *(Related(where(r.location), r.note) for r in d.related),
    )
    fixes = tuple(f for f in (_relocate_fix(f, span_map) for f in d.fixes) if f is not None)
    return dataclasses.replace(d, location=span_map.location(d.span), related=related, fixes=fixes)


def _relocate_fix(fix: Fix, span_map: SpanMap) -> Fix | None:
    edits = []
    for e in fix.edits:
        if e.file != EXPRESSION_SPACE:
            edits.append(e)
            continue
        mapped = span_map.file_span(Span(e.start, e.end))
        if mapped is None:
            return None
        file, span = mapped
        edits.append(Edit(file, span.start, span.end, e.text))
    return dataclasses.replace(fix, edits=tuple(edits))
