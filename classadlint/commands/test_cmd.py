"""``classadlint test``: run policy test files (``docs/policy-tests.md``).

Exit status: 0 every test passed (known defects still failing count as passed); 1 a test
failed, errored, or a known defect unexpectedly passed; 2 usage errors (no test files, a
test file that cannot be read, settings) — a one-line message, never a traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from classadlint.commands import usage_error

FORMATS = ("text", "junit")


_fail = functools.partial(usage_error, "test")


def test_files(paths: list[Path]) -> list[Path]:
    """Each file given, and every ``*.toml`` policy test file below each directory."""
    from classadlint.policytest.spec import is_test_file

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*.toml")
                if f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and is_test_file(f)
            )
            out.extend(f for f in found if f not in out)
        elif p.is_file():
            if p not in out:
                out.append(p)
        else:
            raise _fail(f"{p}: no such file or directory")
    return out


def test_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Policy test files, or directories to search for them (default: .)."),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text or junit")] = "text",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every expectation, passed or not.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Settings file (analysis-budget-ms, attributes, ...)."),
    ] = None,
) -> None:
    """Run policy tests: what the configuration does with given jobs and slots."""
    from classadlint.lint.settings import SettingsError, discover, load_settings
    from classadlint.policytest.report import render_junit, render_text
    from classadlint.policytest.runner import Result, run_file
    from classadlint.policytest.spec import SpecError, load

    if output not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
    targets = list(paths) if paths else [Path(".")]
    files = test_files(targets)
    if not files:
        raise _fail("no policy test files (TOML with [[case]] or [[property]]) found")
    try:
        if config is not None:
            if not config.is_file():
                raise _fail(f"{config}: no such settings file")
            settings = load_settings(config)
        else:
            settings = discover(files[0])
        specs = [load(f) for f in files]
    except (SettingsError, SpecError) as exc:
        raise _fail(str(exc)) from None
    results: list[Result] = []
    for spec in specs:
        try:
            results.extend(run_file(spec, settings))
        except Exception as exc:  # a bug in classadlint: one test file's error, not a traceback
            results.append(Result(spec.path, "(running the file)", "case", "error", [],
                                  f"internal error: {type(exc).__name__}: {exc}"))  # fmt: skip
    if output == "junit":
        sys.stdout.write(render_junit(results) + "\n")
    else:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        typer.echo(render_text(results, colour=colour, verbose=verbose))
    raise typer.Exit(1 if any(r.failed for r in results) else 0)
