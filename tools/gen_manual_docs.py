"""Generate the manual's descriptions of knobs and attributes for hover and completion:
``classadlint/schema/data/knob_docs.json`` and ``attribute_docs.json``.

Usage::

    python tools/gen_manual_docs.py --git-dir /work/.mirror/htcondor+htcondor/repo
    python tools/gen_manual_docs.py --docs DIR/docs --version 25.14.0 --commit SHA

What is read (htcondor/htcondor, HEAD of the git directory, or a ``docs/`` checkout):

* knobs: every ``:macro-def:`NAME``` of ``docs/admin-manual/configuration/*.rst`` with the
  indented block that follows it. ``NAME[Group]`` is a name with an index group (the group
  is dropped, as docs/extensions/macro-def.py does); a body that is only
  ``.. faux-definition::`` shares the description of the next definition (the manual's way
  of documenting several knobs in one entry); names with placeholders
  (``SUBMIT_REQUIREMENT_<Name>``, ``SEC_*_AUTHENTICATION``) become templates with a regex,
  ``<SUBSYS>`` matching only HTCondor's subsystem names; all-lower-case names
  (``kid``, ``sub``: the attributes of a JOB_ROUTER_CREATE_IDTOKEN_<NAME> value) are not
  knobs and are skipped.
* attributes: every ``:classad-attribute-def:`Name``` of the four reference pages the
  attribute catalog is built from (job, machine, schedd, submitter; see
  tools/gen_attribute_catalog.py), except those inside ``.. hidden::`` (not in the
  published manual).
* every page's labels and titles, so that ``:ref:`` and ``:doc:`` links read as the title
  the published manual shows.

The reStructuredText is converted to Markdown (:func:`rst_to_markdown`): paragraphs are
kept (and reflowed to one line each), ``:macro:``/``:ad-attr:``/``:tool:``/``:subcom:``
roles and ``literals`` become code spans, ``:ref:``/``:doc:`` links their title,
``:index:`` roles and directives vanish (HTCondor's own index role renders as a space),
``.. note::`` becomes a bold "Note:" paragraph, code blocks and literal blocks fenced
blocks, grid tables Markdown tables, bullet and enumerated lists Markdown lists.

Size: each description keeps whole blocks (paragraphs, lists, code blocks) while it stays
within :data:`CAP` characters; when something is left out a last paragraph "…" says so,
and a first paragraph longer than the cap is cut at a sentence (or word) end with "…". The
hover links to the manual's page for the rest.

The text is HTCondor's (Apache License 2.0, like this project); the files say where it
came from, at which commit, and that it was converted and shortened (the license's
section 4 asks modified files to say so). Our own one-line attribute descriptions in
tools/attribute_facts.toml are not touched and take precedence (see
:func:`classadlint.schema.attributes.description`).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "classadlint" / "schema" / "data"
KNOB_OUT = DATA / "knob_docs.json"
ATTRIBUTE_OUT = DATA / "attribute_docs.json"
CONFIG_DIR = "docs/admin-manual/configuration"
ATTRIBUTE_DIR = "docs/classad-attributes"
#: The reference pages of the attribute catalog's ads (as tools/gen_attribute_catalog.py).
ATTRIBUTE_PAGES = {
    "job": "job-classad-attributes",
    "machine": "machine-classad-attributes",
    "schedd": "scheduler-classad-attributes",
    "submitter": "submitter-classad-attributes",
}
#: Longest description kept, in characters of Markdown (see the module docstring).
CAP = 1200
ELLIPSIS = "…"

#: ``<SUBSYS>`` in a documented knob name stands for one of these (condor_config.h and
#: the daemons' names; the same list as classadlint.analysis.site.SUBSYSTEMS).
SUBSYSTEMS = (
    "MASTER", "STARTD", "SCHEDD", "COLLECTOR", "NEGOTIATOR", "SUBMIT", "SHADOW",
    "STARTER", "GRIDMANAGER", "DAGMAN", "CREDD", "GANGLIAD", "DEFRAG", "JOB_ROUTER",
    "ROOSTER", "HAD", "REPLICATION", "KBDD", "TOOL", "C_GAHP", "C_GAHP_WORKER_THREAD",
    "TRANSFERER", "LEASEMANAGER", "HDFS", "SHARED_PORT", "ANNEXD", "CKPT_SERVER",
)  # fmt: skip

# --- inline markup ---------------------------------------------------------------------------

#: ``:role:`text``` (``:py:func:`` style domain roles too).
_ROLE_RE = r":(?P<role>[A-Za-z][A-Za-z0-9_.+-]*(?::[A-Za-z][A-Za-z0-9_.+-]*)?):`(?P<rbody>[^`]*)`"
_ROLE = re.compile(_ROLE_RE)
#: Roles whose text is a name shown as code (HTCondor's extensions and Sphinx's own).
_CODE_ROLES = frozenset({
    "macro", "macro-def", "ad-attr", "classad-attribute-def", "subcom", "subcom-def", "tool",
    "dag-cmd", "dag-cmd-def", "ad-expr", "classad-function", "classad-function-def",
    "envvar", "file", "program", "command", "option", "samp", "code", "literal", "kbd",
})  # fmt: skip
#: Roles that link: their explicit title or the resolved page / section title is shown.
_LINK_ROLES = frozenset({"ref", "doc", "numref", "term", "any"})
_TITLE_TARGET = re.compile(r"(?s)^(?P<title>.*?\S)\s*<(?P<target>[^<>]+)>$")
_LITERAL_RE = r"``(?P<lit>.+?)``(?!`)"
_LINK_RE = r"`(?P<text>[^`<]+?)\s*<(?P<url>[^`>]+)>`__?"
#: What :func:`inline` replaces, left to right: nothing inside these is other markup.
_INLINE = re.compile(f"{_ROLE_RE}|{_LITERAL_RE}|{_LINK_RE}")
_KEEP = re.compile(f"{_ROLE_RE}|{_LITERAL_RE}")
_NAMED_REF = re.compile(r"`(?P<text>[^`]+)`__?(?![A-Za-z0-9])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


@dataclass(frozen=True)
class Titles:
    """What a link shows: page titles by document name (``admin-manual/security``), and the
    section titles of explicit labels (``negotiator_config_options``) and of each page's
    headings (``admin-manual/security:the authentication map file``, lower case)."""

    pages: Mapping[str, str]
    labels: Mapping[str, str]

    def ref(self, target: str) -> str:
        key = " ".join(target.split()).lower()
        if key in self.labels:
            return self.labels[key]
        # autosectionlabel: "page:section title" (the published title keeps its case)
        return " ".join(target.rsplit(":", 1)[-1].split())

    def doc(self, target: str, current: str) -> str:
        name = target.strip().rstrip("/")
        name = name[1:] if name.startswith("/") else str(PurePosixPath(current).parent / name)
        name = name.removesuffix(".rst")
        return self.pages.get(name, PurePosixPath(name).name.replace("-", " "))


NO_TITLES = Titles({}, {})


def _role(role: str, body: str, titles: Titles, page: str) -> str:
    role = role.split(":")[-1]
    if role == "index":
        return " "  # HTCondor's index role renders as one space (docs/extensions/index.py)
    if role in _CODE_ROLES:
        name = body.split("[", 1)[0] if not body.startswith("[") else body
        return _code(name.strip())
    if role in _LINK_ROLES or role == "abbr":
        m = _TITLE_TARGET.match(body)
        if m is not None and role != "abbr":
            return _escape_text(m.group("title"))
        if role == "doc":
            return _escape_text(titles.doc(body, page))
        if role in ("ref", "numref"):
            return _escape_text(titles.ref(body))
        return _escape_text(body)
    if role == "sup":
        return "^" + body
    if role == "sub":
        return "_" + body
    if role == "jira":
        return f"(HTCONDOR-{body.strip()})"
    return _escape_text(body)  # math, emphasis, strong, title-reference, unknown ones


def _code(text: str) -> str:
    """A Markdown code span holding ``text`` exactly (wider fences around backticks)."""
    if not text:
        return ""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _escape_text(text: str) -> str:
    """Plain text made safe for Markdown: ``<Name>`` would otherwise be read as an HTML tag
    and vanish from the hover."""
    return _TAG_START.sub(r"\\<", text)


def inline(text: str, titles: Titles = NO_TITLES, page: str = "") -> str:
    """One reST paragraph's inline markup as Markdown (the text is already one line)."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(_plain(text[pos : m.start()]))
        if m.group("role") is not None:
            out.append(_role(m.group("role"), m.group("rbody"), titles, page))
        elif m.group("url") is not None:
            url = m.group("url").strip()
            label = m.group("text").strip()
            out.append(f"[{label}]({url})" if re.match(r"[a-z]+://", url) else label)
        else:
            out.append(_code(m.group("lit")))
        pos = m.end()
    out.append(_plain(text[pos:]))
    joined = "".join(out)
    return " ".join(joined.split())


