"""CA301 undefined-attribute: an attribute no ad of the evaluation has.

## What it does
Reports a reference to an attribute that is neither one HTCondor puts into the ads the
expression is evaluated against (the attribute catalog: job, slot, schedd, submitter ads,
plus what HTCondor adds by rule: custom resources from `MACHINE_RESOURCE_*` with their
`Total`, `Detected`, `Assigned`, `Child` forms and the job's `Request<Resource>`,
`slot<N>_<attr>` cross-slot copies, `<attr>_RAW`) nor one this site advertises or sets:
`STARTD_ATTRS`, `SUBMIT_ATTRS`, `SCHEDD_ATTRS` and the other `*_ATTRS` lists, job
transforms (`SET`/`DEFAULT`/`EVALSET`/`COPY`/`RENAME`, old `set_`/`eval_set_`/`copy_`),
`+Attr` lines of submit files checked with the config, and the `attributes` setting.
Every file checked together is one site: an attribute advertised in any of them counts.
Names are compared case-insensitively, as HTCondor does; a close known name is suggested.
Names of config macros are left to CA304. When a startd or schedd cron job publishes
attributes (`STARTD_CRON_JOBLIST`), only names close to a known one are reported.

## Why is this bad?
A reference to an attribute no ad has evaluates to UNDEFINED (reference section 2.5):
`Memroy > 2048` is never true, `TARGET.RequestGPU > 0` never matches, and no daemon logs
anything. A site attribute that users set in submit files (`+Project = "x"`) is fine, but
the linter cannot see submit files unless you declare it.

## Example
```condor-config
START = (TARGET.RequestMemroy <= Memory) =?= true
```
```text
1:10 CA301 `RequestMemroy` is not an attribute of the job ad: HTCondor does not set it and nothing in this configuration does, so it is UNDEFINED; did you mean `RequestMemory`?
```

```condor-config
START = HasScratch =?= true
```
```text
1:9 CA301 `HasScratch` is not an attribute of the slot or the job ad: HTCondor does not set it and nothing in this configuration does, so it is UNDEFINED; advertise it (STARTD_ATTRS for the slot; SUBMIT_ATTRS or a job transform for the job) or declare it in the `attributes` setting
```

## Use instead
```condor-config
HasScratch = True
STARTD_ATTRS = $(STARTD_ATTRS) HasScratch
START = (TARGET.RequestMemory <= Memory && HasScratch) =?= true
```

A job attribute users add in their submit files is declared in the settings:

```toml
[tool.classadlint.attributes.job]
Project = "string"
```

## Options
Opt-in: select it with `--extend-select CA301` (or `extend-select = ["CA301"]` in the
settings). Every attribute your users set in submit files (`+Project`) must first be
declared in the `attributes` setting (`[tool.classadlint.attributes.<ad>]`, ad one of job,
machine, schedd, submitter), or each use is reported; on HTCondor's and sites' public
configurations it is otherwise quiet (see README).
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.analysis.references import (
    ad_word,
    catalog_ads,
    references,
    scope_of,
)
from classadlint.analysis.site import closest_name, find_attribute
from classadlint.classad import ast
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.fragments import project_contexts, project_facts
from classadlint.lint.rule import Rule
from classadlint.project import Project

RULE = Rule(
    "CA301",
    "undefined-attribute",
    "warning",
    "an attribute no ad of the evaluation has: always UNDEFINED",
    scope="config",
    default=False,
)

_ADVERTISE: dict[str, str] = {
    "machine": "STARTD_ATTRS for the slot",
    "job": "SUBMIT_ATTRS or a job transform for the job",
    "schedd": "SCHEDD_ATTRS for the schedd",
    "submitter": "the accountant",
}


def check(project: Project) -> Iterable[Diagnostic]:
    facts = project_facts(project)
    for item in project_contexts(project):
        ctx = item.ctx
        if ctx.tree is None or ctx.context is None:
            continue
        if item.advertised and isinstance(ctx.tree, ast.AttrRef):
            continue  # `X = word` advertised: CA405 says to quote it
        scope = scope_of(ctx.context, ctx.tree)
        ctx.rule = RULE
        for ref in references(ctx.tree, ctx.context.aliases):
            if ref.lexical:
                continue
            kinds = scope.ads_of(ref)
            if not kinds:  # no such ad here: CA303's finding
                continue
            ads = catalog_ads(kinds)
            if ads is None:
                continue
            if any(find_attribute(ad, ref.name, facts) is not None for ad in ads):
                continue
            if ref.name.lower() in facts.macros:  # CA304 says what to write
                continue
            close = closest_name(ref.name, ads, facts)
            if close is None and any(ad in facts.open_ads for ad in ads):
                continue  # a cron job may publish it
            which = " or the ".join(ad_word(k) for k in kinds)
            if close is not None:
                hint = f"did you mean `{close}`?"
            else:
                how = "; ".join(_ADVERTISE[ad] for ad in ads)
                hint = f"advertise it ({how}) or declare it in the `attributes` setting"
            yield ctx.report(
                ref.span,
                f"`{ref.name}` is not an attribute of the {which} ad: HTCondor does not set "
                f"it and nothing in this configuration does, so it is UNDEFINED; {hint}",
                related=item.related,
                args={"attribute": ref.name, "ads": ",".join(ads)},
            )
