"""The proof cache: a second check reports exactly what the first did without solving
again, keys are the same in every process, and ``--no-cache`` neither reads nor writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classadlint.analysis import answer_store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "desy-seed"
EXE = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")


def _check(cache: Path, *args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLASSADLINT_CACHE_DIR": str(cache), "PYTHONHASHSEED": seed}
    env.pop("CLASSADLINT_NO_CACHE", None)
    return subprocess.run(
        [EXE, "check", "--format", "json", *args, str(SEED)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _entries(cache: Path) -> set[Path]:
    return {p for p in cache.rglob("*") if p.is_file()}


def test_a_second_run_reads_every_answer_and_reports_the_same(tmp_path: Path) -> None:
    first = _check(tmp_path, seed="1")
    assert first.returncode == 1, first.stderr
    stored = _entries(tmp_path)
    assert len(stored) >= 5  # the seed's proofs (CA202, CA207, CA5xx) were kept
    second = _check(tmp_path, seed="2")  # another string hashing: the same keys
    assert second.stdout == first.stdout
    assert _entries(tmp_path) == stored  # nothing asked again, so nothing new written
    assert any(d["code"].startswith("CA5") for d in json.loads(first.stdout))


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    result = _check(tmp_path, "--no-cache")
    assert result.returncode == 1, result.stderr
    assert _entries(tmp_path) == set()
    # a damaged store is not read either way: garbage in every entry changes nothing
    cached = _check(tmp_path)
    for entry in _entries(tmp_path):
        entry.write_bytes(b"not a pickle")
    assert _check(tmp_path).stdout == cached.stdout == result.stdout


def test_stored_answers_are_used_instead_of_solving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one process: after a first lint, a new project with the same text asks the
    solver nothing (the in-memory cache is keyed by tree identity, so only the store can
    answer)."""
    from classadlint.analysis.symbolic import Analyzer
    from classadlint.lint.engine import lint_files

    monkeypatch.setenv("CLASSADLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CLASSADLINT_JOBS", "1")
    files = sorted(SEED.glob("*.config"))
    first = lint_files(files)
    solved: list[str] = []
    original = Analyzer._search

    def counting(self: Analyzer, *args: object, **kwargs: object) -> object:
        solved.append(str(args[1]))
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Analyzer, "_search", counting)
    again = lint_files(files)
    assert again == first
    assert solved == []
    monkeypatch.setenv("CLASSADLINT_NO_CACHE", "1")
    assert lint_files(files) == first
    assert solved  # without the store the same lint solves


def test_keys_do_not_depend_on_set_order() -> None:
    a = answer_store.stable_text(("x", frozenset({"b", "a", "c"}), {"k": {2, 1}}))
    b = answer_store.stable_text(("x", frozenset({"c", "a", "b"}), {"k": {1, 2}}))
    assert a == b
    assert a != answer_store.stable_text(("x", frozenset({"a", "b"}), {"k": {1, 2}}))
