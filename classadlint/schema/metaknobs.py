"""HTCondor's metaknobs (``use CATEGORY : Template(args)``): their bodies as HTCondor's
param table defines them, and the meta-argument substitution HTCondor applies before the
body is read as config text.

The substitution follows ``expand_meta_args`` in HTCondor's config.cpp, including a detail
its own comment gets wrong: empty arguments are skipped when counting, so in
``Knob(a, , c)`` ``$(2)`` is ``c`` (the tokenizer skips runs of separators).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from classadlint.schema.provenance import Provenance, load_json, provenance

METAKNOBS_FILE = "metaknobs.json"


@dataclass(frozen=True)
class MetaParameter:
    """A meta-argument ``$(N)`` a template reads; ``default`` from a ``$(N:default)`` form."""

    index: int
    default: str | None
    forms: tuple[str, ...]  # "" for $(N), "?" "+" "#" ":" for the other forms


@dataclass(frozen=True)
class Metaknob:
    """One template: ``use <category> : <name>`` applies ``body`` as config lines."""

    category: str
    name: str
    body: str
    parameters: tuple[MetaParameter, ...]
    signature: str | None  # HTCondor's own argument list, e.g. "(map_name , map_file)"

    @property
    def takes_arguments(self) -> bool:
        return any(p.index > 0 for p in self.parameters)

    def expand(self, args: str = "") -> str:
        """The body with the meta-arguments of ``use ... : Name(args)`` substituted."""
        return substitute_args(self.body, args)


def _from_json(category: str, name: str, d: Mapping[str, Any]) -> Metaknob:
    params = tuple(
        MetaParameter(int(p["index"]), p.get("default"), tuple(p.get("forms", ())))
        for p in d.get("parameters", ())
    )
    return Metaknob(category, name, d["body"], params, d.get("signature"))


@cache
def _table() -> dict[str, dict[str, Metaknob]]:
    raw = load_json(METAKNOBS_FILE)["categories"]
    return {
        cat.upper(): {name.upper(): _from_json(cat, name, d) for name, d in tpls.items()}
        for cat, tpls in raw.items()
    }


def catalog_provenance() -> Provenance:
    """The HTCondor version and commit the metaknob catalog was generated from."""
    return provenance(METAKNOBS_FILE)


def categories() -> tuple[str, ...]:
    """The categories (ROLE, POLICY, FEATURE, SECURITY, ...), upper case."""
    return tuple(_table())


def templates(category: str) -> tuple[Metaknob, ...]:
    """Every template of a category (any case); empty for an unknown category."""
    return tuple(_table().get(category.upper(), {}).values())


def metaknob(category: str, name: str) -> Metaknob | None:
    """The template ``use category : name`` applies (names are case-insensitive)."""
    return _table().get(category.upper(), {}).get(name.upper())


# --- meta-argument substitution (config.cpp expand_meta_args) ------------------------------


def _find_meta_macro(text: str) -> tuple[int, int, str] | None:
    """The first ``$(<digit>...)`` macro: (start, end, body). Parentheses nest, as in
    HTCondor's macro scanner; other ``$(...)`` macros are stepped into, not over, so
    ``$($(1))`` finds the inner one."""
    pos = 0
    while True:
        start = text.find("$(", pos)
        if start < 0:
            return None
        depth = 0
        i = start + 1
        end = -1
        while i < len(text):
            c = text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    end = i
                    break
            i += 1
        if end < 0:
            return None
        body = text[start + 2 : end]
        if body[:1].isdigit():
            return start, end + 1, body
        pos = start + 2


class _Tokens:
    """HTCondor's StringTokenIterator over ``,`` with trimming: runs of separators and
    blanks are skipped, so empty items do not count."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.next_ix = 0

    def next(self) -> str | None:
        s, ix = self.text, self.next_ix
        while ix < len(s) and (s[ix] == "," or s[ix].isspace()):
            ix += 1
        self.next_ix = ix
        end = ix
        while ix < len(s) and s[ix] != ",":
            if not s[ix].isspace():
                end = ix
            ix += 1
        if ix <= self.next_ix:
            return None
        token = s[self.next_ix : end + 1]
        self.next_ix = ix
        return token

    def remain(self) -> str | None:
        return self.text[self.next_ix :] if self.next_ix < len(self.text) else None


def _meta_value(body: str, args: str) -> str:
    digits = len(body) - len(body.lstrip("0123456789"))
    index = int(body[:digits])
    rest = body[digits:]
    empty_check = num_args = False
    if rest[:1] == "?":
        empty_check, rest = True, rest[1:]
    elif rest[:1] in ("#", "+"):
        num_args, rest = True, rest[1:]
    default = rest[1:] if rest[:1] == ":" else None
    it = _Tokens(args)
    buf = ""
    if index <= 0:
        if num_args:
            n = 0
            while it.next() is not None:
                n += 1
            buf = str(n)
        else:
            buf = args
    elif num_args:
        ix = 1
        remain = it.remain()
        while remain is not None and ix < index:
            ix += 1
            it.next()
            remain = it.remain()
        if remain is not None:
            buf = remain[1:] if remain.startswith(",") else remain
        if default is not None and not buf:
            buf = default
    else:
        item = it.next()
        ix = 1
        while item is not None and ix < index:
            ix += 1
            item = it.next()
        if item is not None:
            buf = item
        elif default is not None:
            buf = default
    value = buf.strip()
    if empty_check:
        value = "1" if value else "0"
    return value


def substitute_args(body: str, args: str = "") -> str:
    """Replace every ``$(0)``, ``$(N)``, ``$(N?)``, ``$(N+)``, ``$(0#)``, ``$(N:default)`` of a
    template body by its value for the argument text of ``use ... : Name(args)``, repeating
    until none is left (as HTCondor does). Other macros are left for normal expansion."""
    text = body
    for _ in range(10_000):
        found = _find_meta_macro(text)
        if found is None:
            return text
        start, end, macro = found
        text = text[:start] + _meta_value(macro, args) + text[end:]
    raise ValueError("meta-argument substitution does not terminate")
