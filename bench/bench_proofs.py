"""Time of the proof rules over the corpora: wall time per configuration and per query.

Run by hand: ``python bench/bench_proofs.py [budget_ms]``. Lints corpus/desy-seed,
corpus/desy and (when present, read in place) each repository of ../shared/realcorpus with
CA202, CA207, CA501, CA502 and CA503 only, then reads every answer the engine gave from
its cache: how many queries, their median / 95th percentile / worst time (encoding,
solving and the witness check by both evaluators), and the verdicts.
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# isort: off
import htcondor2  # noqa: F401  (must precede classad2)

# isort: on
from classadlint.analysis.policy import CACHE
from classadlint.analysis.symbolic import DEFAULT_BUDGET_MS, Answer, BranchAnswer
from classadlint.lint.engine import lint_project
from classadlint.lint.settings import Settings
from classadlint.project import Project

RULES = ("CA202", "CA207", "CA501", "CA502", "CA503")


def _groups() -> list[tuple[str, list[Path]]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.test_policy_corpus import _groups as corpus_groups

    return corpus_groups()


def _answers() -> list[Answer]:
    out: list[Answer] = []
    for _keep, value in CACHE._answers.values():
        if isinstance(value, Answer):
            out.append(value)
        elif isinstance(value, list):
            out.extend(b.answer for b in value if isinstance(b, BranchAnswer))
    return out


def main() -> None:
    budget = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BUDGET_MS
    settings = dataclasses.replace(Settings(select=RULES), analysis_budget_ms=budget)
    CACHE.limit = 10**9
    print(f"budget {budget} ms per query; rules {', '.join(RULES)}")
    print(f"{'configuration':44} {'files':>5} {'seconds':>8} {'findings':>8}")
    total = 0.0
    for label, files in _groups():
        start = time.perf_counter()
        found = lint_project(Project(files, files), settings)
        took = time.perf_counter() - start
        total += took
        print(f"{label:44} {len(files):5} {took:8.2f} {len(found):8}")
    answers = _answers()
    times = sorted(a.seconds * 1000 for a in answers)
    verdicts = {s: sum(a.status == s for a in answers) for s in ("proved", "refuted", "unknown")}
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0.0
    print(f"\n{len(answers)} queries in {total:.2f} s: median {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, worst {max(times):.1f} ms; {verdicts}")  # fmt: skip


if __name__ == "__main__":
    main()
