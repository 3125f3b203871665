"""Time per symbolic query on the DESY policy (the seed talk's START and accounting group).

Run by hand: ``python bench/bench_symbolic.py [budget_ms]``. Each query is run several
times (fresh encoding each time, as a rule would run it); the table gives the median and
worst wall time including encoding, solving and the witness check by both evaluators,
and the verdict. The budget per query defaults to the engine's (200 ms).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# isort: off
import htcondor2  # noqa: F401  (must precede classad2)

# isort: on
from bench.desy import ACCOUNTING_GROUP, START
from classadlint.analysis.symbolic import DEFAULT_BUDGET_MS, Analyzer, Answer

CHAIN = "RequestRuntime <= 7200 ? 1 : RequestRuntime <= 10800 ? 2 : RequestRuntime <= 3600 ? 3 : 4"


def _queries(budget: int) -> list[tuple[str, Callable[[], list[Answer]]]]:
    slot = Analyzer("slot", budget_ms=budget)
    job = Analyzer("job", budget_ms=budget)
    return [
        ("START can be UNDEFINED", lambda: [slot.can_be(START, "undefined")]),
        ("START can be ERROR", lambda: [slot.can_be(START, "error")]),
        ("START can be true", lambda: [slot.can_be(START, "true")]),
        ("START never true", lambda: [slot.never_true(START)]),
        (
            "START UNDEFINED w/o StartJobs",
            lambda: [slot.can_be(START, "undefined", given="MY.StartJobs =?= undefined")],
        ),
        ("ACCOUNTING_GROUP can be UNDEFINED", lambda: [job.can_be(ACCOUNTING_GROUP, "undefined")]),
        (
            "ACCOUNTING_GROUP branches (8)",
            lambda: [b.answer for b in job.unreachable_branches(ACCOUNTING_GROUP)],
        ),
        ("runtime chain branches (6)", lambda: [b.answer for b in job.unreachable_branches(CHAIN)]),
    ]


def main() -> None:
    budget = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BUDGET_MS
    rounds = 7
    print(f"budget {budget} ms per query, {rounds} rounds, times in ms (whole call)")
    print(f"{'query':36} {'median':>8} {'worst':>8}  verdicts")
    for name, run in _queries(budget):
        times = []
        verdicts: list[str] = []
        for _ in range(rounds):
            t = time.perf_counter()
            answers = run()
            times.append((time.perf_counter() - t) * 1000)
            verdicts = [a.status for a in answers]
        counts = ", ".join(f"{verdicts.count(v)} {v}" for v in ("proved", "refuted", "unknown"))
        shown = ",".join(verdicts) if len(verdicts) < 3 else counts
        print(f"{name:36} {statistics.median(times):8.1f} {max(times):8.1f}  {shown}")


if __name__ == "__main__":
    main()