def _plain(text: str) -> str:
    text = _NAMED_REF.sub(lambda m: m.group("text"), text)
    text = text.replace("\\ ", "")  # reST's escaped space joins ("2\ :sup:`10`")
    # interpreted text with the default role reads as code (`condor_q`): keep it
    return _escape_text(text)


# --- blocks ---------------------------------------------------------------------------------

_BULLET = re.compile(r"^([*+-]|•)( +|$)")
_ENUM = re.compile(r"^(\d+|#|[a-zA-Z])[.)]( +|$)|^\((\d+|#|[a-zA-Z])\)( +|$)")
_DIRECTIVE = re.compile(r"^\.\.\s+(?P<name>[A-Za-z0-9_:-]+)::\s*(?P<arg>.*)$")
_COMMENT = re.compile(r"^\.\.(\s|$)")
_GRID_BORDER = re.compile(r"^\+([-=]+\+)+\s*$")
_SIMPLE_BORDER = re.compile(r"^=+( +=+)+\s*$")
_CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "parsed-literal", "math"})
_ADMONITIONS = {
    "note": "Note", "warning": "Warning", "important": "Important", "tip": "Tip",
    "hint": "Hint", "caution": "Caution", "attention": "Attention", "danger": "Danger",
    "error": "Error", "seealso": "See also", "deprecated": "Deprecated since",
    "versionadded": "New in", "versionchanged": "Changed in", "admonition": "",
}  # fmt: skip


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def dedent(lines: list[str]) -> list[str]:
    """Lines with their common indentation removed (blank lines become empty)."""
    lines = [ln.expandtabs(8).rstrip() for ln in lines]
    depth = min((_indent(ln) for ln in lines if ln), default=0)
    return [ln[depth:] for ln in lines]


