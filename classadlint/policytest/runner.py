"""Run a policy test file: each case through the configuration (transforms, submit
requirements, START, the match, RANK, any knob), each property through the symbolic
engine, and — where the engine cannot decide (``userMap`` with the test's maps, parts it
approximates) — through hypothesis' search over generated ads.

Evaluation is classadlint's evaluator (differentially tested against classad2); every
counterexample a property reports has also been evaluated by classad2 (with the test's
user maps loaded) and is shown only if both agree.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from classadlint.analysis.explain import show, truthy
from classadlint.classad import ast
from classadlint.classad.ad import ClassAd
from classadlint.classad.evaluate import evaluate
from classadlint.classad.parser import ParseOptions
from classadlint.classad.values import UNDEFINED
from classadlint.lint.settings import Settings
from classadlint.policytest import ads as ADS
from classadlint.policytest.spec import Case, Property, TestFile

Status = Literal["pass", "fail", "xfail", "xpass", "error"]


@dataclass(frozen=True)
class Check:
    """One expectation: what was expected, what the configuration gave."""

    label: str
    expected: str
    got: str
    ok: bool


@dataclass
class Result:
    file: Path
    name: str
    kind: Literal["config", "case", "property"]
    status: Status
    checks: list[Check] = field(default_factory=list)
    note: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status in ("fail", "xpass", "error")


def _status(ok: bool, defect: str | None) -> Status:
    if defect is None:
        return "pass" if ok else "fail"
    return "xpass" if ok else "xfail"


def same(expected: object, got: object) -> bool:
    """A test's literal against a ClassAd value: booleans only equal booleans, numbers
    compare as numbers (``2 == 2.0``), strings exactly (case counts)."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return isinstance(expected, bool) and isinstance(got, bool) and expected == got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return math.isclose(expected, got, rel_tol=1e-12, abs_tol=1e-12)
    return type(expected) is type(got) and expected == got


# --- the configuration under test -----------------------------------------------------------


@dataclass
class Loaded:
    """A test file's configuration, modelled once for all its cases."""

    spec: TestFile
    project: Any  # classadlint.project.Project
    maps: dict[str, dict[str, str]]
    problems: list[str]
    transforms: Any  # the pipeline (see policytest.transforms)
    _tmp: tempfile.TemporaryDirectory[str] | None = None


def load_config(spec: TestFile, settings: Settings) -> Loaded:
    from classadlint.commands.expand_cmd import config_files
    from classadlint.policytest.transforms import read_transforms
    from classadlint.project import Project

    files = [f for f in config_files(list(spec.config)) if not settings.excluded(f)]
    tmp = tempfile.TemporaryDirectory(prefix="classadlint-test-")
    if len(spec.config) == 1 and spec.config[0].is_dir():
        # a directory under test is the LOCAL_CONFIG_DIR (its files may say $(LOCAL_CONFIG_DIR))
        prelude = Path(tmp.name) / "00-local-config-dir.config"
        prelude.write_text(f"LOCAL_CONFIG_DIR = {spec.config[0].resolve()}\n")
        files.insert(0, prelude)
    if spec.append:
        extra = Path(tmp.name) / f"{spec.path.stem}.append.config"
        extra.write_text(spec.append if spec.append.endswith("\n") else spec.append + "\n")
        files.append(extra)
    project = Project(list(spec.config), files, subsystem=spec.subsystem)
    maps, problems = _maps(project, spec)
    transforms = read_transforms(project, settings)
    return Loaded(spec, project, maps, problems, transforms, tmp)


def _maps(project: Any, spec: TestFile) -> tuple[dict[str, dict[str, str]], list[str]]:
    maps: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    try:
        from classadlint.config.usermaps import user_maps
    except ImportError:  # pragma: no cover - the config package's reader is optional here
        pass
    else:
        for subsystem in ("SCHEDD", "STARTD", "NEGOTIATOR", spec.subsystem):
            found, trouble = user_maps(project.model, subsystem)
            for name, table in found.items():
                maps.setdefault(name, {}).update(table)
            problems += [p for p in trouble if p not in problems]
    for name, table in ADS.parse_maps(spec.maps, str(spec.path)).items():
        maps.setdefault(name, {}).update(table)  # the test's maps win
    return maps, problems


