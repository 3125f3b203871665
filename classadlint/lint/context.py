"""What an expression rule sees: one parsed expression, where its characters came from, and
helpers that turn spans of the expression into diagnostics and fixes in the ORIGINAL file.

A rule never computes file positions. It reports a span of :attr:`ExpressionContext.text`
(the text the parser saw: a knob's value after macro expansion, or a standalone
expression) and the context's :class:`SpanMap` maps it: through the config model's
per-character origins for a knob, or one to one for a standalone expression. Characters
that came from a macro carry "expanded from $(X)" notes; an edit is offered only when the
characters it replaces were written contiguously in one file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix, Location, Related, Safety
from classadlint.lint.pattern import minimal_edit
from classadlint.source import SourceFile, Span

if TYPE_CHECKING:
    from classadlint.config.model import Origin
    from classadlint.lint.rule import Rule
    from classadlint.schema.knob_contexts import Context

N = TypeVar("N")


class SpanMap(Protocol):
    """Maps spans of an expression's text to the file text the user wrote."""

    def location(self, span: Span) -> Location: ...

    def file_span(self, span: Span) -> tuple[str, Span] | None:
        """The exact file range whose characters are ``span``'s, if written contiguously."""
        ...

    def notes(self, span: Span) -> tuple[Related, ...]: ...


@dataclass
class TextMap:
    """The expression is a contiguous piece of ``src`` starting at ``base``."""

    src: SourceFile
    base: int = 0

    def location(self, span: Span) -> Location:
        return Location.of(self.src, span.shift(self.base))

    def file_span(self, span: Span) -> tuple[str, Span] | None:
        return self.src.path, span.shift(self.base)

    def notes(self, span: Span) -> tuple[Related, ...]:
        return ()


@dataclass
class OriginMap:
    """The expression is a macro expansion: one :class:`Origin` per character.

    ``fallback`` is where to point when characters come from no file (HTCondor's built-in
    defaults): the assignment that pulled them in.
    """

    origins: Sequence[Origin]
    sources: dict[str, SourceFile]
    fallback: Location

    def _offset(self, index: int) -> tuple[str, int] | None:
        if not self.origins:
            return None
        o = self.origins[max(0, min(index, len(self.origins) - 1))]
        if o.file is None or o.offset is None or o.file not in self.sources:
            return None
        return o.file, o.offset

    def location(self, span: Span) -> Location:
        if self.origins and span.start >= len(self.origins):  # the end of the text
            last = self._offset(len(self.origins) - 1)
            if last is None:
                return self.fallback
            return Location.of(self.sources[last[0]], Span(last[1] + 1, last[1] + 1))
        start = self._offset(span.start)
        if start is None:
            return self.fallback
        file, offset = start
        end = offset
        if span.end > span.start:
            last = self._offset(span.end - 1)
            if last is not None and last[0] == file and last[1] >= offset:
                end = last[1] + 1
        return Location.of(self.sources[file], Span(offset, end))

    def file_span(self, span: Span) -> tuple[str, Span] | None:
        if span.start == span.end:  # an insertion point: after the previous character
            if span.start < len(self.origins):
                at = self._offset(span.start)
                return (at[0], Span(at[1], at[1])) if at else None
            prev = self._offset(span.start - 1)
            return (prev[0], Span(prev[1] + 1, prev[1] + 1)) if prev else None
        first = self._offset(span.start)
        if first is None:
            return None
        file, offset = first
        chain = self.origins[span.start].chain
        for k in range(span.start, span.end):
            at = self._offset(k)
            if at != (file, offset + k - span.start) or self.origins[k].chain != chain:
                return None
        return file, Span(offset, offset + span.end - span.start)

    def notes(self, span: Span) -> tuple[Related, ...]:
        if not self.origins:
            return ()
        o = self.origins[max(0, min(span.start, len(self.origins) - 1))]
        out = []
        for name, ref_file, ref_offset in o.chain[1:]:  # the first link is the knob itself
            src = self.sources.get(ref_file) if ref_file is not None else None
            if src is not None and ref_offset is not None:
                width = len(f"$({name})")
                loc = Location.of(src, Span(ref_offset, min(ref_offset + width, len(src.text))))
                out.append(Related(loc, f"expanded from `$({name})`"))
        return tuple(out)