def _take_indented(lines: list[str], i: int, depth: int = 1) -> tuple[list[str], int]:
    """The block of lines from ``i`` that are blank or indented at least ``depth``,
    without trailing blank lines, and the index after it."""
    j = i
    while j < len(lines) and (not lines[j] or _indent(lines[j]) >= depth):
        j += 1
    block = lines[i:j]
    while block and not block[-1]:
        block.pop()
    return block, j


@dataclass
class _Ctx:
    titles: Titles
    page: str


def blocks(lines: list[str], ctx: _Ctx) -> list[str]:
    """Markdown blocks (paragraphs, lists, fenced code, tables) of reST body lines whose
    least indentation is 0."""
    out: list[str] = []
    lines = dedent(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if _indent(line) > 0:  # a block quote (or a definition without a term): its text
            body, i = _take_indented(lines, i)
            out += blocks(body, ctx)
            continue
        d = _DIRECTIVE.match(line)
        if d is not None:
            body, i = _take_indented(lines, i + 1)
            out += _directive(d.group("name"), d.group("arg").strip(), body, ctx)
            continue
        if _COMMENT.match(line):  # a comment or a label target with its indented rest
            _, i = _take_indented(lines, i + 1)
            continue
        if _GRID_BORDER.match(line):
            j = i
            while j < len(lines) and lines[j][:1] in ("+", "|"):
                j += 1
            out.append(_grid_table(lines[i:j], ctx))
            i = j
            continue
        if _SIMPLE_BORDER.match(line):
            j, borders = i, 0
            while j < len(lines) and (lines[j] or borders < 3):
                borders += bool(_SIMPLE_BORDER.match(lines[j]))
                j += 1
                if borders == 3:
                    break
            out.append(_fence([inline_keep(ln, ctx) for ln in lines[i:j]], "text"))
            i = j
            continue
        if line.startswith("| ") or line == "|":  # a line block: one paragraph a line
            while i < len(lines) and lines[i].startswith("|"):
                text = lines[i][1:].strip()
                i += 1
                while i < len(lines) and lines[i] and _indent(lines[i]) > 0:
                    text += " " + lines[i].strip()  # a line block's continuation line
                    i += 1
                if text:
                    out.append(inline(text, ctx.titles, ctx.page))
            continue
        if line.strip() == "::":
            body, i = _take_indented(lines, i + 1)
            out.append(_fence(dedent(body), ""))
            continue
        if _BULLET.match(line) or _ENUM.match(line):
            items, i = _list(lines, i, ctx)
            out.append(items)
            continue
        # a paragraph: to a blank line, or to a more indented line (literal or definition)
        j = i
        while j < len(lines) and lines[j] and _indent(lines[j]) == 0:
            j += 1
        para = " ".join(ln.strip() for ln in lines[i:j])
        i = j
        literal = para.endswith("::")
        if literal:
            para = para[:-2].rstrip() + (":" if not para[:-2].endswith(" ") else "")
            para = para.rstrip()
        if para and not _only_index(para):
            out.append(inline(para, ctx.titles, ctx.page))
        if i < len(lines) and lines[i] and _indent(lines[i]) > 0:
            # no blank line: a definition list item, its term being the paragraph
            body, i = _take_indented(lines, i)
            inner = blocks(body, ctx)
            if inner and out:
                term = out.pop()
                out.append(_list_item("-", [term, *inner]))
            else:
                out += inner
        elif literal:
            k = i
            while k < len(lines) and not lines[k]:
                k += 1
            if k < len(lines) and _indent(lines[k]) > 0:
                body, i = _take_indented(lines, k)
                out.append(_fence(dedent(body), ""))
    return [b for b in out if b.strip()]


def inline_keep(line: str, ctx: _Ctx) -> str:
    """Inline markup of a line whose spacing matters (a table row): roles resolved, runs of
    spaces kept."""

    def sub(m: re.Match[str]) -> str:
        if m.group("role") is not None:
            return _role(m.group("role"), m.group("rbody"), ctx.titles, ctx.page)
        return m.group("lit")

    return _KEEP.sub(sub, line)


def _only_index(para: str) -> bool:
    return not _ROLE.sub(lambda m: "" if m.group("role") == "index" else "x", para).strip()


def _list(lines: list[str], i: int, ctx: _Ctx) -> tuple[str, int]:
    """A run of bullet or enumerated items from ``i``: each item's marker, then its text
    (the first line after the marker and every line indented past the marker)."""
    items: list[str] = []
    number = 0
    while i < len(lines):
        line = lines[i]
        m = _BULLET.match(line) or _ENUM.match(line)
        if m is None or _indent(line) > 0:
            break
        width = m.end() if m.group(0).endswith(" ") else len(m.group(0)) + 1
        enumerated = _BULLET.match(line) is None
        number += 1
        marker = f"{number}." if enumerated else "-"
        body = [line[m.end() :]]
        j = i + 1
        while j < len(lines) and (not lines[j] or _indent(lines[j]) >= min(width, 2)):
            body.append(lines[j][width:] if _indent(lines[j]) >= width else lines[j].lstrip())
            j += 1
        while body and not body[-1]:
            body.pop()
        items.append(_list_item(marker, blocks(body, ctx)))
        i = j
        while i < len(lines) and not lines[i]:
            i += 1
    loose = any("\n\n" in item for item in items)
    return ("\n\n" if loose else "\n").join(items), i


def _list_item(marker: str, parts: list[str]) -> str:
    pad = " " * (len(marker) + 1)
    text = "\n\n".join(parts) if parts else ""
    lines = text.split("\n")
    return marker + " " + "\n".join([lines[0], *[pad + ln if ln else "" for ln in lines[1:]]])


def _fence(lines: list[str], lang: str) -> str:
    body = "\n".join(lines).strip("\n")
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}{lang}\n{body}\n{fence}"