def load_result(loaded: Loaded) -> Result:
    """Whether HTCondor would load the configuration at all (a refused one runs no policy)."""
    start = time.perf_counter()
    spec = loaded.spec
    model = loaded.project.model
    errors = [
        f"{Path(f).name}:{e.line}: {e.message}"
        for f, e in model.errors
        if getattr(e, "code", "CA101") in ("CA101", "CA102")
    ]
    # what CA101 reports from the model's notes: files HTCondor cannot read, missing
    # includes... (a command include not run, a macro cycle are not load failures)
    not_fatal = ("include command not run", "include outside the tree", "macro cycle")
    errors += [
        f"{Path(f).name}{f':{line}' if line else ''}: {message}"
        for f, line, message in model.notes
        if not message.startswith(not_fatal)
    ]
    checks = [Check("HTCondor loads the configuration", "yes", "; ".join(errors) or "yes",
                    not errors)]  # fmt: skip
    checks += [Check("user maps", "readable", p, False) for p in loaded.problems]
    ok = all(c.ok for c in checks)
    defect = spec.load_defect
    return Result(spec.path, "configuration", "config", _status(ok, defect), checks,
                  defect or "", time.perf_counter() - start)  # fmt: skip


# --- cases -------------------------------------------------------------------------------------


class _Env:
    """Evaluation of one case: the ads, the clock and the maps."""

    def __init__(self, loaded: Loaded, case: Case) -> None:
        self.loaded = loaded
        self.case = case
        model = loaded.project.model
        defaults = loaded.spec.defaults
        self.clock = case.time
        self.submitted = ADS.build("job", case.time, model, defaults, case.ads)
        self.slot = ADS.build("slot", case.time, model, defaults, case.ads)
        self.schedd = ADS.build("schedd", case.time, model, defaults, case.ads)
        self.options = ParseOptions()

    def eval(self, expr: ast.Expr, my: ClassAd, target: ClassAd | None) -> object:
        return evaluate(
            expr,
            my,
            target,
            options=self.options,
            clock=lambda: float(self.clock),
            user_maps=self.loaded.maps,
        )


def run_case(loaded: Loaded, case: Case) -> Result:
    from classadlint.policytest.transforms import TransformError, apply_all

    start = time.perf_counter()
    env = _Env(loaded, case)
    model = loaded.project.model
    checks: list[Check] = []
    try:
        outcome = apply_all(loaded.transforms, env.submitted, model, loaded.maps, env.clock)
    except TransformError as exc:
        checks.append(Check("job transforms", "run", f"failed: {exc}", False))
        status = _status(False, case.defect)
        return Result(loaded.spec.path, case.name, "case", status, checks,
                      case.defect or "", time.perf_counter() - start)  # fmt: skip
    job = outcome.ad
    e = case.expect
    if e.transforms is not None:
        got = ", ".join(outcome.applied) or "none"
        checks.append(Check("transforms applied", ", ".join(e.transforms) or "none", got,
                            list(e.transforms) == outcome.applied))  # fmt: skip
    for name, want in e.job.items():
        value = job.lookup(name)
        got_v = env.eval(value, job, None) if value is not None else UNDEFINED
        checks.append(Check(f"job.{name}", show(want), show(got_v), same(want, got_v)))
    for name in e.undefined:
        value = job.lookup(name)
        got_v = env.eval(value, job, None) if value is not None else UNDEFINED
        checks.append(Check(f"job.{name}", "UNDEFINED", show(got_v), got_v is UNDEFINED))
    if e.submit is not None:
        checks.extend(_submit(env, job, e.submit, e.reason))
    start_expr = ADS.start_expr(model, env.slot)
    start_value = env.eval(start_expr, env.slot, job) if start_expr is not None else True
    if e.start is not None:
        want_s = "true" if e.start else "not true (false, UNDEFINED or ERROR)"
        checks.append(Check("START", want_s, show(start_value), truthy(start_value) == e.start))
    if e.match is not None:
        job_req = job.lookup("Requirements")
        req_value = env.eval(job_req, job, env.slot) if job_req is not None else True
        matched = truthy(start_value) and truthy(req_value)
        got_m = f"START {show(start_value)}, job Requirements {show(req_value)}"
        checks.append(Check("match", "yes" if e.match else "no", got_m, matched == e.match))
    if e.rank is not None:
        rank = ADS.knob_expr(model, "RANK")
        rank_value = env.eval(rank, env.slot, job) if rank is not None else 0.0
        number = float(rank_value) if isinstance(rank_value, int | float) else 0.0
        checks.append(Check("RANK", show(e.rank), show(rank_value), same(e.rank, number)))
    for knob, want in e.knobs.items():
        checks.append(_knob(env, job, knob, want))
    ok = all(c.ok for c in checks)
    return Result(loaded.spec.path, case.name, "case", _status(ok, case.defect), checks,
                  case.defect or "", time.perf_counter() - start)  # fmt: skip


