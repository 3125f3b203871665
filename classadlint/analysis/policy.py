"""From a knob to a proof: the bridge the proof rules (CA202, CA207, CA5xx) and site
assertions use between the linter's world and :mod:`.symbolic`.

It decides three things once, so every rule asks the same question the same way:

* the *scope* — which symbolic ad is MY and which is TARGET — from the knob's evaluation
  context (``classadlint.schema.knob_contexts``: START is slot vs job, SYSTEM_PERIODIC_*
  the job alone, SUBMIT_REQUIREMENT_* schedd vs job);
* the *facts* — what a valid ad of each kind looks like for this site: HTCondor's attribute
  catalog, the site's declared attributes (settings ``[attributes.*]``), the attributes
  the startd advertises from this very configuration (``STARTD_ATTRS`` members defined
  with a literal: ``InStageDrain = False`` makes every slot carry a boolean InStageDrain),
  and the kinds the expression's own operators give attributes no catalog knows;
* the *budget* — ``analysis-budget-ms`` per query (default 200 ms); a query that runs
  out is "not proved" and never becomes a finding.

Answers are cached per expression tree, so several rules asking about one knob solve once.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classadlint.analysis import answer_store
from classadlint.analysis.encode import Scope
from classadlint.analysis.facts import Facts, usage_kinds
from classadlint.analysis.symbolic import Analyzer, Answer, BranchAnswer
from classadlint.classad import ast
from classadlint.classad.unparse import unparse
from classadlint.classad.values import ERROR, UNDEFINED

if TYPE_CHECKING:
    from classadlint.config.model import ConfigModel
    from classadlint.lint.settings import Settings
    from classadlint.schema.knob_contexts import Context

#: Ad kinds of knob contexts the encoding can stand for (the rest: a daemon's own ad, a
#: token, a route... are not analysed).
ANALYSED_ADS = frozenset({"slot", "job", "schedd", "submitter"})
#: Settings name the slot's catalog ``machine``; the analysis names sides as contexts do.
_SETTINGS_AD = {"machine": "slot"}

#: Two ads of unknown kinds: for expressions outside any knob (``check --expr``).
GENERIC = Scope("my", "target")

#: What an answer shows of each side, in the words of the knob's context.
SIDE_WORDS = {"slot": "slot", "job": "job", "schedd": "schedd", "submitter": "submitter"}


def scope_of(context: Context | None) -> Scope | None:
    """The symbolic scope of a knob context, or None where the ads are not modelled."""
    if context is None or context.my not in ANALYSED_ADS:
        return None
    if context.target is not None and context.target not in ANALYSED_ADS:
        return None
    return Scope(context.my, context.target)


def site_facts(settings: Settings, model: ConfigModel | None = None) -> Facts:
    """Valid ads for this site: the catalog (with exclusive kinds), the settings' declared
    attributes and the literal attributes this configuration makes the startd advertise."""
    facts = Facts(exclusive=True)
    for ad, attrs in settings.attributes.items():
        side = _SETTINGS_AD.get(ad, ad)
        for name, type_name in attrs.items():
            facts = facts.declare(side, name, type_name)
    if model is not None:
        for name, type_name in advertised_literals(model).items():
            facts = facts.declare("slot", name, type_name, always=True)
    return facts


_LIST_SPLIT = re.compile(r"[\s,]+")


def advertised_literals(model: ConfigModel) -> dict[str, str]:
    """``STARTD_ATTRS`` members this configuration defines as a literal, with its type.

    HTCondor inserts each member's value into every slot ad; an operator may change the
    value at run time (``condor_config_val -rset``) but not, sensibly, its type. Members
    without a definition are skipped by HTCondor (so may be absent), expressions are left
    to the catalog.
    """
    from classadlint.classad.errors import ClassAdSyntaxError
    from classadlint.classad.parser import ParseOptions, parse_expr

    out: dict[str, str] = {}
    for knob in ("STARTD_ATTRS", "STARTD_EXPRS"):
        listed = model.value(knob) or ""
        for name in _LIST_SPLIT.split(listed):
            if not name or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                continue
            text = model.value(name)
            if text is None:
                continue
            try:
                tree = parse_expr(text, ParseOptions(strings="old"))
            except ClassAdSyntaxError:
                continue
            while isinstance(tree, ast.Paren):
                tree = tree.inner
            if isinstance(tree, ast.Unary) and tree.op == "-":
                tree = tree.operand
            if not isinstance(tree, ast.Literal) or tree.value in (UNDEFINED, ERROR):
                continue
            v = tree.value
            kind = (
                "bool" if isinstance(v, bool)
                else "int" if isinstance(v, int)
                else "real" if isinstance(v, float)
                else "string" if isinstance(v, str)
                else None
            )  # fmt: skip
            if kind is not None:
                out[name] = kind
    return out


@dataclass(frozen=True)
class Question:
    """One expression in one scope under one set of facts and one budget."""

    tree: ast.Expr
    scope: Scope
    facts: Facts
    budget_ms: int

    @functools.cached_property
    def _analyzer(self) -> Analyzer:
        facts = self.facts.with_usage(usage_kinds(self.tree))
        return Analyzer(self.scope, facts=facts, budget_ms=self.budget_ms, strict=_strict())

    def analyzer(self) -> Analyzer:
        """The analyzer, one per question: the questions about one knob (each condition
        true? not true? undefined?) share its encodings. With
        ``CLASSADLINT_STRICT_WITNESSES=1`` (the test suite) a witness of an exact encoding
        that an evaluator does not reproduce raises instead of quietly becoming "not
        proved": it is a bug."""
        return self._analyzer


