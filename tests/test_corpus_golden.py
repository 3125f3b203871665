"""Every corpus config file's findings equal its golden file, and every rule has an example.

The golden files (``<file>.expected`` beside each corpus config file, and
``corpus/desy-seed/expected-diagnostics.txt``) are written by
``tools/update_corpus_golden.py``; this test recomputes them the same way and compares.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import update_corpus_golden as golden  # noqa: E402

HINT = "run python tools/update_corpus_golden.py and review the diff"
EXAMPLES = REPO / "corpus" / "examples"


@pytest.fixture(scope="module")
def expected() -> dict[Path, str]:
    return golden.expected()


def test_every_golden_file_is_exact(expected: dict[Path, str]) -> None:
    stale = [p for p, text in expected.items() if not p.is_file() or p.read_text() != text]
    names = [p.relative_to(REPO).as_posix() for p in stale]
    assert not stale, f"golden files out of date: {names}; {HINT}"
    extra = golden.stale_goldens(expected)
    assert not extra, f"golden files of no corpus config: {extra}; {HINT}"


def test_every_corpus_config_has_a_golden_file(expected: dict[Path, str]) -> None:
    configs = golden.config_files()
    assert len(configs) >= 50
    for config in configs:
        assert config.with_name(config.name + ".expected") in expected, config


def test_golden_lines_belong_to_their_file(expected: dict[Path, str]) -> None:
    for path, text in expected.items():
        if path.suffix != ".expected":
            continue
        config = path.with_suffix("").relative_to(REPO).as_posix()
        for line in text.splitlines():
            assert line.startswith(f"{config}:"), (path, line)
            assert re.fullmatch(r"[^:]+:\d+:\d+: CA\d{3} .+ \[[a-z0-9-]+\]", line), line


def test_every_rule_has_an_example_that_produces_it(expected: dict[Path, str]) -> None:
    """corpus/examples/<CODE>-<name>.config for every built-in rule, showing that rule."""
    from classadlint.lint.registry import builtin_rules

    rules = {r.code: r.rule.name for r in builtin_rules()}
    examples = {p.name for p in EXAMPLES.glob("*.config")}
    missing = sorted(
        f"{c}-{n}.config" for c, n in rules.items() if f"{c}-{n}.config" not in examples
    )
    assert not missing, f"rules without an example in corpus/examples: {missing}"
    strays = sorted(e for e in examples if e.split("-", 1)[0] not in rules)
    assert not strays, f"examples of no rule: {strays}"
    for name in sorted(examples):
        code = name.split("-", 1)[0]
        findings = expected[EXAMPLES / f"{name}.expected"]
        assert re.search(rf":\d+:\d+: {code} ", findings), f"{name} does not produce {code}"


def test_examples_are_small(expected: dict[Path, str]) -> None:
    for example in EXAMPLES.glob("*.config"):
        lines = [ln for ln in example.read_text().splitlines() if not ln.startswith("#")]
        assert 1 <= len(lines) <= 5, example.name


def test_the_corrected_desy_setup_is_clean_but_for_listed_false_positives(
    expected: dict[Path, str],
) -> None:
    """corpus/desy lints clean except for findings its README lists as false positives."""
    readme = (REPO / "corpus" / "desy" / "README.md").read_text()
    for path, text in expected.items():
        if path.parent.name == "desy" and path.suffix == ".expected":
            for line in text.splitlines():
                where = line.split(": CA", 1)[0].removeprefix("corpus/desy/")
                code = "CA" + line.split(": CA", 1)[1][:3]
                assert f"`{where}` {code}" in readme, f"unlisted finding in corpus/desy: {line}"


def test_seed_snapshot_is_the_text_report_of_the_seed(expected: dict[Path, str]) -> None:
    text = expected[golden.SEED_SNAPSHOT]
    assert text.startswith("corpus/desy-seed/") and "Found " in text
    for path, findings in expected.items():
        if path.parent.name == "desy-seed" and path.suffix == ".expected":
            for line in findings.splitlines():
                assert line.rsplit(" [", 1)[0] + "\n" in text, line  # the text report's head
