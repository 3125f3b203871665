"""``classadlint expand``: knob values as HTCondor would see them, and how they got there.

Like ``condor_config_val -v``, but for files in a repository (never the machine's own
config), with every expansion step shown.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from classadlint.commands import usage_error
from classadlint.config.model import ConfigModel, build_model

_fail = functools.partial(usage_error, "expand")


#: Documentation and data that live beside config files in a repository.
_NOT_CONFIG = (".md", ".toml", ".py", ".txt", ".json", ".yaml", ".yml")


def config_files(paths: list[Path]) -> list[Path]:
    """The files to read (see :mod:`classadlint.discovery`); a missing path is a usage error."""
    from classadlint.discovery import config_files as discover

    for p in paths:
        if not p.exists():
            raise _fail(f"{p}: no such file or directory")
    return discover(paths)


def _record(model: ConfigModel, name: str) -> dict[str, Any]:
    entry = model.lookup(name)
    if entry is None:
        return {"name": name, "value": None, "file": None, "line": None, "expansions": []}
    expanded = model.expand_entry(entry)
    return {
        "name": entry.name,
        "value": expanded.text,
        "raw": entry.value,
        "file": entry.file,
        "line": entry.line,
        "expansions": expanded.steps,
        "cycles": expanded.cycles,
    }


def expand_command(
    paths: Annotated[list[Path], typer.Argument(help="Config files or directories.")],
    knob: Annotated[
        list[str] | None, typer.Option("--knob", "-k", help="Only these knobs (repeatable).")
    ] = None,
    subsystem: Annotated[str, typer.Option(help="Daemon whose view to take (STARTD...).")] = "TOOL",
    local_name: Annotated[str | None, typer.Option(help="The daemon's local name.")] = None,
    env: Annotated[bool, typer.Option("--env", help="Read $ENV() from the environment.")] = False,
    output: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    run_include_commands: Annotated[
        bool,
        typer.Option(
            "--run-include-commands",
            help="Run the commands of `include command` lines and read their output "
            "(off by default: classadlint never runs what a config file names).",
        ),
    ] = False,
) -> None:
    """Show final knob values with the file:line that set them and every expansion step."""
    if output not in ("text", "json"):
        raise _fail(f"--format must be text or json, not {output!r}")
    files = config_files(paths)
    root = Path.cwd() if all(not p.is_absolute() for p in paths) else None
    model = build_model(
        files,
        subsystem=subsystem,
        local_name=local_name,
        env=env,
        root=root,
        run_include_commands=run_include_commands,
    )
    for file, error in model.errors:
        typer.echo(f"{file}:{error.line}:{error.col}: {error.message}", err=True)
    for file, line, message in model.notes:
        typer.echo(f"{file}:{line}: {message}", err=True)
    names = knob or model.defined_names()
    records = [_record(model, n) for n in names]
    if output == "json":
        json.dump(records, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    for r in records:
        where = f"  # {r['file']}:{r['line']}" if r["file"] else ""
        typer.echo(
            f"{r['name']} = {r['value'] if r['value'] is not None else '(undefined)'}{where}"
        )
        for step in r["expansions"]:
            typer.echo(f"    {step}")
