"""Hover: what HTCondor will make of the thing under the cursor.

A knob shows what the HTCondor manual says it is, its catalog facts, the value it finally
has after every assignment and expansion, and where that value was set (and which earlier
assignments it overrides); a ``$(X)`` its expansion; an attribute its type and ad in the
knob's evaluation context and its description (ours, else the manual's); a function its
signature; a rule code in a suppression comment what the rule checks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from classadlint.lint.examples import sections
from classadlint.lint.rule import LoadedRule
from classadlint.lint.suppress import selector_matches
from classadlint.lsp.locate import Target
from classadlint.project import Project
from classadlint.schema import knobs as knob_catalog
from classadlint.schema.attributes import (
    ADS,
    Ad,
    AttributeInfo,
    catalog,
    catalog_ad,
    description,
    manual_description,
)
from classadlint.schema.functions_catalog import FunctionInfo, function
from classadlint.schema.knob_contexts import Context

#: Longest value shown; a 5 kB transform is not read in a hover.
MAX_VALUE = 600


def function_signature(info: FunctionInfo) -> str:
    """``regexp(regex, string, [regex-options]) -> bool``; ``strcat([any, ...]) -> string``."""
    shown = [info.arg_kind(i) for i in range(info.min_args)]
    if info.max_args is None:
        shown.append(f"[{info.arg_kind(info.min_args)}, ...]")
    else:
        shown += [f"[{info.arg_kind(i)}]" for i in range(info.min_args, info.max_args)]
    return f"{info.name}({', '.join(shown)}) -> {info.result}"


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    """One line of at most ``limit`` characters: white space runs made single spaces, the
    rest cut with an ellipsis (hovers, completion details and the outline share it)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _where(file: str | None, line: int | None, root: Path | None = None) -> str:
    if file is None:
        return "HTCondor's built-in default"
    shown = file
    if root is not None:
        with contextlib.suppress(ValueError):
            shown = str(Path(file).relative_to(root))
    return f"`{shown}:{line}`"


def describe_context(ctx: Context) -> str:
    parts = [f"MY = {ctx.my or 'none'}", f"TARGET = {ctx.target or 'none'}"]
    parts += [f"{k} = {v}" for k, v in ctx.aliases.items()]
    daemon = f" by the {ctx.daemon}" if ctx.daemon else ""
    return f"evaluated{daemon} with {', '.join(parts)}"


def knob_description(name: str) -> str | None:
    """The manual's description of a knob for a hover, with a link to its entry; found
    through a documented template (``SUBMIT_REQUIREMENT_<Name>``), it says which."""
    desc = knob_catalog.description(name)
    if desc is None:
        return None
    lead = f"*The manual, on `{desc.name}`:*\n\n" if desc.templated else ""
    return f"{lead}{desc.text}\n\n[HTCondor manual]({desc.url})"


def knob_hover(name: str, project: Project, root: Path | None) -> str:
    model = project.model
    info = knob_catalog.knob(name)
    entry = model.lookup(name)
    out = [f"**{name}**"]
    about = knob_description(name)
    if about is not None:
        # what the knob is first, then what this configuration makes of it
        out.append(about + "\n\n---")
    if info is None and about is not None:
        # the manual documents knobs its param table lacks (CONDOR_HOST, ALLOW_WRITE)
        out[0] += " — HTCondor knob (documented; no built-in default)"
    elif info is not None:
        kind = "expression" if info.expression else info.type
        out[0] += f" — HTCondor knob ({kind})"
        if info.context is not None:
            out.append(describe_context(info.context))
        default = info.default_for(model.subsystem)
        out.append(f"Default: `{shorten(default)}`" if default else "Default: none")
        if info.since:
            out.append(f"Since HTCondor {info.since}")
    else:
        out[0] += " — not an HTCondor knob: a macro of this configuration"
    if entry is None or not entry.value:
        out.append("Value: not set (expands to nothing)")
    else:
        value = model.expand_entry(entry).text
        out.append(f"Value: `{shorten(value)}`")
        if entry.file is None:
            out.append("Set by: HTCondor's built-in default")
        else:
            out.append(f"Set at {_where(entry.file, entry.line, root)}")
            earlier = entry.history[:-1]
            if earlier:
                shown = ", ".join(_where(f, n, root) for f, n in earlier)
                out.append(f"Overrides {shown}")
    return "\n\n".join(out)


