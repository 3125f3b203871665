"""Encode ClassAd expressions over two symbolic ads into z3, with HTCondor's exact tables.

An expression becomes one z3 term of sort ``CAValue`` (see :mod:`.values`) whose value, in
any model, is what HTCondor would compute for the ads that model describes. Each operator
follows the reference tables (sections 3.1-3.5): ERROR beats UNDEFINED beats a type error,
``&&``/``||`` are three-valued, ``?:`` and ``ifThenElse`` give UNDEFINED for an UNDEFINED
condition, ``==`` ignores case on strings while ``=?=`` does not and is never UNDEFINED.

Where exactness is out of reach (products of two attributes, lists and times, unmodelled
functions) the encoder substitutes an *unconstrained* value and records why in
:attr:`Universe.approximations`. That is an over-approximation: a property proved with it
still holds, but a counterexample may be spurious — so every witness is re-evaluated by
real evaluators before it is believed (see :mod:`.witness`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal as TLiteral

import z3  # type: ignore[import-untyped]

from classadlint.analysis import values as V
from classadlint.analysis.facts import Facts
from classadlint.analysis.values import ERR, UNDEF, Sym, all_of, any_of, choose
from classadlint.analysis.z3regex import caseless_literal
from classadlint.classad import ast
from classadlint.classad.values import ERROR, UNDEFINED, AbsTime, RelTime

Semantics = TLiteral["daemon", "strict"]

#: Names that mean the match machinery, not an attribute, when unqualified.
SPECIAL_NAMES = frozenset(
    {"my", "target", "other", "self", "parent", "root", "toplevel", "ad", "currenttime"}
)

_PRINTABLE = z3.Star(z3.Range(" ", "~"))


@dataclass(frozen=True)
class Scope:
    """Which symbolic ad is MY and which is TARGET (None: no such ad), and the semantics."""

    my: str | None
    target: str | None = None
    semantics: Semantics = "daemon"

    def flipped(self) -> Scope:
        return Scope(self.target, self.my, self.semantics)


@dataclass(frozen=True)
class PathStep:
    """One condition on the way to a lazily evaluated operand: ``node``'s value must be
    ``want`` (truthy, falsy, truthy-or-undefined, falsy-or-undefined, undefined)."""

    node: ast.Expr
    want: str
    term: z3.BoolRef


@dataclass
class BranchPoint:
    """A ``?:`` or ``ifThenElse`` met while encoding: what reaching each branch requires."""

    node: ast.Conditional | ast.Call
    cond: ast.Expr
    path: list[PathStep]  # the enclosing branches and short circuits
    then_step: PathStep
    else_step: PathStep
    chain: list[PathStep]  # conditions found false just before, innermost last (else-if)


@dataclass
class Universe:
    """The symbolic world of a query: ads, the clock, unmodelled functions, side facts."""

    facts: Facts = field(default_factory=Facts)
    definitions: Mapping[str, Mapping[str, ast.Expr]] = field(default_factory=dict)
    ascii_strings: bool = True
    #: Coarse mode: costly exact encodings (string lists of two computed strings, case
    #: folding of computed strings, the ASCII restriction) become uninterpreted. Sound for
    #: proofs; its witnesses are kept only when the evaluators confirm them.
    abstract: bool = False
    abstractions: set[str] = field(default_factory=set)
    attrs: dict[tuple[str, str], Sym] = field(default_factory=dict)
    spelling: dict[tuple[str, str], str] = field(default_factory=dict)
    constraints: list[z3.BoolRef] = field(default_factory=list)
    approximations: set[str] = field(default_factory=set)
    uses_time: bool = False
    time: z3.ArithRef = field(default_factory=lambda: z3.Int("time()"))
    _ufs: dict[tuple[str, int], z3.FuncDeclRef] = field(default_factory=dict)
    _fresh: int = 0

    def __post_init__(self) -> None:
        self.constraints.append(z3.And(self.time >= 0, self.time <= V.INT_MAX))
        self.definitions = {
            side: {k.lower(): e for k, e in defs.items()} for side, defs in self.definitions.items()
        }

    def attribute(self, side: str, name: str) -> Sym:
        """The value of attribute ``name`` of ad ``side`` (UNDEFINED when absent)."""
        key = (side, name.lower())
        sym = self.attrs.get(key)
        if sym is not None:
            return sym
        self.spelling.setdefault(key, name)
        fact = self.facts.fact(side, name)
        # An ad cannot hold an attribute with an empty name (classad2's Insert refuses it),
        # so ``''`` is always absent: a witness that sets it could not be reproduced.
        kinds = fact.allowed(self.facts.allow_error) if name else frozenset("U")
        term = V.Term.free(f"{side}.{name.lower()}")
        sym = Sym(term, kinds)
        self.constraints.append(V.has_kind(term, kinds))
        if "I" in kinds:
            lo = 0 if fact.non_negative else V.INT_MIN
            self.constraints.append(
                z3.Implies(sym.is_("I"), z3.And(sym.ival >= lo, sym.ival <= V.INT_MAX))
            )
        if "R" in kinds and fact.non_negative:
            self.constraints.append(z3.Implies(sym.is_("R"), sym.rval >= 0))
        if "S" in kinds and self.ascii_strings and not self.abstract:
            self.constraints.append(z3.Implies(sym.is_("S"), z3.InRe(sym.sval, _PRINTABLE)))
        if "O" in kinds:
            self.approximations.add(f"{side}.{name} may be a list or ad (not modelled)")
        self.attrs[key] = sym
        return sym

    def fresh(self, why: str, kinds: frozenset[str] = V.ALL_KINDS) -> Sym:
        """An unconstrained value standing for something not modelled exactly."""
        self.approximations.add(why)
        self._fresh += 1
        sym = Sym(V.Term.free(f"unmodelled!{self._fresh}"), kinds)
        self.constraints.append(V.has_kind(sym.term, kinds))
        return sym

    def named(self, sym: Sym, hint: str) -> Sym:
        """``sym`` as a fresh constant equal to it: string and arithmetic reasoning in z3 is
        much faster over variables than over nested if-then-else terms."""
        if all(z3.is_const(t) for t in sym.term):
            return sym
        self._fresh += 1
        const = V.Term.free(f"{hint}!{self._fresh}")
        self.constraints.append(const.equals(sym.term, sym.kinds))
        return Sym(const, sym.kinds)

    def named_string(self, term: z3.SeqRef, hint: str) -> z3.SeqRef:
        t = z3.simplify(term)
        if z3.is_string_value(t) or z3.is_const(t):
            return t
        self._fresh += 1
        const = z3.String(f"{hint}!{self._fresh}")
        self.constraints.append(const == term)
        return const

    def lower(self, s: z3.SeqRef) -> z3.SeqRef:
        """ASCII lower case of a string: exact, or uninterpreted in abstract mode."""
        t = z3.simplify(s)
        if z3.is_string_value(t) or not self.abstract:
            return lower(t)
        self.abstractions.add("case folding of computed strings")
        key = ("tolower", 1)
        fn = self._ufs.get(key)
        if fn is None:
            fn = self._ufs[key] = z3.Function("tolower", z3.StringSort(), z3.StringSort())
        return fn(t)

    def opaque(self) -> Sym:
        """A list, ad or time value: known to be of none of the modelled kinds."""
        self._fresh += 1
        return V.opaque(self._fresh)

    def uninterpreted(self, name: str, args: list[Sym], why: str) -> Sym:
        """``name(args)`` as a function nobody knows, but the same for the same arguments."""
        self.approximations.add(why)
        flat = [c for a in args for c in a.term.flat()]
        parts = []
        for k, sort in enumerate(V.SORTS):
            key = (f"{name.lower()}/{len(args)}#{k}", len(args))
            fn = self._ufs.get(key)
            if fn is None:
                fn = self._ufs[key] = z3.Function(key[0], *(V.SORTS * len(args)), sort)
            parts.append(fn(*flat))
        term = V.Term(*parts)
        self.constraints.append(V.has_kind(term, V.ALL_KINDS))
        return Sym(term, V.ALL_KINDS)

    def uninterpreted_fn(
        self, name: str, domain: list[z3.SortRef], rng: z3.SortRef, why: str
    ) -> z3.FuncDeclRef:
        if why:
            self.approximations.add(why)
        key = (name, -len(domain) - 1)
        fn = self._ufs.get(key)
        if fn is None:
            fn = self._ufs[key] = z3.Function(name, *domain, rng)
        return fn


class Encoder:
    """Turns expression trees into :class:`Sym` values over a :class:`Universe`."""

    def __init__(self, universe: Universe) -> None:
        self.u = universe
        self.path: list[PathStep] = []
        self.chain: list[PathStep] = []
        self.branches: list[BranchPoint] = []
        self._in_definition = 0
        self._active: set[tuple[str, str]] = set()
        self._memo: dict[tuple[str, str, str | None, str], Sym] = {}

    # --- entry ---------------------------------------------------------------------------

    def encode(self, expr: ast.Expr, scope: Scope) -> Sym:
        match expr:
            case ast.Paren(inner=inner):
                return self.encode(inner, scope)
            case ast.Literal(value=v):
                return self.literal(v)
            case ast.AttrRef(name=name):
                return self.unqualified(name, scope)
            case ast.Select():
                return self.select(expr, scope)
            case ast.AbsoluteRef(name=name):
                if scope.target is not None:
                    # in a match the root is HTCondor's match ad (matchClassad.cpp: LEFT,
                    # RIGHT, lCtx, symmetricMatch...; `.my` is that ad itself): not modelled
                    return self.u.fresh("absolute reference in a match (the match ad)")
                if scope.my is None:
                    return UNDEF
                if name.lower() in ("my", "self", "root", "toplevel", "parent", "currenttime"):
                    # the ad itself, time()... unless the ad defines the name (LookupInScope)
                    return self.u.fresh(f"`.{name}`: a special name as an absolute reference")
                return self.attribute(scope.my, name, scope)
            case ast.Subscript(base=base, index=index):
                b, i = self.encode(base, scope), self.encode(index, scope)
                return choose(
                    [
                        (any_of([b.is_("E"), i.is_("E")]), ERR),
                        (any_of([b.is_("U"), i.is_("U")]), UNDEF),
                        (b.is_("O"), self.u.fresh("subscript of a list or ad")),
                    ],
                    ERR,
                )
            case ast.Unary(op=op, operand=operand):
                return self.unary(op, self.encode(operand, scope))
            case ast.Binary(op=op, left=left, right=right):
                return self.binary(op, left, right, scope)
            case ast.Conditional(cond=c, then=t, otherwise=o):
                return self.conditional(expr, c, t, o, scope)
            case ast.Elvis(left=left, right=right):
                a = self.encode(left, scope)
                b = self.guarded(PathStep(left, "undefined", a.is_("U")), right, scope)
                return choose([(a.is_("U"), b)], a)
            case ast.Call():
                from classadlint.analysis.encode_functions import encode_call

                return encode_call(self, expr, scope)
            case ast.ListExpr(items=items):
                for item in items:  # elements are still evaluated (and may hide branches)
                    self.encode(item, scope)
                return self.u.opaque()
            case ast.Record():
                return self.u.opaque()
        raise TypeError(f"not an expression node: {expr!r}")

    def guarded(self, step: PathStep, expr: ast.Expr, scope: Scope) -> Sym:
        """Encode a lazily evaluated operand: its branches are reached only under ``step``."""
        self.path.append(step)
        try:
            return self.encode(expr, scope)
        finally:
            self.path.pop()

    def literal(self, v: object) -> Sym:
        if v is UNDEFINED:
            return UNDEF
        if v is ERROR:
            return ERR
        if isinstance(v, bool):
            return V.boolean(v)
        if isinstance(v, int):
            return V.integer(v)
        if isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                return self.u.fresh("infinite or NaN real literal", frozenset("R"))
            return V.real(z3.RealVal(v.as_integer_ratio()[0]) / v.as_integer_ratio()[1])
        if isinstance(v, str):
            return V.string(v)
        if isinstance(v, AbsTime | RelTime):
            return self.u.opaque()
        raise TypeError(f"not a literal value: {v!r}")

    # --- names ---------------------------------------------------------------------------

    def attribute(self, side: str, name: str, scope: Scope) -> Sym:
        """Attribute ``name`` of ad ``side``: a free value, or its definition evaluated there."""
        lname = name.lower()
        definition = self.u.definitions.get(side, {}).get(lname)
        if definition is None:
            return self.u.attribute(side, name)
        other = scope.target if side == scope.my else scope.my
        key = (side, lname, other, scope.semantics)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        if (side, lname) in self._active:
            return UNDEF  # a reference to an attribute being evaluated (HTCondor 25.13.2+)
        self._active.add((side, lname))
        self._in_definition += 1
        saved_path, saved_chain = self.path, self.chain
        self.path, self.chain = [], []
        try:
            sym = self.encode(definition, Scope(side, other, scope.semantics))
        finally:
            self._active.discard((side, lname))
            self._in_definition -= 1
            self.path, self.chain = saved_path, saved_chain
        self._memo[key] = sym
        return sym

    def has_definition(self, side: str | None, name: str) -> bool:
        return side is not None and name.lower() in self.u.definitions.get(side, {})

    def unqualified(self, name: str, scope: Scope) -> Sym:
        lname = name.lower()
        if lname in SPECIAL_NAMES and not self.has_definition(scope.my, lname):
            if lname == "currenttime" and scope.semantics == "daemon" and scope.my is not None:
                self.u.uses_time = True
                return V.integer(self.u.time)
            return self.u.fresh(f"the special name {name} used as a value")
        if scope.my is None:
            return UNDEF
        mine = self.attribute(scope.my, name, scope)
        if scope.semantics != "daemon" or scope.target is None:
            return mine
        if self.has_definition(scope.my, name):
            return mine
        theirs = self.attribute(scope.target, name, scope.flipped())
        return self.u.named(choose([(mine.is_("U"), theirs)], mine), name)

    def select(self, node: ast.Select, scope: Scope) -> Sym:
        which = node.scope
        if which == "MY":
            if scope.my is None or (scope.semantics != "daemon" and scope.target is None):
                return UNDEF
            return self.attribute(scope.my, node.name, scope)
        if which == "TARGET":
            if scope.target is None:
                return UNDEF
            return self.attribute(scope.target, node.name, scope.flipped())
        if which == "PARENT":
            return UNDEF  # a top-level ad has no parent
        base = self.encode(node.base, scope)
        return choose(
            [(base.is_("U"), UNDEF), (base.is_("O"), self.u.fresh("selection from a list or ad"))],
            ERR,
        )

    # --- operators -------------------------------------------------------------------------

    def unary(self, op: str, a: Sym) -> Sym:
        strict = [(a.is_("E"), ERR), (a.is_("U"), UNDEF)]
        if op == "!":
            return choose(
                [*strict, (a.is_any("BIR"), V.boolean(a.falsy()))],
                ERR,
            )
        if op == "-":
            cases = [*strict]
            if "I" in a.kinds:
                cases.append((a.is_("I"), V.integer(V.wrap64(-a.ival))))
            if "R" in a.kinds:
                cases.append((a.is_("R"), V.real(-a.rval)))
            if "O" in a.kinds:
                cases.append((a.is_("O"), self.u.fresh("negated time", frozenset("OE"))))
            return choose(cases, ERR)
        if op == "+":
            cases = [*strict, (a.is_any("IR"), a)]
            if "O" in a.kinds:
                cases.append((a.is_("O"), self.u.fresh("unary + on a time", frozenset("OE"))))
            return choose(cases, ERR)
        # ~
        return choose([*strict, (a.is_("I"), V.integer(-a.ival - 1))], ERR)

    def binary(self, op: str, left: ast.Expr, right: ast.Expr, scope: Scope) -> Sym:
        a = self.encode(left, scope)
        if op == "&&":
            step = PathStep(left, "truthy-or-undefined", any_of([a.truthy(), a.is_("U")]))
            b = self.guarded(step, right, scope)
            return logical_and(a, b)
        if op == "||":
            step = PathStep(left, "falsy-or-undefined", any_of([a.falsy(), a.is_("U")]))
            b = self.guarded(step, right, scope)
            return logical_or(a, b)
        b = self.encode(right, scope)
        if op == "=?=":
            return self.identical(a, b)
        if op == "=!=":
            r = self.identical(a, b)
            return choose([(r.is_("E"), ERR)], V.boolean(z3.Not(r.bval)) if "B" in r.kinds else r)
        if op in ("==", "!=", "<", "<=", ">", ">="):
            return self.compare(op, a, b)
        if op in ("+", "-", "*", "/", "%"):
            return self.arith(op, a, b)
        return self.bitwise(op, a, b)

    def identical(self, a: Sym, b: Sym) -> Sym:
        cases: list[tuple[z3.BoolRef, Sym]] = []
        both_o = z3.And(a.is_("O"), b.is_("O"))
        if not z3.is_false(z3.simplify(both_o)):
            cases.append((both_o, self.u.fresh("=?= between lists, ads or times", frozenset("BE"))))
        same = any_of(
            [
                z3.And(a.is_("U"), b.is_("U")),
                z3.And(a.is_("E"), b.is_("E")),
                z3.And(a.is_("B"), b.is_("B"), a.bval == b.bval)
                if "B" in a.kinds & b.kinds
                else V.FALSE,
                z3.And(a.is_("I"), b.is_("I"), a.ival == b.ival)
                if "I" in a.kinds & b.kinds
                else V.FALSE,
                z3.And(a.is_("R"), b.is_("R"), a.rval == b.rval)
                if "R" in a.kinds & b.kinds
                else V.FALSE,
                z3.And(a.is_("S"), b.is_("S"), a.sval == b.sval)
                if "S" in a.kinds & b.kinds
                else V.FALSE,
            ]
        )
        return choose(cases, V.boolean(same))

    def compare(self, op: str, a: Sym, b: Sym) -> Sym:
        cases: list[tuple[z3.BoolRef, Sym]] = [
            (any_of([a.is_("E"), b.is_("E")]), ERR),
            (any_of([a.is_("U"), b.is_("U")]), UNDEF),
        ]
        nums = z3.And(a.is_any("BIR"), b.is_any("BIR"))
        if not z3.is_false(z3.simplify(nums)):
            if "R" in a.kinds or "R" in b.kinds:
                self.u.approximations.add("reals as exact rationals (no rounding)")
                ints = z3.And(a.is_any("BI"), b.is_any("BI"))
                cases.append((ints, V.boolean(_cmp(op, a.intval(), b.intval()))))
                cases.append((nums, V.boolean(_cmp(op, a.realval(), b.realval()))))
            else:
                cases.append((nums, V.boolean(_cmp(op, a.intval(), b.intval()))))
        strs = z3.And(a.is_("S"), b.is_("S"))
        if not z3.is_false(z3.simplify(strs)):
            cases.append((strs, V.boolean(self.string_compare(op, a, b))))
        both_o = z3.And(a.is_("O"), b.is_("O"))
        if not z3.is_false(z3.simplify(both_o)):
            cases.append((both_o, self.u.fresh("comparison of times", frozenset("BE"))))
        return choose(cases, ERR)

    def string_compare(self, op: str, a: Sym, b: Sym) -> z3.BoolRef:
        """Case-insensitive comparison (strcasecmp), exact for ASCII letters."""
        ca, cb = a.const_str(), b.const_str()
        if ca is not None and cb is not None:
            x, y = _ascii_lower(ca), _ascii_lower(cb)
            return z3.BoolVal(
                {"==": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
            )
        if op in ("==", "!=") and (ca is not None or cb is not None):
            free, known = (b, ca) if ca is not None else (a, cb)
            assert known is not None
            eq = z3.InRe(free.sval, caseless_literal(known))
            return eq if op == "==" else z3.Not(eq)
        x, y = self.u.lower(a.sval), self.u.lower(b.sval)
        return _cmp(op, x, y)

    def arith(self, op: str, a: Sym, b: Sym) -> Sym:
        cases: list[tuple[z3.BoolRef, Sym]] = [
            (any_of([a.is_("E"), b.is_("E")]), ERR),
            (any_of([a.is_("U"), b.is_("U")]), UNDEF),
        ]
        has_o = any_of([a.is_("O"), b.is_("O")])
        if not z3.is_false(z3.simplify(has_o)):
            timed = z3.And(has_o, z3.Not(any_of([a.is_("S"), b.is_("S")])))
            cases.append((timed, self.u.fresh("arithmetic on times", frozenset("OE"))))
        ints = z3.And(a.is_any("BI"), b.is_any("BI"))
        if not z3.is_false(z3.simplify(ints)):
            x, y = a.intval(), b.intval()
            for guard, value in self.int_op(op, x, y):
                cases.append((z3.And(ints, guard), value))
        nums = z3.And(a.is_any("BIR"), b.is_any("BIR"))
        if ("R" in a.kinds or "R" in b.kinds) and not z3.is_false(z3.simplify(nums)):
            self.u.approximations.add("reals as exact rationals (no rounding)")
            for guard, value in self.real_op(op, a.realval(), b.realval()):
                cases.append((z3.And(nums, guard), value))
        return choose(cases, ERR)

    def int_op(self, op: str, x: z3.ArithRef, y: z3.ArithRef) -> list[tuple[z3.BoolRef, Sym]]:
        if op == "+":
            return [(V.TRUE, V.integer(V.wrap64(x + y)))]
        if op == "-":
            return [(V.TRUE, V.integer(V.wrap64(x - y)))]
        if op == "*":
            if _numeral(x) or _numeral(y):
                return [(V.TRUE, V.integer(V.wrap64(x * y)))]
            mul = self.u.uninterpreted_fn(
                "int*", [z3.IntSort()] * 2, z3.IntSort(), "product of two attributes"
            )
            return [(V.TRUE, V.integer(V.wrap64(mul(x, y))))]
        zero = y == 0
        c = _numeral(y)
        if c is None:
            fn = self.u.uninterpreted_fn(
                f"int{op}", [z3.IntSort()] * 2, z3.IntSort(), "division by an attribute"
            )
            return [(zero, ERR), (V.TRUE, V.integer(fn(x, y)))]
        if c == 0:
            return [(V.TRUE, ERR)]
        m = abs(c)
        if op == "/":
            q = z3.If(x >= 0, x / m, -((-x) / m))
            if c < 0:
                q = -q
            if c == -1:
                q = z3.If(x == V.INT_MIN, z3.IntVal(V.INT_MAX), q)
            return [(V.TRUE, V.integer(q))]
        r = z3.If(x >= 0, x % m, -((-x) % m))
        return [(V.TRUE, V.integer(r))]

    def real_op(self, op: str, x: z3.ArithRef, y: z3.ArithRef) -> list[tuple[z3.BoolRef, Sym]]:
        if op == "+":
            return [(V.TRUE, V.real(x + y))]
        if op == "-":
            return [(V.TRUE, V.real(x - y))]
        if op == "*":
            if _numeral(x) is not None or _numeral(y) is not None:
                return [(V.TRUE, V.real(x * y))]
            mul = self.u.uninterpreted_fn(
                "real*", [z3.RealSort()] * 2, z3.RealSort(), "product of two attributes"
            )
            return [(V.TRUE, V.real(mul(x, y)))]
        if op == "%":
            return [(V.TRUE, ERR)]
        c = _numeral(y)
        if c is not None and c != 0:
            return [(V.TRUE, V.real(x / y))]
        inf = self.u.fresh("real division by zero (inf/nan)", frozenset("R"))
        if c == 0:
            return [(x > 0, ERR), (V.TRUE, inf)]
        else:
            div = self.u.uninterpreted_fn(
                "real/", [z3.RealSort()] * 2, z3.RealSort(), "division by an attribute"
            )
            quotient = div(x, y)
        return [(z3.And(y == 0, x > 0), ERR), (y == 0, inf), (V.TRUE, V.real(quotient))]

    def bitwise(self, op: str, a: Sym, b: Sym) -> Sym:
        cases: list[tuple[z3.BoolRef, Sym]] = [
            (any_of([a.is_("E"), b.is_("E")]), ERR),
            (any_of([a.is_("U"), b.is_("U")]), UNDEF),
        ]
        ints = z3.And(a.is_("I"), b.is_("I"))
        if not z3.is_false(z3.simplify(ints)):
            x, y = z3.Int2BV(a.ival, 64), z3.Int2BV(b.ival, 64)
            n = y & 63
            bv = {
                "&": lambda: x & y,
                "|": lambda: x | y,
                "^": lambda: x ^ y,
                "<<": lambda: x << n,
                ">>": lambda: x >> n,
                ">>>": lambda: z3.LShR(x, n),
            }[op]()
            cases.append((ints, V.integer(z3.BV2Int(bv, is_signed=True))))
        return choose(cases, ERR)

    def conditional(
        self, node: ast.Conditional | ast.Call, c: ast.Expr, t: ast.Expr, o: ast.Expr, scope: Scope
    ) -> Sym:
        cond = self.encode(c, scope)
        then_step = PathStep(c, "truthy", cond.truthy())
        else_step = PathStep(c, "falsy", cond.falsy())
        if not self._in_definition:
            self.branches.append(
                BranchPoint(node, c, list(self.path), then_step, else_step, list(self.chain))
            )
        saved_chain = self.chain
        self.chain = []
        then = self.guarded(then_step, t, scope)
        self.chain = [*saved_chain, else_step]
        other = self.guarded(else_step, o, scope)
        self.chain = saved_chain
        return choose(
            [
                (cond.is_("U"), UNDEF),
                (then_step.term, then),
                (else_step.term, other),
            ],
            ERR,
        )


# --- boolean connectives (reference 3.2) ---------------------------------------------------


def logical_and(a: Sym, b: Sym) -> Sym:
    bad_a = a.is_any("ESO")
    bad_b = b.is_any("ESO")
    return choose(
        [
            (bad_a, ERR),
            (a.falsy(), V.boolean(False)),
            (bad_b, ERR),
            (b.falsy(), V.boolean(False)),
            (any_of([a.is_("U"), b.is_("U")]), UNDEF),
        ],
        V.boolean(True),
    )


def logical_or(a: Sym, b: Sym) -> Sym:
    bad_a = a.is_any("ESO")
    bad_b = b.is_any("ESO")
    return choose(
        [
            (bad_a, ERR),
            (a.truthy(), V.boolean(True)),
            (bad_b, ERR),
            (b.truthy(), V.boolean(True)),
            (any_of([a.is_("U"), b.is_("U")]), UNDEF),
        ],
        V.boolean(False),
    )


# --- helpers ---------------------------------------------------------------------------------


def _cmp(op: str, x: z3.ExprRef, y: z3.ExprRef) -> z3.BoolRef:
    if op == "==":
        return x == y
    if op == "!=":
        return x != y
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _numeral(t: z3.ArithRef) -> int | float | None:
    s = z3.simplify(t)
    if z3.is_int_value(s):
        return s.as_long()  # type: ignore[no-any-return]
    if z3.is_rational_value(s):
        return float(s.as_fraction())
    return None


def _ascii_lower(s: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


_CH = z3.Const("ch", z3.CharSort())
_LOWER_CHAR = z3.Lambda(
    [_CH],
    z3.If(
        z3.And(_CH.to_int() >= 65, _CH.to_int() <= 90),
        z3.CharFromBv(z3.CharToBv(_CH) + 32),
        _CH,
    ),
)


def lower(s: z3.SeqRef) -> z3.SeqRef:
    """ASCII lower-casing of a string term (C's tolower in HTCondor's strcasecmp)."""
    t = z3.simplify(s)
    if z3.is_string_value(t):
        return z3.StringVal(_ascii_lower(t.as_string()))
    return z3.SeqMap(_LOWER_CHAR, s)


__all__ = ["BranchPoint", "Encoder", "PathStep", "Scope", "Universe", "all_of", "any_of", "lower"]
