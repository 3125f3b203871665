"""The ClassAd expressions inside native transforms, for the expression rules.

Every REQUIREMENTS, SET, DEFAULT, EVALSET and EVALMACRO value, and every ``if`` condition
HTCondor would evaluate as a ClassAd expression, is handed to the linter as an expression
of its knob, with one config :class:`~classadlint.config.model.Origin` per character, so a
diagnostic lands on the file, line and column the user wrote (through heredoc bodies,
continued lines and macro expansion alike).

HTCondor expands a value's macros only when the statement runs; here they are expanded
with what is known statically: the transform's own variables set before the statement
(``tmp = ...``), its defaults (IsLinux...) and the configuration. ``$(MY.attr)`` and other
run-time values stay as written; an expression that still holds one outside a string
literal is not checked (its text is not what HTCondor will parse). REQUIREMENTS is parsed
as written: HTCondor never expands it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import ConfigModel, Entry, Expanded, Origin, expand, find_macro
from classadlint.config.transform.apply import BASIC_DEFAULTS, characterize, prefix_parse
from classadlint.config.transform.ast import (
    EvalMacro,
    IfBlock,
    MacroAssign,
    Piece,
    SetAttr,
    Statement,
    Transform,
)
from classadlint.config.transform.load import KnobTransform, config_transforms
from classadlint.schema.knob_contexts import Context


@dataclass
class TransformExpression:
    """One ClassAd expression of a transform, expanded and parsed."""

    knob: KnobTransform
    role: Literal["REQUIREMENTS", "SET", "DEFAULT", "EVALSET", "EVALMACRO", "if"]
    line: int
    expanded: Expanded
    tree: ast.Expr | None
    error: ClassAdSyntaxError | None


def transform_expressions(
    model: ConfigModel, skip: set[tuple[str, int]] | None = None
) -> Iterator[TransformExpression]:
    """The expressions of every native transform knob (old ``[ ... ]`` ones are checked
    as ClassAds by the caller). ``skip``: (file, line) of knobs not to look at."""
    for found in config_transforms(model):
        entry = found.entry
        if found.old_style or (skip and (entry.file or "", entry.line or 0) in skip):
            continue
        yield from _expressions(model, found)


def _expressions(model: ConfigModel, found: KnobTransform) -> Iterator[TransformExpression]:
    transform = found.transform
    chain = ((found.entry.name, found.entry.file, None),)
    if transform.requirements is not None:
        text, origins = _piece(transform, transform.requirements)
        line = transform.source.text.count("\n", 0, transform.requirements.start) + 1
        # HTCondor never expands REQUIREMENTS: a macro in it makes the transform unloadable,
        # which CA413 explains; the text is not an expression to check
        if not _run_time(text):
            yield _parsed(found, "REQUIREMENTS", line, Expanded(text, origins, []), "old")
    scope = _Scope(model, transform)
    for stmt in _in_order(transform.statements):
        if isinstance(stmt, MacroAssign):
            scope.assign(transform, found.entry, stmt)
            continue
        role: Literal["SET", "DEFAULT", "EVALSET", "EVALMACRO", "if"]
        if isinstance(stmt, SetAttr):
            piece, role = stmt.value, stmt.keyword
        elif isinstance(stmt, EvalMacro):
            piece, role = stmt.value, "EVALMACRO"
        elif isinstance(stmt, _Condition):
            piece, role = stmt.condition, "if"
        else:
            continue
        text, origins = _piece(transform, piece)
        expanded = expand(text, origins, scope.model(), chain)
        if role == "if":
            stripped = expanded.text.lstrip().lstrip("!").strip()
            if not stripped or characterize(stripped) != "complex":
                continue  # a config-style condition, not a ClassAd expression
        if _run_time(expanded.text) or expanded.cycles:
            continue
        strings: Literal["old", "new"] = "old" if role in ("SET", "DEFAULT") else "new"
        yield _parsed(found, role, stmt.line, expanded, strings)


@dataclass
class _Condition(Statement):
    condition: Piece


def _in_order(statements: list[Statement]) -> Iterator[Statement]:
    """Statements in file order, ``if`` conditions included (both branches: which one
    runs depends on the job)."""
    for stmt in statements:
        if isinstance(stmt, IfBlock):
            for branch in stmt.branches:
                if branch.condition is not None:
                    yield _Condition(branch.line, branch.condition, branch.condition)
                yield from _in_order(branch.body)
        else:
            yield stmt


def _piece(transform: Transform, piece: Piece) -> tuple[str, list[Origin]]:
    origins = transform.source.origins[piece.start : piece.end]
    text = piece.text
    if len(origins) != len(text):  # a heredoc value with lines taken out: point at its start
        first = origins[0] if origins else Origin(None, None)
        origins = [first] * len(text)
    return text, list(origins)


def _parsed(
    found: KnobTransform,
    role: Literal["REQUIREMENTS", "SET", "DEFAULT", "EVALSET", "EVALMACRO", "if"],
    line: int,
    expanded: Expanded,
    strings: Literal["old", "new"],
) -> TransformExpression:
    lead = len(expanded.text) - len(expanded.text.lstrip())
    if lead or expanded.text != expanded.text.rstrip():
        text = expanded.text.strip()
        expanded = Expanded(text, expanded.origins[lead : lead + len(text)], expanded.steps)
    try:
        tree: ast.Expr | None = parse_expr(expanded.text, ParseOptions(strings=strings))
        error = None
    except ClassAdSyntaxError as exc:
        tree, error = None, exc
        if role in ("EVALSET", "EVALMACRO", "if"):
            # ClassAd::EvaluateExpr(string) stops at the first token that cannot continue
            # the expression and ignores the rest (CA413 says so): check what it parses
            prefix = prefix_parse(expanded.text)
            if prefix is not None:
                tree, error = prefix, None
    return TransformExpression(found, role, line, expanded, tree, error)


def _run_time(text: str) -> bool:
    """Whether a macro is left outside every string literal (its value is known only when
    the transform runs, so the text is not what HTCondor parses)."""
    pos = 0
    while True:
        macro = find_macro(text, pos)
        if macro is None:
            return False
        if not _inside_string(text, macro.start):
            return True
        pos = macro.end


def _inside_string(text: str, index: int) -> bool:
    inside = False
    k = 0
    while k < index:
        c = text[k]
        if c == "\\" and inside:
            k += 2
            continue
        if c == '"':
            inside = not inside
        k += 1
    return inside


class _Scope:
    """The configuration plus the transform's variables known so far."""

    def __init__(self, model: ConfigModel, transform: Transform) -> None:
        self.base = model
        self.vars: dict[str, Entry] = {}
        for name, value in BASIC_DEFAULTS.items():
            self.vars[name] = Entry(name, value, [Origin(None, None)] * len(value), None, None)
        # $(MY.attr) is the job's attribute at run time: kept as written (a value equal
        # to the reference is how the model keeps a macro symbolic)
        for m in re.finditer(r"\$\((MY\.[A-Za-z0-9_.]+)\)", transform.source.text, re.I):
            text = m.group(0)
            self.vars[m.group(1).lower()] = Entry(
                m.group(1), text, [Origin(None, None)] * len(text), None, None
            )
        self._model: ConfigModel | None = None

    def assign(self, transform: Transform, entry: Entry, stmt: MacroAssign) -> None:
        name = stmt.macro_name
        text, origins = _piece(transform, stmt.value)
        if name.upper().startswith("MY."):
            return  # a run-time attribute stand-in: keep $(MY.x) symbolic
        if stmt.op != "=" or "$" in name:
            text = f"$({name})"  # appends and computed names: unknown statically
            origins = [Origin(None, None)] * len(text)
        self.vars[name.lower()] = Entry(name, text, origins, entry.file, entry.line)
        self._model = None

    def model(self) -> ConfigModel:
        if self._model is None:
            entries = dict(self.base.entries)
            entries.update(self.vars)
            self._model = dataclasses.replace(self.base, entries=entries)
        return self._model


def statement_context(
    statement: tuple[str, int] | None, knob_context: Context | None
) -> tuple[Context | None, Literal["old", "new"]]:
    """The evaluation context and string syntax of an expression inside a transform.

    REQUIREMENTS, EVALSET, EVALMACRO and ``if`` conditions are evaluated while the
    transform runs, against the job alone (the knob's own context). SET and DEFAULT store
    the expression in the job: it is evaluated later, where the attribute is used — in a
    match for Requirements or Rank, with the slot as TARGET — so TARGET may be there.
    SET, DEFAULT and REQUIREMENTS are old ClassAd syntax, the others new syntax.
    """
    if statement is None:
        return knob_context, "old"
    role = statement[0]
    if role in ("SET", "DEFAULT"):
        daemon = knob_context.daemon if knob_context is not None else None
        stored = Context("job", "slot", target_optional=True, daemon=daemon)
        return stored, "old"
    return knob_context, "old" if role == "REQUIREMENTS" else "new"