class Cache:
    """Answers per (identities of the trees asked about, question): rules asking the same
    thing solve once.

    The trees are kept alive with their answers, so an identity is never reused for
    another tree while an answer for it is stored; the cache empties itself when large.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._answers: dict[tuple[object, ...], tuple[tuple[object, ...], object]] = {}

    def get(
        self, key: tuple[object, ...], keep: tuple[object, ...], compute: Callable[[], object]
    ) -> object:
        full = (*(id(k) for k in keep), *key)
        hit = self._answers.get(full)
        if hit is not None and all(a is b for a, b in zip(hit[0], keep, strict=True)):
            return hit[1]
        if len(self._answers) >= self.limit:
            self._answers.clear()
        value = compute()
        self._answers[full] = (keep, value)
        return value


CACHE = Cache()


def _strict() -> bool:
    return os.environ.get("CLASSADLINT_STRICT_WITNESSES") == "1"


def _facts_key(facts: Facts) -> tuple[object, ...]:
    declared = tuple(
        sorted((side, name, f) for side, m in facts.declared.items() for name, f in m.items())
    )
    return (declared, facts.exclusive, facts.use_catalog, facts.allow_error)


def ask(
    q: Question, what: str, tree: ast.Expr | None = None, given: ast.Expr | None = None
) -> Answer:
    """``can_be`` kinds (``undefined-or-error``, ``true``...), ``never-true`` or
    ``always-true`` of ``tree`` (default: the question's whole expression) for the ad
    pairs where ``given`` is true (default: all), using the usage kinds of the whole
    expression."""
    node = tree if tree is not None else q.tree

    condition = None if given is None else unparse(given)
    key = ("ask", what, condition, q.scope, _facts_key(q.facts), q.budget_ms)

    def compute() -> Answer:
        # on disk the trees are keyed by their text: the knob's too (its usage kinds are facts)
        stored_key = (*key, unparse(node), unparse(q.tree), _strict())
        stored = answer_store.load(stored_key)
        if isinstance(stored, Answer):
            return stored
        analyzer = q.analyzer()
        if what == "never-true":
            answer = analyzer.never_true(node, given)
        elif what == "always-true":
            answer = analyzer.always_true(node, given)
        else:
            answer = analyzer.can_be(node, what, given)
        if answer_store.keepable(answer):
            answer_store.save(stored_key, answer)
        return answer

    answer = CACHE.get(key, (node, q.tree), compute)
    assert isinstance(answer, Answer)
    return answer


def branches(q: Question) -> list[BranchAnswer]:
    """Every ``?:``/``ifThenElse`` branch of the expression and whether it is reachable."""

    key = ("branches", q.scope, _facts_key(q.facts), q.budget_ms)

    def compute() -> list[BranchAnswer]:
        # on disk a branch's node is its place in the tree's walk (same text, same tree)
        stored_key = (*key, unparse(q.tree), _strict())
        nodes = list(ast.walk(q.tree))
        stored = answer_store.load(stored_key)
        if isinstance(stored, list):
            try:
                return [BranchAnswer(nodes[i], branch, answer) for i, branch, answer in stored]
            except (IndexError, TypeError, ValueError):
                pass  # a damaged entry: answer again
        out = q.analyzer().unreachable_branches(q.tree)
        where = {id(n): i for i, n in enumerate(nodes)}
        # (a branch inside an attribute's definition has no place in this tree: not kept)
        if all(answer_store.keepable(b.answer) and id(b.node) in where for b in out):
            answer_store.save(stored_key, [(where[id(b.node)], b.branch, b.answer) for b in out])
        return out

    out = CACHE.get(key, (q.tree,), compute)
    assert isinstance(out, list)
    return out


#: What "the same for every ad" can be: one of these classes of value, in the order asked.
CONSTANT_CLASSES = ("true", "false", "undefined", "error")
_NOT = {k: f"not-{k}" for k in CONSTANT_CLASSES}


def constant_class(q: Question, cond: ast.Expr) -> str | None:
    """The one class (true, false, undefined, error) ``cond`` has for every valid ad pair,
    or None when it can have two (or a string), or the solver could not tell in budget.

    A varying condition costs two queries: some pair makes it true, some pair not true.
    """

    def compute() -> str | None:
        for kind in CONSTANT_CLASSES:
            answer = ask(q, kind, cond)
            if answer.status == "unknown":
                return None
            if answer.status == "proved":
                other = ask(q, _NOT[kind], cond)
                return kind if other.status == "refuted" else None
        return None  # no class at all: only strings or lists, CA206's business

    key = ("constant", q.scope, _facts_key(q.facts), q.budget_ms)
    out = CACHE.get(key, (cond, q.tree), compute)
    assert out is None or isinstance(out, str)
    return out


def conditions(tree: ast.Expr) -> Iterator[tuple[ast.Expr, str]]:
    """The conditions of an expression with their role: what ``?:``/``ifThenElse`` test
    (``?:``) and the operands of ``&&``/``||`` (a chain ``a && b && c`` gives a, b and c,
    not ``a && b``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Conditional):
            yield node.cond, "?:"
        elif isinstance(node, ast.Call) and node.name.lower() == "ifthenelse" and node.args:
            yield node.args[0], "?:"
        elif isinstance(node, ast.Binary) and node.op in ("&&", "||"):
            for side in (node.left, node.right):
                inner = side
                while isinstance(inner, ast.Paren):
                    inner = inner.inner
                if not (isinstance(inner, ast.Binary) and inner.op == node.op):
                    yield side, node.op


__all__ = [
    "CACHE",
    "GENERIC",
    "Question",
    "advertised_literals",
    "ask",
    "branches",
    "conditions",
    "constant_class",
    "scope_of",
    "site_facts",
]
