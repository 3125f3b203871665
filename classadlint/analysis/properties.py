"""Synthetic job and slot ads for property-based checks (hypothesis).

Where the SMT encoding approximates, and to cross-check it where it does not, policies
are evaluated over many generated ad pairs. Ads follow the same facts the solver assumes
(:mod:`.facts`: catalog types, always-set attributes, non-negative resources), and draw
their values near the constants the expression mentions — a branch on
``RequestRuntime <= 7200`` is only exercised by values around 7200, and ``Project ==
"support"`` by that string in some capitalisation. Optional attributes are absent first, so
hypothesis shrinks a failing pair to a small, readable one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from classadlint.analysis.encode import SPECIAL_NAMES, Scope
from classadlint.analysis.facts import Facts
from classadlint.classad import ast
from classadlint.classad.values import ERROR, UNDEFINED

Ad = dict[str, object]
_WORDS = ["", "a", "A", "x", "support", "bird", "gpu", "true", "a,b", "a b"]
_ABSENT = object()


@dataclass(frozen=True)
class Seeds:
    """Constants found in an expression, to generate values that exercise its branches."""

    names: frozenset[str] = frozenset()
    ints: frozenset[int] = frozenset()
    reals: frozenset[float] = frozenset()
    strings: frozenset[str] = frozenset()
    scoped: dict[str, frozenset[str]] = field(default_factory=dict)  # "MY"/"TARGET" -> names


def seeds_of(expr: ast.Expr) -> Seeds:
    names: set[str] = set()
    ints: set[int] = set()
    reals: set[float] = set()
    strings: set[str] = set()
    scoped: dict[str, set[str]] = {"MY": set(), "TARGET": set()}
    for node in ast.walk(expr):
        if isinstance(node, ast.AttrRef) and node.name.lower() not in SPECIAL_NAMES:
            names.add(node.name)
        elif isinstance(node, ast.Select) and node.scope in ("MY", "TARGET"):
            scoped[node.scope].add(node.name)
        elif isinstance(node, ast.Literal):
            v = node.value
            if isinstance(v, bool) or v is UNDEFINED or v is ERROR:
                continue
            if isinstance(v, int):
                ints.update({v - 1, v, v + 1})
            elif isinstance(v, float):
                reals.update({v - 0.5, v, v + 0.5})
            elif isinstance(v, str):
                strings.update({v, v.upper(), v.lower()})
                strings.update(p.strip() for p in v.replace(",", " ").split() if p.strip())
    return Seeds(
        frozenset(names),
        frozenset(ints),
        frozenset(reals),
        frozenset(strings),
        {k: frozenset(v) for k, v in scoped.items()},
    )


def value_strategy(
    kinds: Iterable[str], seeds: Seeds, non_negative: bool
) -> st.SearchStrategy[object]:
    """Values of the given kinds (U = absent), biased towards the seeds."""
    lo = 0 if non_negative else -(2**31)
    options: list[st.SearchStrategy[object]] = []
    kinds = set(kinds)
    if "U" in kinds:
        options.append(st.just(_ABSENT))
    if "B" in kinds:
        options.append(st.booleans())
    if "I" in kinds:
        seeded = sorted(i for i in seeds.ints if i >= lo)
        ints: st.SearchStrategy[object] = st.integers(min_value=lo, max_value=2**31)
        options.append(st.one_of(st.sampled_from(seeded), ints) if seeded else ints)
    if "R" in kinds:
        seeded_r = sorted(r for r in seeds.reals if r >= lo)
        reals: st.SearchStrategy[object] = st.floats(
            min_value=float(lo), max_value=2.0**31, allow_nan=False, allow_infinity=False
        )
        options.append(st.one_of(st.sampled_from(seeded_r), reals) if seeded_r else reals)
    if "S" in kinds:
        words = sorted(seeds.strings | set(_WORDS))
        options.append(
            st.one_of(
                st.sampled_from(words),
                st.lists(st.sampled_from(words), min_size=1, max_size=3).map(", ".join),
                st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=8),
            )
        )
    if "E" in kinds:
        options.append(st.just(ERROR))
    return st.one_of(*options)


def ad_strategy(
    side: str, names: Iterable[str], facts: Facts, seeds: Seeds = Seeds()
) -> st.SearchStrategy[Ad]:
    """An ad of ``side`` (job, machine...) with these attributes, each per its facts."""
    fields = {}
    # one per ClassAd name; an empty name is never in an ad (classad2 refuses to insert it)
    unique = {n.lower(): n for n in sorted(set(names), reverse=True) if n}
    for name in sorted(unique.values(), key=str.lower):
        fact = facts.fact(side, name)
        fields[name] = value_strategy(fact.allowed(facts.allow_error), seeds, fact.non_negative)

    def build(values: dict[str, object]) -> Ad:
        return {k: v for k, v in values.items() if v is not _ABSENT}

    return st.fixed_dictionaries(fields).map(build)


def ad_pairs(
    expr: ast.Expr, scope: Scope, facts: Facts | None = None
) -> st.SearchStrategy[tuple[Ad, Ad]]:
    """(MY ad, TARGET ad) pairs for evaluating ``expr`` in ``scope``: every name the
    expression reads may appear in either ad (unqualified names fall back to TARGET)."""
    facts = facts or Facts()
    seeds = seeds_of(expr)
    my_names = set(seeds.names) | set(seeds.scoped.get("MY", ()))
    target_names = set(seeds.names) | set(seeds.scoped.get("TARGET", ()))
    my = ad_strategy(scope.my, my_names, facts, seeds) if scope.my else st.just({})
    target = ad_strategy(scope.target, target_names, facts, seeds) if scope.target else st.just({})
    return st.tuples(my, target)


__all__ = ["Seeds", "ad_pairs", "ad_strategy", "count", "search", "seeds_of", "value_strategy"]


# --- searching for a counterexample -------------------------------------------------------


def search(
    expr: ast.Expr,
    kind_test: Callable[[tuple[str, object]], bool],
    scope: Scope,
    *,
    given: ast.Expr | None = None,
    facts: Facts | None = None,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
    clock: int = 1_700_000_000,
    samples: int = 1000,
    strings: Iterable[str] = (),
) -> tuple[Ad, Ad] | None:
    """A (MY, TARGET) pair, shrunk by hypothesis, for which ``given`` is true and
    ``expr``'s value passes ``kind_test`` (a normalised value test, see witness.normal);
    None when ``samples`` generated pairs found none. For what the SMT encoding does not
    reach (userMap with the site's maps, lists): evaluation is our evaluator's, with the
    maps; ``strings`` (map keys, say) join the seeds so the search tries them."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    from classadlint.analysis.witness import normal, truthy
    from classadlint.classad.ad import ClassAd
    from classadlint.classad.evaluate import evaluate
    from classadlint.classad.parser import ParseOptions

    combined = expr if given is None else ast.Binary("&&", given, expr, expr.span)
    seeds = seeds_of(combined)
    extra = frozenset(strings)
    seeds = Seeds(seeds.names, seeds.ints, seeds.reals, seeds.strings | extra, seeds.scoped)
    facts = facts or Facts()
    my_names = set(seeds.names) | set(seeds.scoped.get("MY", ()))
    target_names = set(seeds.names) | set(seeds.scoped.get("TARGET", ()))
    my = ad_strategy(scope.my, my_names, facts, seeds) if scope.my else st.just({})
    target = ad_strategy(scope.target, target_names, facts, seeds) if scope.target else st.just({})
    options = ParseOptions(semantics=scope.semantics)

    def violates(pair: tuple[Ad, Ad]) -> bool:
        m = ClassAd(pair[0])
        t = ClassAd(pair[1]) if scope.target is not None else None
        kw: dict[str, Any] = {"options": options, "clock": lambda: float(clock),
                              "user_maps": user_maps}  # fmt: skip
        if given is not None and not truthy(normal(evaluate(given, m, t, **kw))):
            return False
        return kind_test(normal(evaluate(expr, m, t, **kw)))

    try:
        return find(
            st.tuples(my, target),
            violates,
            settings=settings(
                max_examples=samples,
                database=None,
                deadline=None,
                derandomize=True,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            ),
        )
    except NoSuchExample:
        return None


def count(
    expr: ast.Expr,
    kind_test: Callable[[tuple[str, object]], bool],
    scope: Scope,
    *,
    facts: Facts | None = None,
    user_maps: Mapping[str, Mapping[str, str]] | None = None,
    clock: int = 1_700_000_000,
    samples: int = 1000,
) -> tuple[int, int]:
    """(pairs whose ``expr`` value passes ``kind_test``, pairs generated) over ``samples``
    generated (MY, TARGET) pairs: a frequency, for what the engine cannot decide."""
    from hypothesis import HealthCheck, Phase, given, settings

    from classadlint.analysis.witness import normal
    from classadlint.classad.ad import ClassAd
    from classadlint.classad.evaluate import evaluate
    from classadlint.classad.parser import ParseOptions

    options = ParseOptions(semantics=scope.semantics)
    tally = [0, 0]

    @settings(max_examples=samples, database=None, deadline=None, derandomize=True,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(ad_pairs(expr, scope, facts))
    def run(pair: tuple[Ad, Ad]) -> None:
        m = ClassAd(pair[0])
        t = ClassAd(pair[1]) if scope.target is not None else None
        value = evaluate(expr, m, t, options=options, clock=lambda: float(clock),
                         user_maps=user_maps)  # fmt: skip
        tally[1] += 1
        if kind_test(normal(value)):
            tally[0] += 1

    run()
    return tally[0], tally[1]
