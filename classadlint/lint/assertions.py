"""Site policy assertions: a site rule that states a property of a knob or of the job
transforms, proved or refuted over every valid ad pair by the symbolic engine.

The rule is data (``[rule.assert]`` in a site rule's TOML, see docs/site-rules.md); this
module is the one piece of classadlint code that checks it, so a repository's rules
never run code of their own. Three answers:

* refuted — a witness pair (checked by our evaluator and by classad2) that violates the
  assertion: reported as the site rule's code with the pair;
* proved — nothing reported;
* undecided within ``analysis-budget-ms`` (or through parts the encoding approximates) —
  reported as ``info``, "not proved", never silently passed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from classadlint.classad import ast
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.lint.diagnostic import Diagnostic, Location
from classadlint.source import Span

if TYPE_CHECKING:
    from classadlint.analysis.encode import Scope
    from classadlint.analysis.symbolic import Answer
    from classadlint.lint.context import ExpressionContext
    from classadlint.lint.rule import Rule
    from classadlint.lint.settings import Settings
    from classadlint.project import Project

#: ``is = ...`` values and the value kinds that violate them.
IS_KINDS = {"true": "not-true", "false": "not-false", "defined": "undefined-or-error"}
#: ``never = ...`` values (value kinds of the symbolic engine).
NEVER_KINDS = ("true", "false", "undefined", "error", "undefined-or-error")
ASSERT_KEYS = {"knob", "transforms", "when", "implies", "is", "never", "expect"}


class AssertionFormatError(ValueError):
    """A ``[rule.assert]`` table that does not say one thing clearly (the message says)."""


@dataclass(frozen=True)
class Assertion:
    """What a site rule asserts.

    Subject: ``knob`` (its final value, in the knob's evaluation context) or
    ``transforms = "job"`` (the job after JOB_TRANSFORM_NAMES). ``when``: only ad pairs
    for which it is true (about the submitted job for transforms). Claim: ``implies`` (the
    knob true => this true), ``is`` (true / false / defined), ``never`` (a value kind) or
    ``expect`` (true of the transformed job).
    """

    subject: Literal["knob", "transforms"]
    knob: str | None
    when: ast.Expr | None
    claim: Literal["implies", "is", "never", "expect"]
    value: ast.Expr | str

    def describe(self) -> str:
        when = f" when `{_text(self.when)}`" if self.when is not None else ""
        if self.subject == "transforms":
            return f"after the job transforms `{_text(self.value)}`{when}"
        if self.claim == "implies":
            return f"{self.knob} implies `{_text(self.value)}`{when}"
        if self.claim == "is":
            return f"{self.knob} is {self.value}{when}"
        return f"{self.knob} is never {self.value}{when}"


def _text(e: ast.Expr | str | None) -> str:
    from classadlint.classad.unparse import unparse

    if e is None:
        return ""
    return e if isinstance(e, str) else unparse(e)


def parse_assertion(where: str, data: Mapping[str, Any]) -> Assertion:
    """The ``[rule.assert]`` table of a site rule, validated."""
    if not isinstance(data, Mapping):
        raise AssertionFormatError(f"{where}: `assert` must be a table")
    unknown = sorted(set(data) - ASSERT_KEYS)
    if unknown:
        raise AssertionFormatError(
            f"{where}: [rule.assert] has unknown key `{unknown[0]}`; known: "
            + ", ".join(sorted(ASSERT_KEYS))
        )
    if ("knob" in data) == ("transforms" in data):
        raise AssertionFormatError(
            f'{where}: [rule.assert] needs exactly one subject: `knob = "START"` or '
            '`transforms = "job"`'
        )
    claims = [k for k in ("implies", "is", "never", "expect") if k in data]
    if len(claims) != 1:
        raise AssertionFormatError(
            f"{where}: [rule.assert] needs exactly one of `implies`, `is`, `never`, `expect`"
        )
    claim = claims[0]
    when = _expr(where, data, "when") if "when" in data else None
    if "transforms" in data:
        if data["transforms"] != "job":
            raise AssertionFormatError(f'{where}: `transforms` must be "job"')
        if claim != "expect":
            raise AssertionFormatError(
                f"{where}: an assertion about the transforms states `expect = '...'` "
                "(true of every transformed job)"
            )
        return Assertion("transforms", None, when, "expect", _expr(where, data, "expect"))
    knob = data["knob"]
    if not isinstance(knob, str) or not knob.replace("_", "").replace(".", "").isalnum():
        raise AssertionFormatError(f"{where}: `knob` must be a knob name such as START")
    if claim == "expect":
        raise AssertionFormatError(
            f"{where}: `expect` goes with `transforms`; a knob takes `implies`, `is`, `never`"
        )
    if claim == "implies":
        return Assertion("knob", knob, when, "implies", _expr(where, data, "implies"))
    value = data[claim]
    allowed = tuple(IS_KINDS) if claim == "is" else NEVER_KINDS
    if value not in allowed:
        raise AssertionFormatError(f"{where}: `{claim}` must be one of {', '.join(allowed)}")
    return Assertion("knob", knob, when, claim, value)  # type: ignore[arg-type]


def _expr(where: str, data: Mapping[str, Any], key: str) -> ast.Expr:
    text = data.get(key)
    if not isinstance(text, str) or not text.strip():
        raise AssertionFormatError(f"{where}: `{key}` must be a ClassAd expression (a string)")
    try:
        return parse_expr(text, ParseOptions(strings="old"))
    except ClassAdSyntaxError as exc:
        raise AssertionFormatError(f"{where}: `{key}` is not a ClassAd expression: {exc}") from None


# --- checking ---------------------------------------------------------------------------------


def checker(assertion: Assertion, rule: Rule) -> Any:
    """The ``check(project)`` of a site assertion rule: classadlint's code, the rule's data."""

    def check(project: Project) -> Iterable[Diagnostic]:
        return list(check_assertion(assertion, rule, project))

    check.__doc__ = f"site assertion {rule.code}: {assertion.describe()}"
    return check


def check_assertion(assertion: Assertion, rule: Rule, project: Project) -> Iterator[Diagnostic]:
    from classadlint.lint.ambient import current_settings

    verdict = decide(assertion, project, current_settings())
    if verdict is not None:
        yield from _diagnostics(rule, assertion, verdict)


@dataclass(frozen=True)
class Problem:
    """A violation as one question: some ad pair (in ``scope``) for which ``given`` is
    true and ``expr`` has the value kind ``kind`` (a ``can_be`` kind)."""

    scope: Scope
    expr: ast.Expr
    kind: str
    given: ast.Expr | None


@dataclass(frozen=True)
class Verdict:
    """``holds`` (proved), ``violated`` (``answer`` has the witness) or ``undecided``."""

    status: Literal["holds", "violated", "undecided"]
    where: Location
    detail: str = ""
    answer: Answer | None = None
    after: str = ""
    reason: str = ""
    problem: Problem | None = None


def decide(assertion: Assertion, project: Project, settings: Settings) -> Verdict | None:
    """Prove or refute an assertion about a project (None: the project is not its subject:
    the knob is set nowhere, or there are no transforms)."""
    if assertion.subject == "transforms":
        return _decide_transforms(assertion, project, settings)
    return _decide_knob(assertion, project, settings)


def _not_truthy(e: ast.Expr) -> ast.Expr:
    """An expression true exactly when ``e`` is not true (nor a non-zero number)."""
    text = (
        f"ifThenElse(isBoolean({_p(e)}) || isInteger({_p(e)}) || isReal({_p(e)}), !{_p(e)}, true)"
    )
    return parse_expr(text)


def _p(e: ast.Expr) -> str:
    return f"({_text(e)})"


def _both(a: ast.Expr | None, b: ast.Expr | None) -> ast.Expr | None:
    if a is None:
        return b
    if b is None:
        return a
    return parse_expr(f"({_text(a)}) && ({_text(b)})")


def _decide_knob(assertion: Assertion, project: Project, settings: Settings) -> Verdict | None:
    from classadlint.analysis.policy import Question, ask, scope_of, site_facts
    from classadlint.lint.proving import with_aliases
    from classadlint.schema import knobs as knob_catalog

    assert assertion.knob is not None
    knob = assertion.knob
    ctx = _context_of(project, knob, settings)
    _, base = knob_catalog.strip_prefix(knob)
    context = knob_catalog.context(base)
    scope = scope_of(context)
    where = _location(project, ctx)
    if scope is None:
        why = f"the ads {knob} is evaluated against are not modelled"
        return Verdict("undecided", where, reason=why)
    if ctx is None and project.model.value(knob) is None:
        return None  # neither the files nor HTCondor set it: this configuration is not its subject
    tree = ctx.tree if ctx is not None else _default_tree(project, knob)
    if tree is None or isinstance(tree, ast.Record):
        return Verdict("undecided", where, reason=f"{knob} has no expression that parses")
    value = with_aliases(tree, context)
    when = with_aliases(assertion.when, context) if assertion.when is not None else None
    if assertion.claim == "implies":
        assert isinstance(assertion.value, ast.Expr)
        implied = with_aliases(assertion.value, context)
        problem = Problem(scope, value, "true", _both(when, _not_truthy(implied)))
        detail = f"{knob} is true but `{_text(assertion.value)}` is not"
    elif assertion.claim == "is":
        assert isinstance(assertion.value, str)
        problem = Problem(scope, value, IS_KINDS[assertion.value], when)
        detail = f"{knob} is not {assertion.value}"
    else:
        assert isinstance(assertion.value, str)
        problem = Problem(scope, value, assertion.value, when)
        detail = f"{knob} is {assertion.value.replace('-or-', ' or ').upper()}"
    q = Question(value, scope, site_facts(settings, project.model), settings.analysis_budget_ms)
    answer = ask(q, problem.kind, given=problem.given)
    return _verdict(where, answer, detail, problem)


def _decide_transforms(
    assertion: Assertion, project: Project, settings: Settings
) -> Verdict | None:
    from classadlint.analysis.encode import Scope
    from classadlint.analysis.pipeline import PipelineError, Symbolic, read_pipeline
    from classadlint.analysis.policy import Question, ask, site_facts

    if project.model.value("JOB_TRANSFORM_NAMES") is None:
        return None  # no transforms: not an access point's configuration
    where = _names_location(project)
    old_syntax = settings.condor_version is None or settings.condor_version < (25, 8, 0)
    transforms = read_pipeline(project.model, None, old_syntax)
    try:
        pipeline = Symbolic(transforms)
        assert isinstance(assertion.value, ast.Expr)
        expected = pipeline.after(assertion.value)
    except PipelineError as exc:
        return Verdict("undecided", where, reason=str(exc))
    problem = Problem(Scope("job", None), expected, "not-true", assertion.when)
    facts = site_facts(settings, project.model)
    q = Question(expected, problem.scope, facts, settings.analysis_budget_ms)
    answer = ask(q, "not-true", given=assertion.when)
    detail = f"after the job transforms `{_text(assertion.value)}` is not true"
    verdict = _verdict(where, answer, detail, problem)
    if verdict.status == "violated":
        verdict = dataclasses.replace(verdict, after=_transformed(transforms, answer))
    return verdict


def _verdict(where: Location, answer: Answer, detail: str, problem: Problem) -> Verdict:
    if answer.status == "refuted":
        return Verdict("holds", where, detail, answer, problem=problem)
    if answer.status == "proved" and answer.witness is not None:
        return Verdict("violated", where, detail, answer, problem=problem)
    return Verdict("undecided", where, detail, answer, reason=answer.reason or "undecided",
                   problem=problem)  # fmt: skip


def _transformed(transforms: list[Any], answer: Answer) -> str:
    """``; the transforms make it [ ... ]``: the witness job after the pipeline."""
    from classadlint.analysis.pipeline import PipelineError, apply
    from classadlint.classad.ad import ClassAd

    assert answer.witness is not None
    job = ClassAd(dict(answer.witness.ads.get("job", {})))
    clock = answer.witness.time
    try:
        out = apply(transforms, job, clock=(lambda: float(clock)) if clock is not None else None)
    except PipelineError:
        return ""
    return f", which the transforms make {out.job!r}"


def _diagnostics(rule: Rule, assertion: Assertion, verdict: Verdict) -> Iterator[Diagnostic]:
    from classadlint.lint.proving import witness_args, witness_text

    if verdict.status == "holds":
        return
    answer = verdict.answer
    if verdict.status == "violated" and answer is not None and answer.witness is not None:
        message = (
            f"{rule.message}: {verdict.detail} for {witness_text(answer.witness)}{verdict.after}"
        )
        yield dataclasses.replace(
            Diagnostic(
                rule.code,
                rule.name,
                rule.severity,
                message,
                verdict.where,
                args=tuple(sorted(witness_args(answer.witness).items())),
            ),
            witness=answer.witness,
        )
        return
    yield _undecided(rule, verdict.where, assertion, verdict.reason)


def _undecided(rule: Rule, where: Location, assertion: Assertion, why: str) -> Diagnostic:
    return Diagnostic(
        rule.code,
        rule.name,
        "info",
        f"{rule.message}: not proved — whether {assertion.describe()} could not be decided "
        f"({why}); raise `analysis-budget-ms` or simplify the policy",
        where,
    )


def _context_of(project: Project, knob: str, settings: Settings) -> ExpressionContext | None:
    from classadlint.lint.engine import expression_contexts

    entry = project.model.lookup(knob)
    if entry is None:
        return None
    for ctx in expression_contexts(project, settings):
        if ctx.knob is not None and ctx.knob.lower() == entry.name.lower():
            return ctx
    return None


def _default_tree(project: Project, knob: str) -> ast.Expr | None:
    """A knob the files do not set: HTCondor's default value, if it parses."""
    text = project.model.value(knob)
    if text is None:
        return None
    try:
        return parse_expr(text, ParseOptions(strings="old"))
    except ClassAdSyntaxError:
        return None


def _location(project: Project, ctx: ExpressionContext | None) -> Location:
    if ctx is not None and ctx.tree is not None:
        return ctx.span_map.location(ctx.tree.span)
    return _first_location(project)


def _names_location(project: Project) -> Location:
    """The JOB_TRANSFORM_NAMES assignment, or the first file."""
    entry = project.model.lookup("JOB_TRANSFORM_NAMES")
    if entry is not None and entry.file is not None and entry.line:
        src = project.sources.get(entry.file)
        if src is not None:
            start = src.offset(entry.line, 1)
            return Location.of(src, Span(start, start + len(src.line_text(entry.line))))
    return _first_location(project)


def _first_location(project: Project) -> Location:
    """Where a finding about the whole configuration goes: the first file, line 1."""
    for src in project.sources.values():
        return Location.of(src, Span(0, 0))
    return Location.point(str(project.files[0]) if project.files else "<config>")


__all__ = [
    "Assertion",
    "AssertionFormatError",
    "Problem",
    "Verdict",
    "check_assertion",
    "checker",
    "decide",
    "parse_assertion",
]
