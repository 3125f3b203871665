"""Evaluate ClassAd expressions with HTCondor's exact semantics.

Each expression is compiled once into nested Python closures and then run many times (a
policy is evaluated against thousands of synthetic ads by the analysis engine). The
operator tables follow the reference (sections 3.1-3.5) and are checked against classad2
in the tests: ERROR beats UNDEFINED beats a type error; ``&&``/``||`` are three-valued
and short-circuit; ``==`` ignores case on strings while ``=?=`` never yields UNDEFINED.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from typing import Literal as TLiteral

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.parser import ParseOptions, parse_expr, parse_record
from classadlint.classad.values import ERROR, UNDEFINED, AbsTime, ErrorType, ListValue, RelTime

Value = Any  # bool | int | float | str | list | ClassAd | UNDEFINED | ERROR | AbsTime | RelTime
Compiled = Callable[["Env"], Value]

_INT_MIN = -(2**63)
_MASK = 2**64 - 1


def wrap(n: int) -> int:
    """Two's-complement 64-bit wraparound, as C's int64 arithmetic."""
    n &= _MASK
    return n - 2**64 if n >= 2**63 else n


def c_int(n: int) -> int:
    """An integer read into a C ``int`` (32 bits, wrapping), as HTCondor does for list
    indexes, ``interval()`` and time arguments."""
    return ((n + 2**31) % 2**32) - 2**31


_SHARED_RNG = random.Random()


class Env:
    """Everything an evaluation needs besides the expression.

    ``ad`` is the ad whose attributes unqualified names see first; ``my`` and ``target``
    are the two top-level ads of a match (``target`` None for a single ad). A plain class
    with slots: one is made per evaluation, and another only when an attribute of a
    different ad is evaluated, so construction must be cheap.
    """

    __slots__ = ("_flipped", "active", "ad", "clock", "my", "rng", "semantics", "target",
                 "user_maps")  # fmt: skip

    def __init__(
        self,
        ad: ClassAd | None,
        my: ClassAd | None,
        target: ClassAd | None,
        semantics: TLiteral["daemon", "strict"] = "daemon",
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        user_maps: Mapping[str, Mapping[str, str]] | None = None,
        active: set[tuple[int, str]] | None = None,
    ) -> None:
        self.ad = ad
        self.my = my
        self.target = target
        self.semantics = semantics
        self.clock = clock
        self.rng = rng or _SHARED_RNG
        self.user_maps: Mapping[str, Mapping[str, str]] = user_maps or {}
        self.active: set[tuple[int, str]] = set() if active is None else active
        self._flipped: Env | None = None

    def scoped(self, ad: ClassAd) -> Env:
        """The environment for evaluating an attribute that lives in ``ad``.

        An attribute of the match's other ad sees the world from that side: its MY is the
        target and its TARGET is us.
        """
        if ad is self.ad:
            return self
        if ad.parent is None:  # a top-level ad: MY or TARGET
            if ad is self.my and self.ad is self.my:
                return self
            if self.target is not None and ad is self.target:
                flipped = self._flipped
                if flipped is None or flipped.ad is not ad:
                    flipped = self._flipped = Env(ad, self.target, self.my, self.semantics,
                                                  self.clock, self.rng, self.user_maps,
                                                  self.active)  # fmt: skip
                return flipped
        root = ad.root()
        my, target = self.my, self.target
        if target is not None and root is target:
            my, target = target, my
        return Env(ad, my, target, self.semantics, self.clock, self.rng, self.user_maps,
                   self.active)  # fmt: skip


# --- truthiness and numbers ----------------------------------------------------------


def is_number(v: Value) -> bool:
    return v.__class__ in (int, float, bool)


def truth(v: Value) -> bool | None:
    """bool for a boolean or number, None for anything else (a type error)."""
    c = v.__class__
    if c is bool:
        return bool(v)
    if c is int or c is float:
        return bool(v != 0)
    return None


# --- attribute lookup ------------------------------------------------------------------


def _eval_attr(ad: ClassAd, lname: str, env: Env) -> Value:
    """Evaluate ``lname`` of ``ad`` in ``ad``'s scope; circular references are UNDEFINED."""
    key = (id(ad), lname)
    active = env.active
    if key in active:
        return UNDEFINED  # HTCondor 25.13.2+ (HTCONDOR-3814)
    fn = ad.compiled.get(lname)
    if fn is None:
        expr = ad.lookup(lname)
        if expr is None:
            return UNDEFINED
        fn = ad.compiled[lname] = compile_expr(expr)
    active.add(key)
    try:
        return fn(env.scoped(ad))
    finally:
        active.discard(key)


