"""``classadlint eval``: the value of an expression, as HTCondor would compute it.

Admins use it to try a policy against a sample slot and job ad before committing it.
Every input error is reported as ``file:line:col: reason`` with exit status 2, and so is an
expression HTCondor fails to evaluate (past its depth bound; before 25.13.2 a circular
reference too), where classad2 raises "failed to evaluate expression" and a daemon treats
the expression as unusable: printing ERROR would hide that. ``--condor-version`` follows an
older HTCondor's language (23.0 LTS: ``2G`` is a number, ``?:`` binds loosest).
"""

from __future__ import annotations

import functools
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from classadlint.classad.ad import ClassAd
from classadlint.classad.adfile import AdSyntaxError, parse_ad_text
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import MAX_DEPTH, EvaluationFailed, evaluate
from classadlint.classad.functions import unparse_value
from classadlint.classad.parser import DEFAULT_VERSION, ParseOptions, parse_expr
from classadlint.classad.values import ERROR, UNDEFINED, AbsTime, RelTime, type_name
from classadlint.commands import usage_error
from classadlint.lint.settings import parse_version

_fail = functools.partial(usage_error, "eval")


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\0" in data:
        raise _fail(f"{path}:1:1: binary file, not a ClassAd") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(f"{path}:{line}:{col}: not valid UTF-8") from None


def _load_ad(path: Path | None, options: ParseOptions) -> ClassAd | None:
    if path is None:
        return None
    try:
        return parse_ad_text(_read(path), options.semantics, options.version)
    except AdSyntaxError as exc:
        raise _fail(f"{path}:{exc.line}:{exc.col}: {exc.reason}") from None


def to_json(value: Any) -> Any:
    """A JSON-able rendering: ``{"type": ..., "value": ...}`` all the way down."""
    kind = type_name(value)
    if value is UNDEFINED or value is ERROR:
        return {"type": kind, "value": None}
    if isinstance(value, list):
        return {"type": kind, "value": [to_json(v) for v in value]}
    if isinstance(value, ClassAd):
        return {"type": kind, "value": unparse_value(value)}
    if isinstance(value, AbsTime):
        return {"type": kind, "value": {"seconds": value.seconds, "offset": value.offset}}
    if isinstance(value, RelTime):
        return {"type": kind, "value": value.seconds}
    if isinstance(value, float) and not math.isfinite(value):
        return {"type": kind, "value": str(value)}
    return {"type": kind, "value": value}


def eval_command(
    expression: Annotated[
        str | None, typer.Argument(help="The ClassAd expression (or use --file).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the expression from this file.")
    ] = None,
    my: Annotated[
        Path | None,
        typer.Option("--my", help="The ad the expression belongs to (MY), new or long form."),
    ] = None,
    target: Annotated[
        Path | None, typer.Option("--target", help="The other ad of the match (TARGET).")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="Output format: text or json.")] = "text",
    strict: Annotated[
        bool,
        typer.Option("--strict", help="The bare library's strict mode instead of HTCondor's."),
    ] = False,
    condor_version: Annotated[
        str | None,
        typer.Option(
            "--condor-version",
            help="Follow this HTCondor version's language (e.g. 23.0.20); default "
            + ".".join(map(str, DEFAULT_VERSION))
            + ".",
        ),
    ] = None,
) -> None:
    """Evaluate a ClassAd expression with HTCondor's exact semantics."""
    if output not in ("text", "json"):
        raise _fail(f"--format must be text or json, not {output!r}")
    version = DEFAULT_VERSION
    if condor_version is not None:
        parsed = parse_version(condor_version)
        if parsed is None:
            raise _fail(f"--condor-version must be a version like 23.0.20, not {condor_version!r}")
        version = parsed
    if (expression is None) == (file is None):
        raise _fail("give the expression as an argument or with --file, not both or neither")
    source = "<expression>"
    if file is not None:
        expression = _read(file).rstrip("\n")
        source = str(file)
    assert expression is not None
    options = ParseOptions(semantics="strict" if strict else "daemon", version=version)
    try:
        tree = parse_expr(expression, options)
    except ClassAdSyntaxError as exc:
        line, col = exc.position()
        raise _fail(f"{source}:{line}:{col}: {exc.message}") from None
    my_ad = _load_ad(my, options)
    target_ad = _load_ad(target, options)
    try:
        value = evaluate(tree, my_ad, target_ad, options=options, on_failure="raise")
    except EvaluationFailed as exc:
        why = str(exc) or f"it goes past HTCondor's evaluation depth bound ({MAX_DEPTH} levels)"
        raise _fail(
            f"{source}: HTCondor fails to evaluate this expression (classad2: "
            f'"failed to evaluate expression"): {why}'
        ) from None
    if output == "json":
        json.dump(to_json(value), sys.stdout)
        sys.stdout.write("\n")
    else:
        typer.echo(unparse_value(value))
