"""The language server's incremental linting gives exactly what a fresh lint gives.

The expression memo keeps rule results in expression coordinates and maps them through the
current source map; these tests compare it with a lint from nothing, on the corpus and
after edits that shift every offset below them, and check what the caches skip: files
whose text did not change are not parsed again, and an edit re-models only the
configurations that read the edited file.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest

from classadlint.lint.engine import RuleError, lint_project
from classadlint.lint.memo import ExpressionMemo
from classadlint.lint.settings import Settings
from classadlint.lsp.projects import Projects
from classadlint.project import ParseCache, Project

REPO = Path(__file__).resolve().parents[1]
CORPUS = sorted(p for d in (REPO / "corpus").iterdir() if d.is_dir() for p in d.glob("*.config"))
ALL = Settings(select=("ALL",))


def _fresh(path: Path, text: str, settings: Settings) -> list[object]:
    key = str(path.resolve())
    return list(lint_project(Project([path], [path], texts={key: text}), settings))


def _working_rules(path: Path, text: str) -> Settings:
    """Every rule but those that crash on this file (a rule bug is its own test's business;
    the server skips such a rule the same way)."""
    settings = ALL
    while True:
        try:
            _fresh(path, text, settings)
            return settings
        except RuleError as exc:
            m = re.search(r"internal error in rule (\w+)", str(exc))
            assert m is not None, exc
            settings = dataclasses.replace(settings, ignore=(*settings.ignore, m.group(1)))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_memoized_lint_equals_a_fresh_lint_after_shifting_edits(path: Path) -> None:
    path = path.resolve()
    text = path.read_text()
    cache, memo = ParseCache(), ExpressionMemo()
    key = str(path)
    rules = _working_rules(path, text)

    def incremental(t: str) -> list[object]:
        project = Project([path], [path], texts={key: t}, cache=cache)
        return list(lint_project(project, rules, memo=memo))

    assert incremental(text) == _fresh(path, text, rules)
    rng = random.Random(path.name)
    lines = text.split("\n")
    for k in range(6):
        at = rng.randrange(len(lines) + 1)
        lines.insert(at, rng.choice(["", "# a comment", f"NEW_{k} = $(NEW_{k - 1}) {k}"]))
        edited = "\n".join(lines)
        assert incremental(edited) == _fresh(path, edited, rules), (k, at)
    # an expression an edit did not change was not checked again
    assert memo.hits > 0 or memo.misses == 0


def test_memo_maps_a_fix_through_the_current_offsets(tmp_path: Path) -> None:
    """A CA201 fix computed before an edit above it lands on the moved text."""
    path = (tmp_path / "c.config").resolve()
    body = "HELPER = x == undefined\nSTART = $(HELPER)\n"
    cache, memo = ParseCache(), ExpressionMemo()
    settings = Settings(select=("CA201",))
    first = lint_project(
        Project([path], [path], texts={str(path): body}, cache=cache), settings, memo=memo
    )
    shifted = "# added\n# lines\n" + body
    second = lint_project(
        Project([path], [path], texts={str(path): shifted}, cache=cache), settings, memo=memo
    )
    assert memo.hits == 1 and memo.misses == 1
    (d1,), (d2,) = first, second
    (e1,) = d1.fixes[0].edits
    (e2,) = d2.fixes[0].edits
    assert e2.start == e1.start + len("# added\n# lines\n")
    assert shifted[e2.start : e2.end] == body[e1.start : e1.end] == "=="
    assert d2.line == d1.line + 2


def test_a_memo_merged_from_the_full_lint_answers_as_a_fresh_lint(tmp_path: Path) -> None:
    """The full-lint process hands what its expression rules found to the server's memo
    (take_new/merge): the server's next lint checks nothing again and finds the same."""
    (path,) = (REPO / "corpus" / "examples").resolve().glob("CA201-*.config")
    text = path.read_text()
    rules = _working_rules(path, text)
    child, server = ExpressionMemo(keep_new=True), ExpressionMemo()
    project = Project([path], [path], texts={str(path): text})
    assert lint_project(project, rules, memo=child) == _fresh(path, text, rules)
    server.merge(child.take_new())
    assert child.take_new() == {}  # handed over once
    again = lint_project(Project([path], [path], texts={str(path): text}), rules, memo=server)
    assert again == _fresh(path, text, rules)
    assert child.misses > 0 and server.misses == 0 and server.hits == child.misses


