"""Witnesses: concrete ad pairs read off a z3 model, and their re-evaluation.

A witness is only shown to a user after two independent evaluators agree with it: ours
(``classadlint.classad.evaluate``) and HTCondor's own (``classad2``, imported after
``htcondor2`` so that the HTCondor-layer functions and old semantics are active). ``time()``
has no fixed value in HTCondor, so the witness's clock is substituted into the expression
as an integer literal before both evaluations.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3  # type: ignore[import-untyped]

from classadlint.analysis.encode import Scope, Universe
from classadlint.analysis.values import KINDS, Term
from classadlint.classad import ast
from classadlint.classad.functions import unparse_value
from classadlint.classad.unparse import quote_name, unparse
from classadlint.classad.values import ERROR, UNDEFINED
from classadlint.source import Span

#: A ClassAd value reduced to (kind, payload): kinds U E B I R S O as in the encoding.
Normal = tuple[str, object]


class NotRepresentable(Exception):
    """The model gives an attribute a value the witness cannot write (a list, an ad)."""


@dataclass(frozen=True)
class Witness:
    """A concrete ad per side (absent attributes left out) and the clock, if used."""

    ads: Mapping[str, Mapping[str, object]]
    time: int | None = None

    def ad_text(self, side: str) -> str:
        """The ad in new ClassAd syntax, ``[ Name = value; ... ]``."""
        attrs = self.ads.get(side, {})
        inner = "; ".join(f"{quote_name(k)} = {unparse_value(v)}" for k, v in attrs.items())
        return f"[ {inner} ]" if inner else "[ ]"

    def describe(self) -> str:
        lines = [f"{side} ad: {self.ad_text(side)}" for side in self.ads]
        if self.time is not None:
            lines.append(f"time() = {self.time}")
        return "\n".join(lines)


def from_model(model: z3.ModelRef, universe: Universe, sides: list[str]) -> Witness:
    ads: dict[str, dict[str, object]] = {side: {} for side in sides}
    for (side, lname), sym in sorted(universe.attrs.items()):
        value = to_python(model, sym.term)
        if value is UNDEFINED:
            continue
        ads.setdefault(side, {})[universe.spelling[(side, lname)]] = value
    clock = None
    if universe.uses_time:
        clock = model.eval(universe.time, model_completion=True).as_long()
    return Witness(ads, clock)


def concrete(model: z3.ModelRef, term: Term) -> Term:
    """The term's components as values in ``model``."""
    return Term(*[_value_in(model, c) for c in term])


def _value_in(model: z3.ModelRef, term: z3.ExprRef) -> z3.ExprRef:
    """``term``'s value in ``model``. z3 leaves ``seq.map`` (case folding) unreduced in model
    evaluation; such a ground formula is decided by asking the solver about it."""
    value = z3.simplify(model.eval(term, model_completion=True))
    if _is_value(value):
        return value
    return z3.simplify(_fold_case_maps(value, {}))


def _is_value(v: z3.ExprRef) -> bool:
    return bool(
        z3.is_true(v) or z3.is_false(v) or z3.is_int_value(v) or z3.is_rational_value(v)
        or z3.is_string_value(v)
    )  # fmt: skip


def _fold_case_maps(e: z3.ExprRef, memo: dict[int, z3.ExprRef]) -> z3.ExprRef:
    """Replace ``seq.map(lower, "text")`` by the lower-cased text, bottom up."""
    key = e.get_id()
    if key in memo:
        return memo[key]
    out = e
    if z3.is_app(e) and e.num_args() > 0:
        kids = [_fold_case_maps(c, memo) for c in e.children()]
        if e.decl().name() == "seq.map" and z3.is_string_value(z3.simplify(kids[-1])):
            text = z3.simplify(kids[-1]).as_string()
            out = z3.StringVal("".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text))
        else:
            out = z3.simplify(e.decl()(*kids)) if kids else e
    memo[key] = out
    return out


def to_python(model: z3.ModelRef, term: Term) -> object:
    """A model value as the evaluator's Python value."""
    c = concrete(model, term)
    kind = KINDS[c.tag.as_long()]
    if kind == "U":
        return UNDEFINED
    if kind == "E":
        return ERROR
    if kind == "B":
        return z3.is_true(c.b)
    if kind == "I":
        return c.i.as_long()
    if kind == "R":
        frac = c.r.as_fraction()
        return float(Fraction(frac.numerator, frac.denominator))
    if kind == "S":
        return c.s.as_string()
    raise NotRepresentable("a list, ad or time value cannot be written in a witness ad")