def macro_hover(target: Target, project: Project, root: Path | None) -> str:
    model = project.model
    entry = model.lookup(target.name)
    default = target.macro.default if target.macro is not None else None
    ref = f"$({target.name}:{default})" if default is not None else f"$({target.name})"
    if entry is None or not entry.value:
        if default is not None:
            return f"`{ref}` → `{shorten(default)}` (its default: `{target.name}` is not set)"
        return f"`{ref}`: `{target.name}` is defined nowhere: it expands to nothing"
    value = model.expand_entry(entry).text
    out = [f"`{ref}` → `{shorten(value)}`"]
    if entry.file is None:
        out.append("from HTCondor's built-in default")
    else:
        out.append(f"set at {_where(entry.file, entry.line, root)}")
    desc = knob_catalog.description(target.name)
    if desc is not None and desc.summary:
        out.append(f"`{target.name}`: {desc.summary}")
    return "\n\n".join(out)


def _ads_for(target: Target) -> list[Ad]:
    ctx = target.context
    kinds: list[str | None]
    if ctx is None:
        return list(ADS)
    kinds = [ctx.ad_for_scope(target.scope)] if target.scope is not None else [ctx.my, ctx.target]
    return [ad for k in kinds if k is not None and (ad := catalog_ad(k)) is not None]


def attribute_info(target: Target) -> list[AttributeInfo]:
    """The catalog entries an attribute reference can mean in its context."""
    cat = catalog()
    found = [i for ad in _ads_for(target) if (i := cat.get(ad, target.name)) is not None]
    if not found and target.context is not None and target.scope is None:
        found = [i for ad in ADS if (i := cat.get(ad, target.name)) is not None]
    return found


def attribute_hover(target: Target) -> str:
    scope = f"{target.scope}." if target.scope else ""
    head = f"**{scope}{target.name}**"
    infos = attribute_info(target)
    where = ""
    if target.context is not None and target.knob is not None:
        where = f" (in `{target.knob.entry.name}`, {describe_context(target.context)})"
    if not infos:
        return f"{head} — not in HTCondor's attribute catalog{where}"
    out = [head + where]
    for info in infos:
        line = f"*{info.ad} ad*, `{info.type}`"
        if info.always:
            line += ", always set"
        text = description(info)
        if text:
            line += f": {text}"
            found = None if info.description else manual_description(info)
            if found is not None:
                line += f"\n\n[HTCondor manual]({found.url})"
        out.append(line)
    return "\n\n".join(out)


def function_hover(name: str) -> str:
    info = function(name)
    if info is None:
        return f"**{name}** — not a ClassAd function: a call evaluates to ERROR"
    where = {
        "core": "every ClassAd library",
        "htcondor": "HTCondor's daemons and tools",
        "daemon": "only " + ", ".join(info.daemons),
    }[info.layer]
    return f"`{function_signature(info)}`\n\n{info.arity_text()} argument(s); available in {where}"


def rule_summary(r: LoadedRule) -> str:
    what = sections(r.doc).get("What it does", "").strip()
    return what.split("\n\n")[0].replace("\n", " ") if what else r.rule.message


def suppression_hover(selector: str, rules: Sequence[LoadedRule], href: str) -> str:
    hits = [r for r in rules if selector_matches(selector, r.rule.code, r.rule.name)]
    if not hits:
        return f"`{selector}` names no rule"
    if len(hits) > 1:
        listed = ", ".join(f"{r.rule.code} {r.rule.name}" for r in hits[:20])
        return f"`{selector}` selects {len(hits)} rules: {listed}"
    r = hits[0]
    return (
        f"**{r.rule.code} {r.rule.name}** ({r.rule.severity})\n\n{rule_summary(r)}\n\n"
        f"[Rule documentation]({href.format(code=r.rule.code)})"
    )


def hover_text(
    target: Target,
    project: Project,
    rules: Sequence[LoadedRule],
    href: str,
    root: Path | None,
    include: Path | None = None,
) -> str | None:
    if target.kind == "knob":
        return knob_hover(target.name, project, root)
    if target.kind == "macro":
        return macro_hover(target, project, root)
    if target.kind == "attribute":
        return attribute_hover(target)
    if target.kind == "function":
        return function_hover(target.name)
    if target.kind == "suppression":
        return suppression_hover(target.name, rules, href)
    if target.kind == "include":
        return f"include `{include}`" if include else "include: the file is not found"
    return None
