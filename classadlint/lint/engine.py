"""Run the rules: over standalone expressions (:func:`lint_expression`), over config files
(:func:`lint_files`) or over a :class:`~classadlint.project.Project` (:func:`lint_project`).

The engine owns what no rule should repeat: which rules run (selection from settings and
the command line), one context per expression with its source map, pattern matching for
pattern rules, severity overrides, per-file ignores, suppression comments (and CA001 for
unused ones), sorting and de-duplication.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.lint.ambient import set_settings
from classadlint.lint.context import ExpressionContext, OriginMap, TextMap
from classadlint.lint.diagnostic import Diagnostic, Location, dedupe
from classadlint.lint.pattern import source_text
from classadlint.lint.registry import all_rules, builtin_rules, rules_dir
from classadlint.lint.rule import LoadedRule
from classadlint.lint.settings import Settings
from classadlint.lint.suppress import UNUSED_CODE, apply_suppressions, selector_matches
from classadlint.source import SourceFile, Span

if TYPE_CHECKING:
    from classadlint.lint.memo import ExpressionMemo
    from classadlint.project import Project
    from classadlint.schema.knob_contexts import Context

__all__ = [
    "RuleError",
    "lint_expression",
    "lint_files",
    "lint_project",
    "load_rules",
    "rules_dir",
    "selected_rules",
]

EXPRESSION_FILE = "<expression>"


class RuleError(RuntimeError):
    """A rule crashed: an internal error, reported with the rule and the place."""


class Cancelled(Exception):
    """The caller of :func:`lint_project` no longer wants the result."""


def load_rules(settings: Settings | None = None) -> tuple[LoadedRule, ...]:
    """Every known rule (built-in and the settings' site rules), selected or not."""
    return all_rules(settings.rule_dirs) if settings is not None else builtin_rules()


def _matches(selector: str, r: LoadedRule) -> bool:
    return selector_matches(selector, r.rule.code, r.rule.name) or selector in r.rule.aliases


def selected_rules(settings: Settings, extra: Sequence[LoadedRule] = ()) -> tuple[LoadedRule, ...]:
    """The rules that run: ``select`` (default: every rule marked default) plus
    ``extend-select``, minus ``ignore``."""
    rules = [*load_rules(settings), *extra]
    if settings.select is None:
        chosen = [r for r in rules if r.rule.default]
    else:
        chosen = [r for r in rules if any(_matches(s, r) for s in settings.select)]
    taken = {id(r) for r in chosen}  # by identity: comparing rules field by field is slow
    chosen += [
        r
        for r in rules
        if id(r) not in taken and any(_matches(s, r) for s in settings.extend_select)
    ]
    return tuple(r for r in chosen if not any(_matches(s, r) for s in settings.ignore))


# --- expressions ----------------------------------------------------------------------


def _context_of(knob: str | None) -> Context | None:
    if knob is None:
        return None
    from classadlint.schema import knobs as knob_catalog

    _, base = knob_catalog.strip_prefix(knob)
    return knob_catalog.context(base)


def lint_expression(
    text: str,
    context: str | None = None,
    *,
    settings: Settings | None = None,
    strings: Literal["new", "old"] = "new",
    file: str = EXPRESSION_FILE,
    extra: Sequence[LoadedRule] = (),
) -> list[Diagnostic]:
    """Lint one ClassAd expression. ``context``: the knob it is the value of (``START``),
    which decides MY/TARGET and the daemon; None for no particular context. Positions are
    line:col of ``text``."""
    settings = settings or Settings()
    set_settings(settings)
    rules = selected_rules(settings, extra)
    src = SourceFile(file, text)
    ctx = _parse_context(text, TextMap(src), context, strings, settings)
    found = list(run_expression_rules(ctx, rules))
    return _finish(found, settings, {})


def _parse_context(
    text: str,
    span_map: TextMap | OriginMap,
    knob: str | None,
    strings: Literal["new", "old"],
    settings: Settings,
) -> ExpressionContext:
    tree = None
    error = None
    try:
        options = ParseOptions(strings=strings)
        if settings.condor_version is not None:
            options = ParseOptions(strings=strings, version=settings.condor_version)
        tree = parse_expr(text, options)
    except ClassAdSyntaxError as exc:
        error = exc
    return ExpressionContext(text, tree, error, span_map, knob, _context_of(knob), strings)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _pattern_diagnostics(ctx: ExpressionContext, loaded: LoadedRule) -> Iterator[Diagnostic]:
    if ctx.tree is None:
        return
    rule = loaded.rule
    for cp in loaded.compiled:
        for m in cp.matches(ctx.tree, ctx.text):
            written = ctx.source(m.node)
            replacement = cp.render(m, ctx.text, ctx.strings)
            values = {"match": _short(written)}
            if replacement is not None:
                values["replacement"] = _short(replacement)
            for name, bound in m.bindings.items():
                if isinstance(bound, str):
                    values[name] = bound
                elif isinstance(bound, tuple):
                    values[name] = _short(source_text(bound, ctx.text))
                else:
                    values[name] = _short(ctx.source(bound))
            fix = None
            if replacement is not None and rule.fix != "none":
                fix = ctx.replace(m.node.span, replacement, f"Replace with `{_short(replacement)}`")
            yield ctx.report(
                m.node.span, _fill(cp.message or rule.message, values), fixes=[fix], args=values
            )


def _applies(loaded: LoadedRule, ctx: ExpressionContext) -> bool:
    if not loaded.rule.knobs:
        return True
    if ctx.knob is None:
        return False
    name = ctx.knob.split(".")[-1].upper()
    return any(fnmatch.fnmatchcase(name, g.upper()) for g in loaded.rule.knobs)


def run_expression_rules(
    ctx: ExpressionContext, rules: Iterable[LoadedRule]
) -> Iterator[Diagnostic]:
    """Every diagnostic the expression rules among ``rules`` report for one expression."""
    for loaded in rules:
        if loaded.rule.scope != "expression" or not _applies(loaded, ctx):
            continue
        ctx.rule = loaded.rule
        try:
            if loaded.compiled:
                yield from list(_pattern_diagnostics(ctx, loaded))
            if loaded.check is not None:
                yield from list(loaded.check(ctx))
        except Exception as exc:  # a bug in a rule must say which rule and where
            where = ctx.span_map.location(ctx.tree.span if ctx.tree is not None else Span(0, 0))
            raise RuleError(
                f"internal error in rule {loaded.rule.code} at {where}: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            ctx.rule = None


# --- projects -------------------------------------------------------------------------


def lint_files(
    files: Sequence[Path],
    *,
    settings: Settings | None = None,
    extra: Sequence[LoadedRule] = (),
) -> list[Diagnostic]:
    """Lint config files read together, as one configuration, in the given order."""
    from classadlint.project import Project

    settings = settings or Settings()
    project = Project(list(files), list(files), subsystem=settings.subsystem)
    return lint_project(project, settings, extra=extra)


def lint_project(
    project: Project,
    settings: Settings | None = None,
    *,
    extra: Sequence[LoadedRule] = (),
    memo: ExpressionMemo | None = None,
    timings: dict[str, float] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
) -> list[Diagnostic]:
    """Every diagnostic for a project: config rules once, expression rules on each
    expression-valued knob and transform (spans mapped back to the files), then
    suppressions, severities and per-file ignores. ``memo``: expression results kept from
    earlier runs (the language server's; see :mod:`classadlint.lint.memo`). ``timings``:
    filled with the seconds each config rule took (the language server defers slow ones).
    ``cancelled``: asked before each rule and expression; when it says yes the lint stops
    with :class:`Cancelled` (an edit made the result worthless). ``workers``: processes to
    spread the rules over (:mod:`classadlint.lint.parallel`; same result as one)."""
    settings = settings or Settings()
    set_settings(settings)
    rules = selected_rules(settings, extra)
    config_rules = [r for r in rules if r.rule.scope == "config" and r.check is not None]
    expression_rules = [r for r in rules if r.rule.scope == "expression"]
    found: list[Diagnostic] | None = None
    if workers > 1 and memo is None and cancelled is None and timings is None:
        from classadlint.lint.parallel import run_tasks

        contexts = list(expression_contexts(project, settings)) if expression_rules else []
        found = run_tasks(
            project,
            config_rules,
            contexts,
            _run_config_rule,
            lambda ctx: list(run_expression_rules(ctx, expression_rules)),
            workers,
        )
    if found is None:
        found = []
        for loaded in config_rules:
            if cancelled is not None and cancelled():
                raise Cancelled
            started = time.perf_counter()
            found.extend(_run_config_rule(loaded, project))
            if timings is not None:
                timings[loaded.rule.code] = time.perf_counter() - started
        if expression_rules:
            for ctx in expression_contexts(project, settings):
                if cancelled is not None and cancelled():
                    raise Cancelled
                if memo is not None:
                    found.extend(memo.run(ctx, expression_rules))
                else:
                    found.extend(run_expression_rules(ctx, expression_rules))
    all_known = load_rules(settings) + tuple(extra)
    found = apply_suppressions(
        found,
        project.sources,
        checked=lambda s: any(_matches(s, r) for r in rules),
        known=lambda s: any(_matches(s, r) for r in all_known),
        require_reason=settings.require_reason,
        aliases={r.rule.code: r.rule.aliases for r in all_known if r.rule.aliases},
    )
    if not any(r.rule.code == UNUSED_CODE for r in rules):
        found = [d for d in found if d.code != UNUSED_CODE]
    return _finish(found, settings, project.sources)


def _run_config_rule(loaded: LoadedRule, project: Project) -> list[Diagnostic]:
    assert loaded.check is not None
    try:
        return list(loaded.check(project))
    except Exception as exc:
        raise RuleError(
            f"internal error in rule {loaded.rule.code}: {type(exc).__name__}: {exc}"
        ) from exc


def expression_contexts(project: Project, settings: Settings) -> Iterator[ExpressionContext]:
    """One context per expression knob of the project, with its source map."""
    from classadlint.config.transform.lint import statement_context

    for knob in project.expression_knobs:
        entry = knob.entry
        src = project.sources.get(entry.file or "")
        if src is not None and entry.line:
            start = src.offset(entry.line, 1)
            fallback = Location.of(src, Span(start, start + len(src.line_text(entry.line))))
        else:
            fallback = Location.point(entry.file or "", entry.line or 1)
        span_map = OriginMap(knob.expanded.view, project.sources, fallback)
        # inside a native transform the statement decides the context (SET stores)
        context, strings = statement_context(knob.statement, _context_of(entry.name))
        yield ExpressionContext(
            knob.expanded.text,
            knob.tree,
            knob.error,
            span_map,
            entry.name,
            context,
            strings,
        )


def _finish(
    found: list[Diagnostic], settings: Settings, sources: dict[str, SourceFile]
) -> list[Diagnostic]:
    out = []
    for d in found:
        ignored = settings.ignored_in(d.file) if settings.per_file_ignores else ()
        if any(selector_matches(s, d.code, d.name) for s in ignored):
            continue
        override = settings.severity.get(d.code) or settings.severity.get(d.name.upper())
        if override is not None and override != d.severity:
            d = dataclasses.replace(d, severity=override)
        out.append(d)
    return dedupe(out)