@dataclass
class ExpressionContext:
    """One expression under check. ``tree`` is None when it does not parse (``error``)."""

    text: str
    tree: ast.Expr | None
    error: ClassAdSyntaxError | None
    span_map: SpanMap
    knob: str | None = None
    context: Context | None = None
    strings: Literal["new", "old"] = "new"
    #: set by the engine before each rule runs: the rule whose diagnostics are built
    rule: Rule | None = None
    _by_type: dict[type, list[Any]] | None = field(default=None, repr=False)

    # --- reading the tree ---------------------------------------------------------------
    def nodes(self, kind: type[N]) -> list[N]:
        """Every node of that class, in source order (one traversal shared by all rules)."""
        if self._by_type is None:
            self._by_type = {}
            if self.tree is not None:
                for node in ast.walk(self.tree):
                    self._by_type.setdefault(type(node), []).append(node)
        return list(self._by_type.get(kind, ()))

    def source(self, node: ast.Expr | Span) -> str:
        """The text a node was parsed from, as written (after macro expansion)."""
        span = node if isinstance(node, Span) else node.span
        return self.text[span.start : span.end]

    # --- building diagnostics ---------------------------------------------------------
    def report(
        self,
        span: Span,
        message: str | None = None,
        *,
        fixes: Iterable[Fix | None] = (),
        related: Iterable[Related] = (),
        args: dict[str, str] | None = None,
    ) -> Diagnostic:
        """A diagnostic of the running rule at ``span`` of :attr:`text`."""
        rule = self.rule
        assert rule is not None, "report() is called from a rule's check"
        return Diagnostic(
            rule.code,
            rule.name,
            rule.severity,
            message if message is not None else rule.message,
            self.span_map.location(span),
            related=(*self.span_map.notes(span), *related),
            fixes=tuple(f for f in fixes if f is not None),
            args=tuple(sorted((args or {}).items())),
        )

    def fix(
        self, title: str, edits: Iterable[tuple[Span, str]], safety: Safety | None = None
    ) -> Fix | None:
        """A fix from edits of :attr:`text`; None when some edited characters were not
        written contiguously in one file (a fix must never edit text that exists nowhere)."""
        if safety is None:
            safety = self.rule.fix_safety if self.rule is not None else "safe"
        out = []
        for span, text in edits:
            mapped = self.span_map.file_span(span)
            if mapped is None:
                return None
            file, fspan = mapped
            out.append(Edit(file, fspan.start, fspan.end, text))
        return Fix(title, tuple(out), safety) if out else None

    def replace(
        self, span: Span, new_text: str, title: str, safety: Safety | None = None
    ) -> Fix | None:
        """Replace ``span`` by ``new_text``, editing only the characters that differ."""
        start, end, text = minimal_edit(self.source(span), new_text)
        return self.fix(title, [(Span(span.start + start, span.start + end), text)], safety)


def at(
    rule: Rule,
    src: SourceFile,
    span: Span,
    message: str | None = None,
    *,
    fixes: Iterable[Fix | None] = (),
    related: Iterable[Related] = (),
) -> Diagnostic:
    """A diagnostic of a config rule at ``span`` of a file's own text."""
    return Diagnostic(
        rule.code,
        rule.name,
        rule.severity,
        message if message is not None else rule.message,
        Location.of(src, span),
        related=tuple(related),
        fixes=tuple(f for f in fixes if f is not None),
    )


def line_span(src: SourceFile, offset: int) -> Span:
    """From ``offset`` to the end of its line: the underline of a line-level finding."""
    end = src.text.find("\n", offset)
    end = len(src.text) if end == -1 else end
    if end > offset and src.text[end - 1] == "\r":
        end -= 1
    return Span(offset, max(end, offset))
