"""Cases of the config-hygiene rules (CA402-CA414) beyond their documented examples:
several files read as one configuration, if/else branches, `use` templates, corner cases
of names and values."""

from __future__ import annotations

from pathlib import Path

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.engine import lint_files
from classadlint.lint.settings import Settings


def lint(tmp_path: Path, code: str, *files: str) -> list[Diagnostic]:
    paths = []
    for k, text in enumerate(files):
        path = tmp_path / f"{k:02d}.config"
        path.write_text(text)
        paths.append(path)
    return [d for d in lint_files(paths, settings=Settings(select=(code,))) if d.code == code]


def where(diags: list[Diagnostic]) -> list[tuple[str, int, str]]:
    return [(Path(d.file).name, d.line, d.severity) for d in diags]


# --- CA409 ------------------------------------------------------------------------------


def test_ca409_a_later_file_overriding_an_earlier_one_is_layering(tmp_path: Path) -> None:
    assert lint(tmp_path, "CA409", "MAX_JOBS_RUNNING = 200\n", "MAX_JOBS_RUNNING = 500\n") == []


def test_ca409_a_list_overwritten_by_a_later_file_is_a_warning(tmp_path: Path) -> None:
    diags = lint(tmp_path, "CA409", "STARTD_ATTRS = HasDocker\n", "STARTD_ATTRS = HasGPU\n")
    assert where(diags) == [("01.config", 1, "warning")]
    assert "00.config:1" in diags[0].message
    assert diags[0].related[0].note == "`STARTD_ATTRS` first set here"


def test_ca409_branches_of_one_if_never_both_run(tmp_path: Path) -> None:
    text = "if $(ENV_UNKNOWN)\nX = 1\nelse\nX = 2\nendif\n"
    assert lint(tmp_path, "CA409", text) == []
    text = "if defined NOT_DEFINED_HERE\nX = 1\nendif\nX = 2\n"
    assert lint(tmp_path, "CA409", text) == []  # the model skips the false branch


def test_ca409_template_values_may_be_overridden_but_template_lists_not_dropped(
    tmp_path: Path,
) -> None:
    assert lint(tmp_path, "CA409", "use ROLE : Execute\nSTART = True\n") == []
    text = "use FEATURE : StartdCronPeriodic(probe, 60, /bin/true)\nSTARTD_CRON_JOBLIST = other\n"
    diags = lint(tmp_path, "CA409", text)
    assert where(diags) == [("00.config", 2, "warning")]
    assert "set by `use FEATURE:PeriodicCronHook`" in diags[0].message


def test_ca409_restating_or_emptying_a_list_drops_nothing(tmp_path: Path) -> None:
    assert lint(tmp_path, "CA409", "STARTD_ATTRS = A, B\n", "STARTD_ATTRS = B A C\n") == []
    assert lint(tmp_path, "CA409", "STARTD_ATTRS = A\n", "STARTD_ATTRS =\n") == []
    assert lint(tmp_path, "CA409", "DAEMON_LIST = MASTER\n", "DAEMON_LIST = MASTER STARTD\n") == []


# --- CA411 ------------------------------------------------------------------------------

OLD = 'JOB_TRANSFORM_NAMES = G\nJOB_TRANSFORM_G = [ set_AccountingGroup = "a"; ]\n'


def test_ca411_severity_follows_the_target_version(tmp_path: Path) -> None:
    path = tmp_path / "t.config"
    path.write_text(OLD)
    for version, severity in (((25, 7, 2), "warning"), ((25, 8, 0), "error"), (None, "error")):
        settings = Settings(select=("CA411",), condor_version=version)
        [diag] = lint_files([path], settings=settings)
        assert (diag.line, diag.severity) == (2, severity), version
        assert ("still converts" in diag.message) is (severity == "warning")


def test_ca411_only_the_raw_text_counts(tmp_path: Path) -> None:
    text = "OLD_BODY = [ set_A = 1; ]\nJOB_TRANSFORM_NAMES = G\nJOB_TRANSFORM_G = $(OLD_BODY)\n"
    assert lint(tmp_path, "CA411", text) == []
    assert lint(tmp_path, "CA411", "JOB_TRANSFORM_NAMES = G\nJOB_TRANSFORM_G = SET A 1\n") == []


# --- CA413 ------------------------------------------------------------------------------


def test_ca413_words_the_transform_sets_and_macros_in_strings(tmp_path: Path) -> None:
    text = (
        "JOB_TRANSFORM_NAMES = T\n"
        "JOB_TRANSFORM_T @=end\n"
        'REQUIREMENTS Owner == "$(ADMIN)"\n'
        "EVALSET Base 42\n"
        "SET Copy Base\n"
        "SET Flag true\n"
        "@end\n"
    )
    [diag] = lint(tmp_path, "CA413", text)
    assert diag.line == 3 and "compared as the literal text" in diag.message


def test_ca413_a_delete_between_undefined_and_default_lets_default_apply(tmp_path: Path) -> None:
    text = (
        "JOB_TRANSFORM_NAMES = T\n"
        "JOB_TRANSFORM_T @=end\n"
        "SET Site undefined\n"
        "DELETE Site\n"
        'DEFAULT Site "DESY"\n'
        "@end\n"
    )
    assert lint(tmp_path, "CA413", text) == []


# --- CA403 ------------------------------------------------------------------------------


def test_ca403_or_inside_and_is_found_and_fixed_in_the_definition(tmp_path: Path) -> None:
    text = "WORK_HOURS = ClockMin > 480 || ClockDay == 6\nSTART = $(WORK_HOURS) && KeyboardIdle > 300\n"
    [diag] = lint(tmp_path, "CA403", text)
    assert (diag.line, diag.col) == (2, 9)
    assert "groups as `ClockMin > 480 || (ClockDay == 6 && KeyboardIdle > 300)`" in diag.message
    [fix] = diag.fixes
    assert [(e.start, e.text) for e in fix.edits] == [(13, "("), (44, ")")]


def test_ca403_no_finding_when_the_splice_is_a_whole_operand_or_inside_a_token(
    tmp_path: Path,
) -> None:
    text = (
        "A = Memory > 1024 || Cpus > 1\n"
        "START = ($(A)) && KeyboardIdle > 300\n"
        "B = 2\n"
        "RANK = Memory$(B) + 1\n"
        "C = x && y\n"
        'PREEMPT = Owner == "$(C)"\n'
    )
    assert lint(tmp_path, "CA403", text) == []


def test_ca403_no_fix_when_the_macro_is_also_used_as_text(tmp_path: Path) -> None:
    text = "A = Memory + Cpus\nRANK = $(A) * 10\nSTARTD_NAME = $(A)\n"
    [diag] = lint(tmp_path, "CA403", text)
    assert diag.fixes == ()