def _lookup(lname: str, env: Env) -> Value:
    """An unqualified name (already lower-case): MY, enclosing ads, specials, TARGET."""
    ad = env.ad
    while ad is not None:
        if lname in ad._exprs:
            return _eval_attr(ad, lname, env)
        ad = ad.parent
    special = _special(lname, env)
    if special is not None:
        return special
    # Old semantics fall back to the other ad of the match, but only from a top-level ad:
    # the alternate scope belongs to the ad, so a nested record never reaches it.
    target = env.target
    if (
        env.semantics == "daemon"
        and target is not None
        and env.ad is env.my
        and lname in target._exprs
    ):
        return _eval_attr(target, lname, env)
    return UNDEFINED


def _special(lname: str, env: Env) -> Value | None:
    """Names with a meaning of their own when no ad in scope defines them."""
    if lname == "my" or lname == "self":
        if lname == "my" and env.semantics != "daemon" and env.target is None:
            return None
        return env.ad if lname == "self" else env.my
    if lname in ("target", "other"):
        return env.target if env.target is not None else UNDEFINED
    if lname == "parent":
        return env.ad.parent if env.ad is not None and env.ad.parent is not None else UNDEFINED
    if lname in ("root", "toplevel"):
        if env.target is not None:
            return UNDEFINED  # in a match the root is the match ad
        return env.ad.root() if env.ad is not None else UNDEFINED
    if lname == "ad" and env.target is not None:
        return env.my
    if lname == "currenttime" and env.semantics == "daemon" and env.ad is not None:
        return int(env.clock())
    return None


def select(base: Value, name: str, env: Env) -> Value:
    """``base.name``: attribute of an ad, projection over a list."""
    if isinstance(base, ClassAd):
        lname = name.lower()
        if lname in base:
            return _eval_attr(base, lname, env)
        return UNDEFINED
    if isinstance(base, list):
        return [select(item, name, env) for item in base]
    if base is UNDEFINED:
        return UNDEFINED
    return ERROR


# --- operators -------------------------------------------------------------------------


def _strict(a: Value, b: Value) -> Value | None:
    """ERROR if either is ERROR, else UNDEFINED if either is UNDEFINED, else None."""
    if a is ERROR or b is ERROR:
        return ERROR
    if a is UNDEFINED or b is UNDEFINED:
        return UNDEFINED
    return None


