"""``classadlint convert-transform``: old ``[ ... ]`` transforms and routes in native syntax.

HTCondor 25.8 and later ignore old-style JOB_TRANSFORM_<name> values ("appears to be in
ClassAd format, which is no longer supported"), and the job router no longer reads
JOB_ROUTER_ENTRIES. This prints what HTCondor's own converter
(``condor_transform_ads -convertoldroutes``) would write for each of them, without a
running HTCondor, so the native text can be pasted back into the config file.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated

import typer

from classadlint.commands import usage_error
from classadlint.commands.expand_cmd import config_files
from classadlint.config.model import Origin, build_model

#: knobs that hold old-style routes besides the transform knobs themselves
_ROUTE_LISTS = re.compile(r"JOB_ROUTER_ENTRIES\Z", re.I)


_fail = functools.partial(usage_error, "convert-transform")


def _convert_text(label: str, text: str, origins: list[Origin]) -> list[str]:
    # the transform parser (a Lark grammar) loads only when this command runs
    from classadlint.config.transform.ast import TransformSource
    from classadlint.config.transform.oldstyle import convert_route, split_routes

    source = TransformSource(label, text, origins)
    out = []
    for start, end in split_routes(text):
        converted = convert_route(source, start, end)
        if converted.errors:
            raise _fail(f"{label}: {converted.errors[0].message}", 1)
        out.append(converted.text)
    return out


def convert_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Config files (or a file holding only [ ... ] routes).")
    ],
    knob: Annotated[
        str | None,
        typer.Option("--knob", "-k", help="Convert only this knob (JOB_TRANSFORM_<name>...)."),
    ] = None,
    subsystem: Annotated[str, typer.Option(help="Daemon whose view to take.")] = "SCHEDD",
) -> None:
    """Print old-style [ ... ] transforms and routes in the native transform language."""
    from classadlint.config.transform.load import transform_name

    files = config_files(paths)
    if (
        len(files) == 1
        and files[0].read_text(encoding="utf-8", errors="replace").lstrip()[:1] == "["
    ):
        text = files[0].read_text(encoding="utf-8")
        origins = [Origin(str(files[0]), k) for k in range(len(text))]
        typer.echo("\n\n".join(_convert_text(str(files[0]), text, origins)))
        return
    model = build_model(files, subsystem=subsystem)
    if knob is not None:
        entry = model.lookup(knob)
        if entry is None or not entry.value.strip():
            raise _fail(f"{knob} is not defined in {', '.join(map(str, paths))}")
        expanded = model.expand_entry(entry)
        if not expanded.text.lstrip().startswith("["):
            raise _fail(f"{knob} is not an old-style [ ... ] transform", 1)
        typer.echo("\n\n".join(_convert_text(entry.name, expanded.text, expanded.origins)))
        return
    blocks = []
    for entry in model.entries.values():
        base = entry.name.split(".")[-1]
        if entry.file is None or not (transform_name(base) or _ROUTE_LISTS.match(base)):
            continue
        expanded = model.expand_entry(entry)
        if not expanded.text.lstrip().startswith("["):
            continue
        body = "\n\n".join(_convert_text(entry.name, expanded.text, expanded.origins))
        blocks.append(f"# {entry.name} ({entry.file}:{entry.line})\n{body}")
    if not blocks:
        raise _fail("no old-style [ ... ] transform or route in these files", 1)
    typer.echo("\n\n".join(blocks))
