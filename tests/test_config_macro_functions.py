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