def test_unchanged_files_are_not_parsed_again(tmp_path: Path) -> None:
    main = tmp_path / "main.config"
    part = tmp_path / "part.config"
    main.write_text("include : part.config\nSTART = $(P)\n")
    part.write_text("P = Memory > 1\n")
    cache = ParseCache()
    p1 = Project([main], [main], cache=cache)
    p2 = Project(
        [main], [main], texts={str(main.resolve()): "include : part.config\n"}, cache=cache
    )
    key = str(part.resolve())
    assert p1.model.files[key] is p2.model.files[key]  # the include: the same parse
    assert p1.model.files[str(main)] is not p2.model.files[str(main)]


def test_an_edit_relints_only_the_configurations_that_read_the_file(tmp_path: Path) -> None:
    a = (tmp_path / "a.config").resolve()
    b = (tmp_path / "b.config").resolve()
    c = (tmp_path / "c.config").resolve()
    a.write_text("include : b.config\n")
    b.write_text("X = 1\n")
    c.write_text("Y = 2\n")
    state = Projects()
    texts = {str(a): a.read_text(), str(b): b.read_text(), str(c): c.read_text()}
    assert sorted(state.update(texts, set(texts))) == sorted(texts)
    texts[str(b)] = "X = 2\n"
    assert sorted(state.update(texts, {str(b)})) == sorted([str(a), str(b)])
    texts[str(c)] = "Y = 3\n"
    assert state.update(texts, {str(c)}) == [str(c)]
    # b is shown in a's view (its includer), c in its own
    assert state.view(str(b)) is state.snapshots[str(a)]
    assert state.view(str(c)) is state.snapshots[str(c)]


def test_quick_lint_defers_slow_rules_and_carries_their_findings_over(tmp_path: Path) -> None:
    """A rule measured slow is left out of the quick lint after an edit; what it found last
    time stays, moved with its text, unless the edit touched that text; the full lint
    brings it up to date, and gives way when an edit makes it worthless."""
    path = (tmp_path / "c.config").resolve()
    key = str(path)
    text = "START = x == undefined\nRANK = 1\nSPOOL_DIR = $(NOT_DEFINED)/spool\n"
    state = Projects(settings=Settings(select=("CA1", "CA201", "CA401")))
    (root,) = state.update({key: text}, {key})
    assert state.snapshots[root].deferred  # first lint of a session: syntax rules only
    assert state.relint([root], quick=False) == [root]
    full = state.snapshots[root]
    assert not full.deferred
    assert sorted((d.line, d.code) for d in full.diagnostics) == [(1, "CA201"), (3, "CA401")]

    state.config_seconds["CA401"] = 1.0  # as if CA401 had taken a second
    shifted = "# one\n# two\n" + text
    state.update({key: shifted}, {key})
    quick = state.snapshots[root]
    assert quick.deferred == frozenset({"CA401"})
    assert sorted((d.line, d.code) for d in quick.diagnostics) == [(3, "CA201"), (5, "CA401")]
    ca401 = next(d for d in quick.diagnostics if d.code == "CA401")
    assert shifted[ca401.span.start : ca401.span.end] == "$(NOT_DEFINED)"

    edited = shifted.replace("$(NOT_DEFINED)", "$(NOT_DEFINED_EITHER)")
    state.update({key: edited}, {key})
    assert [d.code for d in state.snapshots[root].diagnostics] == ["CA201"]  # touched: dropped
    assert state.relint([root], quick=False, cancelled=lambda: True) == []  # given up
    assert state.snapshots[root].deferred
    assert state.relint([root], quick=False) == [root]
    done = state.snapshots[root]
    assert sorted((d.line, d.code) for d in done.diagnostics) == [(3, "CA201"), (5, "CA401")]
    assert "NOT_DEFINED_EITHER" in next(d.message for d in done.diagnostics if d.code == "CA401")
