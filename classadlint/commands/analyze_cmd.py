"""``classadlint analyze``: why a job does or does not match, offline.

Like ``condor_q -better-analyze``, for a job ad file against slot ad files (or, without
``--slots``, a synthetic slot built from the configuration: an idle 8-core slot with what
the configuration advertises), with START's clauses pointing at the config lines they
came from. Exit status: 0 some slot matches, 1 none does, 2 usage errors.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from classadlint.commands import usage_error

if TYPE_CHECKING:
    from classadlint.classad import ast
    from classadlint.classad.ad import ClassAd
    from classadlint.lint.context import ExpressionContext
    from classadlint.lint.settings import Settings
    from classadlint.project import Project


_fail = functools.partial(usage_error, "analyze")


def _ads(path: Path) -> list[ClassAd]:
    from classadlint.classad.adfile import AdSyntaxError, parse_ads
    from classadlint.classad.errors import ClassAdSyntaxError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: cannot read: {exc}") from None
    try:
        return list(parse_ads(text))
    except (AdSyntaxError, ClassAdSyntaxError) as exc:
        raise _fail(f"{path}:{exc}") from None


def analyze_command(
    paths: Annotated[list[Path], typer.Argument(help="The configuration: files or directories.")],
    job: Annotated[Path, typer.Option("--job", help="The job ad (new or long form).")],
    slots: Annotated[
        Path | None,
        typer.Option("--slots", help="Slot ads (default: a synthetic slot from the config)."),
    ] = None,
    transform: Annotated[
        bool,
        typer.Option(
            "--transform", help="Run the configuration's job transforms on the job first."
        ),
    ] = False,
    output: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    time: Annotated[
        int | None, typer.Option("--time", help="What time() is (default: now).")
    ] = None,
) -> None:
    """Explain, clause by clause, why a job matches the slots or does not."""
    from classadlint.analysis.explain import analyse, render
    from classadlint.commands.expand_cmd import config_files
    from classadlint.lint.settings import SettingsError, discover
    from classadlint.policytest import ads as ADS
    from classadlint.policytest.transforms import TransformError, apply_all, read_transforms
    from classadlint.project import Project

    if output not in ("text", "json"):
        raise _fail(f"--format must be text or json, not {output!r}")
    missing = [p for p in (*paths, job, *([slots] if slots else [])) if not p.exists()]
    if missing:
        raise _fail(f"{missing[0]}: no such file or directory")
    try:
        settings = discover(paths[0])
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    files = [f for f in config_files(list(paths)) if not settings.excluded(f)]
    project = Project(list(paths), files, subsystem=settings.subsystem)
    model = project.model
    job_ads = _ads(job)
    if not job_ads:
        raise _fail(f"{job}: no ad in the file")
    the_job = job_ads[0]
    clock = time if time is not None else None
    maps: dict[str, dict[str, str]] = {}
    try:
        from classadlint.config.usermaps import user_maps

        for sub in ("SCHEDD", "STARTD", settings.subsystem):
            found, _ = user_maps(model, sub)
            for name, table in found.items():
                maps.setdefault(name, {}).update(table)
    except ImportError:  # pragma: no cover
        pass
    if transform:
        try:
            out = apply_all(read_transforms(project, settings), the_job, model, maps,
                            clock if clock is not None else 0)  # fmt: skip
        except TransformError as exc:
            raise _fail(f"the job transforms fail on this job: {exc}") from None
        the_job = out.ad
    if slots is not None:
        slot_ads = _ads(slots)
        if not slot_ads:
            raise _fail(f"{slots}: no ad in the file")
    else:
        slot_ads = [ADS.build("slot", clock or 1_700_000_000, model, {}, {})]
    contexts = _start_contexts(project, settings)

    def start_of(slot: ClassAd) -> tuple[ast.Expr | None, str, Callable[[ast.Expr], str]]:
        expr = ADS.start_expr(model, slot)
        for knob, ctx in contexts.items():
            tree = ctx.tree
            if tree is not None and expr is not None and _same(tree, expr):
                return tree, knob, _locator(ctx)
        if expr is None:
            return slot.lookup("Requirements"), "the slot's Requirements", lambda node: ""
        return expr, "START", lambda node: ""

    result = analyse(the_job, slot_ads, start_of,
                     clock=float(clock) if clock is not None else None, user_maps=maps)  # fmt: skip
    if output == "json":
        sys.stdout.write(json.dumps(asdict(result), indent=1) + "\n")
    else:
        typer.echo(render(result))
    raise typer.Exit(0 if any(result.matched) else 1)


def _same(a: ast.Expr, b: ast.Expr) -> bool:
    from classadlint.classad.unparse import unparse

    return unparse(a) == unparse(b)


def _locator(ctx: ExpressionContext) -> Callable[[ast.Expr], str]:
    def where(node: ast.Expr) -> str:
        return str(ctx.span_map.location(node.span))

    return where


def _start_contexts(project: Project, settings: Settings) -> dict[str, ExpressionContext]:
    """START and per-slot START knobs, with the span maps that locate their clauses."""
    from classadlint.lint.engine import expression_contexts

    out = {}
    for ctx in expression_contexts(project, settings):
        name = (ctx.knob or "").split(".")[-1].upper()
        if name == "START" or name.endswith("_START"):
            out[ctx.knob or name] = ctx
    return out
