"""CA403 macro-precedence: a macro spliced without parentheses changes how the expression groups.

## What it does
For each expression knob, compares the parse of its expanded text with the parse where one
macro's expansion is put in parentheses. When they differ, the operators around `$(NAME)`
take part of NAME's value away from it: `START = $(A) && $(B)` with `A = x || y` is
`x || (y && B)`. Reports the `$(NAME)` reference and suggests parenthesising NAME's
definition. Config macros are checked wherever the expression knob's value uses them,
old-style `[ ... ]` transforms included; `$(MY.attr)` in native transforms, which splices
an attribute's expression text when the transform runs, is not checked yet.

## Why is this bad?
HTCondor expands config macros as text, without parentheses, before the daemon parses the
expression (reference, section 1.4 and pitfall 9): precedence then applies across the
boundary, and the expression silently means something else than the macros read. The
usual victim is an `||` inside a macro combined with `&&` outside.

## Example
```condor-config
WEIGHT = Memory + Cpus
RANK = $(WEIGHT) * 10
```
```text
2:8 CA403 `$(WEIGHT)` is spliced in as `Memory + Cpus` without parentheses, so `Memory + Cpus * 10` groups as `Memory + (Cpus * 10)`; define `WEIGHT = (Memory + Cpus)`
```
```condor-config fixed
WEIGHT = (Memory + Cpus)
RANK = $(WEIGHT) * 10
```

## Use instead
```condor-config
WEIGHT = (Memory + Cpus)
RANK = $(WEIGHT) * 10
BASE_RANK = Memory * 2
NEGOTIATOR_PRE_JOB_RANK = $(BASE_RANK) + 1
```

## Fix safety
Unsafe, and offered only when every use of the macro is inside an expression: the
parentheses change the meaning of every use where the grouping was wrong (to what it
reads as), and of no other (a complete expression in parentheses means the same).
A macro also used as text (a path, a list, a string, an `if`) gets no fix: the
parentheses would become part of that text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr, parse_record
from classadlint.config.model import find_macro
from classadlint.config.parser import Assignment, Conditional, Keyword
from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic, Edit, Fix, Location, Related
from classadlint.lint.rule import Rule
from classadlint.project import EXPRESSION_KNOBS, RECORD_KNOBS, ExpressionKnob, Project
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.knob_names import is_htcondor_name
from classadlint.source import Span

RULE = Rule(
    "CA403",
    "macro-precedence",
    "warning",
    "a macro spliced without parentheses changes the parse",
    fix="unsafe",
    scope="config",
)

_SPAN_FIELDS = {"span", "op_span", "name_span"}
_LEAVES = (ast.Literal, ast.AttrRef, ast.AbsoluteRef)


def canonical(node: Any) -> Any:
    """The shape of a tree with the user's parentheses and all positions left out."""
    if isinstance(node, ast.Paren):
        return canonical(node.inner)
    if isinstance(node, ast.Literal):
        return ("Literal", type(node.value).__name__, node.value)
    out: list[Any] = [type(node).__name__]
    for f in dataclasses.fields(node):
        if f.name in _SPAN_FIELDS:
            continue
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            out.append(tuple(canonical(v) for v in value))
        elif dataclasses.is_dataclass(value):
            out.append(canonical(value))
        elif isinstance(value, str) and f.name == "name":
            out.append(value.lower())
        else:
            out.append(value)
    return tuple(out)


def _parse(text: str, record: bool) -> ast.Expr | None:
    try:
        if record:
            return parse_record(text, ParseOptions())
        return parse_expr(text, ParseOptions(strings="old"))
    except ClassAdSyntaxError:
        return None


def _splices(knob: ExpressionKnob) -> Iterator[tuple[int, int, tuple[Any, ...]]]:
    """Every macro's expansion in the text: (start, end, the chain of references)."""
    seen: dict[tuple[Any, ...], list[int]] = {}
    for i, origin in enumerate(knob.expanded.origins):
        chain = origin.chain
        for depth in range(1, len(chain)):
            span = seen.setdefault(chain[: depth + 1], [i, i + 1])
            span[1] = i + 1
    for chain, (start, end) in seen.items():
        yield start, end, chain


def _token_boundaries(tree: ast.Expr, start: int, end: int) -> bool:
    """Neither end of the splice cuts through a name, number or string."""
    for node in ast.walk(tree):
        spans = [node.span] if isinstance(node, _LEAVES) else []
        name_span = getattr(node, "name_span", None)
        if isinstance(name_span, Span) and name_span.end > name_span.start:
            spans.append(name_span)
        for s in spans:
            if s.start < start < s.end or s.start < end < s.end:
                return False
    return True


