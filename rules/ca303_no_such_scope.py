"""CA303 no-such-scope: `TARGET.x` where there is no TARGET, `.x` where the root is the match.

## What it does
Reports `TARGET.x` in an expression HTCondor evaluates against one ad only
(`SYSTEM_PERIODIC_*`, `NEGOTIATOR_*_CONSTRAINT`, `DAEMON_SHUTDOWN`, `SLOT_WEIGHT`, ...,
and `IS_OWNER`, which the startd evaluates while the slot is unclaimed, so without a job),
and `.x`, `root.x` or `toplevel.x` in a two-ad evaluation (START, RANK, PREEMPT,
SUBMIT_REQUIREMENT_*, ...).
Old-style transforms and routes (`[ ... ]`) are exempt: there the job is TARGET.

## Why is this bad?
`TARGET.x` against a single ad is UNDEFINED (reference section 2.5, pitfall 39): a
`SYSTEM_PERIODIC_HOLD = TARGET.MemoryUsage > 4096` never holds anything. In a match the
root ad is the match ad that holds both sides, so `.Memory` is UNDEFINED there
(pitfall 40), although the same text works on a single ad. Both facts are checked with
classad2 in tests/test_rules_scope.py.

## Example
```condor-config
SYSTEM_PERIODIC_HOLD_REASON = strcat("job used ", TARGET.MemoryUsage, " MiB")
```
```text
1:51 CA303 `TARGET.MemoryUsage`: SYSTEM_PERIODIC_HOLD_REASON is evaluated against the job ad alone, so `TARGET.` finds nothing and this is always UNDEFINED; write `MemoryUsage` (the job's own)
```
```condor-config fixed
SYSTEM_PERIODIC_HOLD_REASON = strcat("job used ", MemoryUsage, " MiB")
```

```condor-config
RANK = .Memory
```
```text
1:8 CA303 `.Memory`: in a match the root ad is the match ad, not the slot, so `.Memory` is always UNDEFINED in RANK; write `MY.Memory`
```
```condor-config fixed
RANK = MY.Memory
```

## Use instead
```condor-config
SYSTEM_PERIODIC_HOLD_REASON = strcat("job used ", MemoryUsage, " MiB")
RANK = MY.Memory
```

## Fix safety
Unsafe: the expression stops being UNDEFINED, which is what the author evidently meant
but changes what the policy does. A fix is offered only when the attribute exists in the
ad it then reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from classadlint.analysis.references import (
    ROOT_NAMES,
    Reference,
    ad_word,
    references,
    scope_of,
)
from classadlint.analysis.site import SiteFacts, find_attribute
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fragments import Checked, project_contexts, project_facts
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema.attributes import catalog_ad
from classadlint.schema.knob_contexts import Context
from classadlint.source import Span

RULE = Rule(
    "CA303",
    "no-such-scope",
    "error",
    "a scope that names no ad here: always UNDEFINED",
    fix="unsafe",
    scope="config",
)

#: Knobs with a TARGET in the table whose usual evaluation has none: the startd evaluates
#: IS_OWNER (IsOwner) in the Owner and Unclaimed states, with no claim and so no job
#: (Resource::eval_is_owner passes the current claim's ad, which is null then).
_NO_JOB_USUALLY = re.compile(r"(?:SLOT(?:_TYPE_)?\d+_)?(?:IS_OWNER|IsOwner)", re.I)


def _single_ad(knob: str | None, context: Context) -> bool:
    base = (knob or "").rsplit(".", 1)[-1]
    return context.target is None or bool(_NO_JOB_USUALLY.fullmatch(base))


def check(project: Project) -> Iterable[Diagnostic]:
    facts = project_facts(project)
    for item in project_contexts(project):
        ctx = item.ctx
        context = ctx.context
        if ctx.tree is None or context is None:
            continue
        scope = scope_of(context, ctx.tree)
        if scope.route:
            continue
        single = _single_ad(ctx.knob, context)
        knob = (ctx.knob or "this expression").rsplit(".", 1)[-1]
        ctx.rule = RULE
        for ref in references(ctx.tree, context.aliases):
            word = (ref.scope or "").lower()
            if ref.form == "scoped" and word == "target" and single and context.my is not None:
                yield _target_alone(ctx, item, ref, knob, context, facts)
            elif scope.ads_of(ref) == () and (ref.form == "absolute" or word in ROOT_NAMES):
                yield _root_in_match(ctx, item, ref, knob, context, facts)


def _prefix(ref: Reference) -> Span:
    """The scope part of a reference: ``TARGET.`` of ``TARGET.x``, ``.`` of ``.x``."""
    return Span(ref.span.start, ref.name_span.start)


def _has(kind: str | None, name: str, facts: SiteFacts) -> bool:
    ad = catalog_ad(kind or "")
    return ad is not None and find_attribute(ad, name, facts) is not None


def _target_alone(
    ctx: ExpressionContext,
    item: Checked,
    ref: Reference,
    knob: str,
    context: Context,
    facts: SiteFacts,
) -> Diagnostic:
    mine = ad_word(context.my or "")
    if context.target is None:
        why = f"{knob} is evaluated against the {mine} ad alone"
    else:
        why = f"{knob} is evaluated while the slot is unclaimed, with no job"
    fix = None
    if _has(context.my, ref.name, facts):
        advice = f"write `{ref.name}` (the {mine}'s own)"
        fix = ctx.fix(f"Read the {mine}'s `{ref.name}`", [(_prefix(ref), "")])
    else:
        advice = f"the {mine} ad has no `{ref.name}` and no other ad is available here"
    return ctx.report(
        ref.span,
        f"`{ctx.source(ref.span)}`: {why}, so `{ref.scope}.` finds nothing and this is "
        f"always UNDEFINED; {advice}",
        fixes=[fix],
        related=item.related,
        args={"attribute": ref.name, "knob": knob},
    )


def _root_in_match(
    ctx: ExpressionContext,
    item: Checked,
    ref: Reference,
    knob: str,
    context: Context,
    facts: SiteFacts,
) -> Diagnostic:
    mine = ad_word(context.my or "")
    text = ctx.source(ref.span)
    fix = None
    if _has(context.my, ref.name, facts):
        fix = ctx.fix(f"Read the {mine}'s `{ref.name}`", [(_prefix(ref), "MY.")])
    return ctx.report(
        ref.span,
        f"`{text}`: in a match the root ad is the match ad, not the {mine}, so `{text}` is "
        f"always UNDEFINED in {knob}; write `MY.{ref.name}`",
        fixes=[fix],
        related=item.related,
        args={"attribute": ref.name, "knob": knob},
    )
