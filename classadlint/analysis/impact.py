"""What a policy change does: for two versions of a configuration, the job and slot ads
for which START, the job's own match requirements, a job transform's result, a submit
requirement or another policy knob behaves differently.

Only what changed is asked about: a knob whose expanded text, or a transform attribute
whose rewritten expression, is the same in both versions behaves the same. For each
difference the symbolic engine looks for an ad pair on which the old and the new
version disagree (a witness, confirmed by our evaluator and classad2) or proves there is
none; when it cannot decide (the budget, ``userMap``, lists), hypothesis samples ad
pairs and counts how many disagree — said as such, never as a proof.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from classadlint.analysis.encode import Scope
from classadlint.analysis.facts import Facts, usage_kinds
from classadlint.analysis.policy import scope_of
from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.classad.unparse import unparse
from classadlint.config.model import ConfigModel

Status = Literal["changed", "unchanged", "possibly-changed", "not-proved"]
# possibly-changed: sampled pairs differ but none could be shown (no confirmed witness)


@dataclass
class Difference:
    """One item compared: ``status`` changed (``witness`` shows an ad pair and the two
    values), unchanged (proved), possibly-changed (sampled pairs differ, no witness the
    engine confirmed), not-proved (undecided, and no sampled pair differs)."""

    item: str
    kind: str  # knob, transform, requirements
    status: Status
    old: str = ""
    new: str = ""
    witness: str = ""
    values: tuple[str, str] = ("", "")
    samples: int = 0
    differing: int = 0
    note: str = ""


@dataclass
class Side:
    """One version: its model, expression knobs (expanded text) and transforms."""

    model: ConfigModel
    knobs: dict[str, str] = field(default_factory=dict)  # upper-case name -> text
    names: dict[str, str] = field(default_factory=dict)  # upper-case name -> as written
    transforms: list[Any] = field(default_factory=list)


def side_of(model: ConfigModel, old_syntax: bool = True) -> Side:
    from classadlint.analysis.pipeline import read_pipeline
    from classadlint.schema import knobs as knob_catalog

    side = Side(model)
    for entry in model.entries.values():
        if entry.file is None:
            continue
        _, base = knob_catalog.strip_prefix(entry.name)
        context = knob_catalog.context(base)
        if context is None or context.result not in ("bool", "number", "int", "string"):
            continue
        if scope_of(context) is None:
            continue
        text = model.value(entry.name)
        if text is not None:
            side.knobs[entry.name.upper()] = text
            side.names[entry.name.upper()] = entry.name
    side.transforms = read_pipeline(model, None, old_syntax)
    return side


def _parse(text: str) -> ast.Expr | None:
    try:
        return parse_expr(text, ParseOptions(strings="old"))
    except ClassAdSyntaxError:
        return None


def _truthy(e: ast.Expr) -> str:
    t = f"({unparse(e)})"
    return f"({t} =?= true || ((isInteger({t}) || isReal({t})) && {t} != 0))"


def compare(
    old: Side,
    new: Side,
    facts: Facts,
    budget_ms: int = 200,
    samples: int = 1000,
) -> Iterator[Difference]:
    """Every behavioural difference between two versions, knob by knob."""
    from classadlint.lint.proving import with_aliases
    from classadlint.schema import knobs as knob_catalog

    for key in sorted(set(old.knobs) | set(new.knobs)):
        a, b = old.knobs.get(key), new.knobs.get(key)
        if a == b:
            continue
        name = new.names.get(key) or old.names[key]
        _, base = knob_catalog.strip_prefix(name)
        context = knob_catalog.context(base)
        scope = scope_of(context)
        assert context is not None and scope is not None
        ea = _parse(a) if a is not None else None
        eb = _parse(b) if b is not None else None
        if (a is not None and ea is None) or (b is not None and eb is None):
            yield Difference(name, "knob", "changed", a or "", b or "",
                             note="one version does not parse (its value is ERROR)")  # fmt: skip
            continue
        default = "true" if context.result == "bool" else "undefined"
        ea = with_aliases(ea, context) if ea is not None else parse_expr(default)
        eb = with_aliases(eb, context) if eb is not None else parse_expr(default)
        if context.result == "bool":
            diff = parse_expr(f"{_truthy(ea)} != {_truthy(eb)}")
        else:
            diff = parse_expr(f"({unparse(ea)}) =!= ({unparse(eb)})")
        yield _decide(name, "knob", diff, (ea, eb), scope, facts, budget_ms, samples,
                      a or "(unset)", b or "(unset)")  # fmt: skip
    yield from _transforms(old, new, facts, budget_ms, samples)


def _transforms(
    old: Side, new: Side, facts: Facts, budget_ms: int, samples: int
) -> Iterator[Difference]:
    from classadlint.analysis.pipeline import PipelineError, Symbolic

    attrs: dict[str, str] = {}
    for t in [*old.transforms, *new.transforms]:
        for step in t.steps:
            for name in (step.attr, step.new):
                if name is not None:
                    attrs.setdefault(name.lower(), name)
    if not attrs:
        return
    try:
        po, pn = Symbolic(old.transforms), Symbolic(new.transforms)
    except PipelineError as exc:
        yield Difference("job transforms", "transform", "not-proved", note=str(exc))
        return
    job = Scope("job", None)
    match = Scope("job", "slot")
    for low, name in sorted(attrs.items()):
        ref = ast.AttrRef(name, ast.Literal(0, _span()).span)
        try:
            if low == "requirements":  # the job's side of a match: read against a slot
                a = po.resolve(ref, po.states[-1], match=True)
                b = pn.resolve(ref, pn.states[-1], match=True)
                diff = parse_expr(f"{_truthy(a)} != {_truthy(b)}")
                scope = match
            else:
                a, b = po.after(ref), pn.after(ref)
                diff = parse_expr(f"({unparse(a)}) =!= ({unparse(b)})")
                scope = job
        except PipelineError as exc:
            yield Difference(name, "transform", "not-proved", note=str(exc))
            continue
        if unparse(a) == unparse(b):
            continue
        yield _decide(name, "transform", diff, (a, b), scope, facts, budget_ms, samples,
                      "", "")  # fmt: skip


def _span() -> Any:
    from classadlint.source import Span

    return Span(0, 0)


def _decide(
    item: str,
    kind: str,
    diff: ast.Expr,
    pair: tuple[ast.Expr, ast.Expr],
    scope: Scope,
    facts: Facts,
    budget_ms: int,
    samples: int,
    old_text: str,
    new_text: str,
) -> Difference:
    from classadlint.analysis.properties import count, search
    from classadlint.analysis.symbolic import Analyzer
    from classadlint.analysis.witness import Witness, evaluate_classad2, evaluate_ours, truthy
    from classadlint.lint.proving import witness_text

    analyzer = Analyzer(scope, facts=facts.with_usage(usage_kinds(diff)), budget_ms=budget_ms)
    answer = analyzer.can_be(diff, "true")
    out = Difference(item, kind, "unchanged", old_text, new_text)
    if answer.status == "refuted":
        out.note = "proved: no valid ad pair sees a difference"
        return out
    if answer.status == "proved" and answer.witness is not None:
        out.status = "changed"
        out.witness = witness_text(answer.witness)
        values = evaluate_ours(list(pair), scope, answer.witness, {})
        out.values = (_show(values[0]), _show(values[1]))
        return out
    # undecided: sample, counting the pairs that differ, and shrink one that does
    sampled = facts.with_usage(usage_kinds(diff))
    hits, drawn = count(diff, truthy, scope, facts=sampled, samples=samples)
    out.samples, out.differing = drawn, hits
    out.note = f"not proved ({answer.reason or 'undecided'})"
    if not hits:
        out.status = "not-proved"
        return out
    out.status = "possibly-changed"  # until a pair both evaluators agree on is shown
    found = search(diff, truthy, scope, facts=sampled, samples=samples)
    if found is not None and scope.my is not None:
        ads: dict[str, dict[str, object]] = {scope.my: found[0]}
        if scope.target is not None:
            ads[scope.target] = found[1]
        w = Witness(ads)
        theirs = evaluate_classad2([diff], scope, w, {})
        if theirs is not None and not truthy(theirs[0]):
            raise AssertionError(f"BUG: classad2 does not confirm {witness_text(w)} for {item}")
        values = evaluate_ours(list(pair), scope, w, {})
        out.values = (_show(values[0]), _show(values[1]))
        out.witness = witness_text(w)
        out.status = "changed"
        out.note = f"found by sampling; the engine: {out.note}"
    return out


def _show(v: tuple[str, object]) -> str:
    kind, payload = v
    if kind == "U":
        return "UNDEFINED"
    if kind == "E":
        return "ERROR"
    if kind == "O":
        return "a list or ad"
    from classadlint.classad.functions import unparse_value

    return unparse_value(payload)


__all__ = ["Difference", "Side", "compare", "side_of"]
