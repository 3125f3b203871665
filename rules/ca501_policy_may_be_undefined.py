"""CA501 policy-may-be-undefined: a boolean policy that is UNDEFINED or ERROR for some ads.

## What it does
For every boolean policy knob — START, PREEMPT, SUSPEND, CONTINUE, KILL, WANT_SUSPEND,
WANT_VACATE, WANT_HOLD, PERIODIC_CHECKPOINT, PREEMPTION_REQUIREMENTS, SUBMIT_REQUIREMENT_*,
SYSTEM_PERIODIC_*, START_LOCAL_UNIVERSE, ... — asks the symbolic engine for a valid ad
pair (slot and job, schedd and job, or the job alone, as HTCondor evaluates that knob)
that makes it UNDEFINED or ERROR, and shows the pair it found. The pair has been
evaluated by classadlint and by HTCondor's own ClassAd library before it is shown.

Valid ads follow HTCondor's attribute catalog (a job always has RequestCpus, RequestMemory,
Owner...; an attribute it does not always set may be absent), the site's declared
attributes (settings `[attributes.job]`...) and what this configuration makes the startd
advertise (`STARTD_ATTRS` members defined as literals). Literal values (`PREEMPT =
False`) are not asked; a proof that does not finish within `analysis-budget-ms` (default
200 ms) reports nothing.

## Why is this bad?
HTCondor does not stop on an UNDEFINED policy, it quietly reads it as false: a slot whose
START is UNDEFINED for a job never runs it and says nothing; a SUBMIT_REQUIREMENT that is
UNDEFINED rejects the job with "evaluated to non-boolean" instead of its reason
(reference section 7, pitfalls 28 and 41); a startd policy logs "EvalBool ... resulted in
ERROR or UNDEFINED". The usual cause is an attribute some ads lack, compared with `==`.
Where reading UNDEFINED as false is harmless by construction (SYSTEM_PERIODIC_*, startd
policies, the negotiator's and the schedd's other policies) the finding is `info`; for
START and SUBMIT_REQUIREMENT_* it is a `warning`.

## Example
```condor-config
START = TARGET.AcctGroup == "cms" || Cpus > 8
```
```text
1:9 CA501 START is UNDEFINED for slot [ Cpus = 0 ], job [ ]: the job does not match, as if START were false, and nothing says why; make the missing case explicit (`=?=`, `?:`, isUndefined())
```

```condor-config
SUBMIT_REQUIREMENT_NAMES = SmallJobs
SUBMIT_REQUIREMENT_SmallJobs = TARGET.RequestGPUs <= 4
```
```text
2:32 CA501 SUBMIT_REQUIREMENT_SmallJobs is UNDEFINED for schedd [ ], job [ ]: the schedd rejects the job with "evaluated to non-boolean" instead of the requirement's reason; make the missing case explicit (`=?=`, `?:`, isUndefined())
```

## Use instead
```condor-config
START = TARGET.AcctGroup =?= "cms" || Cpus > 8
SUBMIT_REQUIREMENT_NAMES = SmallJobs
SUBMIT_REQUIREMENT_SmallJobs = (TARGET.RequestGPUs ?: 0) <= 4
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.proving import knob_family, policy_knobs, witness_args, witness_text
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA501",
    "policy-may-be-undefined",
    "warning",
    "a boolean policy that is UNDEFINED or ERROR for some valid ads",
    scope="config",
)

_CONSEQUENCE = {
    "START": "the job does not match, as if START were false, and nothing says why",
    "SUBMIT_REQUIREMENT": (
        'the schedd rejects the job with "evaluated to non-boolean" instead of the '
        "requirement's reason"
    ),
    "SYSTEM_PERIODIC": "the schedd reads it as false for that job",
    "STARTD_POLICY": 'the startd reads it as false and logs "EvalBool ... resulted in ERROR or UNDEFINED"',
    "OTHER": "HTCondor reads it as false",
}
#: Families where an UNDEFINED value changes what users see (no match, a rejection).
_USER_VISIBLE = frozenset({"START", "SUBMIT_REQUIREMENT"})
_ADVICE = "make the missing case explicit (`=?=`, `?:`, isUndefined())"


def check(project: Project) -> Iterable[Diagnostic]:
    for ctx, q in policy_knobs(project):
        from classadlint.analysis.policy import ask  # z3 loads only when there is a question

        for kind, word in (("undefined", "UNDEFINED"), ("error", "ERROR")):
            answer = ask(q, kind)
            if answer.status != "proved" or answer.witness is None:
                continue
            assert ctx.knob is not None and ctx.tree is not None
            name = ctx.knob.split(".")[-1]
            consequence = _CONSEQUENCE[knob_family(ctx.knob)]
            ctx.rule = RULE
            found = ctx.report(
                ctx.tree.span,
                f"{name} is {word} for {witness_text(answer.witness)}: {consequence}; {_ADVICE}",
                args=witness_args(answer.witness),
            )
            ctx.rule = None
            if knob_family(ctx.knob) not in _USER_VISIBLE:
                found = dataclasses.replace(found, severity="info")
            yield dataclasses.replace(found, witness=answer.witness)
            break
