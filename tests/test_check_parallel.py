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


def test_one_configuration_spread_over_processes_reports_what_one_process_reports() -> None:
    """A single configuration (the DESY seed: proofs, transforms, config and expression
    findings) linted by forked workers, one knob or config rule at a time, gives the serial
    report in the same order."""
    from classadlint.commands.expand_cmd import config_files
    from classadlint.lint.engine import (
        _run_config_rule,
        expression_contexts,
        lint_project,
        run_expression_rules,
        selected_rules,
    )
    from classadlint.lint.parallel import MIN_TASKS, run_tasks
    from classadlint.project import Project

    group = [Path(__file__).resolve().parents[1] / "corpus" / "desy-seed"]
    settings = Settings()

    def project() -> Project:
        return Project(group, config_files(group), subsystem=settings.subsystem)

    serial = lint_project(project(), settings)
    spread = lint_project(project(), settings, workers=2)
    assert spread == serial
    assert len(serial) >= 10
    # the pool really ran: the raw per-task results, before suppressions, agree too
    p = project()
    rules = selected_rules(settings)
    config_rules = [r for r in rules if r.rule.scope == "config" and r.check is not None]
    expr_rules = [r for r in rules if r.rule.scope == "expression"]
    contexts = list(expression_contexts(p, settings))
    assert len(config_rules) + len(contexts) >= MIN_TASKS
    raw = run_tasks(
        p,
        config_rules,
        contexts,
        _run_config_rule,
        lambda ctx: list(run_expression_rules(ctx, expr_rules)),
        2,
    )
    assert raw is not None
    one = [d for r in config_rules for d in _run_config_rule(r, p)]
    one += [d for ctx in contexts for d in run_expression_rules(ctx, expr_rules)]
    assert raw == one