def _knob(env: _Env, job: ClassAd, knob: str, want: object) -> Check:
    from classadlint.lint.proving import with_aliases
    from classadlint.schema import knobs as knob_catalog

    model = env.loaded.project.model
    expr = ADS.knob_expr(model, knob)
    if expr is None:
        return Check(knob, show(want), "not set (or not an expression)", False)
    _, base = knob_catalog.strip_prefix(knob)
    context = knob_catalog.context(base)
    ads = {"slot": env.slot, "job": job, "schedd": env.schedd}
    my = ads.get(context.my or "") if context is not None else job
    target = ads.get(context.target or "") if context is not None and context.target else None
    if my is None:
        return Check(knob, show(want), "evaluated in an ad tests do not model", False)
    value = env.eval(with_aliases(expr, context), my, target)
    return Check(knob, show(want), show(value), same(want, value))


def _submit(env: _Env, job: ClassAd, want: str, reason: str | None) -> list[Check]:
    """The schedd's submit requirements, in SUBMIT_REQUIREMENT_NAMES order, against the
    job as the transforms left it: the first that is not true rejects the job (or only
    warns, with ``_IS_WARNING``); UNDEFINED, ERROR or a string reject with "evaluated to
    non-boolean"."""
    import re

    from classadlint.lint.proving import with_aliases
    from classadlint.schema import knobs as knob_catalog

    model = env.loaded.project.model
    verdict, why = "accepted", ""
    names = [n for n in re.split(r"[\s,]+", model.value("SUBMIT_REQUIREMENT_NAMES") or "") if n]
    context = knob_catalog.context("SUBMIT_REQUIREMENT_X")
    for name in names:
        expr = ADS.knob_expr(model, f"SUBMIT_REQUIREMENT_{name}")
        if expr is None:
            continue
        value = env.eval(with_aliases(expr, context), env.schedd, job)
        if isinstance(value, bool | int | float) and truthy(value):
            continue
        boolean = isinstance(value, bool | int | float)
        reason_expr = ADS.knob_expr(model, f"SUBMIT_REQUIREMENT_{name}_REASON")
        text = None
        if reason_expr is not None and boolean:
            r = env.eval(with_aliases(reason_expr, context), env.schedd, job)
            text = r if isinstance(r, str) else None
        if text is None:
            text = (
                f"Submit requirement {name} not met"
                if boolean
                else f"Submit requirement {name} evaluated to non-boolean"
            )
        warning = model.value(f"SUBMIT_REQUIREMENT_{name}_IS_WARNING") or ""
        if warning.strip().lower() in ("true", "1"):
            verdict, why = "warned", text
            continue
        verdict, why = "rejected", text
        break
    got = verdict + (f": {why}" if why else "")
    checks = [Check("submit", want, got, verdict == want)]
    if reason is not None:
        checks.append(Check("submit reason", f"contains {reason!r}", why or "(none)",
                            reason.lower() in why.lower()))  # fmt: skip
    return checks


# --- properties ----------------------------------------------------------------------------


def run_property(loaded: Loaded, prop: Property, settings: Settings) -> Result:
    result = _run_property(loaded, prop, settings)
    if prop.defect is not None:  # an expected failure is shown with the defect's reason
        result.note = f"{prop.defect}; {result.note}" if result.note else prop.defect
    return result


def _run_property(loaded: Loaded, prop: Property, settings: Settings) -> Result:
    """The symbolic engine first; hypothesis where it cannot decide, or where the answer
    depends on the test's user maps (which the engine does not know)."""
    from classadlint.analysis.symbolic import KIND_TESTS
    from classadlint.lint.assertions import decide
    from classadlint.lint.proving import witness_text

    start = time.perf_counter()
    path = loaded.spec.path
    verdict = decide(prop.assertion, loaded.project, settings)
    if verdict is None:
        note = f"nothing to check: {prop.assertion.describe()} has no subject in this configuration"
        return Result(path, prop.name, "property", _status(False, prop.defect), [], note,
                      time.perf_counter() - start)  # fmt: skip
    uses_maps = (
        bool(loaded.maps)
        and verdict.problem is not None
        and _uses_user_map(verdict.problem.expr, verdict.problem.given)
    )
    if verdict.status == "holds" and not uses_maps:
        return Result(path, prop.name, "property", _status(True, prop.defect), [],
                      "proved for every valid ad pair", time.perf_counter() - start)  # fmt: skip
    if verdict.status == "violated" and not uses_maps and verdict.answer is not None:
        assert verdict.answer.witness is not None
        check = Check(prop.assertion.describe(), "holds for every ad pair",
                      f"{verdict.detail} for {witness_text(verdict.answer.witness)}{verdict.after}",
                      False)  # fmt: skip
        return Result(path, prop.name, "property", _status(False, prop.defect), [check],
                      "refuted by the symbolic engine; the pair is confirmed by classad2",
                      time.perf_counter() - start)  # fmt: skip
    problem = verdict.problem
    if problem is None:
        check = Check(prop.assertion.describe(), "decided", f"not proved: {verdict.reason}", False)
        return Result(path, prop.name, "property", _status(False, prop.defect), [check],
                      "", time.perf_counter() - start)  # fmt: skip
    found = _search(loaded, prop, problem, KIND_TESTS[problem.kind][1], settings)
    if found is None:
        why = verdict.reason or "it depends on the test's user maps"
        note = (f"not proved ({why}); no counterexample among {prop.samples} generated ad "
                "pairs")  # fmt: skip
        return Result(path, prop.name, "property", _status(True, prop.defect), [], note,
                      time.perf_counter() - start)  # fmt: skip
    check = Check(prop.assertion.describe(), "holds for every ad pair",
                  f"{verdict.detail} for {found}", False)  # fmt: skip
    return Result(path, prop.name, "property", _status(False, prop.defect), [check],
                  "counterexample found by hypothesis, confirmed by classad2",
                  time.perf_counter() - start)  # fmt: skip


