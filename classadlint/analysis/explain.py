"""Why a job does or does not match: ``condor_q -better-analyze``, offline.

The job's Requirements (MY = job, TARGET = slot) and each slot's START (MY = slot,
TARGET = job) are split into their clauses — the operands of a chain of ``&&``, through
parentheses — and every clause is evaluated against every slot: how many slots each
clause lets through, and which clause stops each slot. START's clauses point at the
config lines they came from (through macro expansion), so "clause 3 of START matched 0
of 4 slots" says which line of which file to look at.

No solver is involved: this is evaluation of given (or synthetic) ads, with our
evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import evaluate, truth
from classadlint.classad.functions import unparse_value
from classadlint.classad.parser import ParseOptions
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.source import Span


def _bare(node: ast.Expr) -> ast.Expr:
    while isinstance(node, ast.Paren):
        node = node.inner
    return node


def _top(tree: ast.Expr) -> str:
    return "||" if len(_chain(tree, "&&")) == 1 and len(_chain(tree, "||")) > 1 else "&&"


def _chain(node: ast.Expr, op: str) -> list[ast.Expr]:
    node = _bare(node)
    if isinstance(node, ast.Binary) and node.op == op:
        return [*_chain(node.left, op), *_chain(node.right, op)]
    return [node]


def clauses(
    tree: ast.Expr, label: str = "", depth: int = 0
) -> list[tuple[str, int, str, ast.Expr]]:
    """The clauses of an expression, ``condor_q -better-analyze`` style: the operands of
    its chain of ``&&`` (or of ``||``), each in turn split the same way, through
    parentheses. (label, depth, connective of its parts or "", node), parents first."""
    node = _bare(tree)
    out: list[tuple[str, int, str, ast.Expr]] = []
    for op in ("&&", "||"):
        parts = _chain(node, op)
        if len(parts) > 1:
            if label:
                out.append((label, depth, op, node))
            for k, part in enumerate(parts):
                sub = f"{label}.{k}" if label else str(k)
                out += clauses(part, sub, depth + (1 if label else 0))
            return out
    return [(label or "0", depth, "", node)]


def truthy(value: object) -> bool:
    """Whether HTCondor takes the value as true (a true boolean or a non-zero number)."""
    return truth(value) is True


def show(value: object) -> str:
    """A value for a report: UNDEFINED and ERROR by name, anything else as HTCondor
    unparses it (lists and ads included)."""
    if value is UNDEFINED:
        return "UNDEFINED"
    if value is ERROR:
        return "ERROR"
    return unparse_value(value)


@dataclass
class Clause:
    label: str  # "1", "1.2": its place in the expression
    depth: int
    connective: str  # "&&"/"||" when it is a group of the clauses below it, else ""
    text: str
    where: str  # file:line:col, or "" when the text was written nowhere (an ad file)
    passed: int = 0  # slots for which it is true
    values: list[str] = field(default_factory=list)  # per slot


@dataclass
class Side:
    """One expression split into clauses, evaluated for every slot."""

    title: str
    where: str
    clauses: list[Clause]
    results: list[str] = field(default_factory=list)  # the whole expression per slot
    top: str = "&&"  # how the top-level steps combine


@dataclass
class Analysis:
    slots: list[str]  # a name per slot
    job: Side
    start: list[tuple[Side, int]]  # per slot: its START (by slot type) and its column there
    matched: list[bool] = field(default_factory=list)


def analyse(
    job: ClassAd,
    slots: list[ClassAd],
    start_of: Callable[[ClassAd], tuple[ast.Expr | None, str, Callable[[ast.Expr], str]]],
    *,
    clock: float | None = None,
    user_maps: dict[str, dict[str, str]] | None = None,
) -> Analysis:
    """``start_of(slot)`` gives the slot's START, its title and where each of its nodes
    was written (``node -> "file:line:col"``)."""
    options = ParseOptions()
    kw: dict[str, object] = {"options": options, "user_maps": user_maps}
    if clock is not None:
        kw["clock"] = lambda: clock

    def ev(e: ast.Expr, my: ClassAd, target: ClassAd) -> object:
        return evaluate(e, my, target, **kw)  # type: ignore[arg-type]

    names = [_slot_name(s, k) for k, s in enumerate(slots)]
    req = job.lookup("Requirements")
    req_tree = req if req is not None else ast.Literal(True, _span())
    job_parts = clauses(req_tree)
    job_side = Side(
        "the job's Requirements",
        "",
        [Clause(lb, d, op, _text(c), "") for lb, d, op, c in job_parts],
    )
    starts: dict[int, Side] = {}
    out = Analysis(names, job_side, [])
    for slot in slots:
        whole = ev(req_tree, job, slot)
        job_side.results.append(show(whole))
        for clause, (_, _, _, node) in zip(job_side.clauses, job_parts, strict=True):
            v = ev(node, job, slot)
            clause.values.append(show(v))
            clause.passed += truthy(v)
        start, title, where = start_of(slot)
        tree = start if start is not None else ast.Literal(True, _span())
        key = id(start)
        side = starts.get(key)
        parts = clauses(tree)
        if side is None:
            side = starts[key] = Side(
                title,
                where(tree),
                [Clause(lb, d, op, _text(c), where(c)) for lb, d, op, c in parts],
            )
            side.top = _top(tree)
        s_value = ev(tree, slot, job)
        side.results.append(show(s_value))
        for clause, (_, _, _, node) in zip(side.clauses, parts, strict=True):
            v = ev(node, slot, job)
            clause.values.append(show(v))
            clause.passed += truthy(v)
        out.start.append((side, len(side.results) - 1))
        out.matched.append(truthy(whole) and truthy(s_value))
    return out


def _text(node: ast.Expr) -> str:
    from classadlint.classad.unparse import unparse

    return unparse(node)


def _span() -> Span:
    return Span(0, 0)


def _slot_name(slot: ClassAd, index: int) -> str:
    expr = slot.lookup("Name")
    if expr is not None:
        value = evaluate(expr, slot)
        if isinstance(value, str):
            return value
    return f"slot {index + 1}"


def _rows(side: Side, total: int) -> list[str]:
    tops = [c for c in side.clauses if c.depth == 0]
    out = []
    if len(tops) > 1:
        out.append("   all of the steps" if side.top == "&&" else "   any one of the steps")
    out.append("   Step      Matched  Condition")
    for c in side.clauses:
        indent = "  " * c.depth
        group = {"&&": "all of:", "||": "any of:"}.get(c.connective, "")
        text = group or c.text
        at = f"   at {c.where}" if c.where and c.where != side.where and not group else ""
        out.append(f"   {indent}[{c.label}] {c.passed:>5} of {total:<3} {text}{at}")
    return out


def _stops(side: Side, column: int) -> str:
    """The innermost clauses that are not true for one slot (where to look)."""
    failing = [c for c in side.clauses if not truthy_text(c.values[column]) and not c.connective]
    top = [c for c in side.clauses if c.depth == 0 and not truthy_text(c.values[column])]
    chosen = [c for c in failing if any(c.label.startswith(t.label) for t in top)] or top
    return ", ".join(c.label for c in chosen)


def render(a: Analysis) -> str:
    n = len(a.slots)
    out = [f"{a.job.title}:", *_rows(a.job, n)]
    seen: set[int] = set()
    for side, _ in a.start:
        if id(side) in seen:
            continue
        seen.add(id(side))
        where = f" ({side.where})" if side.where else ""
        out += ["", f"{side.title}{where}:", *_rows(side, len(side.results))]
    out.append("")
    for k, name in enumerate(a.slots):
        side, pos = a.start[k]
        job_v = a.job.results[k]
        start_v = side.results[pos]
        verdict = "matches" if a.matched[k] else "does not match"
        why = []
        if not truthy_text(job_v):
            why.append(f"the job's Requirements is {job_v} (step {_stops(a.job, k)})")
        if not truthy_text(start_v):
            why.append(f"{side.title} is {start_v} (step {_stops(side, pos)})")
        out.append(f"{name}: {verdict}" + (f": {'; '.join(why)}" if why else ""))
    matched = sum(a.matched)
    out += ["", f"{matched} of {n} slot{'s' if n != 1 else ''} match the job."]
    return "\n".join(out)


def truthy_text(shown: str) -> bool:
    """Whether a value as :func:`show` printed it is true (or a non-zero number)."""
    if shown in ("true",):
        return True
    try:
        return float(shown) != 0
    except ValueError:
        return False


__all__ = ["Analysis", "Clause", "Side", "analyse", "clauses", "render"]
