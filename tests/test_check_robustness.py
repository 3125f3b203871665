"""No input makes ``classadlint check`` print a traceback.

Random bytes, mutated corpus files (edits made of the characters HTCondor's config and
ClassAd syntax care about), huge lines, deep nesting, invalid UTF-8, NUL bytes: each run
must end with findings (exit 0/1) or a one-line error (exit 2), never an exception. Runs
in-process through Typer's test runner with exceptions propagating, so a crash fails the
test with its traceback; a few cases go through the real executable to check what a user
sees on stderr. The long variant (``pytest -m long``) runs many more examples.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from classadlint.cli import app

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted(
    p for p in (REPO / "corpus").rglob("*") if p.is_file() and p.suffix in (".config", "")
) + sorted((REPO / "examples").glob("*"))
SEED_TEXTS = [p.read_bytes() for p in SEEDS]  # read once: the data must not change mid-run
SYNTAX = [
    *"\\\n#@=$()[]{}\"':!&|<>?.,;/ \t",
    *("@=end", "@end", "$(", "if ", "endif", "use ", "include :", "\r\n"),
]


def _check(tmp_path: Path, data: bytes, name: str = "fuzz.config") -> None:
    target = tmp_path / name
    target.write_bytes(data)
    runner = CliRunner()
    for fmt in ("text", "json", "sarif"):
        result = runner.invoke(app, ["check", "--format", fmt, str(target)], catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
        if result.exit_code == 2:
            assert len(result.output.strip().splitlines()) == 1, result.output
        assert "Traceback" not in result.output


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(SYNTAX)).encode()
        if kind == "insert":
            text = text[:pos] + piece + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        else:
            text = text[:pos] + piece + text[pos + len(piece) :]
    return text


def _fuzz(examples: int):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@_fuzz(60)
@given(data=mutated())
def test_mutated_corpus_files(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)


@_fuzz(40)
@given(data=st.binary(max_size=2000))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)


@_fuzz(40)
@given(text=st.lists(st.sampled_from(SYNTAX + list("abcXYZ019 ")), max_size=150).map("".join))
def test_random_syntax_soup(tmp_path: Path, text: str) -> None:
    _check(tmp_path, ("START = " + text).encode())
    _check(tmp_path, text.encode(), "soup.config")


@pytest.mark.long
@_fuzz(3000)
@given(data=st.one_of(mutated(), st.binary(max_size=5000)))
def test_long_fuzz(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)


@pytest.mark.parametrize(
    "data",
    [
        b"START = " + b"(" * 20000 + b"1" + b")" * 20000 + b"\n",
        b"START = " + b"!" * 50000 + b"true\n",
        b"START = " + b"a" * 300_000 + b"\n",
        b"X = " + b"$(X)" * 5000 + b"\n",
        b"A = $(B)\nB = $(A)\nSTART = $(A)\n",
        b"X = a \\\n" * 20000,
        b"JOB_TRANSFORM_A @=end\n" + b"[ set_x = 1; ]\n" * 5000,
        b"if true\n" * 70 + b"X = 1\n" + b"endif\n" * 70,
        b'START = "\xff\xfe broken"\n',
        b"\x00\x01\x02binary\x00",
        b"\xef\xbb\xbfSTART = true\r\nRANK = 1\r",
    ],
    ids=[
        "parens",
        "bangs",
        "huge-line",
        "macro-bomb",
        "cycle",
        "continuations",
        "big-heredoc",
        "deep-if",
        "invalid-utf8",
        "nul",
        "bom-crlf",
    ],
)
def test_pathological_inputs(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)


def test_what_a_user_sees_on_unreadable_input(tmp_path: Path) -> None:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    (tmp_path / "bin.config").write_bytes(b"\x00\x01binary")
    (tmp_path / "utf.config").write_bytes(b'START = "\xff"\n')
    for name, words in (("bin.config", "binary file"), ("utf.config", "not valid UTF-8")):
        proc = subprocess.run(
            [exe, "check", "--format", "concise", name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert f"{name}:1:1: CA101" in proc.stdout and words in proc.stdout
    proc = subprocess.run(
        [exe, "check", "missing.config"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0
    assert "missing.config" in proc.stderr
