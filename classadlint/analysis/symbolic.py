"""Questions about a policy over *every* valid ad pair, answered with z3.

``Analyzer(context).can_be("START", "undefined")`` asks whether some job/slot pair makes
the expression UNDEFINED; the answer is ``proved`` (with a witness pair, re-evaluated by our
evaluator and by classad2), ``refuted`` (no pair can: a proof), or ``unknown`` (the time
budget ran out, or the only witnesses found rely on something the encoding approximates).
Universal claims (``always_true``, ``never_true``, a branch is unreachable) are ``proved``
by unsatisfiability and ``refuted`` with a counterexample pair. Never a guess: a timeout
or an approximation is "not proved", and a witness that does not reproduce although the
encoding was exact is a bug, raised as :class:`WitnessMismatch` in strict mode.

z3 is imported here, so only the commands and rules that need proofs load it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal as TLiteral

import z3  # type: ignore[import-untyped]

from classadlint.analysis import values as V
from classadlint.analysis.encode import BranchPoint, Encoder, PathStep, Scope, Universe
from classadlint.analysis.facts import Facts
from classadlint.analysis.values import Sym
from classadlint.analysis.witness import (
    WANTS,
    Normal,
    NotRepresentable,
    Witness,
    concrete,
    evaluate_classad2,
    evaluate_ours,
    from_model,
    normal,
    to_python,
)
from classadlint.classad import ast
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.classad.unparse import unparse
from classadlint.classad.values import ERROR, UNDEFINED

Status = TLiteral["proved", "refuted", "unknown"]

DEFAULT_BUDGET_MS = 200

#: Named evaluation contexts (reference 6.1): who is MY and who is TARGET.
CONTEXTS: dict[str, Scope] = {
    "slot": Scope("machine", "job"),  # START, RANK, PREEMPT...: MY = slot, TARGET = job
    "job-match": Scope("job", "machine"),  # job Requirements/Rank
    "job": Scope("job", None),  # SYSTEM_PERIODIC_*, transform requirements
    "machine": Scope("machine", None),  # IS_OWNER and slot-only expressions
}

#: ``can_be`` kinds: value kinds, and truth as HTCondor's matchmaking reads it.
KIND_TESTS: dict[str, tuple[Callable[[Sym], z3.BoolRef], Callable[[Normal], bool]]] = {
    "undefined": (lambda s: s.is_("U"), lambda v: v[0] == "U"),
    "error": (lambda s: s.is_("E"), lambda v: v[0] == "E"),
    "undefined-or-error": (lambda s: s.is_any("UE"), lambda v: v[0] in ("U", "E")),
    "boolean": (lambda s: s.is_("B"), lambda v: v[0] == "B"),
    "integer": (lambda s: s.is_("I"), lambda v: v[0] == "I"),
    "real": (lambda s: s.is_("R"), lambda v: v[0] == "R"),
    "string": (lambda s: s.is_("S"), lambda v: v[0] == "S"),
    "true": (lambda s: s.truthy(), WANTS["truthy"]),
    "false": (lambda s: s.falsy(), WANTS["falsy"]),
    "not-true": (lambda s: z3.Not(s.truthy()), lambda v: not WANTS["truthy"](v)),
    "not-false": (lambda s: z3.Not(s.falsy()), lambda v: not WANTS["falsy"](v)),
    "not-undefined": (lambda s: z3.Not(s.is_("U")), lambda v: v[0] != "U"),
    "not-error": (lambda s: z3.Not(s.is_("E")), lambda v: v[0] != "E"),
}


@dataclass
class _Problem:
    """One encoding of a question: side conditions, goals, and what a witness must show."""

    universe: Universe
    goals: list[z3.BoolRef]
    observations: list[tuple[ast.Expr, Callable[[Normal], bool]]]
    value: tuple[ast.Expr, Sym] | None = None
    explain: Callable[[], str] | None = None


class WitnessMismatch(AssertionError):
    """A witness of an exact encoding that an evaluator does not reproduce: a bug."""


@dataclass(frozen=True)
class Answer:
    """The verdict on one claim; ``witness`` supports ``proved`` existential claims and
    ``refuted`` universal ones."""

    status: Status
    claim: str
    witness: Witness | None = None
    reason: str = ""
    seconds: float = 0.0
    approximations: tuple[str, ...] = ()
    mismatch: str | None = None

    def __str__(self) -> str:
        text = f"{self.status}: {self.claim}"
        if self.reason:
            text += f" ({self.reason})"
        if self.witness is not None:
            text += "\n" + self.witness.describe()
        return text


@dataclass(frozen=True)
class BranchAnswer:
    """Whether one branch of a conditional can be taken (claim: it is unreachable)."""

    node: ast.Conditional | ast.Call
    branch: TLiteral["then", "else"]
    answer: Answer


@dataclass
class Analyzer:
    """Symbolic questions about expressions in one evaluation context.

    ``definitions``: attributes of the symbolic ads given as expressions (the slot's
    ``START`` when asking about its ``Requirements``). ``strict`` raises
    :class:`WitnessMismatch` instead of returning an ``unknown`` answer carrying it.
    """

    context: Scope | str = "slot"
    facts: Facts = field(default_factory=Facts)
    definitions: Mapping[str, Mapping[str, ast.Expr | str]] = field(default_factory=dict)
    budget_ms: int = DEFAULT_BUDGET_MS
    check_witnesses: bool = True
    strict: bool = False
    attempts: int = 3

    def __post_init__(self) -> None:
        self.scope = CONTEXTS[self.context] if isinstance(self.context, str) else self.context
        self._defs = {
            side: {name: self._parse(e) for name, e in defs.items()}
            for side, defs in self.definitions.items()
        }
        #: encodings of whole trees asked about without a condition, by identity (the tree
        #: is kept alive with it): asking the same tree several things encodes it once
        self._encodings: dict[tuple[int, bool], tuple[ast.Expr, Universe, Encoder, Sym]] = {}

    # --- public queries ------------------------------------------------------------------

    def is_satisfiable(self, expr: ast.Expr | str, given: ast.Expr | str | None = None) -> Answer:
        """Claim: some ad pair makes ``expr`` true (a true boolean or non-zero number)."""
        return self.can_be(expr, "true", given)

    def can_be(
        self, expr: ast.Expr | str, kind: str, given: ast.Expr | str | None = None
    ) -> Answer:
        """Claim: some valid ad pair (for which ``given`` is true, if stated) makes ``expr``
        evaluate to ``kind`` (see KIND_TESTS)."""
        tree = self._parse(expr)
        encoded_test, observed_test = KIND_TESTS[kind]
        claim = f"`{_text(tree)}` can be {kind}" + self._given_text(given)
        return self._solve(tree, encoded_test, observed_test, claim, True, given)

    def always_true(self, expr: ast.Expr | str, given: ast.Expr | str | None = None) -> Answer:
        """Claim: every valid ad pair (for which ``given`` is true) makes ``expr`` true."""
        tree = self._parse(expr)
        test, observed = KIND_TESTS["not-true"]
        claim = f"`{_text(tree)}` is always true" + self._given_text(given)
        return self._solve(tree, test, observed, claim, False, given)

    def never_true(self, expr: ast.Expr | str, given: ast.Expr | str | None = None) -> Answer:
        """Claim: no valid ad pair (for which ``given`` is true) makes ``expr`` true."""
        tree = self._parse(expr)
        test, observed = KIND_TESTS["true"]
        claim = f"`{_text(tree)}` is never true" + self._given_text(given)
        return self._solve(tree, test, observed, claim, False, given)

    def _given_text(self, given: ast.Expr | str | None) -> str:
        return "" if given is None else f" when `{_text(self._parse(given))}`"

    def unreachable_branches(self, expr: ast.Expr | str) -> list[BranchAnswer]:
        """For every ``?:``/``ifThenElse`` branch: claim "no ad pair reaches it", given the
        conditions around it (enclosing branches and short circuits)."""
        tree = self._parse(expr)
        encodings: dict[bool, tuple[Universe, Encoder, Sym]] = {}

        def encoded(abstract: bool) -> tuple[Universe, Encoder, Sym]:
            if abstract not in encodings:
                encodings[abstract] = self._encode(tree, abstract)
            return encodings[abstract]

        out = []
        for k, bp in enumerate(encoded(True)[1].branches):
            for branch in ("then", "else"):
                out.append(BranchAnswer(bp.node, branch, self._branch(encoded, k, branch)))
        return out

    # --- machinery -------------------------------------------------------------------------

    def _parse(self, expr: ast.Expr | str) -> ast.Expr:
        if isinstance(expr, str):
            return parse_expr(expr, ParseOptions(semantics=self.scope.semantics))
        return expr

    def _encode(self, tree: ast.Expr, abstract: bool = False) -> tuple[Universe, Encoder, Sym]:
        universe = Universe(self.facts, self._defs, abstract=abstract)
        enc = Encoder(universe)
        sym = enc.encode(tree, self.scope)
        return universe, enc, sym

    def _encode_shared(self, tree: ast.Expr, abstract: bool) -> tuple[Universe, Encoder, Sym]:
        """:meth:`_encode`, once per tree: a query adds its goals to its own solver, never
        to the universe, so later queries see the same encoding."""
        key = (id(tree), abstract)
        hit = self._encodings.get(key)
        if hit is not None and hit[0] is tree:
            return hit[1], hit[2], hit[3]
        universe, enc, sym = self._encode(tree, abstract)
        self._encodings[key] = (tree, universe, enc, sym)
        return universe, enc, sym

    def _sides(self) -> list[str]:
        return [s for s in (self.scope.my, self.scope.target) if s is not None]

    def _solve(
        self,
        tree: ast.Expr,
        encoded_test: Callable[[Sym], z3.BoolRef],
        observed_test: Callable[[Normal], bool],
        claim: str,
        existential: bool,
        given: ast.Expr | str | None = None,
    ) -> Answer:
        start = time.perf_counter()
        condition = None if given is None else self._parse(given)

        def build(abstract: bool) -> _Problem:
            if condition is None:  # nothing else goes into the universe: it can be shared
                universe, enc, sym = self._encode_shared(tree, abstract)
            else:
                universe, enc, sym = self._encode(tree, abstract)
            goals = [encoded_test(sym)]
            observations = [(tree, observed_test)]
            if condition is not None:
                goals.append(enc.encode(condition, self.scope).truthy())
                observations.append((condition, WANTS["truthy"]))
            return _Problem(universe, goals, observations, (tree, sym))

        found: Status = "proved" if existential else "refuted"
        impossible: Status = "refuted" if existential else "proved"
        return self._search(build, claim, found, impossible, start)

    def _search(
        self,
        build: Callable[[bool], _Problem],
        claim: str,
        found: Status,
        impossible: Status,
        start: float,
    ) -> Answer:
        """Coarse encoding first (fast; its proofs are proofs, its witnesses are kept when the
        evaluators confirm them), then the exact one with what is left of the budget."""
        deadline = start + self.budget_ms / 1000
        last: Answer | None = None
        for abstract in (True, False):
            problem = build(abstract)
            exact_already = abstract and not problem.universe.abstractions
            answer = self._attempt(
                problem, claim, found, impossible, start, deadline, abstract and not exact_already
            )
            if answer is not None:
                return answer
            last = Answer("unknown", claim, None, "time budget spent", _since(start),
                          tuple(sorted(problem.universe.approximations)))  # fmt: skip
            if exact_already or time.perf_counter() >= deadline:
                break
        assert last is not None
        return last

    def _attempt(
        self,
        p: _Problem,
        claim: str,
        found: Status,
        impossible: Status,
        start: float,
        deadline: float,
        coarse: bool,
    ) -> Answer | None:
        """One encoding's verdict; None when a coarse attempt could not decide."""
        universe = p.universe
        approx = tuple(sorted(universe.approximations))
        solver = new_solver()
        solver.add(*universe.constraints)
        solver.add(*p.goals)
        last_problem = ""
        blocked = False  # an ad pair was excluded: unsat no longer proves anything
        for _ in range(max(1, self.attempts)):
            remaining = int((deadline - time.perf_counter()) * 1000)
            if remaining <= 0:
                return (
                    None
                    if coarse
                    else Answer("unknown", claim, None, "time budget spent", _since(start), approx)
                )
            solver.set("timeout", remaining)
            result = solver.check()
            if result == z3.unsat and blocked:  # only the pairs that did not reproduce
                if coarse:
                    return None
                why = f"witnesses found do not reproduce ({last_problem}); approximated: "
                return Answer(
                    "unknown", claim, None, why + "; ".join(approx), _since(start), approx
                )
            if result == z3.unsat:
                reason = p.explain() if p.explain else ""
                return Answer(impossible, claim, None, reason, _since(start), approx)
            if result == z3.unknown:
                if coarse:
                    return None
                why = solver.reason_unknown()
                return Answer("unknown", claim, None, f"solver: {why}", _since(start), approx)
            model = self._readable_model(solver, universe, deadline)
            try:
                witness = from_model(model, universe, self._sides())
            except NotRepresentable as e:
                if coarse:
                    return None
                return Answer("unknown", claim, None, str(e), _since(start), approx)
            expected: Normal | None = None
            if p.value is not None and not coarse:
                try:
                    expected = normal(to_python(model, p.value[1].term))
                except NotRepresentable:  # a list, ad or time: only its kind is predicted
                    expected = ("O", None)
            problem = self._reproduce(witness, p.observations, expected, p.value)
            if problem is None:
                witness = self._shrink(witness, p.observations)
                return Answer(found, claim, witness, "", _since(start), approx)
            if coarse:  # the abstraction guessed wrong: try another ad pair, then exactly
                solver.add(_block(model, universe))
                blocked = True
                continue
            if not approx:
                message = (
                    f"witness for {claim!r} does not reproduce: {problem}\n{witness.describe()}"
                )
                if self.strict:
                    raise WitnessMismatch(message)
                return Answer(
                    "unknown", claim, witness, "BUG: " + problem, _since(start), approx, message
                )
            last_problem = problem
            solver.add(_block(model, universe))  # try another ad pair
            blocked = True
        if coarse:
            return None
        reason = f"witnesses found do not reproduce ({last_problem}); the encoding approximates: "
        return Answer("unknown", claim, None, reason + "; ".join(approx), _since(start), approx)

    def _readable_model(
        self, solver: z3.Solver, universe: Universe, deadline: float
    ) -> z3.ModelRef:
        """Prefer moderate whole numbers (exact as doubles, easy to read) and a present-day
        clock when such a model exists."""
        model = solver.model()
        bound = 2**31
        reals = [
            z3.Implies(
                sym.is_("R"), z3.And(z3.IsInt(sym.rval), sym.rval > -bound, sym.rval < bound)
            )
            for sym in universe.attrs.values()
            if "R" in sym.kinds
        ]
        reals += [
            z3.Implies(sym.is_("I"), z3.And(sym.ival > -bound, sym.ival < bound))
            for sym in universe.attrs.values()
            if "I" in sym.kinds
        ]
        reals += [  # an integer reads better than the same number as a real
            z3.Not(sym.is_("R"))
            for sym in universe.attrs.values()
            if "R" in sym.kinds and "I" in sym.kinds
        ]
        if universe.uses_time:
            reals.append(z3.And(universe.time >= 1_700_000_000, universe.time < 2_000_000_000))
        remaining = int((deadline - time.perf_counter()) * 500)
        if not reals or remaining <= 0:
            return model
        if all(z3.is_true(model.eval(c, model_completion=True)) for c in reals):
            return model  # readable already: asking again would give no better ad pair
        solver.push()
        solver.set("timeout", remaining)
        solver.add(*reals)
        if solver.check() == z3.sat:
            model = solver.model()
        solver.pop()
        return model

    def _reproduce(
        self,
        witness: Witness,
        observations: list[tuple[ast.Expr, Callable[[Normal], bool]]],
        expected: Normal | None,
        value: tuple[ast.Expr, Sym] | None,
    ) -> str | None:
        """None when both evaluators agree with the witness, else what went wrong."""
        if not self.check_witnesses:
            return None
        exprs = [e for e, _ in observations]
        if value is not None:
            exprs.append(value[0])
        ours = evaluate_ours(exprs, self.scope, witness, self._defs)
        theirs = evaluate_classad2(exprs, self.scope, witness, self._defs)
        for name, got in (("classadlint", ours), ("classad2", theirs)):
            if got is None:
                continue
            for (expr, test), observed in zip(observations, got, strict=False):
                if not test(observed):
                    return f"{name} evaluates `{_text(expr)}` to {_show(observed)}"
            if expected is not None and not _same(expected, got[-1]):
                return (
                    f"the encoding predicts {_show(expected)} for `{_text(exprs[-1])}`, "
                    f"{name} computes {_show(got[-1])}"
                )
        return None

    def _shrink(
        self, witness: Witness, observations: list[tuple[ast.Expr, Callable[[Normal], bool]]]
    ) -> Witness:
        """Leave out every attribute the witness does not need (checked by evaluation),
        except those every valid ad of its kind has."""
        if not self.check_witnesses:
            return witness
        exprs = [e for e, _ in observations]

        def holds(w: Witness, both: bool) -> bool:
            results = [evaluate_ours(exprs, self.scope, w, self._defs)]
            if both:
                theirs = evaluate_classad2(exprs, self.scope, w, self._defs)
                if theirs is not None:
                    results.append(theirs)
            return all(
                t(v) for got in results for (_e, t), v in zip(observations, got, strict=True)
            )

        current = witness
        for side, attrs in witness.ads.items():
            for name in list(attrs):
                if self.facts.fact(side, name).always:
                    continue  # a valid ad of this kind always has it
                ads = {s: dict(a) for s, a in current.ads.items()}
                del ads[side][name]
                candidate = Witness(ads, current.time)
                if holds(candidate, both=False):
                    current = candidate
        if current is not witness and not holds(current, both=True):
            return witness
        return current

    def _branch(
        self,
        encoded: Callable[[bool], tuple[Universe, Encoder, Sym]],
        index: int,
        branch: str,
    ) -> Answer:
        start = time.perf_counter()
        bp0 = encoded(True)[1].branches[index]
        where = f"the {branch} branch of `{_text(bp0.cond)} ? ...`"

        def build(abstract: bool) -> _Problem:
            universe, enc, _sym = encoded(abstract)
            bp = enc.branches[index]
            step = bp.then_step if branch == "then" else bp.else_step
            steps = [*bp.path, step]
            return _Problem(
                universe,
                [s.term for s in steps],
                [(s.node, WANTS[s.want]) for s in steps],
                None,
                lambda: self._explain(universe, bp, step, branch),
            )

        return self._search(build, f"{where} is unreachable", "refuted", "proved", start)

    def _explain(self, universe: Universe, bp: BranchPoint, step: PathStep, branch: str) -> str:
        """Why a branch is unreachable, in the terms of the conditions the user wrote."""
        cond = _text(bp.cond)
        if self._unsat(universe, [step.term]):
            return f"`{cond}` is never {'true' if branch == 'then' else 'false'}"
        for distance, earlier in enumerate(reversed(bp.chain), start=1):
            if self._unsat(universe, [step.term, earlier.term]):
                ago = "one branch" if distance == 1 else f"{distance} branches"
                if branch == "then":
                    return f"`{cond}` implies `{_text(earlier.node)}`, taken {ago} earlier"
                return f"`{cond}` holds whenever `{_text(earlier.node)}` does not ({ago} earlier)"
        return "the conditions around it exclude it"

    def _unsat(self, universe: Universe, goals: list[z3.BoolRef]) -> bool:
        solver = new_solver()
        solver.set("timeout", self.budget_ms)
        solver.add(*universe.constraints, *goals)
        return bool(solver.check() == z3.unsat)


