"""Config macro functions and ``include command`` against HTCondor itself.

``$F<letters>()``, ``$BASENAME()`` and ``$DIRNAME()`` of generated paths (quoted, dot
files, Windows separators, trailing separators, every letter HTCondor knows) must expand
exactly as ``htcondor2.param`` expands them; ``include command`` must run nothing unless
asked, read an existing ``into`` cache file as HTCondor does, and when asked to run the
command, define what HTCondor defines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from classadlint.config.model import build_model, command_argv, filename_function

PATHS = [
    "/x/y/z/file.tar.gz",
    "file.txt",
    ".bashrc",
    "/a/",
    "a/b",
    '"/q/r.s"',
    "'/q/r.s'",
    "C:\\dir\\f.ext",
    "\\\\srv\\share\\f.x",
    "noext",
    "/x.y/z",
    '"',
    "a.b.c/",
    "../up/f.c",
    "a/b/c/d/e",
    "",
]

# every letter, alone and in the combinations the parts switch tells apart
LETTERS = [
    "", "p", "n", "x", "d", "dd", "ddd", "dddd", "q", "qa", "a", "b", "w", "u", "f",
    "pn", "nx", "px", "pnx", "dn", "dx", "dnx", "qp", "qn", "qx", "qd", "bp", "bd",
    "bx", "bdd", "qb", "qbx", "qbp", "wp", "up", "wq", "P", "Nx", "qw", "QAX", "fq",
]  # fmt: skip


def _htcondor_values(config: Path, names: list[str]) -> dict[str, str | None]:
    child = (
        "import htcondor2, json, sys\n"
        "print(json.dumps({n: htcondor2.param.get(n) for n in sys.argv[1:]}))\n"
    )
    env = dict(os.environ, CONDOR_CONFIG=str(config))
    proc = subprocess.run(
        [sys.executable, "-c", child, *names],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _generated_filename_config() -> tuple[str, list[str]]:
    lines: list[str] = []
    names: list[str] = []
    for pi, path in enumerate(PATHS):
        lines.append(f"P{pi} = {path}")
        separators = path.count("/") + path.count("\\")
        calls = [f"$F{letters}(P{pi})" for letters in LETTERS]
        # HTCondor segfaults on more `d`s than directories (pop_back on an empty vector)
        # and on a value that is exactly `""` (a negative length in strcpy_quoted): not
        # behaviour to match, so not asked
        calls = [c for c in calls if c[2 : c.index("(")].lower().count("d") <= separators]
        calls += [f"$BASENAME(P{pi}, .gz)", f"$BASENAME(P{pi})", f"$DIRNAME(P{pi})"]
        for call in calls:
            names.append(f"K{len(names)}")
            lines.append(f"{names[-1]} = {call}")
    for call in ["$Fn(/lit/eral.file)", "$Fqx(/lit/eral.file)", "$BASENAME(a/b.tar.gz,.TAR.GZ)"]:
        names.append(f"K{len(names)}")
        lines.append(f"{names[-1]} = {call}")
    return "\n".join(lines) + "\n", names


def test_filename_functions_equal_htcondor(tmp_path: Path) -> None:
    text, names = _generated_filename_config()
    config = tmp_path / "fnames.config"
    config.write_text(text)
    theirs = _htcondor_values(config, names)
    model = build_model([config])
    by_name = dict(line.split(" = ", 1) for line in text.splitlines())
    differences = [
        (n, by_name[n], model.value(n), theirs[n]) for n in names if model.value(n) != theirs[n]
    ]
    assert not differences
    assert len(names) > 500


def test_filename_function_letters_are_exactly_htcondors() -> None:
    # $Fz(x) is not a macro function: HTCondor leaves it as written
    model_text = "P = /a/b.c\nA = $Fz(P)\nB = $fn(P)\nC = $FpN(P)\n"
    path = Path(os.environ.get("TMPDIR", "/tmp")) / "classadlint-fletters.config"
    path.write_text(model_text)
    try:
        model = build_model([path])
        assert model.value("A") == "$Fz(P)"
        assert model.value("B") == "$fn(P)"
        assert model.value("C") == "/a/b"
        assert _htcondor_values(path, ["A", "B", "C"]) == {
            "A": "$Fz(P)",
            "B": "$fn(P)",
            "C": "/a/b",
        }
    finally:
        path.unlink()
    # the quirk kept on purpose: the extension search never looks at the first character
    assert filename_function("Fx", ".bashrc") == ""
    assert filename_function("Fqx", ".bashrc") == '".bashrc"'


def test_include_command_is_recorded_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    config = tmp_path / "c.config"
    config.write_text(f"include command : /usr/bin/touch {marker}\nA = 1\n")
    model = build_model([config])
    assert not marker.exists()
    [record] = model.include_commands
    assert (record.line, record.command, record.action) == (
        1,
        f"/usr/bin/touch {marker}",
        "not-run",
    )
    [(_, line, message)] = model.notes
    assert line == 1 and message.startswith("include command not run")
    assert "--run-include-commands" in message
    assert model.value("A") == "1"


def test_include_command_run_when_asked_equals_htcondor(tmp_path: Path) -> None:
    cache = tmp_path / "cache.out"
    config = tmp_path / "c.config"
    config.write_text(
        "include command : /bin/echo X = 1\n"
        "include : /bin/echo Y = a b |\n"
        f"include command into {cache} : /bin/echo Z = 3\n"
        "include ifexist command : /bin/false\n"
        "include command : \"/bin/echo 'Q = it''s'\"\n"
        "W = $(X)$(Z)\n"
    )
    theirs = _htcondor_values(config, ["X", "Y", "Z", "W", "Q"])
    assert cache.read_text() == "Z = 3\n"  # HTCondor wrote its cache file
    cache.write_text("Z = 4\n")  # ... and now reads it instead of running the command
    theirs_cached = _htcondor_values(config, ["X", "Y", "Z", "W", "Q"])
    assert theirs_cached["Z"] == "4"
    model = build_model([config], run_include_commands=True)
    assert {k: model.value(k) for k in theirs_cached} == theirs_cached
    assert [r.action for r in model.include_commands] == [
        "run",
        "run",
        "read-into-file",
        "run",
        "run",
    ]
    # without the opt-in, only the cache file (plain config) is read
    quiet = build_model([config])
    assert quiet.value("Z") == "4" and quiet.value("X") is None
    assert theirs["Q"] == theirs_cached["Q"] == "it's"


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("/bin/echo a  b", ["/bin/echo", "a", "b"]),
        ('/bin/echo "a b"', ["/bin/echo", '"a', 'b"']),  # V1 raw: no quoting at all
        ("\"/bin/echo 'a b' c''d\"", ["/bin/echo", "a b", "cd"]),
        ("\"/bin/echo 'it''s'\"", ["/bin/echo", "it's"]),
    ],
)
def test_include_command_argument_vector(command: str, argv: list[str]) -> None:
    assert command_argv(command) == argv


SELF_FILENAMES = [
    "D = $Fn(D)\n",
    "D = /a/b.c\nD = $Fn(D)\n",
    "D = /a/b.c\nD = $Fpn(D)x $(D)\n",
    "STARTD.D = /x/y.z\nSTARTD.D = $Fqx(D) $Fqx(STARTD.D)\n",
]


@pytest.mark.parametrize("text", SELF_FILENAMES)
def test_a_filename_function_of_itself_is_expanded_at_load_time(tmp_path: Path, text: str) -> None:
    """HTCondor expands ``$F...(self)`` with the value visible when the line is read, as it
    does ``$(self)`` (config.cpp expand_self_macro): no cycle, HTCondor's value."""
    config = tmp_path / "self.config"
    config.write_text(text)
    names = sorted({line.split("=")[0].strip() for line in text.splitlines()})
    theirs = _htcondor_values(config, names)
    model = build_model([config])
    assert {n: model.value(n) for n in names} == theirs
    assert not [n for n in model.notes if "cycle" in n[2]]