def _grouped(node: ast.Expr, text: str, start: int, end: int) -> str:
    """``node`` with parentheses around each operand that straddles the splice
    ``[start, end)``: the grouping HTCondor's parser gives it."""

    def wrap(child: ast.Expr) -> str:
        inner = _grouped(child, text, start, end)
        s = child.span
        if s.start < start < s.end or s.start < end < s.end:
            return f"({inner})"
        return inner

    if isinstance(node, ast.Binary):
        return f"{wrap(node.left)} {node.op} {wrap(node.right)}"
    if isinstance(node, ast.Conditional):
        return f"{wrap(node.cond)} ? {wrap(node.then)} : {wrap(node.otherwise)}"
    if isinstance(node, ast.Elvis):
        return f"{wrap(node.left)} ?: {wrap(node.right)}"
    if isinstance(node, ast.Unary):
        return f"{node.op}{wrap(node.operand)}"
    return " ".join(text[node.span.start : node.span.end].split())


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def check(project: Project) -> Iterable[Diagnostic]:
    reported: set[tuple[Any, ...]] = set()
    for knob in project.expression_knobs:
        if knob.tree is None:
            continue
        text = knob.expanded.text
        record = text.lstrip().startswith("[")
        shape = canonical(knob.tree)
        for start, end, chain in sorted(_splices(knob), key=lambda s: (s[0], -s[1])):
            name, ref_file, ref_offset = chain[-1]
            key = (knob.entry.name.lower(), name.lower(), ref_file, ref_offset)
            if key in reported or ref_file is None or ref_offset is None:
                continue
            piece = text[start:end]
            alone = _parse(piece, False) if piece.strip() else None
            if alone is None or isinstance(alone, ast.Paren | ast.Record):
                continue
            if not _token_boundaries(knob.tree, start, end):
                continue
            wrapped = _parse(f"{text[:start]}({piece}){text[end:]}", record)
            if wrapped is None or canonical(wrapped) == shape:
                continue
            reported.add(key)
            yield from _report(project, knob, start, end, name, ref_file, ref_offset)


def _smallest_container(tree: ast.Expr, start: int, end: int) -> ast.Expr:
    best = tree
    for node in ast.walk(tree):
        s = node.span
        if (
            s.start <= start
            and s.end >= end
            and (s.end - s.start) < (best.span.end - best.span.start)
        ):
            best = node
    return best


def _report(
    project: Project,
    knob: ExpressionKnob,
    start: int,
    end: int,
    name: str,
    ref_file: str,
    ref_offset: int,
) -> Iterator[Diagnostic]:
    src = project.sources.get(ref_file)
    if src is None or knob.tree is None:
        return
    text = knob.expanded.text
    close = src.text.find(")", ref_offset)
    ref_span = Span(ref_offset, close + 1 if close >= 0 else ref_offset + len(name) + 3)
    piece = " ".join(text[start:end].split())
    container = _smallest_container(knob.tree, start, end)
    if (container.span.start, container.span.end) == (start, end):
        return  # the splice is a whole operand: nothing changed around it
    shown = " ".join(text[container.span.start : container.span.end].split())
    entry = project.model.lookup(name)
    definition = " ".join((entry.value if entry is not None else piece).split())
    related = []
    fixes = []
    if entry is not None and entry.file in project.sources and entry.line:
        def_src = project.sources[entry.file]
        stmt = _assignment(project, entry.file, entry.line)
        if stmt is not None:
            at_name = stmt.line.file_offset(stmt.name_start)
            related.append(
                Related(
                    Location.of(def_src, Span(at_name, at_name + len(stmt.name))),
                    f"`{stmt.name}` defined here",
                )
            )
            if stmt.value == entry.value and _only_in_expressions(project, name):
                first = stmt.line.file_offset(stmt.value_start)
                last = stmt.line.file_offset(stmt.value_start + len(stmt.value) - 1) + 1
                fixes.append(
                    Fix(
                        f"Parenthesise the definition of `{stmt.name}`",
                        (Edit(entry.file, first, first, "("), Edit(entry.file, last, last, ")")),
                        "unsafe",
                    )
                )
    yield at(
        RULE,
        src,
        ref_span,
        f"`$({name})` is spliced in as `{_short(piece)}` without parentheses, so "
        f"`{_short(shown)}` groups as `{_short(_grouped(container, text, start, end))}`; define "
        f"`{name} = ({_short(definition)})`",
        fixes=fixes,
        related=related,
    )


def _assignment(project: Project, file: str, line: int) -> Assignment | None:
    for f, stmt in reversed(project.model.assignments):
        if f == file and stmt.lineno == line and stmt.heredoc_tag is None and stmt.op == "=":
            return stmt
    return None


def _in_string(value: str, index: int) -> bool:
    return len(re.findall(r'(?<!\\)"', value[:index])) % 2 == 1


def _only_in_expressions(project: Project, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Every `$(name)` of the configuration sits inside an expression (an expression knob,
    or a macro of the site's own that is itself only used in expressions)."""
    low = name.lower()
    if low in seen:
        return False
    for parsed in project.model.files.values():
        for s in parsed.statements:
            text = (
                s.argument if isinstance(s, Keyword) else s.condition
                if isinstance(s, Conditional) else ""
            )  # fmt: skip
            if re.search(rf"\$\({re.escape(name)}[:)]", text, re.I):
                return False
    for _f, stmt in project.model.assignments:
        pos = 0
        while (macro := find_macro(stmt.value, pos)) is not None:
            pos = macro.end
            if macro.fn or macro.name.lower() != low:
                continue
            if _in_string(stmt.value, macro.start):
                return False
            base = stmt.name.split(".")[-1]
            if EXPRESSION_KNOBS.match(base) or RECORD_KNOBS.match(base):
                continue
            if knob_catalog.is_expression(base):
                continue
            if not is_htcondor_name(base) and _only_in_expressions(
                project, stmt.name, seen | {low}
            ):
                continue
            return False
    return True
