"""The README's Python examples run, and print what the README says they print."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_python_examples_run_and_print_what_they_claim() -> None:
    blocks = _python_blocks()
    assert blocks
    for block in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, str(README), "exec"), {})
        printed = out.getvalue().splitlines()
        claimed = [m.group(1).strip() for m in re.finditer(r"#\s*(.+)$", block, re.M)]
        for claim in claimed:
            assert claim in printed, (claim, printed)


def test_readme_states_exactly_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(commands) == 2
    assert "classadlint check corpus/" in commands[0] or "classadlint eval" in commands[0]
    assert "pytest" in commands[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci


def test_readme_main_command_runs(tmp_path: Path) -> None:
    """The README's main job (after its install step) reports the corpus's known defects."""
    import shutil
    import subprocess
    import sys

    text = README.read_text(encoding="utf-8")
    section = text.split("## Set up and run", 1)[1]
    main = re.findall(r"```sh\n(.*?)```", section, re.S)[0].strip()
    job = main.split("&& ")[-1]
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    proc = subprocess.run(
        job.replace("classadlint", exe, 1),
        shell=True,
        capture_output=True,
        text=True,
        cwd=README.parent,
        timeout=120,
    )
    # corpus/desy-seed keeps the seed talk's defects: its text report (the snapshot that
    # tests/test_check.py and tests/test_corpus_golden.py keep exact) is part of the output,
    # whole and in order, and nothing else is reported for those files
    seed = (README.parent / "corpus" / "desy-seed" / "expected-diagnostics.txt").read_text()
    findings = seed.split("\n\nFound ", 1)[0]
    assert proc.returncode == 1, proc.stderr
    assert findings + "\n" in proc.stdout
    seed_heads = [ln for ln in proc.stdout.splitlines() if ln.startswith("corpus/desy-seed/")]
    assert seed_heads == [ln for ln in findings.splitlines() if ln.startswith("corpus/desy-seed/")]
