"""Reading transforms: the AST, positions in the files, every defect reported with its
line and column, rules files and TRANSFORM loops (checked against condor_transform_ads'
code), and no input that makes the parser raise."""

from __future__ import annotations

from pathlib import Path

import classad2
from hypothesis import given, settings
from hypothesis import strategies as st

from classadlint.classad.adfile import parse_ad_text
from classadlint.classad.unparse import unparse
from classadlint.config.model import Origin, build_model
from classadlint.config.transform import (
    BadStatement,
    CopyAttr,
    DeleteAttr,
    EvalMacro,
    IfBlock,
    MacroAssign,
    SetAttr,
    TransformSource,
    parse_iteration,
    parse_transform,
    source_from_entry,
)
from classadlint.config.transform.apply import iterate_transform
from classadlint.config.transform.load import config_transforms, file_errors, transform_file
from tests import xform_oracle

CONFIG = """\
JOB_TRANSFORM_NAMES = Bad
# the transform below has one defect per line from line 5 on
JOB_TRANSFORM_Bad @=end
   SET Good 1
   FOO bar
   COPY /x/q Y
   SET A= 1
   REQUIREMENTS Owner ==
   if true
   TRANSFORM 2
   SET Late 1
@end
"""


def test_every_defect_is_reported_at_the_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.config"
    path.write_text(CONFIG)
    model = build_model([path])
    [found] = config_transforms(model)
    transform = found.transform
    texts = {str(path): CONFIG}
    located = sorted(
        (e.line, e.col, e.code, e.message.split(":")[0])
        for _f, e in file_errors(transform, texts, ("CA101", "CA102", "CA103"))
    )
    assert [(line, col, code) for line, col, code, _m in located] == [
        (5, 4, "CA101"),  # FOO: not a keyword
        (6, 9, "CA101"),  # /x/q: bad regex flag
        (7, 8, "CA101"),  # A= stores a NUL-terminated name
        (8, 25, "CA103"),  # REQUIREMENTS ends after `==`: the transform is dropped
        (9, 4, "CA102"),  # if without endif (the TRANSFORM line ends the transform)
        (11, 4, "CA101"),  # never read: after TRANSFORM
    ]
    assert not transform.valid
    # the statements HTCondor runs, in order, with the bad line kept in place
    kinds = [type(s).__name__ for s in transform.statements]
    assert kinds == [
        "SetAttr",
        "BadStatement",
        "BadStatement",
        "SetAttr",
        "IfBlock",
        "BadStatement",
    ]
    assert [e.keyword for e in transform.envelope] == ["REQUIREMENTS", "TRANSFORM"]


def test_pieces_map_to_what_the_user_wrote(tmp_path: Path) -> None:
    text = (
        "X = 5\n"
        "JOB_TRANSFORM_T @=end\n"
        '  EVALSET AcctGroup = strcat("g_", Owner) \\\n'
        '      + ""\n'
        "  COPY /^(Req.*)$/ Orig\\1\n"
        "  tmp = $(X)\n"
        "  if defined MY.Foo\n"
        "    DEFAULT Foo 1\n"
        "  endif\n"
        "@end\n"
    )
    path = tmp_path / "t.config"
    path.write_text(text)
    model = build_model([path])
    entry = model.lookup("JOB_TRANSFORM_T")
    assert entry is not None
    transform = parse_transform(source_from_entry(entry), "T")
    evalset, copy, assign, block = transform.statements
    assert isinstance(evalset, SetAttr) and evalset.keyword == "EVALSET"
    assert evalset.value.text == 'strcat("g_", Owner) + ""'  # continued line joined
    for piece, written in [
        (evalset.attr, "AcctGroup"),
        (evalset.value, 'strcat("g_", Owner)'),
    ]:
        file, offset = transform.location(piece.start)
        assert file == str(path) and offset is not None
        assert text[offset:].startswith(written)
    # the character after the continuation maps to the next physical line
    plus = evalset.value.start + evalset.value.text.index("+")
    _file, offset = transform.location(plus)
    assert offset is not None and text[offset:].startswith('+ ""')
    assert isinstance(copy, CopyAttr) and copy.regex is not None
    assert (copy.regex.pattern, copy.target.text) == ("^(Req.*)$", "Orig\\1")
    assert isinstance(assign, MacroAssign) and assign.value.text == "$(X)"  # unexpanded
    assert isinstance(block, IfBlock) and block.branches[0].condition is not None
    assert block.branches[0].condition.text == "defined MY.Foo"
    [default] = block.branches[0].body
    assert isinstance(default, SetAttr) and default.keyword == "DEFAULT"
    assert [type(s) for s in transform.walk()] == [SetAttr, CopyAttr, MacroAssign, IfBlock, SetAttr]