def concrete_value(
    expr: ast.Expr | str,
    scope: Scope,
    ads: Mapping[str, Mapping[str, object]],
    clock: int = 0,
    budget_ms: int = 5000,
) -> tuple[Normal | None, tuple[str, ...]]:
    """What the encoding says ``expr`` is for these concrete ads (None when the solver cannot
    tell or the encoding allows more than one value), and the approximations it used.

    The encoding is a function of the ads: fixing every attribute (and the clock) must leave
    exactly one value, the one HTCondor computes. Differential tests check exactly that.
    """
    tree = (
        parse_expr(expr, ParseOptions(semantics=scope.semantics)) if isinstance(expr, str) else expr
    )
    universe = Universe(Facts(use_catalog=False, allow_error=True), ascii_strings=False)
    sym = Encoder(universe).encode(tree, scope)
    solver = new_solver()
    solver.set("timeout", budget_ms)
    solver.add(*universe.constraints)
    lowered = {side: {k.lower(): v for k, v in attrs.items()} for side, attrs in ads.items()}
    for (side, lname), attr in universe.attrs.items():
        value = lowered.get(side, {}).get(lname, UNDEFINED)
        solver.add(attr.term.equals(_term_of(value), attr.kinds | {"U"}))
    solver.add(universe.time == clock)
    approx = tuple(sorted(universe.approximations))
    if solver.check() != z3.sat:
        return None, approx
    model = solver.model()
    try:
        got = normal(to_python(model, sym.term))
    except NotRepresentable:
        got = ("O", None)
    solver.add(z3.Not(sym.term.equals(concrete(model, sym.term), sym.kinds)))
    if solver.check() != z3.unsat:
        return None, approx  # not determined by the ads: an approximation left it open
    return got, approx


