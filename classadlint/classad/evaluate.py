"""Evaluate ClassAd expressions with HTCondor's exact semantics.

Each expression is compiled once into nested Python closures and then run many times (a
policy is evaluated against thousands of synthetic ads by the analysis engine). The
operator tables follow the reference (sections 3.1-3.5) and are checked against classad2
in the tests: ERROR beats UNDEFINED beats a type error; ``&&``/``||`` are three-valued
and short-circuit; ``==`` ignores case on strings while ``=?=`` never yields UNDEFINED.

HTCondor bounds the depth of an evaluation (``EvalState::depth_remaining``, 400 levels,
classad/exprTree.h) and the evaluation *fails* past it: classad2 raises, a daemon treats
the expression as not evaluable. Every operator and parenthesis costs a level for its
operands (operators.cpp ``RecursionGuard``), every attribute reference that finds its
attribute a level for the attribute's expression (attrrefs.cpp), a selection ``x.a`` a
level for ``x`` (there the bound gives ERROR, not failure), ``strcat``/``join`` a level
per argument and ``eval`` one for the text it parses (fnCall.cpp); a list element is read
one level below the list (``ExprList::GetValueAt``, where a failure becomes ERROR), and
``ad["name"]`` evaluates the attribute afresh (``ClassAd::EvaluateAttr``), failure again
ERROR. We count the same levels: statically inside one expression (``position``: levels
above a node within its expression) and dynamically across attribute references
(``Env.base``: levels used before the expression started), so the ordinary evaluation
pays only at attribute references; an expression that could cross the bound from where
it starts is run by a second compilation whose every level checks (see :class:`Unit`).

The target HTCondor version (``ParseOptions.version``, kept in :class:`Env`) changes a
few things (reference section 10). Before 25.13.2 there was no cycle detection: a
circular reference went round until the bound was spent and the evaluation failed, where
25.13.2 (HTCONDOR-3814) gives UNDEFINED; and the operators evaluated more of their
operands: ``c ? a : b`` both branches when ``c`` is not a boolean or number, ``x && y``
and ``x || y`` the right side when ``x`` is ERROR, and before 23.10 ``x ?: y`` its right
side unless ``x`` is false. The values are the same, but evaluating an operand that fails
makes the whole evaluation fail, so ``b = a ?: b`` fails before 23.10 even when ``a`` is
defined. The depth accounting stays 25.13.2's (see the limits in :func:`evaluate`).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any
from typing import Literal as TLiteral

from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.parser import (
    DEFAULT_VERSION,
    ELVIS_POSTFIX,
    ELVIS_SPACED,
    ParseOptions,
    Version,
    parse_expr,
    parse_record,
)
from classadlint.classad.values import ERROR, UNDEFINED, AbsTime, ListValue, RelTime

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

#: ``EvalState::MAX_CLASSAD_RECURSION`` (classad/exprTree.h): levels an evaluation may use.
MAX_DEPTH = 400


class EvaluationFailed(Exception):
    """HTCondor's ``Evaluate`` returned false: the evaluation went past :data:`MAX_DEPTH`
    (before 25.13.2 also every circular reference; then the message says so).

    It unwinds every enclosing operator and function, as the C++ ``return false`` does,
    up to :func:`evaluate` (the value is then ERROR, or this is raised with
    ``on_failure="raise"``), or to the places where HTCondor ignores the failure: a list
    element, ``ad["name"]``.
    """


def _fail(env: Env) -> Any:
    raise EvaluationFailed


class Env:
    """Everything an evaluation needs besides the expression.

    ``ad`` is the ad whose attributes unqualified names see first; ``my`` and ``target``
    are the two top-level ads of a match (``target`` None for a single ad). A plain class
    with slots: one is made per evaluation, and another only when an attribute of a
    different ad is evaluated, so construction must be cheap.
    """

    __slots__ = ("_flipped", "active", "ad", "base", "clock", "eager_elvis", "legacy", "my",
                 "rng", "semantics", "target", "user_maps", "version")  # fmt: skip

    def __init__(
        self,
        ad: ClassAd | None,
        my: ClassAd | None,
        target: ClassAd | None,
        semantics: TLiteral["daemon", "strict"] = "daemon",
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        user_maps: Mapping[str, Mapping[str, str]] | None = None,
        active: set[object] | None = None,
        version: Version = DEFAULT_VERSION,
    ) -> None:
        self.ad = ad
        self.my = my
        self.target = target
        self.semantics = semantics
        self.clock = clock
        self.rng = rng or _SHARED_RNG
        self.user_maps: Mapping[str, Mapping[str, str]] = user_maps or {}
        #: The HTCondor version followed; ``legacy`` (before 25.13.2: cycles fail, operators
        #: evaluate more operands) and ``eager_elvis`` (before 23.10) are read on hot paths.
        self.version = version
        self.legacy = version < ELVIS_SPACED
        self.eager_elvis = version < ELVIS_POSTFIX
        #: The attribute expressions being evaluated (their compiled units), to see a cycle.
        self.active: set[object] = set() if active is None else active
        self._flipped: Env | None = None
        #: Levels of HTCondor's depth bound used before the expression being evaluated in
        #: this environment started (set around each attribute reference).
        self.base = 0

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
                                                  self.active, self.version)  # fmt: skip
                    flipped.base = self.base
                return flipped
        root = ad.root()
        my, target = self.my, self.target
        if target is not None and root is target:
            my, target = target, my
        env = Env(ad, my, target, self.semantics, self.clock, self.rng, self.user_maps,
                  self.active, self.version)  # fmt: skip
        env.base = self.base
        return env


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


class Unit:
    """One expression compiled for evaluation from any depth of HTCondor's bound.

    ``fast`` has no depth checks and is right while the expression starts below ``limit``
    levels (so that its deepest check point stays under :data:`MAX_DEPTH`); from deeper,
    :meth:`at` hands out ``checked``, compiled on first need, whose every level checks.
    An attribute's unit is kept in ``ClassAd.compiled``.
    """

    __slots__ = ("_checked", "expr", "fast", "limit")

    def __init__(self, expr: ast.Expr) -> None:
        self.expr = expr
        self.limit = MAX_DEPTH - deepest_level(expr)
        # An expression deeper than the bound is never run unchecked (nor compiled so).
        self.fast: Compiled | None = compile_expr(expr) if self.limit > 0 else None
        self._checked: Compiled | None = None

    def at(self, base: int) -> Compiled:
        """The compilation to run when ``base`` levels are used before the expression."""
        fast = self.fast
        if base < self.limit and fast is not None:
            return fast
        checked = self._checked
        if checked is None:
            checked = self._checked = compile_expr(self.expr, 0, checked=True)
        return checked


def _eval_attr(ad: ClassAd, lname: str, env: Env, position: int) -> Value:
    """Evaluate ``lname`` of ``ad`` in ``ad``'s scope, for a reference ``position`` levels
    deep in its expression; circular references are UNDEFINED (before 25.13.2 they fail).

    As attrrefs.cpp: an attribute that is not there is UNDEFINED whatever the depth; one
    that is there needs a level, past the bound the evaluation fails (checked before the
    cycle test, as HTCondor does), and its expression starts one level below the
    reference.
    """
    entry = _unit(ad, lname)
    if entry is None:
        return UNDEFINED
    used = env.base + position + 1  # the levels used once the reference has its own
    if used > MAX_DEPTH:
        raise EvaluationFailed
    active = env.active
    if entry in active:  # the same expression further up: the unit is the identity
        if env.legacy:
            _circular(lname)
        return UNDEFINED  # HTCondor 25.13.2+ (HTCONDOR-3814)
    inner = env if ad is env.ad else env.scoped(ad)
    saved = inner.base
    inner.base = used
    fn: Compiled | None
    if entry.__class__ is Unit:
        fn = entry.fast if used < entry.limit else entry.at(used)
    else:  # a callable put in the cache by hand (tests do) runs as it is
        fn = entry
    active.add(entry)
    try:
        return fn(inner)  # type: ignore[misc]  # fast is there below the limit
    finally:
        active.discard(entry)
        inner.base = saved


def _circular(name: str) -> None:
    """A circular reference before 25.13.2: nothing stopped it (v25.12.2
    src/classad/attrrefs.cpp:184-196 only spends a level per reference), so it went round
    until the depth bound was spent and ``Evaluate`` returned false; the same failure is
    raised here at once. One difference is left: a list element or ``ad["x"]`` inside the
    cycle turns the failure into ERROR there, and HTCondor then computed the rest of each
    remaining round with it, which the result of a contrived cycle can depend on."""
    raise EvaluationFailed(
        f"`{name}` refers to itself (through other attributes perhaps): before 25.13.2 "
        "HTCondor follows such a cycle until its evaluation depth bound is spent"
    )


def _unit(ad: ClassAd, lname: str) -> Any:
    """The compiled unit of attribute ``lname`` of ``ad`` (compiled once), None if absent."""
    entry: Any = ad.compiled.get(lname)
    if entry is None:
        expr = ad.lookup(lname)
        if expr is None:
            return None
        entry = ad.compiled[lname] = Unit(expr)
    return entry


def _eval_fresh(ad: ClassAd, lname: str, env: Env) -> Value:
    """``ad["name"]``: operators.cpp reads it with ``ClassAd::EvaluateAttr``, a fresh
    evaluation (all levels free again) whose failure is just ERROR."""
    entry = _unit(ad, lname)
    if entry is None:
        return UNDEFINED
    active = env.active
    if entry in active:
        if env.legacy:
            # Before 25.13.2 each EvaluateAttr starts a fresh EvalState (v23.0.0
            # src/classad/classad.cpp:1090-1099), so a cycle through it recursed without
            # bound; ERROR, the subscript's answer to a failure, stands for that.
            return ERROR
        return UNDEFINED
    inner = env.scoped(ad)
    saved = inner.base
    inner.base = 0
    fn: Compiled = entry.at(0) if entry.__class__ is Unit else entry
    active.add(entry)
    try:
        return fn(inner)
    except EvaluationFailed:
        return ERROR
    finally:
        active.discard(entry)
        inner.base = saved


def _lookup(lname: str, env: Env, position: int) -> Value:
    """An unqualified name (already lower-case): MY, enclosing ads, specials, TARGET."""
    ad = env.ad
    while ad is not None:
        if lname in ad._exprs:
            return _eval_attr(ad, lname, env, position)
        ad = ad.parent
    special = _special(lname, env)
    if special is not None:
        if special is not UNDEFINED:
            # Resolved: HTCondor found the name (the ad itself, or CurrentTime's time()),
            # a level; TARGET, OTHER and AD are attributes of the match's context ad whose
            # value is a reference (.RIGHT), a second level.
            levels = 2 if lname in _MATCH_ALIASES else 1
            if env.base + position + levels > MAX_DEPTH:
                raise EvaluationFailed
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
        return _eval_attr(target, lname, env, position)
    return UNDEFINED


_MATCH_ALIASES = frozenset({"target", "other", "ad"})


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


def select(base: Value, name: str, env: Env, position: int = 0) -> Value:
    """``base.name``: attribute of an ad, projection over a list."""
    if isinstance(base, ClassAd):
        lname = name.lower()
        if lname in base:
            return _eval_attr(base, lname, env, position)
        return UNDEFINED
    if isinstance(base, list):
        return [select(item, name, env, position) for item in base]
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
        if env.legacy:
            b_fn(env)  # evaluated before 25.13.2 (operators.cpp shortCircuit), may fail
        return ERROR
    ta = truth(a)
    if ta is None and a is not UNDEFINED:
        if env.legacy:
            b_fn(env)
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


def deepest_level(expr: ast.Expr) -> int:
    """The deepest place in ``expr`` where HTCondor's depth bound is checked, counted in
    levels from the top of the expression (-1 when there is none: a literal).

    Each operator and parenthesis checks at its own position and puts its operands one
    level down; so do a selection (for its base), an attribute reference, a list (for its
    elements) and ``strcat``/``join``/``eval``; other calls check nothing and leave their
    arguments at their own position. A walk with a stack: trees are as deep as the input.
    """
    deepest = -1
    stack: list[tuple[ast.Expr, int]] = [(expr, 0)]
    while stack:
        node, position = stack.pop()
        cls = node.__class__
        if cls is ast.Literal or cls is ast.Record:
            continue
        if cls is ast.Call:
            lname = node.name.lower()  # type: ignore[union-attr]
            below = position
            if lname in _LEVEL_FUNCTIONS:
                deepest = max(deepest, position)
                below = position + 1
            stack.extend((arg, below) for arg in node.args)  # type: ignore[union-attr]
            continue
        deepest = max(deepest, position)
        stack.extend((child, position + 1) for child in ast.children(node))
    return deepest


#: Functions that spend a level of the bound on their arguments (fnCall.cpp).
_LEVEL_FUNCTIONS = frozenset({"strcat", "join", "eval"})


def _guarded(fn: Compiled, position: int) -> Compiled:
    """``fn`` behind the check of an operator ``position`` levels into its expression
    (operators.cpp: the evaluation fails when no level is left for the operands)."""

    def guarded(env: Env) -> Value:
        if env.base + position >= MAX_DEPTH:
            raise EvaluationFailed
        return fn(env)

    return guarded


def compile_expr(expr: ast.Expr, position: int = 0, checked: bool = False) -> Compiled:
    """Compile an AST into a closure ``fn(env) -> value``.

    ``position`` is the number of levels of HTCondor's depth bound above ``expr`` within
    its expression; attribute references use it to place the expression they read.
    ``checked`` adds the bound's check to every operator: that compilation runs only an
    expression that starts near the bound (see :class:`Unit`), the ordinary one has none.
    """
    from classadlint.classad.functions import compile_call

    if checked and position > MAX_DEPTH:
        # Never reached: the operator above it already failed at MAX_DEPTH.
        return _fail
    below = position + 1
    match expr:
        case ast.Literal(value=v):
            return lambda env: v
        case ast.Paren(inner=inner):
            fi = compile_expr(inner, below, checked)
            return _guarded(fi, position) if checked else fi
        case ast.AttrRef(name=name):
            lowered = name.lower()
            return lambda env: _lookup(lowered, env, position)
        case ast.AbsoluteRef(name=name):
            lname = name.lower()

            def absolute(env: Env) -> Value:
                if env.target is not None or env.ad is None:
                    return UNDEFINED  # in a match: HTCondor's match ad (not modelled)
                root = env.ad.root()
                if lname in root:
                    return _eval_attr(root, lname, env, position)
                # classad.cpp LookupInScope: a special name the root does not define
                if lname in ("root", "toplevel", "self", "my"):
                    return root
                if lname == "currenttime" and env.semantics == "daemon":
                    return int(env.clock())
                return UNDEFINED

            return absolute
        case ast.Select(base=base, name=name):
            fb = compile_expr(base, below, checked)
            if not checked:
                return lambda env: select(fb(env), name, env, position)

            def checked_select(env: Env) -> Value:
                # attrrefs.cpp FindExpr: no level left for the base is ERROR, not failure.
                if env.base + position >= MAX_DEPTH:
                    return ERROR
                return select(fb(env), name, env, position)

            return checked_select
        case ast.Subscript(base=base, index=index):
            fb, fi = compile_expr(base, below, checked), compile_expr(index, below, checked)

            def sub(env: Env) -> Value:
                b, i = fb(env), fi(env)
                result = subscript(b, i)
                if result is None:  # ad["name"]
                    return _eval_fresh(b, i.lower(), env) if i.lower() in b else UNDEFINED
                return result

            return _guarded(sub, position) if checked else sub
        case ast.Unary(op=op, operand=operand):
            fo = compile_expr(operand, below, checked)
            fn: Compiled = lambda env: unary(op, fo(env))  # noqa: E731
            return _guarded(fn, position) if checked else fn
        case ast.Binary(op=op, left=left, right=right):
            fn = _compile_binary(
                op, compile_expr(left, below, checked), compile_expr(right, below, checked)
            )
            return _guarded(fn, position) if checked else fn
        case ast.Conditional(cond=cond, then=then, otherwise=other):
            fn = compile_conditional(
                compile_expr(cond, below, checked),
                compile_expr(then, below, checked),
                compile_expr(other, below, checked),
                eager=True,
            )
            return _guarded(fn, position) if checked else fn
        case ast.Elvis(left=left, right=right):
            fl, fr = compile_expr(left, below, checked), compile_expr(right, below, checked)

            def elvis(env: Env) -> Value:
                v = fl(env)
                if v is UNDEFINED:
                    return fr(env)
                if env.eager_elvis and truth(v) is not False:
                    # Before 23.10 `x ?: y` was a conditional without a middle: the right
                    # side is evaluated unless x is false (v23.0.0 src/classad/
                    # operators.cpp:568-588 shortCircuit, then _Evaluate 518-531).
                    fr(env)
                return v

            return _guarded(elvis, position) if checked else elvis
        case ast.Call():
            return compile_call(expr, position, checked)
        case ast.ListExpr(items=items):
            fns = [compile_expr(i, below, checked) for i in items]

            def make_list(env: Env) -> Value:
                # HTCondor reads an element when it is used, one level below the list
                # (ExprList::GetValueAt); its failure, or no level left, is ERROR there.
                if checked and env.base + position >= MAX_DEPTH:
                    return ListValue([ERROR] * len(fns), items)
                values = []
                for f in fns:
                    try:
                        values.append(f(env))
                    except EvaluationFailed:
                        values.append(ERROR)
                return ListValue(values, items)

            return make_list
        case ast.Record():
            record = expr

            def make(env: Env) -> Value:
                return ClassAd.from_record(record, parent=env.ad)

            return make
    raise TypeError(f"not an expression node: {expr!r}")


def compile_conditional(fc: Compiled, ft: Compiled, fo: Compiled, eager: bool = False) -> Compiled:
    """``c ? a : b`` and ``ifThenElse``: lazy; UNDEFINED condition gives UNDEFINED.

    ``eager`` (the operator, not ``ifThenElse``): before 25.13.2 a condition that is not a
    boolean or number let both branches be evaluated (v25.12.2 src/classad/operators.cpp
    shortCircuit returns false, then ``_Evaluate`` evaluates every child), whose failure
    fails the whole; the value is the same.
    """

    def conditional(env: Env) -> Value:
        c = fc(env)
        if c is UNDEFINED:
            if eager and env.legacy:
                ft(env)
                fo(env)
            return UNDEFINED
        t = truth(c)
        if t is None:
            if eager and env.legacy:
                ft(env)
                fo(env)
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
def _compiled_text(text: str, options: ParseOptions) -> Unit:
    return Unit(parse_expr(text, options))


#: id(tree) -> (tree, unit) for trees handed to :func:`evaluate` (the analysis evaluates one
#: tree against many ads); the tree is kept so that its id cannot be reused meanwhile.
_TREE_UNITS: dict[int, tuple[ast.Expr, Unit]] = {}
_TREE_UNITS_MAX = 1024


def _compiled_tree(tree: ast.Expr) -> Unit:
    entry = _TREE_UNITS.get(id(tree))
    if entry is not None and entry[0] is tree:
        return entry[1]
    unit = Unit(tree)
    if len(_TREE_UNITS) >= _TREE_UNITS_MAX:
        # Another thread may evict at the same time: losing a cache entry is harmless.
        with suppress(KeyError, RuntimeError, StopIteration):
            _TREE_UNITS.pop(next(iter(_TREE_UNITS)))
    _TREE_UNITS[id(tree)] = (tree, unit)
    return unit


def as_ad(value: ClassAd | Mapping[str, Any] | str | None, options: ParseOptions) -> ClassAd | None:
    """A ClassAd from an ad, a mapping of Python values, or ClassAd text (new or old syntax)."""
    if value is None or isinstance(value, ClassAd):
        return value
    if isinstance(value, str):
        from classadlint.classad.adfile import parse_ad_text

        return parse_ad_text(value, options.semantics, options.version)
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
    on_failure: TLiteral["error", "raise"] = "error",
) -> Value:
    """The value of ``expr`` with ``my`` as the ad it belongs to and ``target`` as the other
    ad of a match. ``clock`` and ``rng`` make ``time()`` and ``random()`` deterministic;
    ``user_maps`` are the maps ``userMap()`` reads (name -> {key: comma list}).

    An evaluation that goes past HTCondor's depth bound fails there (classad2 raises); its
    value is then ERROR, the value HTCondor leaves behind, or with ``on_failure="raise"``
    :class:`EvaluationFailed` is raised so that the failure can be told from ERROR.

    ``options.version`` is the HTCondor version followed (see the module docstring). The
    depth bound is counted as from 25.13.2 whatever the version: before, operators spent
    no level (operators.cpp had no RecursionGuard), so an older HTCondor evaluates some
    deeper expressions this reports as failing.
    """
    options = options or ParseOptions()
    my_ad = as_ad(my, options)
    target_ad = as_ad(target, options)
    env = Env(my_ad, my_ad, target_ad, options.semantics, clock or time.time, rng, user_maps,
              version=options.version)  # fmt: skip
    with _deep_recursion():
        unit = _compiled_text(expr, options) if isinstance(expr, str) else _compiled_tree(expr)
        try:
            return unit.at(0)(env)
        except EvaluationFailed:
            if on_failure == "raise":
                raise
            return ERROR
        except RecursionError:  # pragma: no cover - the depth bound stops evaluation first
            return ERROR


def evaluate_attribute(name: str, my: ClassAd, target: ClassAd | None = None, **kw: Any) -> Value:
    """The value of attribute ``name`` of ``my`` (UNDEFINED if absent)."""
    expr = my.lookup(name)
    if expr is None:
        return UNDEFINED
    return evaluate(expr, my, target, **kw)


__all__ = [
    "MAX_DEPTH",
    "Env",
    "EvaluationFailed",
    "Unit",
    "compile_expr",
    "evaluate",
    "evaluate_attribute",
    "parse_record",
]
