"""Cross-checks of the proof rules on the corpora (corpus/desy-seed, corpus/desy and, when
present, the real corpus in ../shared/realcorpus, read in place).

* Every branch the symbolic engine proves unreachable is never taken by generated ad
  pairs (hypothesis, the same facts the proof assumed): 300 pairs per branch here,
  10,000 with ``-m long``. Reaching is observed by the evaluator itself: the branch is
  replaced by a reference to an attribute whose evaluation is recorded.
* Every witness the engine gives for a reachable branch does reach it.
* Every CA501 witness pair makes its knob UNDEFINED or ERROR in classad2, asked here
  independently of the engine's own check.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.analysis.facts import usage_kinds
from classadlint.analysis.policy import Question, branches
from classadlint.analysis.properties import ad_pairs
from classadlint.analysis.symbolic import BranchAnswer
from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import evaluate
from classadlint.classad.functions import unparse_value
from classadlint.classad.parser import ParseOptions
from classadlint.classad.unparse import unparse
from classadlint.classad.values import UNDEFINED
from classadlint.commands.expand_cmd import config_files
from classadlint.lint.ambient import set_settings
from classadlint.lint.engine import expression_contexts, lint_project
from classadlint.lint.proving import questions
from classadlint.lint.settings import Settings, discover
from classadlint.project import Project
from tests.oracle import classad2

REPO = Path(__file__).resolve().parents[1]
# a witness an exact encoding gives that an evaluator does not reproduce is a bug: raise
os.environ["CLASSADLINT_STRICT_WITNESSES"] = "1"
REAL = REPO.parent / "shared" / "realcorpus"
MARK = "__classadlint_reached"


def _groups() -> list[tuple[str, list[Path]]]:
    """(label, files) of each configuration: the DESY ones, each real-corpus config file."""
    out = []
    for d in ("desy-seed", "desy"):
        root = REPO / "corpus" / d
        if root.is_dir():
            s = discover(root)
            files = [f for f in config_files([root]) if not s.excluded(f)]
            out.append((f"corpus/{d}", files))
    if REAL.is_dir():  # read in place, never copied; one configuration per repository
        import csv

        with (REAL / "MANIFEST.tsv").open(newline="") as f:
            rows = [r for r in csv.DictReader(f, delimiter="\t") if r["kind"] == "config"]
        by_repo: dict[str, list[Path]] = {}
        for r in rows:
            by_repo.setdefault(r["local_file"].split("/")[0], []).append(REAL / r["local_file"])
        for repo, files in sorted(by_repo.items()):
            out.append((repo, sorted(files, key=lambda f: str(f).encode())))
    return out


@dataclass(frozen=True)
class Branch:
    where: str
    question: Question
    answer: BranchAnswer


def _branches() -> Iterator[Branch]:
    settings = Settings()
    set_settings(settings)
    for label, files in _groups():
        project = Project(files, files)
        for ctx in expression_contexts(project, settings):
            for q in questions(ctx):
                for b in branches(q):
                    yield Branch(f"{label} {ctx.knob}", q, b)


ALL = list(_branches())
UNREACHABLE = [b for b in ALL if b.answer.answer.status == "proved"]
REACHED = [b for b in ALL if b.answer.answer.witness is not None]


def test_the_corpora_have_branches_proved_unreachable_and_reachable() -> None:
    """Figures: how many branches the engine decided (and that there is something to test)."""
    assert len(UNREACHABLE) >= 1  # the seed's T07 hold reason, at least
    assert len(REACHED) >= 10
    undecided = [b for b in ALL if b.answer.answer.status == "unknown"]
    assert len(undecided) <= len(ALL) // 4, [(b.where, b.answer.answer.reason) for b in undecided]
    print(f"\n{len(ALL)} branches: {len(UNREACHABLE)} proved unreachable, {len(REACHED)} "
          f"reached by a witness, {len(undecided)} undecided")  # fmt: skip


def _target(b: BranchAnswer) -> ast.Expr:
    node = b.node
    if isinstance(node, ast.Conditional):
        return node.then if b.branch == "then" else node.otherwise
    return node.args[1] if b.branch == "then" else node.args[2]


def _marked(tree: ast.Expr, target: ast.Expr) -> ast.Expr:
    """``tree`` with the branch ``target`` (by identity) replaced by the marker reference."""

    return ast.rewrite(tree, lambda n: ast.AttrRef(MARK, target.span) if n is target else None)


def reaches(b: Branch, my: dict[str, Any], target: dict[str, Any] | None, clock: int) -> bool:
    """Whether evaluating the expression for these ads evaluates the branch."""
    hits: list[int] = []
    my_ad = ClassAd(my)
    my_ad[MARK] = UNDEFINED

    def record(env: Any) -> Any:
        hits.append(1)
        return UNDEFINED

    my_ad.compiled[MARK.lower()] = record
    tree = _marked(b.question.tree, _target(b.answer))
    target_ad = ClassAd(target) if target is not None else None
    evaluate(tree, my_ad, target_ad, options=ParseOptions(), clock=lambda: float(clock))
    return bool(hits)


def _facts(b: Branch) -> Any:
    return b.question.facts.with_usage(usage_kinds(b.question.tree))


def _check_never_reached(b: Branch, examples: int) -> None:
    scope = b.question.scope

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(ad_pairs(b.question.tree, scope, _facts(b)), st.integers(0, 2**33))
    def never(pair: tuple[dict[str, Any], dict[str, Any]], clock: int) -> None:
        target = pair[1] if scope.target is not None else None
        assert not reaches(b, pair[0], target, clock), (b.where, pair, clock)

    never()


@pytest.mark.parametrize("b", UNREACHABLE, ids=[b.where for b in UNREACHABLE])
def test_proved_unreachable_branch_is_never_taken(b: Branch) -> None:
    _check_never_reached(b, 300)


@pytest.mark.long
@pytest.mark.parametrize("b", UNREACHABLE, ids=[b.where for b in UNREACHABLE])
def test_proved_unreachable_branch_is_never_taken_10000(b: Branch) -> None:
    _check_never_reached(b, 10_000)


def test_every_reachability_witness_reaches_its_branch() -> None:
    missed = []
    for b in REACHED:
        w = b.answer.answer.witness
        assert w is not None
        scope = b.question.scope
        my = dict(w.ads.get(scope.my or "", {}))
        target = dict(w.ads.get(scope.target, {})) if scope.target is not None else None
        if not reaches(b, my, target, w.time or 0):
            missed.append((b.where, b.answer.branch, w.describe()))
    assert not missed


def _policy_diagnostics() -> Iterator[tuple[str, Any, Any]]:
    for label, files in _groups():
        project = Project(files, files)
        settings = discover(files[0]) if files else Settings()
        s = dataclasses.replace(settings, select=("CA501",))
        for d in lint_project(project, s):
            if d.code == "CA501":  # the settings may extend the selection
                yield label, d, project


def _classad2_ad(w: Any, side: str | None) -> Any:
    out = classad2.ClassAd()
    for k, v in (w.ads.get(side, {}) if side else {}).items():
        out[k] = classad2.ExprTree(unparse_value(v))
    return out


def test_every_ca501_witness_reproduces_in_classad2() -> None:
    """The pair shown makes the knob UNDEFINED or ERROR in HTCondor's own library."""
    from classadlint.lint.proving import with_aliases
    from classadlint.schema import knobs as knob_catalog

    seen = 0
    for label, d, project in _policy_diagnostics():
        w = d.witness
        assert w is not None, (label, d.message)
        knob = d.message.split(" is ", 1)[0]
        ctx = next(c for c in expression_contexts(project, Settings()) if c.knob == knob or (
            c.knob is not None and c.knob.split(".")[-1] == knob))  # fmt: skip
        _, base = knob_catalog.strip_prefix(knob)
        context = knob_catalog.context(base)
        assert ctx.tree is not None and context is not None
        text = unparse(with_aliases(ctx.tree, context))
        if w.time is not None:
            text = text.replace("time()", str(w.time)).replace("CurrentTime", str(w.time))
        sides = {"slot": context.my, "job": context.target}
        my, target = _classad2_ad(w, context.my), _classad2_ad(w, context.target)
        value = classad2.ExprTree(text).eval(my, target) if context.target else (
            classad2.ExprTree(text).eval(my))  # fmt: skip
        assert value in (classad2.Value.Undefined, classad2.Value.Error), (label, d.message, sides)
        seen += 1
    print(f"\n{seen} CA501 witnesses reproduced by classad2")


def test_proof_rules_run_on_every_corpus_configuration() -> None:
    """No rule crashes on real configurations (a list-valued EVALSET once did), and every
    finding with a witness carries it in the diagnostic's args as well."""
    rules = ("CA202", "CA207", "CA501", "CA502", "CA503")
    for label, files in _groups():
        settings = dataclasses.replace(discover(files[0]) if files else Settings(), select=rules)
        for d in lint_project(Project(files, files), settings):
            if d.witness is not None:
                assert any(k.startswith("witness_") for k, _ in d.args), (label, d.message)
