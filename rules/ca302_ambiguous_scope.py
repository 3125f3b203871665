"""CA302 ambiguous-scope: an unqualified name both ads of the evaluation have.

## What it does
Reports an unqualified attribute name, in an expression evaluated against two ads (a match
or a two-ad policy: START, RANK, PREEMPT, MAXJOBRETIREMENTTIME, PREEMPTION_REQUIREMENTS,
SUBMIT_REQUIREMENT_*, ...), that is an attribute of both: HTCondor's catalog has it in
both (`MaxJobRetirementTime`, `Requirements`, `Rank`, `AccountingGroup`, `CondorVersion`)
or this site advertises it in one ad and the other already has it. The message says which
ad HTCondor takes. Attributes the startd copies from the running job into the slot
(`STARTD_JOB_ATTRS`) hold the same value in both and are not reported.

## Why is this bad?
In a match an unqualified name is looked up in MY first and only then in TARGET (reference
section 2.5; checked with classad2 matchmaking in tests/test_rules_scope.py). In the startd
`MaxJobRetirementTime` therefore means the *slot's* retirement time -- the machine knob --
even where the author meant the job's `max_retirement_time` (reference 6.3). Whether that
is what you meant cannot be seen from the text, and the answer changes when the slot
stops advertising the attribute (then the job's is used).

## Example
```condor-config
START = (time() + MaxJobRetirementTime < ShutdownTime) =?= true
ShutdownTime = 0
STARTD_ATTRS = $(STARTD_ATTRS) ShutdownTime
```
```text
1:19 CA302 `MaxJobRetirementTime` is an attribute of both the slot and the job ad: unqualified, HTCondor takes the slot's (MY, looked up first) and the job's only when the slot has none; write `MY.MaxJobRetirementTime` for the slot's or `TARGET.MaxJobRetirementTime` for the job's
```

## Use instead
```condor-config
START = (time() + TARGET.MaxJobRetirementTime < ShutdownTime) =?= true
ShutdownTime = 0
STARTD_ATTRS = $(STARTD_ATTRS) ShutdownTime
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.analysis.references import ad_word, catalog_ads, references, scope_of
from classadlint.analysis.site import Definition, SiteFacts, find_attribute
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fragments import project_contexts, project_facts
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.schema.attributes import Ad

RULE = Rule(
    "CA302",
    "ambiguous-scope",
    "warning",
    "an unqualified name both ads have: MY's is used",
    scope="config",
)


def _has(ad: Ad, name: str, facts: SiteFacts) -> bool:
    """The ad has exactly this attribute (not merely a name matching a template), and not
    as a copy of the other ad's: the startd copies attributes of the running job into the
    slot (STARTD_JOB_ATTRS, SYSTEM_STARTD_JOB_ATTRS: JobUniverse, MemoryUsage, ...), and
    both ads then hold the same value."""
    found = find_attribute(ad, name, facts)
    if found is None or found.how not in ("catalog", "site"):
        return False
    return not (isinstance(found.info, Definition) and found.info.kind == "copied")


def check(project: Project) -> Iterable[Diagnostic]:
    facts = project_facts(project)
    for item in project_contexts(project):
        ctx = item.ctx
        context = ctx.context
        if ctx.tree is None or context is None or context.my is None or context.target is None:
            continue
        scope = scope_of(context, ctx.tree)
        if scope.route:
            continue
        ads = catalog_ads((context.my, context.target))
        if ads is None:
            continue
        my, target = ads
        ctx.rule = RULE
        for ref in references(ctx.tree, context.aliases):
            if ref.form != "unqualified" or ref.lexical:
                continue
            if not (_has(my, ref.name, facts) and _has(target, ref.name, facts)):
                continue
            mine, other = ad_word(context.my), ad_word(context.target)
            yield ctx.report(
                ref.span,
                f"`{ref.name}` is an attribute of both the {mine} and the {other} ad: "
                f"unqualified, HTCondor takes the {mine}'s (MY, looked up first) and the "
                f"{other}'s only when the {mine} has none; write `MY.{ref.name}` for the "
                f"{mine}'s or `TARGET.{ref.name}` for the {other}'s",
                related=item.related,
                args={"attribute": ref.name, "my": mine, "target": other},
            )
