"""The ``classadlint.evaluate`` command: the value of the expression on the cursor's line
against the sample job and slot ads named in the settings (``sample-job``,
``sample-slot``), as ``classadlint eval --my SLOT --target JOB`` would compute it.

The expression is the value of the statement under the cursor with every macro expanded
by the configuration's model. Which sample is MY and which TARGET follows where HTCondor
evaluates the knob (START: MY = slot, TARGET = job; SUBMIT_REQUIREMENT_x: MY = job); a
helper macro takes the context of the expression knob that reads it, and a line no knob
reads is evaluated as START would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classadlint.classad.ad import ClassAd
from classadlint.classad.adfile import AdSyntaxError, parse_ad_text
from classadlint.classad.errors import ClassAdSyntaxError
from classadlint.classad.evaluate import evaluate
from classadlint.classad.functions import unparse_value
from classadlint.classad.parser import ParseOptions, parse_expr, parse_record
from classadlint.classad.values import type_name
from classadlint.config.model import Origin, expand
from classadlint.config.parser import Assignment
from classadlint.lint.settings import Settings
from classadlint.lsp.locate import expression_at, statement_at
from classadlint.project import RECORD_KNOBS, Project
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.knob_contexts import Context

COMMAND = "classadlint.evaluate"
#: The context of a line no expression knob reads: as START (a slot matching a job).
DEFAULT_CONTEXT = Context(my="slot", target="job")


class EvaluateError(ValueError):
    """Why nothing can be evaluated here; shown to the user as it is."""


@dataclass(frozen=True)
class Evaluation:
    knob: str
    expression: str
    value: str
    type: str
    my: str | None
    target: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "knob": self.knob,
            "expression": self.expression,
            "value": self.value,
            "type": self.type,
            "my": self.my,
            "target": self.target,
        }

    def message(self) -> str:
        ads = ", ".join(
            f"{scope} = {path}"
            for scope, path in (("MY", self.my), ("TARGET", self.target))
            if path
        )
        return f"{self.knob} = {self.value}" + (f"  ({ads})" if ads else "")


def _load_ad(path: Path | None, setting: str) -> ClassAd | None:
    if path is None:
        return None
    try:
        return parse_ad_text(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvaluateError(f"{setting} {path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise EvaluateError(f"{setting} {path}: not valid UTF-8") from None
    except AdSyntaxError as exc:
        raise EvaluateError(f"{setting} {path}:{exc.line}:{exc.col}: {exc.reason}") from None


def _sample(kind: str | None, settings: Settings) -> tuple[ClassAd | None, str | None]:
    if kind == "slot":
        return _load_ad(settings.sample_slot, "sample-slot"), _shown(settings.sample_slot)
    if kind == "job":
        return _load_ad(settings.sample_job, "sample-job"), _shown(settings.sample_job)
    return None, None


def _shown(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def evaluate_at(project: Project, file: str, line: int, settings: Settings) -> Evaluation:
    """Evaluate the statement on 1-based ``line`` of ``file``."""
    parsed = project.model.files.get(file)
    src = project.sources.get(file)
    stmt = statement_at(parsed, line) if parsed is not None else None
    if not isinstance(stmt, Assignment) or src is None:
        raise EvaluateError(f"line {line} sets no knob: nothing to evaluate")
    if settings.sample_job is None and settings.sample_slot is None:
        raise EvaluateError(
            "no sample ads: set sample-job and sample-slot in [tool.classadlint] "
            "or .classadlint.toml"
        )
    value = stmt.value
    text = expand(value, [Origin(None, None)] * len(value), project.model).text.strip()
    if not text:
        raise EvaluateError(f"{stmt.name} is empty")
    ctx = knob_catalog.context(stmt.name)
    if ctx is None and stmt.value_start < len(stmt.line.text):
        start = stmt.line.file_offset(stmt.value_start)
        found = expression_at(project, file, start, stmt)
        if found is not None:
            ctx = knob_catalog.context(found[0].entry.name)
    ctx = ctx or DEFAULT_CONTEXT
    is_record = bool(RECORD_KNOBS.match(stmt.name.split(".")[-1])) and text.startswith("[")
    try:
        tree = (
            parse_record(text, ParseOptions())
            if is_record
            else parse_expr(text, ParseOptions(strings="old"))
        )
    except ClassAdSyntaxError as exc:
        raise EvaluateError(f"{stmt.name} does not parse: {exc.message}") from None
    my, my_path = _sample(ctx.my, settings)
    target, target_path = _sample(ctx.target, settings)
    result = evaluate(tree, my, target)
    return Evaluation(
        stmt.name, text, unparse_value(result), type_name(result), my_path, target_path
    )
