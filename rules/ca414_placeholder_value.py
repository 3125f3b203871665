"""CA414 placeholder-value: a knob still holds HTCondor's "you must change this" placeholder.

## What it does
Reports a knob whose final value contains
`YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE`, the text HTCondor's sample
configurations put where a site must fill in its own value.

## Why is this bad?
After reading the configuration, HTCondor searches every knob's raw value for that exact
text (case-sensitive; a value later overwritten does not count). A daemon that finds one
refuses to start ("The following configuration macros appear to contain default values
that must be changed before Condor will run"), naming the knob and where it was set; tools
print the same message and carry on. See the reference, section 1.11.

## Example
```condor-config
CONDOR_HOST = YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE
```
```text
1:15 CA414 `CONDOR_HOST` still holds HTCondor's placeholder `YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE`: no daemon starts with it; set `CONDOR_HOST` to this site's value
```

## Use instead
```condor-config
CONDOR_HOST = cm.example.org
```

A value overwritten later does not count: only the final one is searched.
"""

from __future__ import annotations

from collections.abc import Iterable

from classadlint.lint.context import at
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule
from classadlint.project import Project
from classadlint.source import Span

RULE = Rule(
    "CA414",
    "placeholder-value",
    "error",
    "a knob still holds HTCondor's placeholder value",
    scope="config",
)

#: condor_config.cpp ``FORBIDDEN_CONFIG_VAL``, searched for with ``strstr``.
PLACEHOLDER = "YOU_MUST_CHANGE_THIS_INVALID_CONDOR_CONFIGURATION_VALUE"


def check(project: Project) -> Iterable[Diagnostic]:
    for entry in project.model.entries.values():
        index = entry.value.find(PLACEHOLDER)
        if index < 0:
            continue
        # point at the placeholder where it was written (an append may have brought it)
        origin = entry.origins[index] if index < len(entry.origins) else None
        file = origin.file if origin is not None and origin.offset is not None else entry.file
        src = project.sources.get(file or "")
        if src is None:
            continue  # set by HTCondor's own templates, not by this configuration
        if origin is not None and origin.offset is not None and origin.file == file:
            span = Span(origin.offset, origin.offset + len(PLACEHOLDER))
        else:
            start = src.offset(max(entry.line or 1, 1), 1)
            span = Span(start, start + len(src.line_text(max(entry.line or 1, 1))))
        yield at(
            RULE,
            src,
            span,
            f"`{entry.name}` still holds HTCondor's placeholder `{PLACEHOLDER}`: no daemon "
            f"starts with it; set `{entry.name}` to this site's value",
        )