def _term_of(value: object) -> V.Term:
    if value is UNDEFINED:
        return V.UNDEF.term
    if value is ERROR:
        return V.ERR.term
    if isinstance(value, bool):
        return V.boolean(value).term
    if isinstance(value, int):
        return V.integer(value).term
    if isinstance(value, float):
        num, den = value.as_integer_ratio()
        return V.real(z3.RealVal(num) / den).term
    if isinstance(value, str):
        return V.string(value).term
    raise TypeError(f"cannot fix an attribute to {value!r}")


def new_solver() -> z3.Solver:
    """z3's SMT core behind equation solving: on policy encodings (many small if-then-else
    definitions) it measured about ten times faster than the default solver."""
    tactic = z3.Then("simplify", "propagate-values", "solve-eqs", "smt")
    return tactic.solver()


def _block(model: z3.ModelRef, universe: Universe) -> z3.BoolRef:
    """Exclude this model's ad pair (and clock) from further search."""
    same = [
        sym.term.equals(concrete(model, sym.term), sym.kinds) for sym in universe.attrs.values()
    ]
    if universe.uses_time:
        same.append(universe.time == model.eval(universe.time, model_completion=True))
    return z3.Not(V.all_of(same))


def _same(a: Normal, b: Normal) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "R" and isinstance(a[1], float) and isinstance(b[1], float):
        return math.isclose(a[1], b[1], rel_tol=1e-12, abs_tol=1e-300)
    return a == b


def _show(v: Normal) -> str:
    kind = {"U": "UNDEFINED", "E": "ERROR", "O": "a list/ad/time"}.get(v[0])
    return kind if kind is not None else repr(v[1])


def _text(expr: ast.Expr) -> str:
    return unparse(expr)


def _since(start: float) -> float:
    return time.perf_counter() - start


__all__ = ["CONTEXTS", "Analyzer", "Answer", "BranchAnswer", "WitnessMismatch", "concrete_value"]