def _directive(name: str, arg: str, body: list[str], ctx: _Ctx) -> list[str]:
    name = name.lower()
    # a directive's own options (":caption: x") come first in its body
    content = dedent(body) if body else []
    while content and re.match(r"^:[A-Za-z-]+:( |$)", content[0]):
        content.pop(0)
    if name in _CODE_DIRECTIVES:
        if name == "math" and arg:
            content = [arg, *content]
        lang = arg if name != "math" and re.fullmatch(r"[A-Za-z0-9+_-]+", arg) else ""
        return [_fence(dedent(content), "text" if name == "math" else lang)] if content else []
    if name in _ADMONITIONS:
        label = _ADMONITIONS[name]
        inner = blocks(content, ctx)
        head = arg if name == "admonition" else (f"{label} {arg}" if arg else label)
        if name.startswith("version") or name == "deprecated":
            lead = f"*{_escape_text(head)}*"
        else:
            lead = f"**{inline(head, ctx.titles, ctx.page)}:**"
        if inner and not inner[0].startswith(("```", "- ", "|")):
            return [f"{lead} {inner[0]}", *inner[1:]]
        return [lead, *inner]
    return []  # index, faux-definition, toctree, include, hidden, rubric, image, raw, ...


def _grid_table(rows: list[str], ctx: _Ctx) -> str:
    """A grid table as a Markdown table when no cell spans; otherwise as it is written,
    fenced (roles resolved)."""
    border = rows[0]
    cols = [m.start() for m in re.finditer(r"\+", border)]
    simple = all(
        (_GRID_BORDER.match(r) is not None and [m.start() for m in re.finditer(r"\+", r)] == cols)
        or (r.startswith("|") and all(len(r) > c and r[c] == "|" for c in cols))
        for r in rows
    )
    if not simple:
        return _fence([inline_keep(r, ctx) for r in rows], "text")
    records: list[list[str]] = []
    header = 0
    cell: list[list[str]] = [[] for _ in cols[:-1]]
    for r in rows[1:]:
        if r.startswith("+"):
            records.append([inline(" ".join(c), ctx.titles, ctx.page) for c in cell])
            cell = [[] for _ in cols[:-1]]
            if "=" in r:
                header = len(records)
            continue
        for k in range(len(cols) - 1):
            cell[k].append(r[cols[k] + 1 : cols[k + 1]].strip())
    if not records:
        return ""
    width = len(cols) - 1
    head = records[:header] if header else [[""] * width]
    if len(head) > 1:
        head = [[" ".join(c[k] for c in head).strip() for k in range(width)]]
    body = records[header:] if header else records

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([row(head[0]), "|" + "---|" * width, *(row(c) for c in body)])


