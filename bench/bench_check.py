"""Cold ``classadlint check`` against HTCondor loading the same files, whole processes.

Run by hand: ``python bench/bench_check.py``. Both sides are measured as a user meets
them: a fresh process, interpreter start and imports included, best of five. HTCondor's
side is a Python process that imports ``htcondor2`` and loads each file with
``reload_config`` (the C++ config reader: what a daemon does at start-up); ours is the
``classadlint check`` executable on the same files (each file its own configuration, as
HTCondor's verdicts in the corpus manifest are per file). Target: at most 2x HTCondor.
Also reports ours in-process without start-up (what the language server pays) and
serial vs parallel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.condor_values import accepted_config_files

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

_CONDOR = r"""
import os, sys
os.environ["CONDOR_CONFIG"] = "/dev/null"
import htcondor2
for p in sys.argv[1:]:
    os.environ["CONDOR_CONFIG"] = p
    htcondor2.reload_config()
"""


#: As installed from a wheel: bytecode cached. (A PYTHONDONTWRITEBYTECODE=1 environment
#: recompiles every module on every start, ~100 ms of ours and little of HTCondor's.)
#: Cold means no proof cache either (``--no-cache``); the second-run figure has one.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["CLASSADLINT_NO_CACHE"] = "1"


def _best(argv: list[str], runs: int = 5, env: dict[str, str] | None = None) -> float:
    env = env if env is not None else _ENV
    subprocess.run(argv, capture_output=True, env=env, check=False)  # writes the bytecode
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, capture_output=True, env=env, check=False)
        best = min(best, time.perf_counter() - t)
    return best


def _in_process(paths: list[Path]) -> float:
    """A second lint in the same process, one core: what the language server pays."""
    from classadlint.commands import check_cmd
    from classadlint.lint.settings import Settings

    saved = os.environ.get("CLASSADLINT_JOBS")
    os.environ["CLASSADLINT_JOBS"] = "1"
    try:
        check_cmd._lint(paths, Settings())  # warm
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            check_cmd._lint(paths, Settings())
            best = min(best, time.perf_counter() - t)
        return best
    finally:
        if saved is None:
            del os.environ["CLASSADLINT_JOBS"]
        else:
            os.environ["CLASSADLINT_JOBS"] = saved


def measure(label: str, files: list[Path], condor_files: list[Path]) -> None:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    condor = _best([sys.executable, "-c", _CONDOR, *map(str, condor_files)])
    ours = _best([exe, "check", "--format", "json", *map(str, files)])
    serial_env = {**_ENV, "CLASSADLINT_JOBS": "1"}
    ours_serial = _best([exe, "check", "--format", "json", *map(str, files)], env=serial_env)
    with tempfile.TemporaryDirectory() as store:  # filled by _best's first run
        cached_env = {**_ENV, "CLASSADLINT_CACHE_DIR": store}
        del cached_env["CLASSADLINT_NO_CACHE"]
        cached = _best([exe, "check", "--format", "json", *map(str, files)], env=cached_env)
    os.environ["CLASSADLINT_NO_CACHE"] = "1"
    warm = _in_process(files)
    print(
        f"{label}: {len(files)} files; HTCondor {condor * 1000:.0f} ms; classadlint cold "
        f"{ours * 1000:.0f} ms ({ours / condor:.1f}x; serial {ours_serial * 1000:.0f} ms, "
        f"{ours_serial / condor:.1f}x); second run with the proof cache "
        f"{cached * 1000:.0f} ms ({cached / condor:.1f}x); in-process warm {warm * 1000:.0f} ms"
    )


def main() -> None:
    desy = sorted((REPO / "corpus" / "desy").glob("*.config"))
    with tempfile.TemporaryDirectory() as tmp:
        # HTCondor reads a directory through a root config with LOCAL_CONFIG_DIR
        root = Path(tmp) / "condor_config"
        root.write_text(f"LOCAL_CONFIG_DIR = {REPO / 'corpus' / 'desy'}\n")
        measure("corpus/desy", [REPO / "corpus" / "desy"], [root])
    if SHARED.is_dir():
        real = accepted_config_files(SHARED)
        measure("realcorpus (accepted configs)", real, real)
    print(f"({len(desy)} corpus/desy files; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
