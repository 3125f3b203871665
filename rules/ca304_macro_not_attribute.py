"""CA304 macro-not-attribute: a config macro used as if it were an attribute.

## What it does
Reports a bare name in an expression evaluated against an ad (START, RANK, PREEMPT,
SYSTEM_PERIODIC_*, transforms, ...) that is a macro this configuration defines, that no
`*_ATTRS` list advertises, and that is no attribute of the ads the expression sees.

## Why is this bad?
Config macros are text for `$(...)` substitution; a daemon's ad holds only the attributes
HTCondor sets and those named in `<SUBSYS>_ATTRS` (reference sections 1.6 and 6.1). So
`IgnoreMaintenance = False` followed by `START = ... || IgnoreMaintenance == True` reads an
attribute `IgnoreMaintenance` that does not exist: UNDEFINED, whatever the macro says.
Either splice the macro's value with `$(IgnoreMaintenance)`, or advertise it
(`STARTD_ATTRS = $(STARTD_ATTRS) IgnoreMaintenance`) so the slot ad carries it -- the
usual choice when operators change it at run time with `condor_config_val -rset`.

## Example
```condor-config
IgnoreMaintenance = False
START = (IgnoreMaintenance =?= True) || (TARGET.RequestCpus <= Cpus)
```
```text
2:10 CA304 `IgnoreMaintenance` is a config macro, not an attribute of the slot or the job ad, so here it is UNDEFINED; write `$(IgnoreMaintenance)` to use the macro's value, or advertise it with `STARTD_ATTRS = $(STARTD_ATTRS) IgnoreMaintenance`
```
```condor-config fixed
IgnoreMaintenance = False
START = ($(IgnoreMaintenance) =?= True) || (TARGET.RequestCpus <= Cpus)
```

## Use instead
```condor-config
IgnoreMaintenance = False
STARTD_ATTRS = $(STARTD_ATTRS) IgnoreMaintenance
START = (IgnoreMaintenance =?= True) || (TARGET.RequestCpus <= Cpus)
```

## Fix safety
Unsafe: splicing the macro's value changes what the expression evaluates to (from
UNDEFINED to the macro's value), and a value changed at run time then needs a reconfig
instead of an ad update. Advertising it may be what you want instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.analysis.references import ad_word, catalog_ads, references, scope_of
from classadlint.analysis.site import find_attribute
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fragments import project_contexts, project_facts
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA304",
    "macro-not-attribute",
    "warning",
    "a config macro used as an attribute: always UNDEFINED",
    fix="unsafe",
    scope="config",
)

#: The list that puts a name into the ad an expression is evaluated in (its MY ad).
_ADVERTISE = {"machine": "STARTD_ATTRS", "job": "SUBMIT_ATTRS", "schedd": "SCHEDD_ATTRS"}


def check(project: Project) -> Iterable[Diagnostic]:
    facts = project_facts(project)
    if not facts.macros:
        return
    for item in project_contexts(project):
        ctx = item.ctx
        context = ctx.context
        if ctx.tree is None or context is None:
            continue
        scope = scope_of(context, ctx.tree)
        ctx.rule = RULE
        for ref in references(ctx.tree, context.aliases):
            if ref.form != "unqualified" or ref.lexical:
                continue
            macro = facts.macros.get(ref.name.lower())
            if macro is None or facts.advertised_anywhere(ref.name) is not None:
                continue
            ads = catalog_ads(scope.unqualified)
            if not ads or any(find_attribute(ad, ref.name, facts) is not None for ad in ads):
                continue
            which = " or the ".join(ad_word(k) for k in scope.unqualified)
            advice = f"write `$({macro})` to use the macro's value"
            knob = _ADVERTISE.get(ads[0])
            if knob is not None:
                advice += f", or advertise it with `{knob} = $({knob}) {ref.name}`"
            fix = ctx.fix(f"Use the value of `$({macro})`", [(ref.span, f"$({macro})")])
            yield ctx.report(
                ref.span,
                f"`{ref.name}` is a config macro, not an attribute of the {which} ad, so "
                f"here it is UNDEFINED; {advice}",
                fixes=[fix],
                related=item.related,
                args={"macro": macro},
            )