def rst_to_markdown(text: str, titles: Titles = NO_TITLES, page: str = "") -> str:
    """reStructuredText body (of one definition) as Markdown, blocks separated by a blank
    line. ``page`` is the document the text is on (for relative ``:doc:`` links)."""
    return "\n\n".join(blocks(text.split("\n"), _Ctx(titles, page)))


def shorten(markdown: str, cap: int = CAP) -> str:
    """Whole blocks while they fit in ``cap`` characters, then "…" (see the docstring)."""
    parts = markdown.split("\n\n") if markdown else []
    # a list or code block contains blank lines: keep such blocks together
    merged: list[str] = []
    for p in parts:
        if merged and (merged[-1].count("```") % 2 == 1 or _continues_list(merged[-1], p)):
            merged[-1] += "\n\n" + p
        else:
            merged.append(p)
    kept: list[str] = []
    size = 0
    for p in merged:
        extra = len(p) + (2 if kept else 0)
        if size + extra > cap:
            if len(kept) > 1 and kept[-1].endswith(":"):
                kept.pop()  # "... as follows:" without what follows
            kept.append(ELLIPSIS if kept else _cut(p, cap))
            break
        kept.append(p)
        size += extra
    return "\n\n".join(kept)


def _continues_list(previous: str, part: str) -> bool:
    return bool(re.match(r"^(- |\d+\. )", previous)) and (
        part.startswith("   ") or bool(re.match(r"^(- |\d+\. )", part))
    )


