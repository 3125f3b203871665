"""``classadlint impact OLD NEW``: what a policy change does to jobs and slots.

OLD and NEW are config files or directories, or ``REV:PATH`` for a git revision of a path
in the current repository (``HEAD~1:config.d`` against ``config.d``). Exit status: 0 no
behaviour changes found, 1 some found (changed, or possibly changed by sampling), 2 usage
errors — so a pre-commit hook or CI job can ask for a look at every change of behaviour.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from classadlint.commands import usage_error

if TYPE_CHECKING:
    from classadlint.analysis.impact import Difference

FORMATS = ("text", "json")


_fail = functools.partial(usage_error, "impact")


def materialise(spec: str, into: Path) -> Path:
    """A path as given, or ``REV:PATH`` checked out of git into ``into``."""
    plain = Path(spec)
    if plain.exists() or ":" not in spec:
        if not plain.exists():
            raise _fail(f"{spec}: no such file or directory")
        return plain
    rev, _, path = spec.partition(":")

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], capture_output=True, timeout=60)

    if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise _fail(f"{spec}: `{rev}` is not a git revision here (and no such path)")
    listed = git("ls-tree", "-r", "--name-only", "--full-name", rev, "--", path or ".")
    names = [n for n in listed.stdout.decode().splitlines() if n]
    if listed.returncode != 0 or not names:
        raise _fail(f"{spec}: nothing at `{path}` in {rev}")
    root = into / rev.replace("/", "_")
    prefix = path.rstrip("/")
    for name in names:
        shown = git("show", f"{rev}:{name}")
        if shown.returncode != 0:
            raise _fail(f"{spec}: cannot read {name} at {rev}")
        rel = name[len(prefix) :].lstrip("/") if name != prefix else Path(name).name
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shown.stdout)
    return root if len(names) > 1 or names[0] != prefix else root / Path(prefix).name


def impact_command(
    old: Annotated[str, typer.Argument(help="The old configuration: a path, or REV:PATH.")],
    new: Annotated[str, typer.Argument(help="The new configuration: a path, or REV:PATH.")],
    output: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    samples: Annotated[
        int, typer.Option(help="Ad pairs to sample where the engine cannot decide.")
    ] = 1000,
    subsystem: Annotated[
        str | None, typer.Option(help="Daemon whose view to take (default: TOOL).")
    ] = None,
) -> None:
    """Find the job and slot ads whose treatment a configuration change alters."""
    from classadlint.analysis.impact import compare, side_of
    from classadlint.analysis.policy import site_facts
    from classadlint.commands.expand_cmd import config_files
    from classadlint.lint.settings import SettingsError, discover
    from classadlint.project import Project

    if output not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
    if samples < 1:
        raise _fail("--samples must be at least 1")
    with tempfile.TemporaryDirectory(prefix="classadlint-impact-") as tmp:
        old_path = materialise(old, Path(tmp) / "old")
        new_path = materialise(new, Path(tmp) / "new")
        try:
            settings = discover(Path(new) if Path(new).exists() else Path.cwd())
        except SettingsError as exc:
            raise _fail(str(exc)) from None
        if subsystem is not None:
            settings = settings.override(subsystem=subsystem)
        old_syntax = settings.condor_version is None or settings.condor_version < (25, 8, 0)
        sides = []
        for path in (old_path, new_path):
            files = [f for f in config_files([path]) if not settings.excluded(f)]
            project = Project([path], files, subsystem=settings.subsystem)
            sides.append(side_of(project.model, old_syntax))
        facts = site_facts(settings, sides[1].model)
        found = list(compare(sides[0], sides[1], facts, settings.analysis_budget_ms, samples))
    if output == "json":
        sys.stdout.write(json.dumps([asdict(d) for d in found], indent=1) + "\n")
    else:
        typer.echo(render(found))
    changed = any(d.status in ("changed", "possibly-changed") for d in found)
    raise typer.Exit(1 if changed else 0)


def render(found: list[Difference]) -> str:
    out: list[str] = []
    counts: dict[str, int] = {}
    for d in found:
        counts[d.status] = counts.get(d.status, 0) + 1
        what = d.item if d.kind == "knob" else f"{d.item} (after the job transforms)"
        word = d.status.replace("-", " ")
        out.append(f"{what}: {word}")
        if d.kind == "knob":
            out.append(f"    old: {d.old}")
            out.append(f"    new: {d.new}")
        if d.witness:
            old_v, new_v = d.values
            out.append(f"    for {d.witness}: old {old_v}, new {new_v}")
        if d.samples:
            out.append(f"    {d.differing} of {d.samples} sampled ad pairs differ")
        if d.note:
            out.append(f"    ({d.note})")
    if not found:
        out.append("No policy knob or transform result differs.")
    else:
        parts = [f"{n} {s.replace('-', ' ')}" for s, n in sorted(counts.items())]
        out.append("")
        out.append(f"{len(found)} compared: " + ", ".join(parts) + ".")
    return "\n".join(out)
