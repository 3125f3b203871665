"""ClassAd values as z3 terms: a tagged tuple with HTCondor's truthiness and promotion.

A value is a :class:`Term` — a tag (U E B I R S O as the integers 0-6) and one payload per
kind (Bool, Int, Real, String). ``O`` stands for every value the encoding does not model in
detail (lists, nested ads, absolute and relative times): operators that cannot be exact on
it produce uninterpreted results. Splitting the value into plain theory terms (rather than
one algebraic datatype) lets z3 push if-then-else into each component, which measured
several times faster on real policies. Alongside its term each :class:`Sym` carries the
*kinds* it may have, so operators only emit the cases that can occur; literals and most
catalog attributes have one or two kinds, which keeps formulas small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import z3  # type: ignore[import-untyped]

KINDS = ("U", "E", "B", "I", "R", "S", "O")
TAGS = {k: n for n, k in enumerate(KINDS)}
SCALAR_KINDS = frozenset("BIRS")
NUMERIC_KINDS = frozenset("BIR")
ALL_KINDS = frozenset(KINDS)

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)
_ZERO = z3.IntVal(0)
_RZERO = z3.RealVal(0)
_EMPTY = z3.StringVal("")


class Term(NamedTuple):
    """The z3 terms of one value: its tag and a payload per kind (``i`` also holds the
    identity of an ``O`` value)."""

    tag: z3.ArithRef
    b: z3.BoolRef
    i: z3.ArithRef
    r: z3.ArithRef
    s: z3.SeqRef

    @staticmethod
    def make(kind: str, b: z3.BoolRef = FALSE, i: z3.ArithRef = _ZERO, r: z3.ArithRef = _RZERO,
             s: z3.SeqRef = _EMPTY) -> Term:  # fmt: skip
        return Term(z3.IntVal(TAGS[kind]), b, i, r, s)

    @staticmethod
    def free(name: str) -> Term:
        return Term(
            z3.Int(f"{name}#tag"), z3.Bool(f"{name}#b"), z3.Int(f"{name}#i"),
            z3.Real(f"{name}#r"), z3.String(f"{name}#s"),
        )  # fmt: skip

    def equals(self, other: Term, kinds: Iterable[str]) -> z3.BoolRef:
        """Same tag and same payload for that tag (the other payloads are irrelevant)."""
        parts = [self.tag == other.tag]
        for k in kinds:
            field = _PAYLOAD.get(k)
            if field is not None:
                parts.append(
                    z3.Implies(self.tag == TAGS[k], getattr(self, field) == getattr(other, field))
                )
        return _and(parts)

    def flat(self) -> list[z3.ExprRef]:
        return [self.tag, self.b, self.i, self.r, self.s]


_PAYLOAD = {"B": "b", "I": "i", "R": "r", "S": "s", "O": "i"}
SORTS = [z3.IntSort(), z3.BoolSort(), z3.IntSort(), z3.RealSort(), z3.StringSort()]


def if_term(c: z3.BoolRef, a: Term, b: Term, kinds: Iterable[str]) -> Term:
    """``If`` component-wise, skipping payloads no kind in ``kinds`` uses."""
    used = {_PAYLOAD[k] for k in kinds if k in _PAYLOAD}
    return Term(
        z3.If(c, a.tag, b.tag),
        z3.If(c, a.b, b.b) if "b" in used else FALSE,
        z3.If(c, a.i, b.i) if "i" in used else _ZERO,
        z3.If(c, a.r, b.r) if "r" in used else _RZERO,
        z3.If(c, a.s, b.s) if "s" in used else _EMPTY,
    )


@dataclass(frozen=True)
class Sym:
    """A symbolic ClassAd value: its z3 terms and the kinds it can take."""

    term: Term
    kinds: frozenset[str]

    def is_(self, kind: str) -> z3.BoolRef:
        if kind not in self.kinds:
            return FALSE
        if self.kinds == {kind}:
            return TRUE
        return self.term.tag == TAGS[kind]

    def is_any(self, kinds: Iterable[str]) -> z3.BoolRef:
        wanted = [k for k in kinds if k in self.kinds]
        if not wanted:
            return FALSE
        if self.kinds <= set(wanted):
            return TRUE
        return _or([self.is_(k) for k in wanted])

    # payloads (meaningful only under the matching kind)
    @property
    def bval(self) -> z3.BoolRef:
        return self.term.b

    @property
    def ival(self) -> z3.ArithRef:
        return self.term.i

    @property
    def rval(self) -> z3.ArithRef:
        return self.term.r

    @property
    def sval(self) -> z3.SeqRef:
        return self.term.s

    def intval(self) -> z3.ArithRef:
        """The integer a boolean or integer promotes to."""
        if self.kinds & {"B", "I"} == {"B"}:
            return z3.If(self.bval, z3.IntVal(1), z3.IntVal(0))
        if "B" not in self.kinds:
            return self.ival
        return z3.If(self.is_("B"), z3.If(self.bval, z3.IntVal(1), z3.IntVal(0)), self.ival)

    def realval(self) -> z3.ArithRef:
        """The real a number promotes to (HTCondor compares mixed numbers as doubles)."""
        if "R" not in self.kinds:
            return z3.ToReal(self.intval())
        if not self.kinds & {"B", "I"}:
            return self.rval
        return z3.If(self.is_("R"), self.rval, z3.ToReal(self.intval()))

    def truthy(self) -> z3.BoolRef:
        """True or a non-zero number (what ``&&``, ``?:`` and matchmaking accept as true)."""
        return _or(
            [
                z3.And(self.is_("B"), self.bval) if "B" in self.kinds else FALSE,
                z3.And(self.is_("I"), self.ival != 0) if "I" in self.kinds else FALSE,
                z3.And(self.is_("R"), self.rval != 0) if "R" in self.kinds else FALSE,
            ]
        )

    def falsy(self) -> z3.BoolRef:
        """False or a zero number."""
        return _or(
            [
                z3.And(self.is_("B"), z3.Not(self.bval)) if "B" in self.kinds else FALSE,
                z3.And(self.is_("I"), self.ival == 0) if "I" in self.kinds else FALSE,
                z3.And(self.is_("R"), self.rval == 0) if "R" in self.kinds else FALSE,
            ]
        )

    def const_str(self) -> str | None:
        """The string this value certainly is, when that is known without solving."""
        if self.kinds != {"S"}:
            return None
        t = z3.simplify(self.sval)
        if z3.is_string_value(t):
            return t.as_string()  # type: ignore[no-any-return]
        return None

    def const_int(self) -> int | None:
        if self.kinds != {"I"}:
            return None
        t = z3.simplify(self.ival)
        return t.as_long() if z3.is_int_value(t) else None


def has_kind(term: Term, kinds: Iterable[str]) -> z3.BoolRef:
    """The constraint that a free value is of one of ``kinds`` (what a Sym's kinds promise)."""
    return _or([term.tag == TAGS[k] for k in sorted(kinds)])


def _or(parts: list[z3.BoolRef]) -> z3.BoolRef:
    parts = [p for p in parts if not z3.is_false(p)]
    if any(z3.is_true(p) for p in parts):
        return TRUE
    if not parts:
        return FALSE
    return parts[0] if len(parts) == 1 else z3.Or(*parts)


def _and(parts: list[z3.BoolRef]) -> z3.BoolRef:
    parts = [p for p in parts if not z3.is_true(p)]
    if any(z3.is_false(p) for p in parts):
        return FALSE
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else z3.And(*parts)


any_of = _or
all_of = _and

UNDEF = Sym(Term.make("U"), frozenset("U"))
ERR = Sym(Term.make("E"), frozenset("E"))


def boolean(b: z3.BoolRef | bool) -> Sym:
    return Sym(Term.make("B", b=z3.BoolVal(b) if isinstance(b, bool) else b), frozenset("B"))


def integer(i: z3.ArithRef | int) -> Sym:
    return Sym(Term.make("I", i=z3.IntVal(i) if isinstance(i, int) else i), frozenset("I"))


def real(r: z3.ArithRef | float) -> Sym:
    return Sym(Term.make("R", r=z3.RealVal(r) if isinstance(r, float) else r), frozenset("R"))


def string(s: z3.SeqRef | str) -> Sym:
    return Sym(Term.make("S", s=z3.StringVal(s) if isinstance(s, str) else s), frozenset("S"))


def opaque(identity: int) -> Sym:
    return Sym(Term.make("O", i=z3.IntVal(identity)), frozenset("O"))


def choose(cases: list[tuple[z3.BoolRef, Sym]], default: Sym) -> Sym:
    """``if g1 then v1 elif g2 then v2 ... else default``, pruning impossible guards."""
    live: list[tuple[z3.BoolRef, Sym]] = []
    for guard, value in cases:
        if z3.is_false(guard):
            continue
        if z3.is_true(guard):
            default = value
            break
        live.append((guard, value))
    kinds = set(default.kinds)
    for _guard, value in live:
        kinds |= value.kinds
    term = default.term
    for guard, value in reversed(live):
        term = if_term(guard, value.term, term, kinds)
    return Sym(term, frozenset(kinds))


def wrap64(t: z3.ArithRef) -> z3.ArithRef:
    """Two's-complement wraparound of an integer result, as C's int64 arithmetic."""
    s = z3.simplify(t)
    if z3.is_int_value(s):
        n = s.as_long() & (2**64 - 1)
        return z3.IntVal(n - 2**64 if n >= 2**63 else n)
    in_range = z3.And(t >= INT_MIN, t <= INT_MAX)
    return z3.If(in_range, t, (t - INT_MIN) % (2**64) + INT_MIN)