MACRO_FUNCTION_CYCLES = [
    "B = x $SUBSTR(B, 1)\n",
    "B = x $INT(B)\n",
    "C = $CHOICE(1, C)\n",
    "E = $(F:1)\nF = $REAL(E)\n",
    "A = $SUBSTR(B, 1)\nB = y$(A)\n",
    "B = x $SUBSTR(B, 1) $(A)\nA = 1\n",
]


@pytest.mark.parametrize("text", MACRO_FUNCTION_CYCLES)
def test_a_macro_function_reading_its_own_knob_is_a_cycle(tmp_path: Path, text: str) -> None:
    """``$SUBSTR``/``$INT``/``$REAL``/``$CHOICE`` reading a knob under expansion make
    htcondor2.param recurse until it crashes (the load-time self expansion does not cover
    them): classadlint reports CA408 at the knob and never recurses itself."""
    from classadlint.lint.engine import lint_files
    from classadlint.lint.settings import Settings

    config = tmp_path / "cycle.config"
    config.write_text(text)
    first = text.split("=")[0].strip()
    crashed = subprocess.run(
        [sys.executable, "-c", f"import htcondor2; htcondor2.param.get({first!r})"],
        env=dict(os.environ, CONDOR_CONFIG=str(config)),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert crashed.returncode != 0  # a segmentation fault: the stack overflowed
    found = lint_files([config], settings=Settings(select=("CA408",)))
    assert found and all(d.code == "CA408" for d in found)
    assert any(d.line == 1 for d in found)
