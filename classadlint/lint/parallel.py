"""One configuration's rule work spread over forked processes.

Most of a large configuration's lint time is proofs (CA202, CA207, CA5xx: z3 queries of a
few to 200 ms each), and they are independent: one config rule, or all expression rules on
one knob. ``check`` of a single configuration (a site's pool policy directory, the usual
case in CI and pre-commit) would otherwise use one core. The work is cut into tasks in
the serial order (config rules, then one task per expression knob), handed out one at a
time to processes forked from this one (they inherit the parsed project, the loaded rules
and a warm solver), and the results are put back in that order: the report is the one
the serial run gives.

Only where ``fork`` exists; anything that does not pickle or a pool that breaks makes the
caller lint serially instead (never a different result, never a crash of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from classadlint.lint.diagnostic import Diagnostic

if TYPE_CHECKING:
    from classadlint.lint.context import ExpressionContext
    from classadlint.lint.rule import LoadedRule
    from classadlint.project import Project

#: Below this many tasks a pool of processes costs more than it saves.
MIN_TASKS = 12

#: What the forked workers read: set just before the fork, inherited, never pickled.
_WORK: tuple[Callable[[int], list[Diagnostic]], int] | None = None


def _run(index: int) -> list[Diagnostic]:
    assert _WORK is not None
    return _WORK[0](index)


def run_tasks(
    project: Project,
    config_rules: Sequence[LoadedRule],
    contexts: Sequence[ExpressionContext],
    run_config: Callable[[LoadedRule, Project], list[Diagnostic]],
    run_expression: Callable[[ExpressionContext], list[Diagnostic]],
    workers: int,
) -> list[Diagnostic] | None:
    """Every config rule's and every expression knob's diagnostics, in serial order, from
    ``workers`` processes; None when processes cannot be used (the caller runs serially)."""
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    tasks = len(config_rules) + len(contexts)
    if workers < 2 or tasks < MIN_TASKS or "fork" not in multiprocessing.get_all_start_methods():
        return None

    def one(index: int) -> list[Diagnostic]:
        if index < len(config_rules):
            return run_config(config_rules[index], project)
        return run_expression(contexts[index - len(config_rules)])

    _WORK = (one, tasks)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            # one task at a time: a few knobs cost most of the time, so chunks would idle
            results = list(pool.map(_run, range(tasks), chunksize=1))
    except (BrokenProcessPool, pickle.PicklingError, TypeError, AttributeError):
        return None
    finally:
        _WORK = None
    return [d for found in results for d in found]
