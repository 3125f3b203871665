"""``classadlint check``: lint config files and the expressions in them.

Exit status: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, settings or
internal error (a one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import difflib
import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from classadlint.commands import usage_error
from classadlint.lint.diagnostic import Diagnostic, Severity, severity_rank
from classadlint.lint.settings import Settings
from classadlint.source import SourceFile

FORMATS = ("text", "concise", "json", "sarif", "github", "junit")
MAX_FIX_ROUNDS = 10


_fail = functools.partial(usage_error, "check")


def check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Config files or directories (default: settings' paths, or .)."),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="text, concise, json, sarif, github or junit")
    ] = "text",
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes in place.")] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix, apply unsafe fixes too.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the fixes as a diff; write nothing.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these codes, prefixes or names.")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Add rules to the selection.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these codes, prefixes or names.")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="error, warning or info (default: info).")
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule instead.")
    ] = False,
    subsystem: Annotated[
        str | None, typer.Option(help="Daemon whose view to take (default: TOOL).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings this baseline file does not record."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Record today's findings in this file and exit 0."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Settings file (default: nearest .classadlint.toml "
            "or pyproject.toml with [tool.classadlint]).",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Prove everything again: neither read nor write the proof cache "
            "(CLASSADLINT_CACHE_DIR, default ~/.cache/classadlint).",
        ),
    ] = False,
) -> None:
    """Check HTCondor configuration for the mistakes that break pools."""
    if no_cache:  # the forked workers and every proof read it from the environment
        os.environ["CLASSADLINT_NO_CACHE"] = "1"
    from classadlint.lint.baseline import BaselineError
    from classadlint.lint.engine import RuleError
    from classadlint.lint.registry import RuleLoadError
    from classadlint.lint.settings import SettingsError

    if output not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
    try:
        settings = _settings(paths, config).override(
            select=select,
            extend_select=extend_select,
            ignore=ignore,
            fail_on=fail_on,
            subsystem=subsystem,
        )
        targets = list(paths) if paths else list(settings.paths) or [Path(".")]
        missing = [p for p in targets if not p.exists()]
        if missing:
            raise _fail(f"{missing[0]}: no such file or directory")
        diagnostics, sources = _lint(targets, settings)
        if write_baseline is not None:
            from classadlint.lint import baseline as baseline_file

            count = baseline_file.write(write_baseline, diagnostics, sources)
            typer.echo(f"Wrote {count} finding{'s' if count != 1 else ''} to {write_baseline}.")
            raise typer.Exit(0)
        if baseline is not None:
            diagnostics = _without_baseline(baseline, diagnostics, sources)
        if diff:
            sys.stdout.write(_diff(diagnostics, sources, unsafe_fixes))
            raise typer.Exit(1 if _fails(diagnostics, settings.fail_on) else 0)
        if fix:
            diagnostics, sources, fixed = _fix_loop(targets, settings, diagnostics, unsafe_fixes)
            if baseline is not None:
                diagnostics = _without_baseline(baseline, diagnostics, sources)
            if fixed:
                typer.echo(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.", err=True)
    except OSError as exc:
        raise _fail(f"{exc.filename or ''}: {exc.strerror}") from None
    except (SettingsError, RuleLoadError, RuleError, BaselineError) as exc:
        raise _fail(str(exc)) from None
    _report(output, diagnostics, sources, settings, statistics)
    raise typer.Exit(1 if _fails(diagnostics, settings.fail_on) else 0)


def _without_baseline(
    path: Path, diagnostics: list[Diagnostic], sources: dict[str, SourceFile]
) -> list[Diagnostic]:
    from classadlint.lint.baseline import BaselineError, new_findings

    if not path.is_file():
        raise BaselineError(f"{path}: no such baseline file (write one with --write-baseline)")
    return new_findings(path, diagnostics, sources)


def _settings(paths: list[Path] | None, config: Path | None) -> Settings:
    from classadlint.lint.settings import discover, load_settings

    if config is not None:
        if not config.is_file():
            raise _fail(f"{config}: no such settings file")
        return load_settings(config)
    return discover(paths[0] if paths else Path.cwd())


def _fails(diagnostics: list[Diagnostic], fail_on: Severity) -> bool:
    threshold = severity_rank(fail_on)
    return any(severity_rank(d.severity) >= threshold for d in diagnostics)


def _report(
    output: str,
    diagnostics: list[Diagnostic],
    sources: dict[str, SourceFile],
    settings: Settings,
    statistics: bool,
) -> None:
    from classadlint.report import text as text_report

    if statistics:
        if diagnostics:
            typer.echo(text_report.statistics(diagnostics))
        return
    if output == "json":
        from classadlint.report import json as json_report

        sys.stdout.write(json_report.render(diagnostics) + "\n")
    elif output == "sarif":
        from classadlint.lint.engine import selected_rules
        from classadlint.report import sarif as sarif_report

        rules = selected_rules(settings)
        sys.stdout.write(sarif_report.render(diagnostics, rules) + "\n")
    elif output == "junit":
        from classadlint.report import junit as junit_report

        sys.stdout.write(junit_report.render(diagnostics, sources) + "\n")
    elif output == "github":
        from classadlint.report import github as github_report

        if diagnostics:
            sys.stdout.write(github_report.render(diagnostics) + "\n")
    elif output == "concise":
        if diagnostics:
            typer.echo(text_report.render_concise(diagnostics))
        typer.echo(text_report.summary(diagnostics))
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        if diagnostics:
            typer.echo(text_report.render(diagnostics, sources, colour=colour))
            typer.echo("")
        safe = sum(any(f.applicable and f.safe for f in d.fixes) for d in diagnostics)
        unsafe = sum(
            any(f.applicable for f in d.fixes) and not any(f.applicable and f.safe for f in d.fixes)
            for d in diagnostics
        )
        typer.echo(text_report.summary(diagnostics, safe, unsafe))


#: Below this many configurations a pool of processes costs more than it saves.
PARALLEL_MIN_GROUPS = 8


def _lint(paths: list[Path], settings: Settings) -> tuple[list[Diagnostic], dict[str, SourceFile]]:
    """Each directory is its own configuration (its files read in order); files alone too.
    Many configurations are linted in parallel, one process per core, and a few each
    spread their rules over the cores; results keep the order of the serial run."""
    groups = _groups(paths)
    results = None
    workers = min(_jobs(), len(groups))
    if workers > 1 and len(groups) >= PARALLEL_MIN_GROUPS:
        # the first configuration is linted here: it loads the rules, catalogs and solver
        # once, and the forked workers inherit them warm
        first = _lint_group(groups[0], settings)
        rest = _lint_parallel(groups[1:], settings, workers)
        if rest is not None:
            results = [first, *rest]
    if results is None:  # few configurations: each spreads its own rules over the cores
        results = [_lint_group(g, settings, _jobs()) for g in groups]
    diagnostics: list[Diagnostic] = []
    sources: dict[str, SourceFile] = {}
    for found, srcs in results:
        diagnostics.extend(found)
        sources.update(srcs)
    return diagnostics, sources


def _jobs() -> int:
    """Worker processes: ``CLASSADLINT_JOBS`` (1 turns the pool off), else one per core."""
    text = os.environ.get("CLASSADLINT_JOBS", "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    return os.cpu_count() or 1


def _lint_group(
    group: list[Path], settings: Settings, workers: int = 1
) -> tuple[list[Diagnostic], dict[str, SourceFile]]:
    from classadlint.commands.expand_cmd import config_files
    from classadlint.lint.engine import lint_project
    from classadlint.project import Project

    files = [f for f in config_files(group) if not settings.excluded(f)]
    project = Project(group, files, subsystem=settings.subsystem)
    return lint_project(project, settings, workers=workers), dict(project.sources)


def _lint_parallel(
    groups: list[list[Path]], settings: Settings, workers: int
) -> list[tuple[list[Diagnostic], dict[str, SourceFile]]] | None:
    """None when processes cannot be used here (no fork, a result that does not pickle):
    the caller then lints serially, so parallelism never changes what is reported."""
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_lint_group, groups, [settings] * len(groups), chunksize=4))
    except (BrokenProcessPool, pickle.PicklingError, TypeError, AttributeError):
        return None


def _groups(paths: list[Path]) -> list[list[Path]]:
    """A directory of config directories (like corpus/) is checked one directory at a time."""
    groups: list[list[Path]] = []
    for p in paths:
        if p.is_dir():
            subdirs = sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith("."))
            loose = [f for f in p.iterdir() if f.is_file()]
            if subdirs and not [f for f in loose if f.suffix not in (".md", ".toml")]:
                groups.extend([d] for d in subdirs)
                continue
        groups.append([p])
    return groups


def _fix_loop(
    paths: list[Path],
    settings: Settings,
    diagnostics: list[Diagnostic],
    unsafe: bool,
) -> tuple[list[Diagnostic], dict[str, SourceFile], int]:
    """Apply fixes, lint again, repeat to a fixed point. A round that makes a file stop
    parsing (new CA1xx findings) is undone and reported: fixes never break a file."""
    from classadlint.lint.fix import apply_fixes, read_text, select_fixes, write_atomically

    total = 0
    sources: dict[str, SourceFile] = {}
    for _ in range(MAX_FIX_ROUNDS):
        fixes = select_fixes(diagnostics, unsafe)
        if not fixes:
            break
        files = {e.file for f in fixes for e in f.edits}
        before = {f: read_text(Path(f)) for f in files}
        syntax_before = _syntax_counts(diagnostics)
        applied = apply_fixes(fixes)
        new_diagnostics, sources = _lint(paths, settings)
        syntax_after = _syntax_counts(new_diagnostics)
        broken = [f for f in files if syntax_after.get(f, 0) > syntax_before.get(f, 0)]
        if broken:
            for f in files:
                write_atomically(Path(f), before[f])
            typer.echo(
                f"classadlint check: fixes to {broken[0]} would break its syntax; "
                "left unchanged (please report this)",
                err=True,
            )
            diagnostics, sources = _lint(paths, settings)
            return diagnostics, sources, total
        total += sum(applied.values())
        diagnostics = new_diagnostics
    else:
        sources = _lint(paths, settings)[1]
    if not sources:
        diagnostics, sources = _lint(paths, settings)
    return diagnostics, sources, total


def _syntax_counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in diagnostics:
        if d.code.startswith("CA1") and d.severity == "error":
            out[d.file] = out.get(d.file, 0) + 1
    return out


def _diff(diagnostics: list[Diagnostic], sources: dict[str, SourceFile], unsafe: bool) -> str:
    from classadlint.lint.fix import apply_edits, select_fixes

    fixes = select_fixes(diagnostics, unsafe)
    out: list[str] = []
    for file in sorted({e.file for f in fixes for e in f.edits}):
        old = sources[file].text if file in sources else ""
        new, _ = apply_edits(old, [f for f in fixes if all(e.file == file for e in f.edits)])
        out.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{file}",
                tofile=f"b/{file}",
            )
        )
    return "".join(out)