def test_statement_shapes() -> None:
    text = (
        "SET A 1\nSET B = 2\nSET C, 3\nEVALMACRO m 1 + 1\nDELETE /^x/\nRENAME a b\n"
        "set d 4\nSET = 5\nSET\nDELETE\nCOPY a\nx @=end\nl1\n@end\nelse\n"
    )
    transform = parse_transform(TransformSource("T", text, [Origin(None, None)] * len(text)))
    shapes = []
    for s in transform.statements:
        if isinstance(s, SetAttr):
            shapes.append((s.keyword, s.attr.text, s.value.text))
        elif isinstance(s, EvalMacro):
            shapes.append(("EVALMACRO", s.var.text, s.value.text))
        elif isinstance(s, DeleteAttr):
            shapes.append(("DELETE", s.regex.pattern if s.regex else s.source.text, ""))
        elif isinstance(s, CopyAttr):
            shapes.append((s.keyword, s.source.text, s.target.text))
        elif isinstance(s, MacroAssign):
            shapes.append(("=", s.name.text, s.value.text))
        elif isinstance(s, BadStatement):
            shapes.append(("BAD", s.piece.text, ""))
    assert shapes == [
        ("SET", "A", "1"),
        ("SET", "B", "2"),
        ("SET", "C\0", "3"),  # `C,` stores a name ending in NUL, as HTCondor does
        ("EVALMACRO", "m", "1 + 1"),
        ("DELETE", "^x", ""),
        ("RENAME", "a", "b"),
        ("SET", "d", "4"),
        ("=", "SET", "5"),  # `SET = 5` assigns the macro SET
        ("BAD", "SET", ""),
        ("BAD", "DELETE", ""),
        ("BAD", "COPY a", ""),
        ("=", "x", "l1"),
        ("BAD", "else", ""),
    ]


def test_iteration_arguments() -> None:
    cases = {
        "": (1, [], "", []),
        "3": (3, [], "", []),
        "2 x,y in (a b, c d)": (2, ["x", "y"], "in", ["a", "b", "c", "d"]),
        "name in a, b": (1, ["name"], "in", ["a", "b"]),
        "from (one two)": (1, ["Item"], "from", ["one two"]),
        "f from items.txt": (1, ["f"], "from", []),
        "matching files *.dat": (1, ["Item"], "matching files", ["*.dat"]),
        "1+1 v in (p)": (2, ["v"], "in", ["p"]),
    }
    for args, (count, variables, mode, items) in cases.items():
        parsed = parse_iteration(args)
        assert not isinstance(parsed, str), args
        assert (parsed.count, parsed.variables, parsed.mode, parsed.items) == (
            count,
            variables,
            mode,
            items,
        ), args
    assert isinstance(parse_iteration("x in files a"), str)  # files goes with matching only
    assert isinstance(parse_iteration("x+ v in (a)"), str)  # `x+` is no count
    assert parse_iteration("banana v in (a)") == parse_iteration("banana, v in a")


