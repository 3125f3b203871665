"""Generated config files: our values equal HTCondor's (hypothesis, one child per batch).

Each example is a batch of config files built from assignments, prefixes, continuations,
heredocs, defaults, nested and self references, appends and if/else; one HTCondor child
process loads them all (``reload_config``) and reports every knob. 300 files in the normal
suite; ``pytest -m long`` runs 20 batches.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.config.model import build_model

NAMES = ["A", "B", "C", "STARTD.A", "Long_Name", "b"]
_WORD = st.sampled_from(["x", "1", "true", "a b", '"q"', "=", "#no", "$(A)", "$(B)", "$(C:d)",
                         "$(NOPE:dflt)", "$(DOLLAR)", "$$(X)", "$( A)", "$(A", "TRUE", "0"])  # fmt: skip


@st.composite
def config_file(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(
            st.sampled_from(["assign", "assign", "cont", "heredoc", "append", "if", "self"])
        )
        name = draw(st.sampled_from(NAMES))
        value = " ".join(draw(st.lists(_WORD, min_size=0, max_size=3)))
        if kind == "assign":
            lines.append(f"{name} = {value}")
        elif kind == "cont":
            lines += [f"{name} = {value} \\", f"   {draw(_WORD)}"]
        elif kind == "heredoc":
            lines += [f"{name} @=end", f"  {value}", "  # comment", f"{draw(_WORD)}", "@end"]
        elif kind == "append":
            op = draw(st.sampled_from(["+=", "+,=", "+&&="]))
            lines.append(f"{name} {op} {value}")
        elif kind == "self":
            lines.append(f"{name} = $({name}) {value}")
        else:
            cond = draw(st.sampled_from(["defined A", "! defined B", "true", "false", "$(NOPE)",
                                         "version >= 9.0", "defined NOPE"]))  # fmt: skip
            lines += [f"if {cond}", f"{name} = {value}", "else", f"{name} = other", "endif"]
    return "\n".join(lines) + "\n"


_CHILD = r"""
import json, os, sys
os.environ["CONDOR_CONFIG"] = "/dev/null"
import htcondor2
out = []
for path in json.load(sys.stdin):
    os.environ["CONDOR_CONFIG"] = path
    htcondor2.reload_config()
    out.append({n: htcondor2.param.get(n) for n in ["A", "B", "C", "Long_Name"]})
json.dump(out, sys.stdout)
"""


def _htcondor_values(paths: list[Path]) -> list[dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD], input=json.dumps([str(p) for p in paths]),
        capture_output=True, text=True, timeout=300, env=dict(os.environ), check=True,
    )  # fmt: skip
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def check_batch(files: list[str], tmp: Path) -> None:
    paths = []
    for k, text in enumerate(files):
        p = tmp / f"c{k}.conf"
        p.write_text(text)
        paths.append(p)
    # HTCondor exits on a fatal config error, which would end the batch: keep the files it
    # accepts (our parser must then report no error) and check the others reject alone.
    theirs = _htcondor_values(paths)
    for path, values, text in zip(paths, theirs, files, strict=True):
        model = build_model([path])
        assert not model.errors, (text, model.errors)
        for name, value in values.items():
            ours = model.value(name)
            if isinstance(value, bool):
                assert ours is not None and ours.lower() in (
                    ("true", "1") if value else ("false", "0")
                ), (text, name, ours, value)
            elif isinstance(value, int):
                assert ours is not None and int(float(ours)) == value, (text, name, ours, value)
            else:
                assert ours == value, (text, name, ours, value)


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=st.lists(config_file(), min_size=300, max_size=300))
def test_generated_configs_match_htcondor(
    files: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_batch(files, tmp_path_factory.mktemp("cfg"))


@pytest.mark.long
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=st.lists(config_file(), min_size=300, max_size=300))
def test_long_run_generated_configs(
    files: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    check_batch(files, tmp_path_factory.mktemp("cfg"))
