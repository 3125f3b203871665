"""CA502 policy-never-true: a START or requirement no ad pair can satisfy.

## What it does
For every boolean policy knob that is not a literal (START, SUBMIT_REQUIREMENT_*,
PREEMPTION_REQUIREMENTS, SYSTEM_PERIODIC_*, PREEMPT, ...), asks the symbolic engine for a
valid ad pair that makes it true, and reports the knobs for which it proves there is
none. `START = False` and `PREEMPT = False` are deliberate and not reported; a proof that
does not finish within `analysis-budget-ms` (default 200 ms) reports nothing.

## Why is this bad?
A START no job can satisfy leaves every job idle on that slot forever; a submit
requirement nothing satisfies rejects every submission; a periodic hold or preemption
policy that can never be true does nothing. It is usually two conditions that contradict
each other (`Memory > 4096 && Memory < 2048`), a test that is always UNDEFINED
(`RequestGPUs != undefined`) or a macro that expanded to something unintended.

## Example
```condor-config
START = TARGET.RequestMemory > 4096 && TARGET.RequestMemory <= 2048
```
```text
1:9 CA502 no slot and job pair makes START true: no job ever starts on this slot
```

## Use instead
```condor-config
START = TARGET.RequestMemory > 2048 && TARGET.RequestMemory <= 4096
```
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.proving import ads_words, knob_family, policy_knobs
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA502",
    "policy-never-true",
    "warning",
    "a policy no valid ad pair makes true",
    scope="config",
)

_CONSEQUENCE = {
    "START": "no job ever starts on this slot",
    "SUBMIT_REQUIREMENT": "the schedd rejects every job",
    "SYSTEM_PERIODIC": "it never acts on any job",
    "STARTD_POLICY": "it never acts on any job",
    "OTHER": "it never holds",
}


def check(project: Project) -> Iterable[Diagnostic]:
    for ctx, q in policy_knobs(project):
        from classadlint.analysis.policy import ask  # z3 loads only when there is a question

        if ask(q, "never-true").status != "proved":
            continue
        assert ctx.knob is not None and ctx.tree is not None
        name = ctx.knob.split(".")[-1]
        ctx.rule = RULE
        yield ctx.report(
            ctx.tree.span,
            f"no {ads_words(q.scope)} makes {name} true: {_CONSEQUENCE[knob_family(ctx.knob)]}",
        )
        ctx.rule = None
