"""Parse + model the whole real corpus, against HTCondor loading the same files.

Run by hand: ``python bench/bench_config.py``. HTCondor's side is one child process that
loads every accepted corpus file with ``reload_config`` (its time measured inside the
child, interpreter start excluded); ours builds the model and expands every knob the files
set. Also checks that our time grows linearly on generated configs up to 100,000 lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classadlint.config.model import build_model
from tests.condor_values import accepted_config_files

SHARED = Path(__file__).resolve().parents[2] / "shared"

_CHILD = r"""
import json, os, sys, time
os.environ["CONDOR_CONFIG"] = "/dev/null"
import htcondor2
paths = json.load(sys.stdin)
best = None
for _ in range(3):
    t = time.perf_counter()
    for p in paths:
        os.environ["CONDOR_CONFIG"] = p
        htcondor2.reload_config()
        for k in htcondor2.param.keys():
            pass
    d = time.perf_counter() - t
    best = d if best is None else min(best, d)
print(best)
"""


def htcondor_seconds(paths: list[Path]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps([str(p) for p in paths]),
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    return float(out.stdout)


def ours_seconds(paths: list[Path]) -> float:
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for p in paths:
            model = build_model([p])
            for name in model.defined_names():
                model.value(name)
        best = min(best, time.perf_counter() - t)
    return best


def generated(lines: int, tmp: Path) -> Path:
    body = []
    for i in range(lines // 4):
        body += [
            f"K{i} = $(K{max(i - 1, 0)}) x{i}" if i % 10 else f"K{i} = v{i}",
            f"STARTD.L{i} = {i} \\",
            f"   more{i}",
            f"M{i} = $(L{i}:default)",
        ]
    path = tmp / f"gen{lines}.config"
    path.write_text("\n".join(body) + "\n")
    return path


def main() -> None:
    paths = accepted_config_files(SHARED)
    theirs = htcondor_seconds(paths)
    ours = ours_seconds(paths)
    lines = sum(p.read_text(errors="replace").count("\n") for p in paths)
    print(
        f"corpus: {len(paths)} files, {lines} lines: HTCondor {theirs * 1000:.1f} ms, "
        f"classadlint {ours * 1000:.1f} ms, ratio {ours / theirs:.1f}x"
    )
    import tempfile

    tmp = Path(tempfile.mkdtemp())
    for n in (10_000, 100_000):
        p = generated(n, tmp)
        t = time.perf_counter()
        build_model([p])
        d = time.perf_counter() - t
        print(f"generated {n} lines: parse + model {d:.2f} s ({d / n * 1e6:.1f} us/line)")


if __name__ == "__main__":
    main()
