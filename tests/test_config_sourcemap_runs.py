"""The source map kept as runs (classadlint.config.sourcemap) answers exactly as the
per-character list it stands for: each operation is checked against the list operation it
replaced, on random lists of origins (runs of consecutive offsets, repeated origins, chains,
characters from no file)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from classadlint.config import sourcemap
from classadlint.config.model import Entry, Expanded, build_model, expand
from classadlint.config.sourcemap import Origin

_chains = st.sampled_from([(), (("A", "f", 3),), (("A", "f", 3), ("B", None, None))])


@st.composite
def origin_lists(draw: st.DrawFn) -> list[Origin]:
    """Lists as the model makes them: stretches copied from a file, one origin repeated."""
    out: list[Origin] = []
    for _ in range(draw(st.integers(0, 6))):
        file = draw(st.sampled_from([None, "a", "b"]))
        chain = draw(_chains)
        n = draw(st.integers(1, 5))
        kind = draw(st.sampled_from(["copy", "same", "none", "jump"]))
        start = draw(st.integers(0, 20))
        if kind == "copy":
            out += [Origin(file, start + k, chain) for k in range(n)]
        elif kind == "same":
            out += [Origin(file, start, chain)] * n
        elif kind == "none":
            out += [Origin(file, None, chain) for _ in range(n)]
        else:
            out += [Origin(file, start + 2 * k, chain) for k in range(n)]
    return out


@settings(max_examples=400, deadline=None)
@given(origin_lists(), st.integers(0, 40), st.integers(0, 40) | st.none())
def test_runs_behave_as_the_list(origins: list[Origin], start: int, end: int | None) -> None:
    runs = sourcemap.from_origins(origins)
    assert sourcemap.materialize(runs) == origins
    assert sourcemap.length(runs) == len(origins)
    for i in range(len(origins) + 2):
        assert sourcemap.at(runs, i) == (origins[i] if i < len(origins) else None)
    assert sourcemap.materialize(sourcemap.cut(runs, start, end)) == origins[start:end]
    view = sourcemap.OriginView(runs)
    assert len(view) == len(origins) and bool(view) == bool(origins)
    assert list(view) == origins and view[start:end] == origins[start:end]
    for i in range(-len(origins), len(origins)):
        assert view[i] == origins[i]
    link = (("K", "f", 9),)
    assert sourcemap.materialize(sourcemap.prefix_chain(runs, link)) == [
        Origin(o.file, o.offset, link + o.chain) for o in origins
    ]
    assert sourcemap.materialize(sourcemap.set_chain(runs, link)) == [
        Origin(o.file, o.offset, link) for o in origins
    ]


@given(origin_lists())
def test_entries_and_expansions_take_a_list_or_runs(origins: list[Origin]) -> None:
    runs = sourcemap.from_origins(origins)
    text = "x" * len(origins)
    assert Entry("A", text, origins, None, None) == Entry("A", text, runs, None, None)
    assert Expanded(text, origins, []) == Expanded(text, runs, [])
    assert Entry("A", text, origins, None, None).runs == runs
    assert Expanded(text, runs, []).origins == origins


def test_an_origin_list_shorter_than_its_text_expands_as_before(tmp_path: Path) -> None:
    """Slices clip as list slices do: the expansion of a text whose origins stop early
    keeps the known ones and points the rest nowhere, as the per-character code did."""
    path = tmp_path / "c.config"
    path.write_text("B = bee\n")
    model = build_model([path])
    text = "$(B) and $(C:dflt)"
    got = expand(text, [Origin("f", k) for k in range(6)], model)
    assert got.text == "bee and dflt"
    b = (("B", "f", 0),)
    assert got.origins[:3] == [Origin(str(path), 4 + k, b) for k in range(3)]
    assert got.origins[3:5] == [Origin("f", 4), Origin("f", 5)]
    # the default's characters past the known origins point nowhere; the list stays as
    # short as the per-character code left it (9 origins for 12 characters)
    assert got.origins[5:] == [Origin(None, None, (("C", None, None),))] * 4
