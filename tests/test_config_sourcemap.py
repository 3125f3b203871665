"""Positions survive expansion: every node of an expanded expression maps back to the
characters the user wrote, and broken input gets located messages, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from classadlint.classad import ast
from classadlint.classad.parser import ParseOptions, parse_expr
from classadlint.config.model import build_model

CONFIG = """\
LOW_MEM = Memory < 2048
GPU = (RequestGPUs > 0)
START = $(LOW_MEM) && \\
        $(GPU) || \\
        Owner == "alice"
"""


def test_every_node_of_an_expanded_expression_points_at_user_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.config"
    path.write_text(CONFIG)
    model = build_model([path])
    entry = model.lookup("START")
    assert entry is not None
    expanded = model.expand_entry(entry)
    assert expanded.text == 'Memory < 2048 && (RequestGPUs > 0) || Owner == "alice"'
    tree = parse_expr(expanded.text, ParseOptions(strings="old"))
    for node in ast.walk(tree):
        for i in range(node.span.start, node.span.end):
            origin = expanded.origins[i]
            assert origin.file == str(path) and origin.offset is not None
            assert CONFIG[origin.offset] == expanded.text[i], (i, expanded.text[i])
    # a character that came through $(GPU) knows the chain that brought it
    gpu = expanded.text.index("RequestGPUs")
    assert [c[0] for c in expanded.origins[gpu].chain] == ["START", "GPU"]
    offset = expanded.origins[gpu].offset
    assert offset is not None and CONFIG[offset:].startswith("RequestGPUs")


def test_every_syntax_error_of_a_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.config"
    path.write_text("A = 1\n[My Section]\nB = 2\nrequire_version 9\nC@D = 3\nE = 4\nT @=end\nx\n")
    model = build_model([path])
    lines = sorted(e.line for _f, e in model.errors)
    assert lines == [2, 4, 5, 7]
    assert model.value("E") == "4"  # the rest of the file is still modelled
    messages = " ".join(e.message for _f, e in model.errors)
    assert "require_version" in messages and "`@end`" in messages


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_expand_bad_input_is_reported_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "bin.config").write_bytes(b"A = 1\0\n")
    (tmp_path / "latin1.config").write_bytes(b"A = caf\xe9\n")
    (tmp_path / "inc.config").write_text("include : missing.config\nX = 1\n")
    (tmp_path / "cyc.config").write_text("A = $(B)\nB = $(A)\n")
    for name, text in [
        ("bin.config", "binary file"),
        ("latin1.config", "not valid UTF-8"),
        ("inc.config", "included file not found: missing.config"),
        ("cyc.config", "macro cycle"),
    ]:
        proc = _run("expand", name, cwd=tmp_path)
        assert text in proc.stderr, (name, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert _run("expand", "nothere.config", cwd=tmp_path).returncode == 2


def test_expand_json(tmp_path: Path) -> None:
    (tmp_path / "a.config").write_text("B = 1\nA = $(B)2\n")
    proc = _run("expand", "a.config", "--format", "json", "-k", "A", cwd=tmp_path)
    [record] = json.loads(proc.stdout)
    assert record["name"] == "A" and record["value"] == "12" and record["line"] == 2
    assert record["expansions"] == ["$(B) -> '1'"]