RULES = {
    "loop": (
        "# a rules file\nNAME from_file\n"
        'SET Step "$(Step)-$(Row)-$(ItemIndex)-$(XFormId)-$(Iterating)"\n'
        'SET Who "$(x)|$(y)"\nSET Long 1 + \\\n   2\n'
        'T @=end\nREQUIREMENTS not really\n@end\nSET TT "$(T)"\n'
        "TRANSFORM 2 x,y in (a b, c d)\nSET NeverRead 1\n"
    ),
    "from-list": 'SET V "$(Item)"\nTRANSFORM from (\none\ntwo\n# comment\nthree\n)\n',
    "count": "SET N $(Step)\nTRANSFORM 3\n",
    "plain": 'SET A "$(Iterating)"\nSET B $(IsLinux)\n',
    "requirements": 'REQUIREMENTS Owner == "bob"\nSET A 1\nTRANSFORM 2\n',
}


def _canon(text: str) -> str:
    return str(classad2.parseOne(f"X = {text}", classad2.ParserType.Old).lookup("X"))


def test_rules_files_iterate_as_condor_transform_ads(tmp_path: Path) -> None:
    job = tmp_path / "job.ad"
    job.write_text('[ Owner = "alice" ]')
    for name, text in RULES.items():
        path = tmp_path / f"{name}.xfm"
        path.write_text(text)
        transform = transform_file(path)
        iterating = transform.iteration is not None
        args = ["-rules", str(path), "-ad", str(job)]
        run = xform_oracle.run(
            "apply", Path("/dev/null"), *(["-iterating"] if iterating else []), *args
        )
        ours = iterate_transform(transform, parse_ad_text(job.read_text()))
        theirs = [{n: _canon(v) for n, v in ad.items()} for ad in run.ads]
        mine = [{n: _canon(unparse(ad[n], "old")) for n in ad} for ad in ours]
        assert mine == theirs, name
    assert transform_file(tmp_path / "loop.xfm").name == "from_file"  # a file's NAME counts


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.text(
                alphabet=" \t=:@+-/\\\"'#$()[]{}!&|<>,.;*?aSETDLCOPYifelsendREQUIRMNTSAFx01\n",
                max_size=30,
            ),
            st.sampled_from(
                [
                    "if",
                    "elif x",
                    "else",
                    "endif",
                    "X @=e",
                    "@e",
                    "TRANSFORM 2 in (",
                    "SET",
                    "COPY /",
                    "DELETE /a/b",
                    "REQUIREMENTS (",
                    ")",
                ]
            ),
        ),
        max_size=12,
    ),
    kind=st.sampled_from(["knob", "file"]),
)
def test_no_input_makes_the_parser_raise(lines: list[str], kind: str) -> None:
    text = "\n".join(lines)
    source = TransformSource("fuzz", text, [Origin(None, k) for k in range(len(text))], kind)  # type: ignore[arg-type]
    transform = parse_transform(source)
    for err in transform.errors:
        assert 0 <= err.offset <= len(text) and err.message
    list(transform.walk())


def test_a_lone_colon_inside_a_block_is_an_empty_line(tmp_path: Path) -> None:
    """Found by the fuzz test (`IF` then `:` crashed the parser); HTCondor (the oracle
    program) reads the `:` line as nothing and applies the SET after it."""
    from classadlint.classad.adfile import parse_ad_text
    from classadlint.config.model import build_model
    from classadlint.config.transform.apply import apply_transforms
    from classadlint.config.transform.load import config_transforms
    from tests import xform_oracle

    config = tmp_path / "c.config"
    config.write_text("JOB_TRANSFORM_A @=end\nIF true\n:\nSET X 1\nENDIF\n@end\n")
    job = tmp_path / "j.ad"
    job.write_text('[ Owner = "a" ]\n')
    theirs = xform_oracle.run("apply", config, "-knob", "JOB_TRANSFORM_A", "-ad", str(job))
    model = build_model([config])
    transforms = [k.transform for k in config_transforms(model)]
    ours = apply_transforms(transforms, parse_ad_text('[ Owner = "a" ]'), config=model)
    assert theirs.matches == [True] and theirs.ads[-1]["X"] == "1"
    assert ours.applied == ["A"] and ours.ad["X"] == parse_ad_text("[x = 1]")["x"]