def _cut(paragraph: str, cap: int) -> str:
    """The paragraph up to its last sentence end (else word end) before ``cap``, + "…"."""
    if paragraph.startswith("```") or paragraph.startswith("|"):
        return ELLIPSIS
    room = paragraph[: cap - 1]
    end = max(room.rfind(". "), room.rfind(".) "))
    if end >= cap // 2:
        return room[: end + 1] + " " + ELLIPSIS
    space = room.rfind(" ")
    cut = room[:space] if space > 0 else room
    if cut.count("`") % 2 == 1:  # never leave a code span open
        cut = cut[: cut.rfind("`")].rstrip()
    return cut.rstrip(",;: ") + " " + ELLIPSIS


# --- definitions -------------------------------------------------------------------------------

_DEF_LINE = r"^(?P<indent>[ \t]*):{role}:`(?P<name>[^`]+)`:?[ \t]*$"
_FAUX = re.compile(r"^\s*\.\.\s+(faux|fake)-definition::\s*$")
_HIDDEN = re.compile(r"^(?P<indent>[ \t]*)\.\.\s+hidden::")


@dataclass(frozen=True)
class Definition:
    """One ``:macro-def:`` or ``:classad-attribute-def:`` with its body (dedented)."""

    name: str
    page: str
    body: list[str]
    hidden: bool = False


#: The pre-defined macros of admin-manual/introduction-to-configuration (``ARCH``,
#: ``FULL_HOSTNAME``, ``DETECTED_CPUS``): a definition list whose terms are ``$(NAME)``.
PREDEFINED_PAGE = "admin-manual/introduction-to-configuration"
_PREDEFINED = re.compile(
    r"^(?P<indent>)``\$\((?P<name>[A-Z][A-Z0-9_]*)\)``(?:\s+:index:`[^`]*`)*\s*$"
)


def definitions(
    text: str, role: str, page: str, pattern: re.Pattern[str] | None = None
) -> Iterator[Definition]:
    """Every definition of ``role`` (or lines matching ``pattern``) on a page, in order, a
    faux-definition's body replaced by the body of the next real one."""
    lines = text.split("\n")
    if pattern is None:
        pattern = re.compile(_DEF_LINE.format(role=re.escape(role)))
    found: list[Definition] = []
    hidden_at: int | None = None  # indentation of an open ``.. hidden::`` block
    for i, line in enumerate(lines):
        h = _HIDDEN.match(line)
        if h is not None:
            hidden_at = _indent(line.expandtabs(8))
            continue
        if hidden_at is not None and line.strip() and _indent(line.expandtabs(8)) <= hidden_at:
            hidden_at = None
        m = pattern.match(line)
        if m is None:
            continue
        depth = _indent(line.expandtabs(8))
        body: list[str] = []
        for nxt in lines[i + 1 :]:
            if nxt.strip() and _indent(nxt.expandtabs(8)) <= depth:
                break
            body.append(nxt)
        name = m.group("name").strip()
        if not name.startswith("<") and "[" in name:
            name = name.split("[", 1)[0]
        elif name.startswith("<") and "[" in name:
            name = name[: name.index("[")]
        found.append(Definition(name, page, dedent(body), hidden=hidden_at is not None))
    # a faux-definition shares the next real definition's text
    for k in range(len(found) - 1, -1, -1):
        d = found[k]
        if all(_FAUX.match(ln) or not ln.strip() for ln in d.body) and k + 1 < len(found):
            found[k] = Definition(d.name, d.page, found[k + 1].body, d.hidden)
    yield from found


def template_pattern(name: str) -> str | None:
    """A regex for a documented name with placeholders (None for a plain name, and for a
    name that is only a placeholder, which would match anything)."""
    parts = re.split(r"(<[^<>]*>|\*)", name)
    if not any(p and not re.fullmatch(r"<[^<>]*>|\*", p) for p in parts):
        return None
    if len(parts) == 1:
        return None
    out = []
    for p in parts:
        if p == "*":
            out.append("[A-Za-z0-9_]+")
        elif re.fullmatch(r"<[^<>]*>", p):
            word = p[1:-1].upper()
            if word == "SUBSYS":
                out.append("(?:" + "|".join(sorted(SUBSYSTEMS, key=len, reverse=True)) + ")")
            elif word in ("N", "X"):
                out.append("[0-9]+")
            else:
                out.append("[A-Za-z0-9_.]+")
        else:
            out.append(re.escape(p))
    return "".join(out)


# --- reading the manual ------------------------------------------------------------------------

