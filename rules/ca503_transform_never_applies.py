"""CA503 transform-never-applies: a job transform that does nothing for any job.

## What it does
Follows `JOB_TRANSFORM_NAMES` as the schedd does — each transform sees the job as the
ones before it left it — and asks the symbolic engine two questions about each
transform: can any job meet its REQUIREMENTS, and, for every SET, EVALSET, DEFAULT and
EVALDEFAULT (old-style `set_X`, `eval_set_X`), can the value it gives be anything but
UNDEFINED for some job the transform applies to (an EVALSET's value against the job
alone, as the schedd computes it; a SET's expression in a match, where it is used). It
reports the REQUIREMENTS no job
meets and the values that are UNDEFINED for every job. Old-style `[ ... ]` transforms are
read as HTCondor up to 25.7 converted them (from 25.8 on, with `condor-version` set, they
are ignored, as the schedd ignores them); native transforms using macros, `if` blocks,
TRANSFORM loops or regex forms are not analysed. A proof that does not finish within
`analysis-budget-ms` (default 200 ms) reports nothing.

## Why is this bad?
A transform that never applies, or that sets an attribute to UNDEFINED for every job, is
policy that silently does not exist: the hold reason is never set, the accounting group
never assigned. It is usually a test that is always UNDEFINED (`RequestGPU != undefined`,
reference pitfall 27), a REQUIREMENTS using `TARGET.` (the job is evaluated alone, pitfall
39), conditions that contradict each other, or statements in the wrong order (an
attribute read after a RENAME or DELETE took it away: each statement sees the job as the
ones before it left it).

## Example
```condor-config
JOB_TRANSFORM_NAMES = Gpus
JOB_TRANSFORM_Gpus @=end
RENAME RequestGPUs RequestedGPUs
EVALSET GPUsAsked RequestGPUs
@end
```
```text
4:1 CA503 `EVALSET GPUsAsked` of JOB_TRANSFORM_Gpus is UNDEFINED for every job: the transform never sets a value
```

```condor-config
JOB_TRANSFORM_NAMES = Big
JOB_TRANSFORM_Big @=end
REQUIREMENTS RequestMemory > 65536 && RequestMemory <= 32768
SET WantBigNode true
@end
```
```text
3:14 CA503 REQUIREMENTS of JOB_TRANSFORM_Big is never true for any job: the transform never applies
```

## Use instead
```condor-config
JOB_TRANSFORM_NAMES = Gpus Big
JOB_TRANSFORM_Gpus @=end
EVALSET GPUsAsked RequestGPUs
RENAME RequestGPUs RequestedGPUs
@end
JOB_TRANSFORM_Big @=end
REQUIREMENTS RequestMemory > 32768
SET WantBigNode true
@end
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from classadlint.classad import ast
from classadlint.lint.context import ExpressionContext, OriginMap
from classadlint.lint.diagnostic import Diagnostic, Location
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

if TYPE_CHECKING:
    from classadlint.analysis.pipeline import Transform

RULE = Rule(
    "CA503",
    "transform-never-applies",
    "warning",
    "a job transform that does nothing for any job",
    scope="config",
)


def check(project: Project) -> Iterable[Diagnostic]:
    from classadlint.analysis.pipeline import (
        PipelineError,
        Symbolic,
        read_pipeline,
        steps_with_values,
    )
    from classadlint.lint.ambient import current_settings
    from classadlint.lint.engine import expression_contexts

    settings = current_settings()
    contexts = {
        ctx.knob.lower(): ctx
        for ctx in expression_contexts(project, settings)
        if ctx.knob is not None and isinstance(ctx.tree, ast.Record)
    }
    records = {
        k: (ctx.tree, ctx.text) for k, ctx in contexts.items() if isinstance(ctx.tree, ast.Record)
    }
    old_syntax = settings.condor_version is None or settings.condor_version < (25, 8, 0)
    transforms = read_pipeline(project.model, records, old_syntax)
    supported = [t for t in transforms if t.unsupported is None]
    if not supported:
        return
    # z3 loads only when there is a transform to reason about
    from classadlint.analysis.encode import Scope
    from classadlint.analysis.policy import Question, ask, site_facts

    try:
        pipeline = Symbolic(supported)
    except PipelineError:
        return
    facts = site_facts(settings, project.model)
    scope = Scope("job", None)
    match = Scope("job", "slot")  # where a SET expression is evaluated
    budget = settings.analysis_budget_ms
    for k, t in enumerate(supported):
        ctx = contexts.get(t.knob.lower()) or _native_context(project, t)
        if ctx is None:
            continue
        ctx.rule = RULE
        earlier = " after the transforms before it" if k else ""
        try:
            if t.requirements is not None:
                req = pipeline.before(k, t.requirements)
                if ask(Question(req, scope, facts, budget), "never-true").status == "proved":
                    yield ctx.report(
                        t.requirements_span,
                        f"REQUIREMENTS of {t.knob} is never true for any job{earlier}: "
                        "the transform never applies",
                    )
                    continue
            guard = pipeline.guard(k)
            for index, step in steps_with_values(t):
                value = pipeline.step_value(k, index)
                lazy = step.op in ("set", "default")
                q = Question(value, match if lazy else scope, facts, budget)
                if ask(q, "not-undefined", given=guard).status == "refuted":
                    who = "every job it applies to" if guard is not None else "every job"
                    yield ctx.report(
                        step.span,
                        f"`{step.label}` of {t.knob} is UNDEFINED for {who}: "
                        "the transform never sets a value",
                    )
        except PipelineError:
            continue
        finally:
            ctx.rule = None


def _native_context(project: Project, t: Transform) -> ExpressionContext | None:
    """Spans of a native transform's text, mapped to the file through its origins."""
    entry = project.model.lookup(t.knob)
    if entry is None or entry.file is None:
        return None
    origins = list(t.origins) if t.origins is not None else entry.origins
    if len(origins) != len(t.text):
        return None
    src = project.sources.get(entry.file)
    if src is None or not entry.line:
        return None
    start = src.offset(entry.line, 1)
    fallback = Location.of(src, Span(start, start + len(src.line_text(entry.line))))
    span_map = OriginMap(origins, project.sources, fallback)
    return ExpressionContext(t.text, None, None, span_map, t.knob, None, "old")