def normal(value: object) -> Normal:
    """Our evaluator's value as (kind, payload)."""
    if value is UNDEFINED:
        return ("U", None)
    if value is ERROR:
        return ("E", None)
    if isinstance(value, bool):
        return ("B", value)
    if isinstance(value, int):
        return ("I", value)
    if isinstance(value, float):
        return ("R", "nan" if math.isnan(value) else value)
    if isinstance(value, str):
        return ("S", value)
    return ("O", None)


def normal_classad2(value: Any) -> Normal:
    classad2 = _classad2()
    if isinstance(value, classad2.Value):
        return ("U", None) if value == classad2.Value.Undefined else ("E", None)
    return normal(value)


def truthy(v: Normal) -> bool:
    """True or a non-zero number (NaN is non-zero)."""
    return v[0] in ("B", "I", "R") and (v[1] == "nan" or v[1] != 0)


def falsy(v: Normal) -> bool:
    return v[0] in ("B", "I", "R") and v[1] == 0


WANTS: dict[str, Callable[[Normal], bool]] = {
    "truthy": truthy,
    "falsy": falsy,
    "truthy-or-undefined": lambda v: truthy(v) or v[0] == "U",
    "falsy-or-undefined": lambda v: falsy(v) or v[0] == "U",
    "undefined": lambda v: v[0] == "U",
}


# --- evaluation -----------------------------------------------------------------------------

_NOWHERE = Span(0, 0)


def with_clock(expr: ast.Expr, clock: int | None, semantics: str) -> ast.Expr:
    """``expr`` with ``time()`` (and daemon-mode ``CurrentTime``) replaced by ``clock``."""
    if clock is None:
        return expr

    def go(node: Any) -> Any:
        if isinstance(node, ast.Call) and node.name.lower() == "time" and not node.args:
            return ast.Literal(clock, _NOWHERE)
        if (
            isinstance(node, ast.AttrRef)
            and node.name.lower() == "currenttime"
            and semantics == "daemon"
        ):
            return ast.Literal(clock, _NOWHERE)
        if isinstance(node, tuple):
            return tuple(go(x) for x in node)
        if dataclasses.is_dataclass(node) and not isinstance(node, Span | ast.Literal):
            changes = {
                f.name: go(getattr(node, f.name))
                for f in dataclasses.fields(node)
                if f.name not in ("span", "name_span", "op_span", "name", "op")
            }
            return dataclasses.replace(node, **changes)  # type: ignore[type-var]
        return node

    return go(expr)  # type: ignore[no-any-return]


def _ads_for(
    witness: Witness,
    definitions: Mapping[str, Mapping[str, ast.Expr]],
    semantics: str,
) -> dict[str, dict[str, object]]:
    """Attribute values and, for defined attributes, their (clock-substituted) expressions."""
    out: dict[str, dict[str, object]] = {side: dict(attrs) for side, attrs in witness.ads.items()}
    for side, defs in definitions.items():
        for name, expr in defs.items():
            out.setdefault(side, {})[name] = with_clock(expr, witness.time, semantics)
    return out


def evaluate_ours(
    exprs: list[ast.Expr],
    scope: Scope,
    witness: Witness,
    definitions: Mapping[str, Mapping[str, ast.Expr]],
) -> list[Normal]:
    from classadlint.classad.ad import ClassAd
    from classadlint.classad.evaluate import evaluate
    from classadlint.classad.parser import ParseOptions

    ads = _ads_for(witness, definitions, scope.semantics)
    my = ClassAd(ads.get(scope.my, {})) if scope.my is not None else None
    target = ClassAd(ads.get(scope.target, {})) if scope.target is not None else None
    options = ParseOptions(semantics=scope.semantics)
    clock = float(witness.time) if witness.time is not None else None
    out = []
    for expr in exprs:
        e = with_clock(expr, witness.time, scope.semantics)
        kw: dict[str, Any] = {"options": options}
        if clock is not None:
            kw["clock"] = lambda: clock
        out.append(normal(evaluate(e, my if my is not None else {}, target, **kw)))
    return out