_TITLE_UNDER = re.compile(r"^([=\-~^\"'`#*+:.<>_])\1{2,}\s*$")
_LABEL = re.compile(r"^\.\.\s+_(?P<label>[^:]+):\s*$")


def page_titles(pages: Mapping[str, str]) -> Titles:
    """The first title of each page, explicit labels' section titles, and every heading
    as an autosectionlabel (``page:title``), all keyed in lower case."""
    doc_titles: dict[str, str] = {}
    labels: dict[str, str] = {}
    for page, text in pages.items():
        lines = text.split("\n")
        pending: list[str] = []
        for i, line in enumerate(lines[:-1]):
            nxt = lines[i + 1]
            lm = _LABEL.match(line)
            if lm is not None:
                pending.append(lm.group("label").strip().lower())
                continue
            stripped = line.strip()
            if (
                stripped
                and not _TITLE_UNDER.match(line)
                and _TITLE_UNDER.match(nxt)
                and len(nxt.strip()) >= len(stripped) - 2
                and not line.startswith(" ")
            ):
                title = inline(stripped)
                title = re.sub(r"`+([^`]*)`+", r"\1", title).replace("\\<", "<")
                doc_titles.setdefault(page, title)
                labels.setdefault(f"{page}:{' '.join(stripped.split())}".lower(), title)
                for label in pending:
                    labels.setdefault(label, title)
                pending = []
            elif stripped and not stripped.startswith(".."):
                pending = []
    return Titles(doc_titles, labels)


@dataclass(frozen=True)
class Manual:
    """The manual's pages by document name (``admin-manual/configuration/negotiator``)."""

    pages: Mapping[str, str]
    version: str
    commit: str

    @classmethod
    def from_git(cls, git_dir: str) -> Manual:
        listing = _git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", "--", "docs")
        paths = [p for p in listing.splitlines() if p.endswith(".rst")]
        texts = _cat_files(git_dir, [f"HEAD:{p}" for p in paths])
        pages = {_docname(p): t for p, t in zip(paths, texts, strict=True)}
        commit = _git(git_dir, "rev-parse", "HEAD").strip()
        m = re.search(r'set\(VERSION "([^"]+)"\)', _git(git_dir, "show", "HEAD:CMakeLists.txt"))
        if m is None:
            raise SystemExit("no VERSION in CMakeLists.txt")
        return cls(pages, m.group(1), commit)

    @classmethod
    def from_dir(cls, docs: Path, version: str, commit: str) -> Manual:
        pages = {
            _docname("docs/" + p.relative_to(docs).as_posix()): p.read_text(encoding="utf-8")
            for p in sorted(docs.rglob("*.rst"))
        }
        return cls(pages, version, commit)


def _docname(path: str) -> str:
    return path.removeprefix("docs/").removesuffix(".rst")


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=True
    ).stdout


def _cat_files(git_dir: str, revs: list[str]) -> list[str]:
    """Many blobs in one ``git cat-file --batch``."""
    proc = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
        input="\n".join(revs).encode() + b"\n",
        capture_output=True,
        check=True,
    )
    data, pos, out = proc.stdout, 0, []
    for _ in revs:
        header_end = data.index(b"\n", pos)
        size = int(data[pos:header_end].split()[2])
        start = header_end + 1
        out.append(data[start : start + size].decode("utf-8", "replace"))
        pos = start + size + 1
    return out


# --- building the data files -----------------------------------------------------------------


def describe(d: Definition, titles: Titles) -> str:
    return shorten(rst_to_markdown("\n".join(d.body), titles, d.page))


