"""Many configurations are linted in worker processes; what is reported must be exactly
what the serial run reports, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from classadlint.commands import check_cmd
from classadlint.lint.settings import Settings

CONFIGS = [
    "START = RequestGPU != undefined\n",
    "RANK = a !== b\n",
    "if $(LATER)\nX = 1\nendif\nLATER = true\n",
    "PREEMPT = x == undefined && $(NOPE)\n",
    "ENABLE_SSH_TO_JOB = no\n",
    "START = Memory > 2G\n",
    "STARTD_ATTRS = Foo\nFoo = bar\n",
    "JOB_TRANSFORM_X @=end\n[ set_A = 1; eval_set_B = x == undefined; ]\n@end\n",
    "NEGOTIATOR_INTERVAL = 1.\n",
    "START = $( X )\n",
]


def test_parallel_run_reports_what_the_serial_run_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for i, text in enumerate(CONFIGS):
        p = tmp_path / f"site{i}.config"
        p.write_text(text)
        paths.append(p)
    settings = Settings()
    groups = check_cmd._groups(paths)
    assert len(groups) >= check_cmd.PARALLEL_MIN_GROUPS
    parallel = check_cmd._lint_parallel(groups, settings, 2)
    assert parallel is not None  # fork is available on Linux: the pool really ran
    serial = [check_cmd._lint_group(g, settings) for g in groups]
    assert [d for found, _ in parallel for d in found] == [d for found, _ in serial for d in found]
    assert sum(len(found) for found, _ in serial) >= len(CONFIGS)
    # and the command's own path, with and without the pool, prints the same
    both = check_cmd._lint(paths, settings)
    monkeypatch.setattr(check_cmd, "PARALLEL_MIN_GROUPS", 10_000)
    alone = check_cmd._lint(paths, settings)
    assert both[0] == alone[0]
    assert {k: v.text for k, v in both[1].items()} == {k: v.text for k, v in alone[1].items()}
