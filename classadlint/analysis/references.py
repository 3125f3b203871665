"""Attribute references of an expression and the ads HTCondor looks them up in.

HTCondor resolves a name by its form (reference section 2.5): ``x`` unqualified looks in
the current ad (MY), then its lexically enclosing ads, then -- in a match -- the other ad
(TARGET); ``MY.x`` and ``TARGET.x`` (and aliases such as ``JOB.x``) name one ad; ``.x``,
``root.x`` and ``toplevel.x`` look in the root ad, which in a match is the match ad itself.
This module says, for each reference, which ads of an evaluation context it can reach, in
lookup order; the scope rules (CA301-CA304) decide what is wrong with that.

Old-style job transforms and routes (``[ set_X = ...; ]``) are evaluated with the job as
TARGET and the route ad as MY (reference 5.4); the schedd's conversion to the native
language strips ``TARGET.``, so inside them ``TARGET.x`` and unqualified ``x`` both mean
the job's ``x``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from classadlint.classad import ast
from classadlint.schema.attributes import Ad, catalog_ad
from classadlint.schema.knob_contexts import AdKind, Context
from classadlint.source import Span

#: Names the match machinery binds (found before TARGET; reference 2.5) and the
#: old-semantics alias CurrentTime: never attributes of either ad.
SPECIAL_NAMES = frozenset(
    n.lower()
    for n in (
        "MY", "TARGET", "other", "ad", "self", "parent", "root", "toplevel", "LEFT", "RIGHT",
        "lCtx", "rCtx", "symmetricMatch", "leftMatchesRight", "rightMatchesLeft",
        "leftRankValue", "rightRankValue", "CurrentTime",
    )
)  # fmt: skip
ROOT_NAMES = frozenset({"root", "toplevel"})
#: Functions that evaluate one argument in other ads (reference 4.2, 4.3): its names are
#: not looked up in this evaluation's ads. Function name -> index of that argument.
OTHER_AD_ARGUMENT = {"sloteval": 1, "evalineachcontext": 0, "countmatches": 0}

Form = Literal["unqualified", "scoped", "absolute"]


@dataclass(frozen=True)
class Reference:
    """One attribute reference.

    ``form``: ``unqualified`` (``x``), ``scoped`` (``MY.x``, ``TARGET.x``, ``JOB.x``,
    ``root.x``; ``scope`` says which word) or ``absolute`` (``.x``). ``span`` is the whole
    reference, ``name_span`` the attribute name. ``lexical``: the name is an attribute of
    an enclosing ``[ ]`` record (found there first, never in an ad).
    """

    node: ast.Expr
    name: str
    form: Form
    span: Span
    name_span: Span
    scope: str | None = None
    lexical: bool = False


#: Words that name a whole ad when written before a dot (aliases of a context add more).
SCOPE_WORDS = frozenset({"my", "target", "root", "toplevel", "self", "parent"})


def references(tree: ast.Expr, aliases: Iterable[str] = ()) -> Iterator[Reference]:
    """Every attribute reference, in source order. ``x.y`` where ``x`` is no scope word
    (``MY``, ``TARGET``, ``root``, ..., or one of the context's ``aliases``) is a reference
    to ``x``; ``y`` is a field of whatever ad ``x`` holds and is not reported."""
    words = SCOPE_WORDS | {a.lower() for a in aliases}
    # (node, names of the enclosing records)
    stack: list[tuple[ast.Expr, frozenset[str]]] = [(tree, frozenset())]
    while stack:
        node, env = stack.pop()
        if isinstance(node, ast.Select):
            base = node.base
            while isinstance(base, ast.Paren):
                base = base.inner
            if isinstance(base, ast.AttrRef) and base.name.lower() in words:
                yield Reference(
                    node, node.name, "scoped", node.span, node.name_span, scope=base.name
                )
                continue  # the base is the scope word, not an attribute
        elif isinstance(node, ast.AttrRef):
            if node.name.lower() not in SPECIAL_NAMES:
                yield Reference(
                    node, node.name, "unqualified", node.span, node.span,
                    lexical=node.name.lower() in env,
                )  # fmt: skip
            continue
        elif isinstance(node, ast.AbsoluteRef):
            yield Reference(
                node, node.name, "absolute", node.span, Span(node.span.end - len(node.name),
                node.span.end),
            )  # fmt: skip
            continue
        if isinstance(node, ast.Record):
            env = env | {a.name.lower() for a in node.attrs}
        children = ast.children(node)
        if isinstance(node, ast.Call) and node.name.lower() in OTHER_AD_ARGUMENT:
            skip = OTHER_AD_ARGUMENT[node.name.lower()]
            children = tuple(c for k, c in enumerate(children) if k != skip)
        stack.extend((child, env) for child in reversed(children))


@dataclass(frozen=True)
class Scope:
    """How the ads of one evaluation are reached: ``unqualified`` in lookup order, and the
    ad each scope word names. ``two_ads``: a match (or a two-ad evaluation), where the root
    ad is the match ad. ``route``: an old-style transform/route (see the module docstring).
    """

    unqualified: tuple[AdKind, ...]
    words: dict[str, AdKind | None]
    two_ads: bool
    route: bool = False

    def ads_of(self, ref: Reference) -> tuple[AdKind, ...] | None:
        """The ads a reference can be found in, in lookup order. ``()``: the form names no
        ad that exists here (``TARGET.x`` without a TARGET; ``.x``, ``root.x`` in a match,
        where the root is the match ad) -- always UNDEFINED. None: nothing can be said
        (``parent.x``)."""
        if ref.form == "unqualified":
            return self.unqualified
        if ref.form == "absolute":
            return () if self.two_ads else self.unqualified[:1]
        word = (ref.scope or "").lower()
        if word in ROOT_NAMES:
            return () if self.two_ads else self.unqualified[:1]
        if word == "self":
            return self.unqualified[:1]
        if word not in self.words:
            return None
        ad = self.words[word]
        return (ad,) if ad is not None else ()


def scope_of(context: Context, tree: ast.Expr | None = None) -> Scope:
    """The lookup rules of an expression evaluated in ``context`` (``tree`` tells an
    old-style transform ``[ ... ]`` from a native one)."""
    if isinstance(tree, ast.Record) and context.my == "job" and context.target is None:
        return Scope(("job",), {"target": "job", "my": "route"}, False, route=True)
    unqualified = tuple(a for a in (context.my, context.target) if a is not None)
    words: dict[str, AdKind | None] = {"my": context.my, "target": context.target}
    for alias, ad in context.aliases.items():
        words[alias.lower()] = ad
    two = context.my is not None and context.target is not None
    return Scope(unqualified, words, two)


def catalog_ads(kinds: tuple[AdKind, ...]) -> tuple[Ad, ...] | None:
    """The attribute catalogs of these ads; None when any of them has none (a daemon's own
    ad, a token, "any"): then nothing can be said about the names it holds."""
    out = []
    for kind in kinds:
        ad = catalog_ad(kind)
        if ad is None:
            return None
        out.append(ad)
    return tuple(out)


#: How the rules name an ad kind in messages.
AD_WORDS: dict[str, str] = {
    "slot": "slot", "machine": "slot", "job": "job", "schedd": "schedd",
    "submitter": "submitter", "route": "route",
}  # fmt: skip


def ad_word(kind: str) -> str:
    return AD_WORDS.get(kind, kind)
