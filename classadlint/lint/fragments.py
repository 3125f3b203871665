"""Every expression of a project a project-wide rule should look at, including the macros
of knobs that do not parse.

A knob whose expansion does not parse (CA103) is invisible to expression rules, although
the macros spliced into it are often fine on their own: in the DESY seed, START does not
parse because GROUP_NOT_DOWN lost a line continuation, and the unqualified
MaxJobRetirementTime in the DRAIN macro it also splices in would go unreported. Each such
macro that parses by itself is checked in the knob's evaluation context, with a note
saying where it is used; one that does not parse either is looked into in turn.

The values of advertised attributes (``STARTD_ATTRS`` members and the like) are
expressions too: the daemon inserts them into its ad and evaluates them there.

The scope rules (CA301-CA304) need the whole site (what is advertised where), so they are
project rules that walk these contexts themselves instead of per-expression rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import Entry, find_macro
from classadlint.lint.context import ExpressionContext, OriginMap
from classadlint.lint.diagnostic import Location, Related
from classadlint.source import Span

if TYPE_CHECKING:
    from classadlint.analysis.site import SiteFacts
    from classadlint.lint.settings import Settings
    from classadlint.project import Project

_MAX_DEPTH = 8


@dataclass
class Checked:
    """An expression to check and, for a macro checked on its own, the note saying which
    knob splices it in."""

    ctx: ExpressionContext
    note: Related | None = None
    #: the value of an advertised attribute (a `*_ATTRS` member), not a policy knob
    advertised: bool = False

    @property
    def related(self) -> tuple[Related, ...]:
        return (self.note,) if self.note is not None else ()


def run_settings() -> Settings:
    """The settings of the lint run in progress, which the engine records
    (:mod:`classadlint.lint.ambient`); the defaults outside a run."""
    try:
        from classadlint.lint.ambient import current_settings
    except ImportError:  # an engine that does not record them
        from classadlint.lint.settings import Settings

        return Settings()
    return current_settings()


def project_facts(project: Project) -> SiteFacts:
    """What the project's site defines (:mod:`classadlint.analysis.site`), with the run's
    ``attributes`` setting and every file's text (``+Attr`` lines of submit files)."""
    from classadlint.analysis.site import SiteFacts, site_facts

    attributes = run_settings().attributes
    key = ("site_facts", repr(attributes))
    hit = project.derived.get(key)
    if isinstance(hit, SiteFacts):
        return hit
    texts = {path: src.text for path, src in project.sources.items()}
    facts = project.derived[key] = site_facts(project.model, texts, attributes)
    return facts


def project_contexts(project: Project, settings: Settings | None = None) -> Iterator[Checked]:
    """Each expression knob's context and, when it does not parse, its macros'; then the
    values of advertised attributes (see the module docstring)."""
    from classadlint.lint.engine import expression_contexts

    for ctx in expression_contexts(project, settings or run_settings()):
        yield Checked(ctx)
        if ctx.tree is None and ctx.knob is not None and not _is_transform(ctx.knob):
            entry = project.model.entries.get(ctx.knob.lower())
            if entry is not None:
                yield from _fragments(project, ctx, entry, {entry.name.lower()}, 0)
    yield from _advertised(project)


def _advertised(project: Project) -> Iterator[Checked]:
    """The value of each attribute a daemon with an attribute catalog advertises
    (``STARTD_ATTRS``, ``SCHEDD_ATTRS``, ``SUBMIT_ATTRS`` members): HTCondor inserts it into
    that daemon's ad, where it is evaluated like a policy knob (a slot attribute against
    the candidate job). Values that do not parse are CA405's finding."""
    from classadlint.analysis.site import AD_OF_SUBSYSTEM, list_items, value_list_ad
    from classadlint.project import RUN_TIME_MACRO
    from classadlint.schema.knob_contexts import advertised_context

    model = project.model
    seen: set[str] = set()
    for file, stmt in model.assignments:
        base = stmt.name.rsplit(".", 1)[-1]
        is_list, ad = value_list_ad(base)
        if not is_list or ad is None:
            continue
        subsystem = next(s for s, a in AD_OF_SUBSYSTEM.items() if a == ad)
        context = advertised_context(subsystem)
        if context is None:
            continue
        for item in list_items(model, file, stmt):
            entry = model.lookup(item.name)
            if entry is None or entry.name.lower() in seen or entry.file is None:
                continue
            seen.add(entry.name.lower())
            src = project.sources.get(entry.file)
            if src is None or entry.line is None or not entry.value.strip():
                continue
            expanded = model.expand_entry(entry)
            if RUN_TIME_MACRO.search(expanded.text):
                continue
            try:
                tree = parse_expr(expanded.text, ParseOptions(strings="old"))
            except ClassAdSyntaxError:
                continue
            start = src.offset(entry.line, 1)
            fallback = Location.of(src, Span(start, start + len(src.line_text(entry.line))))
            span_map = OriginMap(expanded.origins, project.sources, fallback)
            yield Checked(
                ExpressionContext(expanded.text, tree, None, span_map, entry.name, context, "old"),
                advertised=True,
            )


def _is_transform(knob: str) -> bool:
    """A transform or route: its expressions are statements, not one knob value whose
    macros could be checked on their own."""
    from classadlint.analysis.site import TRANSFORM_KNOBS, base_name

    return bool(TRANSFORM_KNOBS.fullmatch(base_name(knob)))


def _fragments(
    project: Project, ctx: ExpressionContext, entry: Entry, seen: set[str], depth: int
) -> Iterator[Checked]:
    from classadlint.project import RUN_TIME_MACRO

    if depth >= _MAX_DEPTH:
        return
    model = project.model
    pos = 0
    while (macro := find_macro(entry.value, pos)) is not None:
        pos = macro.end
        if macro.fn or macro.name.lower() in seen:
            continue
        seen.add(macro.name.lower())
        inner = model.lookup(macro.name)
        if inner is None or inner.file is None or inner.line is None or not inner.value:
            continue
        src = project.sources.get(inner.file)
        if src is None:
            continue
        expanded = model.expand_entry(inner)
        if RUN_TIME_MACRO.search(expanded.text) or not expanded.text.strip():
            continue
        use = _use_location(project, entry, macro.start)
        note = (
            Related(use, f"`$({inner.name})` is spliced into {ctx.knob} here")
            if use is not None
            else None
        )
        try:
            tree = parse_expr(expanded.text, ParseOptions(strings="old"))
        except ClassAdSyntaxError:
            yield from _fragments(project, ctx, inner, seen, depth + 1)
            continue
        start = src.offset(inner.line, 1)
        fallback = Location.of(src, Span(start, start + len(src.line_text(inner.line))))
        span_map = OriginMap(expanded.origins, project.sources, fallback)
        sub = ExpressionContext(
            expanded.text, tree, None, span_map, ctx.knob, ctx.context, ctx.strings
        )
        yield Checked(sub, note)


def _use_location(project: Project, entry: Entry, index: int) -> Location | None:
    """Where the character ``index`` of an entry's (unexpanded) value was written."""
    if not entry.origins or index >= len(entry.origins):
        return None
    origin = entry.origins[index]
    if origin.file is None or origin.offset is None:
        return None
    src = project.sources.get(origin.file)
    if src is None:
        return None
    end = origin.offset
    text = src.text
    while end < len(text) and text[end] != ")":
        end += 1
    return Location.of(src, Span(origin.offset, min(end + 1, len(text))))