def _classad2() -> Any:
    """HTCondor's evaluator, in daemon mode (htcondor2 first, no machine config read)."""
    if "classad2" in sys.modules and "htcondor2" not in sys.modules:
        raise RuntimeError("classad2 was imported before htcondor2: HTCondor functions missing")
    os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")
    import classad2  # type: ignore[import-untyped]
    import htcondor2  # type: ignore[import-untyped]  # noqa: F401  (before classad2)

    return classad2


def evaluate_classad2(
    exprs: list[ast.Expr],
    scope: Scope,
    witness: Witness,
    definitions: Mapping[str, Mapping[str, ast.Expr]],
) -> list[Normal] | None:
    """classad2's values, or None where it cannot be asked (strict semantics)."""
    if scope.semantics != "daemon":
        return None
    classad2 = _classad2()
    ads = _ads_for(witness, definitions, scope.semantics)

    def make(side: str | None) -> Any:
        ad = classad2.ClassAd()
        for name, value in ads.get(side, {}).items() if side is not None else ():
            text = unparse_value(value) if _is_plain(value) else unparse(value)  # type: ignore[arg-type]
            ad[name] = classad2.ExprTree(text)
        return ad

    my, target = make(scope.my), make(scope.target)
    out = []
    for expr in exprs:
        tree = classad2.ExprTree(unparse(with_clock(expr, witness.time, scope.semantics)))
        try:
            value = tree.eval(my, target) if scope.target is not None else tree.eval(my)
        except (ValueError, OverflowError):
            return None  # a time the binding cannot convert (year 0): classad2 cannot be asked
        out.append(normal_classad2(value))
    return out


def _is_plain(value: object) -> bool:
    return value is UNDEFINED or value is ERROR or isinstance(value, bool | int | float | str)


__all__ = [
    "NotRepresentable",
    "Witness",
    "evaluate_classad2",
    "evaluate_classad2_with_maps",
    "evaluate_ours",
    "from_model",
    "normal",
    "with_clock",
]


_CHILD = r"""
import json, sys
import htcondor2  # noqa: F401  (before classad2, with the maps' config)
import classad2
job = json.load(sys.stdin)
def ad(attrs):
    out = classad2.ClassAd()
    for k, v in attrs.items():
        out[k] = classad2.ExprTree(v)
    return out
my = ad(job["my"])
target = ad(job["target"]) if job["target"] is not None else None
out = []
for text in job["exprs"]:
    tree = classad2.ExprTree(text)
    v = tree.eval(my, target) if target is not None else tree.eval(my)
    if isinstance(v, classad2.Value):
        out.append(["U" if v == classad2.Value.Undefined else "E", None])
    elif isinstance(v, (bool, int, float, str)):
        kinds = [(bool, "B"), (int, "I"), (float, "R"), (str, "S")]
        out.append([next(k for t, k in kinds if isinstance(v, t)), v])
    else:
        out.append(["O", None])
json.dump(out, sys.stdout)
"""


def evaluate_classad2_with_maps(
    exprs: list[ast.Expr],
    scope: Scope,
    witness: Witness,
    maps: Mapping[str, str],
    timeout: float = 60.0,
) -> list[Normal] | None:
    """classad2's values with ``userMap`` maps loaded (map name -> HTCondor map file
    text), in a child process: HTCondor reads maps only with the configuration it starts
    with. None where classad2 cannot be asked (strict semantics, no Python to run)."""
    import json
    import subprocess
    import tempfile

    if scope.semantics != "daemon":
        return None
    names = " ".join(maps)
    config = [f"TOOL_CLASSAD_USER_MAP_NAMES = {names}"]
    for name, text in maps.items():
        config += [f"CLASSAD_USER_MAPDATA_{name} @=end", text.strip(), "@end"]
    ads = _ads_for(witness, {}, scope.semantics)

    def texts(side: str | None) -> dict[str, str] | None:
        if side is None:
            return None
        return {k: unparse_value(v) if _is_plain(v) else unparse(v)  # type: ignore[arg-type]
                for k, v in ads.get(side, {}).items()}  # fmt: skip

    job = {
        "exprs": [unparse(with_clock(e, witness.time, scope.semantics)) for e in exprs],
        "my": texts(scope.my) or {},
        "target": texts(scope.target),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".config", delete=False) as f:
        f.write("\n".join(config) + "\n")
        path = f.name
    try:
        env = dict(os.environ, CONDOR_CONFIG=path)
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        raise RuntimeError(f"classad2 could not evaluate the witness: {proc.stderr.strip()}")
    return [(k, v) for k, v in json.loads(proc.stdout)]