def _uses_user_map(*exprs: ast.Expr | None) -> bool:
    return any(
        isinstance(n, ast.Call) and n.name.lower() == "usermap"
        for e in exprs
        if e is not None
        for n in ast.walk(e)
    )


def _search(
    loaded: Loaded,
    prop: Property,
    problem: Any,
    kind_test: Callable[[Any], bool],
    settings: Settings,
) -> str | None:
    """A counterexample (text), evaluated by our evaluator and by classad2; None if the
    samples found none. A candidate classad2 disagrees with is a bug: raised."""
    from classadlint.analysis.policy import site_facts
    from classadlint.analysis.properties import search
    from classadlint.analysis.witness import (
        Witness,
        evaluate_classad2,
        evaluate_classad2_with_maps,
    )
    from classadlint.lint.proving import witness_text

    strings = {k for table in loaded.maps.values() for k in table}
    strings |= {v for table in loaded.maps.values() for vs in table.values() for v in vs.split(",")}
    clock = prop_clock(loaded)
    facts = site_facts(settings, loaded.project.model)
    pair = search(problem.expr, kind_test, problem.scope, given=problem.given, facts=facts,
                  user_maps=loaded.maps, clock=clock, samples=prop.samples,
                  strings=strings)  # fmt: skip
    if pair is None:
        return None
    ads = {problem.scope.my: pair[0]}
    if problem.scope.target is not None:
        ads[problem.scope.target] = pair[1]
    exprs = [problem.expr] + ([problem.given] if problem.given is not None else [])
    timed = any(
        (isinstance(n, ast.Call) and n.name.lower() == "time")
        or (isinstance(n, ast.AttrRef) and n.name.lower() == "currenttime")
        for e in exprs
        for n in ast.walk(e)
    )
    witness = Witness(ads, clock if timed else None)
    if loaded.spec.maps or loaded.maps:
        texts = _map_texts(loaded)
        theirs = evaluate_classad2_with_maps(exprs, problem.scope, witness, texts)
    else:
        theirs = evaluate_classad2(exprs, problem.scope, witness, {})
    if theirs is not None:
        from classadlint.analysis.witness import truthy as normal_truthy

        agrees = kind_test(theirs[0]) and (problem.given is None or normal_truthy(theirs[1]))
        if not agrees:
            raise AssertionError(
                f"BUG: classadlint and classad2 disagree on {witness_text(witness)}: "
                f"classad2 gives {theirs}"
            )
    return witness_text(witness)


def _map_texts(loaded: Loaded) -> dict[str, str]:
    """The maps in HTCondor's map file format (submaps as ``submap key values`` lines)."""
    out: dict[str, list[str]] = {}
    for name, table in loaded.maps.items():
        base, _, sub = name.partition(".")
        lines = out.setdefault(base, [])
        for key, values in table.items():
            lines.append(f"{sub or '*'} {key} {values}")
    return {name: "\n".join(lines) for name, lines in out.items()}


def prop_clock(loaded: Loaded) -> int:
    return loaded.spec.time


# --- a whole file ---------------------------------------------------------------------------


def run_file(spec: TestFile, settings: Settings) -> Iterator[Result]:
    from classadlint.lint.ambient import set_settings

    set_settings(settings)
    loaded = load_config(spec, settings)
    try:
        yield load_result(loaded)
        for case in spec.cases:
            yield run_case(loaded, case)
        for prop in spec.properties:
            yield run_property(loaded, prop, settings)
    finally:
        if loaded._tmp is not None:
            loaded._tmp.cleanup()


__all__ = ["Check", "Result", "load_config", "run_case", "run_file", "run_property", "same"]
