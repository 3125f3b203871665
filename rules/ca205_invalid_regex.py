"""CA205 invalid-regex: a literal regular expression or option string that does not work.

## What it does
Checks the literal pattern and option arguments of `regexp`, `regexpMember`, `regexps`,
`replace`, `replaceAll` and `stringList_regexpMember`: a pattern PCRE2 rejects, an
uppercase option letter, an option letter that means nothing.

## Why is this bad?
A pattern that does not compile makes the call ERROR for every input. Option letters
count only in lowercase: `regexp("^bob", Owner, "I")` is case-SENSITIVE although the
manual says `I` or `i`; letters other than `i m s x f g` are ignored. See the reference,
section 4.1 and section 7 (pitfall 46b).

## Example
```condor-config
START = regexp("^bob", Owner, "I")
```
```text
1:31 CA205 option `I` is ignored (HTCondor reads only lowercase option letters): the match is case-sensitive; write `"i"`
```
```condor-config fixed
START = regexp("^bob", Owner, "i")
```

```classad
regexp("(unclosed", Owner)
```
```text
1:8 CA205 `(unclosed` is not a valid regular expression (missing ), unterminated subpattern): the call is always ERROR
```

## Use instead
```condor-config
START = regexp("^bob", Owner, "i")
```

## Fix safety
Unsafe: lowercasing an option turns it on, which changes what the call matches (as the
author intended).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from classadlint.classad import ast
from classadlint.classad.unparse import quote_string
from classadlint.lint.context import ExpressionContext
from classadlint.lint.diagnostic import Diagnostic
from classadlint.lint.rule import Rule

RULE = Rule("CA205", "invalid-regex", "warning", "regular expression that does not work", "unsafe")

#: function -> (pattern argument, options argument, least argument count for options)
_REGEX_FUNCTIONS = {
    "regexp": (0, 2, 3),
    "regexpmember": (0, 2, 3),
    "regexps": (0, 3, 4),
    "replace": (0, 3, 4),
    "replaceall": (0, 3, 4),
    "stringlist_regexpmember": (0, 3, 4),
}
_OPTIONS = set("imsxfg")


def _string(node: ast.Expr) -> ast.Literal | None:
    while isinstance(node, ast.Paren):
        node = node.inner
    if isinstance(node, ast.Literal) and isinstance(node.value, str):
        return node
    return None


@cache
def _pcre_rejects(pattern: str) -> str | None:
    """Why the pattern does not compile, or None. Python's `re` screens; HTCondor's own
    PCRE2 (via classad2) decides, since the dialects differ (`\\p{L}`, `(?<n>...)`)."""
    try:
        re.compile(pattern)
        return None
    except re.error as exc:
        reason = str(exc).split(" at position")[0]
    try:
        import classad2

        value = classad2.ExprTree(f'regexp({quote_string(pattern)}, "")').eval()
    except Exception:  # no HTCondor library: stay silent rather than guess
        return None
    return reason if value == classad2.Value.Error else None


def check(ctx: ExpressionContext) -> Iterable[Diagnostic]:
    for node in ctx.nodes(ast.Call):
        spec = _REGEX_FUNCTIONS.get(node.name.lower())
        if spec is None:
            continue
        pat_i, opt_i, min_n = spec
        if len(node.args) > pat_i and (pat := _string(node.args[pat_i])) is not None:
            assert isinstance(pat.value, str)
            reason = _pcre_rejects(pat.value)
            if reason is not None:
                yield ctx.report(
                    pat.span,
                    f"`{pat.value}` is not a valid regular expression ({reason}): "
                    "the call is always ERROR",
                )
        if len(node.args) >= min_n and (opt := _string(node.args[opt_i])) is not None:
            assert isinstance(opt.value, str)
            upper = sorted({c for c in opt.value if c.isupper() and c.lower() in _OPTIONS})
            junk = sorted({c for c in opt.value if c.lower() not in _OPTIONS})
            if upper:
                fixed = "".join(dict.fromkeys(c.lower() if c in upper else c for c in opt.value))
                letters = ", ".join(f"`{c}`" for c in upper)
                what = "the match is case-sensitive; " if "I" in upper else ""
                fix = ctx.replace(opt.span, quote_string(fixed, ctx.strings), f'Write `"{fixed}"`')
                yield ctx.report(
                    opt.span,
                    f"option {letters} is ignored (HTCondor reads only lowercase option "
                    f'letters): {what}write `"{fixed}"`',
                    fixes=[fix],
                )
            elif junk:
                letters = ", ".join(f"`{c}`" for c in junk)
                yield ctx.report(
                    opt.span,
                    f"option {letters} means nothing and is ignored; use only `i`, `m`, `s`, "
                    "`x` (and `f`, `g` for substitutions)",
                )
