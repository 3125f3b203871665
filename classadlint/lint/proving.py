"""What the proof rules share: the question an expression context asks, alias rewriting,
and the words for ads and witnesses in messages.

Kept apart from the rules so each rule file stays its check and its documentation, and
apart from :mod:`classadlint.analysis` so the analysis never depends on the linter.
Importing this module does not import z3; the functions that prove do, when called.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from classadlint.classad import ast
from classadlint.lint.ambient import current_settings

if TYPE_CHECKING:
    from classadlint.analysis.encode import Scope
    from classadlint.analysis.policy import Question
    from classadlint.analysis.witness import Witness
    from classadlint.lint.context import ExpressionContext
    from classadlint.project import Project
    from classadlint.schema.knob_contexts import Context

#: Record attributes of old-style transforms whose values are job expressions.
TRANSFORM_VALUE_PREFIXES = ("set_", "eval_set_")


def with_aliases(tree: ast.Expr, context: Context | None) -> ast.Expr:
    """``JOB.x``/``SCHEDD.x`` (a context's aliases for whole ads) as ``TARGET.x``/``MY.x``,
    spans kept, so the encoding sees the two ads it knows."""
    if context is None or not context.aliases:
        return tree
    scopes: dict[str, str] = {}
    for alias, ad in context.aliases.items():
        if ad == context.my:
            scopes[alias.upper()] = "MY"
        elif ad == context.target:
            scopes[alias.upper()] = "TARGET"

    def rescoped(node: Any) -> ast.Expr | None:
        if isinstance(node, ast.Select) and isinstance(node.base, ast.AttrRef):
            scope = scopes.get(node.base.name.upper())
            if scope is not None:
                return dataclasses.replace(node, base=ast.AttrRef(scope, node.base.span))
        return None

    return ast.rewrite(tree, rescoped)


def question(ctx: ExpressionContext, tree: ast.Expr | None = None) -> Question | None:
    """The question about ``tree`` (default: the context's whole expression) in the
    context's scope, or None when its ads are not modelled (a daemon's own ad...)."""
    from classadlint.analysis.policy import GENERIC, Question, scope_of, site_facts

    tree = tree if tree is not None else ctx.tree
    if tree is None:
        return None
    scope: Scope | None
    if ctx.knob is None:
        scope = GENERIC
    elif ctx.context is not None and ctx.context.my == "job" and isinstance(ctx.tree, ast.Record):
        from classadlint.analysis.encode import Scope

        scope = Scope("job", None)  # an old-style transform: values see the job alone
    else:
        scope = scope_of(ctx.context)
    if scope is None:
        return None
    settings = current_settings()
    return Question(
        with_aliases(tree, ctx.context), scope, site_facts(settings), settings.analysis_budget_ms
    )


def questions(ctx: ExpressionContext) -> Iterator[Question]:
    """One question per expression of the context: the expression itself, or for an
    old-style transform (``[ set_X = ...; ]``) each ``set_``/``eval_set_``/Requirements
    value."""
    if isinstance(ctx.tree, ast.Record):
        for attr in ctx.tree.attrs:
            name = attr.name.lower()
            if name.startswith(TRANSFORM_VALUE_PREFIXES) or name == "requirements":
                q = question(ctx, attr.value)
                if q is not None:
                    yield q
        return
    q = question(ctx)
    if q is not None:
        yield q


def policy_knobs(project: Project) -> Iterator[tuple[ExpressionContext, Question]]:
    """Each boolean policy knob of a project (START, PREEMPT, SUBMIT_REQUIREMENT_*,
    SYSTEM_PERIODIC_*...: an expression whose consumer wants a boolean, evaluated against
    ads the encoding models) that parses and is not a literal, with its question under
    the site's facts (this configuration's advertised attributes included)."""
    from classadlint.lint.engine import expression_contexts

    settings = current_settings()
    facts = None
    for ctx in expression_contexts(project, settings):
        if ctx.tree is None or isinstance(ctx.tree, ast.Record) or ctx.context is None:
            continue
        if ctx.context.result != "bool" or is_literal(ctx.tree) or compares_with_special(ctx.tree):
            continue
        # z3 loads with the first knob there is something to prove about
        from classadlint.analysis.policy import Question, scope_of, site_facts

        scope = scope_of(ctx.context)
        if scope is None:
            continue
        if facts is None:
            facts = site_facts(settings, project.model)
        tree = with_aliases(ctx.tree, ctx.context)
        yield ctx, Question(tree, scope, facts, settings.analysis_budget_ms)


def compares_with_special(tree: ast.Expr) -> bool:
    """Whether ``tree`` has a defect the syntactic rules report, with a fix, that makes
    parts of it UNDEFINED or ERROR whatever the ads: ``x == undefined`` (CA201), a call
    of a function HTCondor lacks or with the wrong number of arguments (CA203, CA204).
    The policy findings it causes would only repeat them."""
    from classadlint.classad.functions import lookup_function
    from classadlint.classad.values import ERROR, UNDEFINED

    for node in ast.walk(tree):
        if isinstance(node, ast.Binary) and node.op in ("==", "!=", "<", "<=", ">", ">="):
            for side in (node.left, node.right):
                while isinstance(side, ast.Paren):
                    side = side.inner
                if isinstance(side, ast.Literal) and side.value in (UNDEFINED, ERROR):
                    return True
        elif isinstance(node, ast.Call):
            info = lookup_function(node.name.lower(), "daemon")
            n = len(node.args)
            if (
                info is None
                or n < info.min_args
                or (info.max_args is not None and n > info.max_args)
            ):
                return True
    return False


def is_literal(node: ast.Expr) -> bool:
    while isinstance(node, ast.Paren):
        node = node.inner
    return isinstance(node, ast.Literal)


def knob_family(knob: str) -> str:
    """START, SUBMIT_REQUIREMENT, SYSTEM_PERIODIC, STARTD_POLICY or OTHER: whose
    consequences a message describes."""
    from classadlint.schema import knobs as knob_catalog

    _, base = knob_catalog.strip_prefix(knob)
    name = base.upper()
    if name == "START" or (name.endswith("_START") and name.startswith("SLOT")):
        return "START"
    if name.startswith("SUBMIT_REQUIREMENT_"):
        return "SUBMIT_REQUIREMENT"
    if name.startswith("SYSTEM_PERIODIC_"):
        return "SYSTEM_PERIODIC"
    policy = ("SUSPEND", "CONTINUE", "PREEMPT", "KILL", "WANT_SUSPEND", "WANT_VACATE", "WANT_HOLD")
    if name.split("_VANILLA")[0].split("_VM")[0] in policy:
        return "STARTD_POLICY"
    return "OTHER"


def ads_words(scope: Scope) -> str:
    """``job``, ``slot and job``... for "for every valid ..." in messages."""
    sides = [s for s in (scope.my, scope.target) if s is not None]
    if sides == ["my", "target"]:
        return "pair of ads"
    return " and ".join(sides) + (" pair" if len(sides) == 2 else "")


def witness_text(witness: Witness) -> str:
    """A witness on one line: ``slot [ A = 1 ], job [ ], time() = 1700000000``."""
    parts = [f"{side} {witness.ad_text(side)}" for side in witness.ads]
    if witness.time is not None:
        parts.append(f"time() = {witness.time}")
    return ", ".join(parts)


def witness_args(witness: Witness) -> dict[str, str]:
    """The witness as diagnostic ``args`` (JSON and SARIF carry them)."""
    out = {f"witness_{side}": witness.ad_text(side) for side in witness.ads}
    if witness.time is not None:
        out["witness_time"] = str(witness.time)
    return out


def always_note(q: Question, node: ast.Expr) -> str:
    """`` (HTCondor sets RequestCpus in every job ad)`` for the attributes ``node`` reads
    that every valid ad of their kind has, when that is why ``node`` is constant (asked
    again with those attributes optional); empty otherwise."""
    found: dict[str, list[str]] = {}
    for ref in ast.walk(node):
        sides: list[str | None]
        if isinstance(ref, ast.Select) and ref.scope in ("MY", "TARGET"):
            name = ref.name
            sides = [q.scope.my if ref.scope == "MY" else q.scope.target]
        elif isinstance(ref, ast.AttrRef) and ref.name.upper() not in ("MY", "TARGET"):
            name = ref.name
            sides = [q.scope.my, q.scope.target]
        else:
            continue
        for side in sides:
            if side is None:
                continue
            fact = q.facts.fact(side, name)
            if fact.always:
                names = found.setdefault(side, [])
                if name not in names:
                    names.append(name)
                break
            if fact.kinds or side != q.scope.my:
                break  # an unqualified name found in MY does not reach TARGET
    if not found:
        return ""
    from dataclasses import replace

    from classadlint.analysis.policy import Question, constant_class

    relaxed = q.facts
    for side, names in found.items():
        for n in names:
            fact = q.facts.fact(side, n)
            declared = {k: dict(v) for k, v in relaxed.declared.items()}
            declared.setdefault(side, {})[n.lower()] = replace(fact, always=False)
            relaxed = replace(relaxed, declared=declared)
    if constant_class(Question(q.tree, q.scope, relaxed, q.budget_ms), node) is not None:
        return ""  # constant whether or not those attributes are present
    parts = []
    for side, names in found.items():
        who = (
            "HTCondor sets"
            if all(q.facts.fact(side, n).source.startswith("catalog") for n in names)
            else "the site sets"
        )
        parts.append(f"{who} {', '.join(names)} in every {side} ad")
    return " (" + "; ".join(parts) + ")"


def short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = [
    "ads_words",
    "always_note",
    "compares_with_special",
    "is_literal",
    "knob_family",
    "policy_knobs",
    "question",
    "questions",
    "short",
    "with_aliases",
    "witness_args",
    "witness_text",
]
