"""``classadlint check``: lint config files and the expressions in them.

Exit status: 0 no problems, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from classadlint.commands.expand_cmd import config_files
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.engine import lint_project
from classadlint.lint.fix import apply_fixes, select_fixes
from classadlint.project import Project
from classadlint.report import github as github_report
from classadlint.report import json as json_report
from classadlint.report import sarif as sarif_report
from classadlint.report import text as text_report
from classadlint.source import SourceFile

FORMATS = ("text", "json", "sarif", "github")


def check_command(
    paths: Annotated[list[Path], typer.Argument(help="Config files or directories.")],
    output: Annotated[str, typer.Option("--format", help="text, json, sarif or github")] = "text",
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes in place.")] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix, apply unsafe fixes too.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these codes or prefixes.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these codes or prefixes.")
    ] = None,
    subsystem: Annotated[str, typer.Option(help="Daemon whose view to take.")] = "TOOL",
) -> None:
    """Check HTCondor configuration for the mistakes that break pools."""
    if output not in FORMATS:
        typer.echo(
            f"classadlint check: --format must be one of {', '.join(FORMATS)}, not {output!r}",
            err=True,
        )
        raise typer.Exit(2)
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"classadlint check: {missing[0]}: no such file or directory", err=True)
        raise typer.Exit(2)
    diagnostics, sources = _lint(paths, select, ignore, subsystem)
    if fix:
        applied = apply_fixes(select_fixes(diagnostics, unsafe_fixes))
        fixed = sum(applied.values())
        if fixed:
            typer.echo(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.", err=True)
            # report what is left, from the files as they are now
            diagnostics, sources = _lint(paths, select, ignore, subsystem)
    if output == "json":
        sys.stdout.write(json_report.render(diagnostics) + "\n")
    elif output == "sarif":
        sys.stdout.write(sarif_report.render(diagnostics) + "\n")
    elif output == "github":
        if diagnostics:
            sys.stdout.write(github_report.render(diagnostics) + "\n")
    else:
        if diagnostics:
            typer.echo(text_report.render(diagnostics, sources))
        typer.echo(text_report.summary(diagnostics))
    raise typer.Exit(1 if diagnostics else 0)


def _lint(
    paths: list[Path], select: list[str] | None, ignore: list[str] | None, subsystem: str
) -> tuple[list[Diagnostic], dict[str, SourceFile]]:
    """Each directory is its own configuration (its files read in order); files alone too."""
    diagnostics: list[Diagnostic] = []
    sources: dict[str, SourceFile] = {}
    for group in _groups(paths):
        project = Project(group, config_files(group), subsystem=subsystem)
        diagnostics.extend(lint_project(project, select, ignore))
        sources.update(project.sources)
    return diagnostics, sources


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
