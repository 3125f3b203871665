"""CA402's did-you-mean distance computes only a band of the alignment table; it must
equal the full optimal-string-alignment distance wherever that is within the limit."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from hypothesis import given, settings
from hypothesis import strategies as st

RULE = Path(__file__).resolve().parents[1] / "rules" / "ca402_unknown_knob.py"


def _rule() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ca402_under_test", RULE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CA402 = _rule()


def _osa(a: str, b: str) -> int:
    """The whole table, textbook style."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@settings(max_examples=3000, deadline=None)
@given(st.text("ABC_", max_size=10), st.text("ABC_", max_size=10), st.integers(1, 3))
def test_banded_distance_equals_the_full_table(a: str, b: str, limit: int) -> None:
    assert CA402._distance(a, b, limit) == min(_osa(a, b), limit + 1)


def test_suggestions_for_typical_typos() -> None:
    assert CA402.suggestion("NEGOTIATOR_INTERVLA") == "NEGOTIATOR_INTERVAL"
    assert CA402.suggestion("MAX_JOBS_RUNING") == "MAX_JOBS_RUNNING"
    assert CA402.suggestion("SCHEDD2_LOG") is None  # a per-daemon name, not a typo