def arith(op: str, a: Value, b: Value) -> Value:
    bad = _strict(a, b)
    if bad is not None:
        return bad
    ca, cb = a.__class__, b.__class__
    if ca is RelTime or cb is RelTime or ca is AbsTime or cb is AbsTime:
        return _time_arith(op, a, b)
    if not (ca in (int, float, bool) and cb in (int, float, bool)):
        return ERROR
    if ca is float or cb is float:
        x, y = float(a), float(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0.0:
                if x > 0:
                    return ERROR
                return -math.inf if x < 0 else math.nan
            return x / y
        return ERROR  # real % is an error
    x, y = int(a), int(b)
    if op == "+":
        return wrap(x + y)
    if op == "-":
        return wrap(x - y)
    if op == "*":
        return wrap(x * y)
    if y == 0:
        return ERROR
    if op == "/":
        if x == _INT_MIN and y == -1:
            return 2**63 - 1
        q = abs(x) // abs(y)
        return q if (x >= 0) == (y >= 0) else -q
    if x == _INT_MIN and y == -1:
        return 0
    r = abs(x) % abs(y)
    return r if x >= 0 else -r


def _time_arith(op: str, a: Value, b: Value) -> Value:
    ca, cb = a.__class__, b.__class__
    if op == "+":
        if ca is AbsTime and cb is RelTime:
            return AbsTime(int(a.seconds + b.seconds), a.offset)
        if ca is RelTime and cb is AbsTime:
            return AbsTime(int(a.seconds + b.seconds), b.offset)
        if ca is RelTime and cb is RelTime:
            return RelTime(a.seconds + b.seconds)
        return ERROR
    if op == "-":
        if ca is AbsTime and cb is AbsTime:
            return RelTime(float(a.seconds - b.seconds))
        if ca is AbsTime and cb is RelTime:
            return AbsTime(int(a.seconds - b.seconds), a.offset)
        if ca is RelTime and cb is RelTime:
            return RelTime(a.seconds - b.seconds)
        return ERROR
    if op in ("*", "/") and ca is RelTime and cb in (int, float, bool):
        if op == "*":
            return RelTime(a.seconds * b)
        return ERROR if b == 0 else RelTime(a.seconds / b)
    if op == "*" and cb is RelTime and ca in (int, float, bool):
        return RelTime(b.seconds * a)
    return ERROR


def bitwise(op: str, a: Value, b: Value) -> Value:
    bad = _strict(a, b)
    if bad is not None:
        return bad
    if a.__class__ is not int or b.__class__ is not int:
        return ERROR
    if op == "&":
        return a & b
    if op == "|":
        return a | b
    if op == "^":
        return a ^ b
    n = b & 63  # the shift count is taken modulo 64, as on the machines HTCondor runs on
    if op == "<<":
        return wrap(a << n)
    if op == ">>":
        return a >> n
    return wrap((a & _MASK) >> n)  # >>>


def compare(op: str, a: Value, b: Value) -> Value:
    """``== != < <= > >=``: numbers promoted, strings without case, other mixes ERROR."""
    bad = _strict(a, b)
    if bad is not None:
        return bad
    ca, cb = a.__class__, b.__class__
    if ca in (int, float, bool) and cb in (int, float, bool):
        x, y = a, b
    elif ca is str and cb is str:
        x, y = a.lower(), b.lower()
    elif (ca is AbsTime and cb is AbsTime) or (ca is RelTime and cb is RelTime):
        x, y = a.seconds, b.seconds
    else:
        return ERROR
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


def identical(a: Value, b: Value) -> Value:
    """``=?=``: same type and same value, case-sensitive; two lists or two ads are ERROR."""
    if isinstance(a, list) and isinstance(b, list):
        return ERROR
    if isinstance(a, ClassAd) and isinstance(b, ClassAd):
        return ERROR
    if a.__class__ is not b.__class__:
        return False
    return bool(a == b) if not (a.__class__ is float and a != a) else False


def _logical(a: Value, b_fn: Compiled, env: Env, decisive: bool) -> Value:
    """``&&`` (decisive False) and ``||`` (decisive True), three-valued, short-circuit:
    ERROR wins, a decisive operand decides, UNDEFINED otherwise infects; numbers are
    truthy and any other type is ERROR."""
    if a is ERROR:
        return ERROR
    ta = truth(a)
    if ta is None and a is not UNDEFINED:
        return ERROR
    if ta is decisive:
        return decisive
    b = b_fn(env)
    if b is ERROR:
        return ERROR
    tb = truth(b)
    if tb is None and b is not UNDEFINED:
        return ERROR
    if tb is decisive:
        return decisive
    if a is UNDEFINED or b is UNDEFINED:
        return UNDEFINED
    return not decisive


def logical_and(a: Value, b_fn: Compiled, env: Env) -> Value:
    return _logical(a, b_fn, env, False)


def logical_or(a: Value, b_fn: Compiled, env: Env) -> Value:
    return _logical(a, b_fn, env, True)


def unary(op: str, a: Value) -> Value:
    if a is ERROR or a is UNDEFINED:
        return a
    c = a.__class__
    if op == "!":
        t = truth(a)
        return ERROR if t is None else not t
    if op == "-":
        if c is int:
            return wrap(-a)
        if c is float:
            return -a
        if c is RelTime:
            return RelTime(-a.seconds)
        return ERROR
    if op == "+":
        return a if c in (int, float, RelTime) else ERROR
    return ~a if c is int else ERROR  # ~


def subscript(base: Value, index: Value) -> Value:
    bad = _strict(base, index)
    if bad is not None:
        return bad
    if isinstance(base, list):
        if index.__class__ is not int:
            return ERROR
        index = c_int(index)
        if not 0 <= index < len(base):
            return ERROR
        return base[index]
    if isinstance(base, ClassAd):
        return ERROR if not isinstance(index, str) else None  # looked up by the caller
    return ERROR


# --- the compiler ------------------------------------------------------------------------


def compile_expr(expr: ast.Expr) -> Compiled:
    """Compile an AST into a closure ``fn(env) -> value``."""
    from classadlint.classad.functions import compile_call

    match expr:
        case ast.Literal(value=v):
            if isinstance(v, AbsTime | RelTime | ErrorType) or v is UNDEFINED:
                return lambda env: v
            return lambda env: v
        case ast.Paren(inner=inner):
            return compile_expr(inner)
        case ast.AttrRef(name=name):
            lowered = name.lower()
            return lambda env: _lookup(lowered, env)
        case ast.AbsoluteRef(name=name):
            lname = name.lower()

            def absolute(env: Env) -> Value:
                if env.target is not None or env.ad is None:
                    return UNDEFINED
                root = env.ad.root()
                return _eval_attr(root, lname, env) if lname in root else UNDEFINED

            return absolute
        case ast.Select(base=base, name=name):
            fb = compile_expr(base)
            return lambda env: select(fb(env), name, env)
        case ast.Subscript(base=base, index=index):
            fb, fi = compile_expr(base), compile_expr(index)

            def sub(env: Env) -> Value:
                b, i = fb(env), fi(env)
                result = subscript(b, i)
                if result is None:  # ad["name"]
                    return select(b, i, env)
                return result

            return sub
        case ast.Unary(op=op, operand=operand):
            fo = compile_expr(operand)
            return lambda env: unary(op, fo(env))
        case ast.Binary(op=op, left=left, right=right):
            return _compile_binary(op, compile_expr(left), compile_expr(right))
        case ast.Conditional(cond=cond, then=then, otherwise=other):
            return compile_conditional(compile_expr(cond), compile_expr(then), compile_expr(other))
        case ast.Elvis(left=left, right=right):
            fl, fr = compile_expr(left), compile_expr(right)

            def elvis(env: Env) -> Value:
                v = fl(env)
                return fr(env) if v is UNDEFINED else v

            return elvis
        case ast.Call():
            return compile_call(expr)
        case ast.ListExpr(items=items):
            fns = [compile_expr(i) for i in items]
            return lambda env: ListValue([f(env) for f in fns], items)
        case ast.Record():
            record = expr

            def make(env: Env) -> Value:
                return ClassAd.from_record(record, parent=env.ad)

            return make
    raise TypeError(f"not an expression node: {expr!r}")


def compile_conditional(fc: Compiled, ft: Compiled, fo: Compiled) -> Compiled:
    """``c ? a : b`` and ``ifThenElse``: lazy; UNDEFINED condition gives UNDEFINED."""

    def conditional(env: Env) -> Value:
        c = fc(env)
        if c is UNDEFINED:
            return UNDEFINED
        t = truth(c)
        if t is None:
            return ERROR
        return ft(env) if t else fo(env)

    return conditional


def _compile_binary(op: str, fl: Compiled, fr: Compiled) -> Compiled:
    if op == "&&":
        return lambda env: logical_and(fl(env), fr, env)
    if op == "||":
        return lambda env: logical_or(fl(env), fr, env)
    if op == "=?=":
        return lambda env: identical(fl(env), fr(env))
    if op == "=!=":

        def not_identical(env: Env) -> Value:
            r = identical(fl(env), fr(env))
            return r if r is ERROR else not r

        return not_identical
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return lambda env: compare(op, fl(env), fr(env))
    if op in ("+", "-", "*", "/", "%"):
        return lambda env: arith(op, fl(env), fr(env))
    return lambda env: bitwise(op, fl(env), fr(env))


# --- public API --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _compiled_text(text: str, options: ParseOptions) -> Compiled:
    return compile_expr(parse_expr(text, options))


def as_ad(value: ClassAd | Mapping[str, Any] | str | None, options: ParseOptions) -> ClassAd | None:
    """A ClassAd from an ad, a mapping of Python values, or ClassAd text (new or old syntax)."""
    if value is None or isinstance(value, ClassAd):
        return value
    if isinstance(value, str):
        from classadlint.classad.adfile import parse_ad_text

        return parse_ad_text(value, options.semantics)
    return ClassAd(value)


@contextmanager
def _deep_recursion(limit: int = 20000) -> Any:
    """Long operator chains compile to deeply nested closures; give them room."""
    old = sys.getrecursionlimit()
    if old < limit:
        sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        if old < limit:
            sys.setrecursionlimit(old)


def evaluate(
    expr: ast.Expr | str,
    my: ClassAd | Mapping[str, Any] | str | None = None,
    target: ClassAd | Mapping[str, Any] | str | None = None,
    *,
    options: ParseOptions | None = None,
    clock: Callable[[], float] | None = None,
    rng: random.Random | None = None,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
) -> Value:
    """The value of ``expr`` with ``my`` as the ad it belongs to and ``target`` as the other
    ad of a match. ``clock`` and ``rng`` make ``time()`` and ``random()`` deterministic;
    ``user_maps`` are the maps ``userMap()`` reads (name -> {key: comma list}).
    """
    options = options or ParseOptions()
    fn = _compiled_text(expr, options) if isinstance(expr, str) else compile_expr(expr)
    my_ad = as_ad(my, options)
    target_ad = as_ad(target, options)
    env = Env(my_ad, my_ad, target_ad, options.semantics, clock or time.time, rng, user_maps)
    with _deep_recursion():
        try:
            return fn(env)
        except RecursionError:
            return ERROR  # HTCondor bounds evaluation depth too


def evaluate_attribute(name: str, my: ClassAd, target: ClassAd | None = None, **kw: Any) -> Value:
    """The value of attribute ``name`` of ``my`` (UNDEFINED if absent)."""
    expr = my.lookup(name)
    if expr is None:
        return UNDEFINED
    return evaluate(expr, my, target, **kw)


__all__ = ["Env", "compile_expr", "evaluate", "evaluate_attribute", "parse_record"]
