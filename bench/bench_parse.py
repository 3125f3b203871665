"""Parse throughput of classadlint against HTCondor's C++ parser (classad2.ExprTree).

Run by hand: ``python bench/bench_parse.py``. Both parsers run in the same process on the
same texts; the figure that matters is the ratio (our time / classad2's time), uncached.
The corpus set is every knob value of ../shared/realcorpus that classad2 parses.

Figures on the 2-core development machine (target: at most 15x classad2, issue #2):

==========================  ===========  ======================================
                            before       after (master-regex tokenizer + descent)
==========================  ===========  ======================================
DESY START (expanded)       107 us 15.6x  68-72 us 10.0-10.5x (classad2 6.8 us)
corpus knob values (727)    7.1 us 4.1x   7.4-7.8 us 4.3x (classad2 1.7 us)
==========================  ===========  ======================================

The DESY figure was 15-20x from run to run before; most of it was the token-by-token
lexer loop and the two or three table steps per token, both replaced on the common path.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("CONDOR_CONFIG", "ONLY_ENV")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# isort: off
import htcondor2  # noqa: F401  (must precede classad2)
import classad2

# isort: on
from bench.desy import START
from classadlint.classad.parser import parse_expr

_uncached = parse_expr.__wrapped__  # type: ignore[attr-defined]


def _time(fn: Callable[[str], object], texts: Sequence[str], min_seconds: float = 1.0) -> float:
    """Seconds per call of ``fn`` over ``texts``, best of 5 rounds."""
    rounds = []
    reps = 1
    while True:
        t = time.perf_counter()
        for _ in range(reps):
            for x in texts:
                fn(x)
        elapsed = time.perf_counter() - t
        if elapsed > min_seconds / 5:
            break
        reps *= 2
    rounds.append(elapsed)
    for _ in range(4):
        t = time.perf_counter()
        for _ in range(reps):
            for x in texts:
                fn(x)
        rounds.append(time.perf_counter() - t)
    return min(rounds) / (reps * len(texts))


def corpus_expressions() -> list[str]:
    shared = Path(__file__).resolve().parents[2] / "shared"
    if not shared.is_dir():
        return []
    from tests.condor_values import knob_values
    from tests.oracle import classad2_accepts

    values = knob_values(shared)
    return [v for k in values.values() for v in k.values()
            if isinstance(v, str) and classad2_accepts(v)]  # fmt: skip


def report(name: str, texts: Sequence[str]) -> None:
    theirs = _time(classad2.ExprTree, texts)
    ours = _time(_uncached, texts)
    cached = _time(parse_expr, texts)
    print(
        f"{name:<28} n={len(texts):<5} classad2 {theirs * 1e6:8.1f} us  "
        f"classadlint {ours * 1e6:8.1f} us  ratio {ours / theirs:5.1f}x  "
        f"(cached {cached * 1e6:.2f} us, {cached / theirs:.2f}x)"
    )


def main() -> None:
    report("DESY START (expanded)", [START])
    corpus = corpus_expressions()
    if corpus:
        report("corpus knob values", corpus)
    else:
        print("../shared/realcorpus not found: corpus figure skipped")


if __name__ == "__main__":
    main()