def knob_docs(manual: Manual, titles: Titles) -> tuple[dict[str, object], dict[str, object]]:
    """(plain knob names -> entry, templates -> entry with its regex); first definition
    wins, as in the published manual (macro-def.py ignores a second one)."""
    knobs: dict[str, dict[str, str]] = {}
    templates: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    prefix = CONFIG_DIR.removeprefix("docs/") + "/"
    pages = sorted(p for p in manual.pages if p.startswith(prefix))
    found = [
        d
        for page in pages
        if not page.endswith(("/index", "/all"))
        for d in definitions(manual.pages[page], "macro-def", page)
    ]
    if PREDEFINED_PAGE in manual.pages:  # after the knob pages: their definitions win
        found += definitions(manual.pages[PREDEFINED_PAGE], "", PREDEFINED_PAGE, _PREDEFINED)
    for d in found:
        if d.hidden or d.name.upper() in seen or d.name == d.name.lower():
            continue
        seen.add(d.name.upper())
        text = describe(d, titles)
        if not text:
            continue
        pattern = template_pattern(d.name)
        if pattern is not None:
            templates[d.name] = {"pattern": pattern, "page": d.page, "text": text}
        elif re.fullmatch(r"[A-Za-z0-9_.]+", d.name):
            knobs[d.name] = {"page": d.page, "text": text}
    return _by_name(knobs), _by_name(templates)


def attribute_docs(manual: Manual, titles: Titles) -> dict[str, object]:
    ads: dict[str, object] = {}
    for ad, name in ATTRIBUTE_PAGES.items():
        page = f"{ATTRIBUTE_DIR.removeprefix('docs/')}/{name}"
        attrs: dict[str, str] = {}
        for d in definitions(manual.pages[page], "classad-attribute-def", page):
            if d.hidden or d.name in attrs:
                continue
            text = describe(d, titles)
            if text:
                attrs[d.name] = text
        ads[ad] = {"page": page, "attributes": _by_name(attrs)}
    return ads


def _by_name(d: Mapping[str, object]) -> dict[str, object]:
    return dict(sorted(d.items(), key=lambda kv: kv[0].lower()))


def _provenance(manual: Manual, source: str) -> dict[str, str]:
    return {
        "htcondor_version": manual.version,
        "htcondor_commit": manual.commit,
        "source": source,
        "generator": "tools/gen_manual_docs.py",
        "license": "Apache-2.0",
        "notice": (
            "Text from the HTCondor manual, Copyright 1990-2026 HTCondor Team, Center for High"
            " Throughput Computing, Computer Sciences Department, University of Wisconsin-"
            "Madison, WI; licensed under the Apache License, Version 2.0. Modified: converted"
            f" from reStructuredText to Markdown and shortened to about {CAP} characters per"
            " entry."
        ),
        "manual_url": "https://htcondor.readthedocs.io/en/latest/",
    }


def build(manual: Manual) -> tuple[dict[str, object], dict[str, object]]:
    titles = page_titles(manual.pages)
    knobs, templates = knob_docs(manual, titles)
    knob_data = {
        "provenance": _provenance(manual, f"htcondor/htcondor:{CONFIG_DIR}/*.rst (:macro-def:)"),
        "knobs": knobs,
        "templates": templates,
    }
    attribute_data = {
        "provenance": _provenance(
            manual, f"htcondor/htcondor:{ATTRIBUTE_DIR}/ (:classad-attribute-def:)"
        ),
        "ads": attribute_docs(manual, titles),
    }
    return knob_data, attribute_data


def dump(data: object) -> str:
    """The files' text: one entry per line (reviewable diffs), no indentation inside."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--git-dir", help="an htcondor/htcondor git directory to read HEAD from")
    ap.add_argument("--docs", type=Path, help="the docs/ directory of an htcondor checkout")
    ap.add_argument("--version")
    ap.add_argument("--commit")
    ns = ap.parse_args(list(argv) if argv is not None else None)
    if ns.git_dir:
        manual = Manual.from_git(ns.git_dir)
    elif ns.docs:
        if not ns.version or not ns.commit:
            ap.error("--version and --commit are required with --docs")
        manual = Manual.from_dir(ns.docs, ns.version, ns.commit)
    else:
        ap.error("give --git-dir or --docs")
    knob_data, attribute_data = build(manual)
    KNOB_OUT.write_text(dump(knob_data), encoding="utf-8")
    ATTRIBUTE_OUT.write_text(dump(attribute_data), encoding="utf-8")
    k, t = knob_data["knobs"], knob_data["templates"]
    assert isinstance(k, dict) and isinstance(t, dict)
    print(f"{KNOB_OUT.name}: {len(k)} knobs, {len(t)} templates")
    for ad, d in attribute_data["ads"].items():  # type: ignore[attr-defined]
        print(f"{ATTRIBUTE_OUT.name}: {ad}: {len(d['attributes'])} attributes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
