"""Transforms run by classadlint give the ads HTCondor's own transform code gives.

The oracle is libcondor_utils from the htcondor wheel (tests/xform_oracle.py): every case
is loaded as the schedd loads a JOB_TRANSFORM_<name> knob (param_unexpanded, open()),
matched and applied with TransformClassAd, and the resulting ad compared attribute by
attribute (both sides' expressions canonicalised by classad2's parser and unparser),
together with whether the transform matched and whether HTCondor reported it failed.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import classad2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.classad.ad import ClassAd
from classadlint.classad.adfile import parse_ad_text
from classadlint.classad.unparse import unparse
from classadlint.config.model import build_model
from classadlint.config.transform import parse_transform, source_from_entry
from classadlint.config.transform.apply import (
    TransformFailed,
    apply_transform,
    apply_transforms,
    requirements_match,
)
from classadlint.config.usermaps import user_maps
from tests import xform_oracle

CONFIG_HEAD = """\
CFGVAL = from_config
CFGREF = $(CFGVAL)_ref
LIST = x, y, z
NUM = 7
"""

JOBS = [
    '[ Owner = "alice"; Cmd = "/bin/true"; RequestMemory = 2048; RequestCpus = 2; '
    'DeleteMe = 1; deleteTwo = 2; Bar = undefined; L = {1, 2.5, "x", a + b}; '
    'Expr = Memory * 2 + Cpus; S = "hello world"; I = 5; R = 0.25; '
    'Q = "a\\"b"; N = [a = 1; b = "q"]; JobUniverse = 5; Args = "-x 1" ]',
    '[ Owner = "bob"; RequestMemory = 100; JobUniverse = 7; AcctGroup = "grp"; '
    'Path = "/home/bob/data/input.tar.gz" ]',
]

# (name, transform body). Quirks of HTCondor worth pinning are commented.
CASES: list[tuple[str, str]] = [
    ("set-forms", 'SET A 1 + 2\nSET B = "x"\nSET C, true\nSET D "$(MY.Owner)"\nSET E MY.A * 2'),
    ("set-invalid-skipped", "SET A (1 +\nSET B 2"),
    # `A=` stores "A\0": std::string lookups (expressions, COPY, DELETE, SET) tell it from
    # `A`, the C-string lookup of $(MY.A) does not
    (
        "set-nul-name",
        'SET A= 1\nSET B A\nSET C, 4\nSET Owner, "o"\nSET D "$(MY.A)"\n'
        "SET A 0\nEVALSET E A\nCOPY A F\nSET C, 5",
    ),
    ("set-macro-attr-name", "VAR = Foo\nSET $(VAR) 2"),  # the attribute is named `$(VAR)`
    ("default", 'DEFAULT Bar 1\nDEFAULT Baz 2\nDEFAULT Owner "x"'),  # Bar undefined: kept
    ("evalset", 'EVALSET A 1 + 2\nEVALSET B strcat(Owner, "-", RequestMemory)\nEVALSET C 1 2'),
    (
        "evalset-types",
        "EVALSET L2 L\nEVALSET N2 N\nEVALSET R2 R * 2\nEVALSET U nosuch\n"
        'EVALSET E error\nEVALSET T "a\\tb"',
    ),
    ("evalset-unparsable", "EVALSET A a ? b\nSET B 1"),
    ("evalset-sees-earlier", "SET A 10\nEVALSET B A * 2\nRENAME B C\nEVALSET D C + 1"),
    (
        "evalmacro-formats",
        "EVALMACRO a 2.0\nEVALMACRO b 1.0/3\nEVALMACRO c true\n"
        'EVALMACRO d 1e30\nEVALMACRO e "str"\nEVALMACRO f undefined\nEVALMACRO g -0.0\n'
        'SET A "$(a)|$(b)|$(c)|$(d)|$(e)|$(f)|$(g)"',
    ),
    ("evalmacro-list", 'EVALMACRO l {1, 2.5, "x"}\nSET A "$(l)"\nSET B size($(l))'),
    (
        "my-lookups",
        'SET A "$(MY.L)"\nSET B "$(MY.R)"\nSET C "$(MY.S)"\nSET D "$(MY.Expr)"\n'
        'SET E "$(MY.N)"\nSET F "$(MY.Q)"\nSET G "$(MY.NoSuch)"\nSET H $(MY.I) + 1',
    ),
    (
        "config-lookups",
        'SET A "$(CFGVAL)"\nSET B "$(CFGREF)"\nSET C "$(NoSuchKnob)"\n'
        'SET D "$(NoSuchKnob:dflt)"\nSET E $(NUM) * 2',
    ),
    ("defaults", 'SET A "$(IsLinux)$(IsWindows)$(IsClusterAd)$(Iterating)$(LateMaterialization)"'),
    (
        "variables",
        "v = 1\nv = $(v)2\nw += a\nw += b\nx +,= p\nx +,= q\ny +&&= m\ny +&&= n\n"
        'SET A "$(v) $(w) $(x) $(y)"',
    ),
    ("variable-shadows-my", '+Owner = "zed"\nSET A "$(MY.Owner)"\n-Cmd =\nSET B "$(MY.Cmd)x"'),
    ("variable-sees-ad-later", "o = $(MY.RequestMemory)\nSET RequestMemory 1\nSET A $(o)"),
    ("heredoc-variable", 'T @=x\nline one\nline two\n@x\nSET A "$(T)"\nSET B strlen("$(T)")'),
    ("dollar", 'SET A "$(DOLLAR)(x) $$(y)"'),
    (
        "macro-functions",
        'SET A "$INT(NUM)"\nSET B "$REAL(NUM)"\nSET C "$INT(3,%05d)"\n'
        'SET D "$STRING(CFGVAL)"\nSET E "$SUBSTR(CFGVAL,1,3)"\nSET F "$SUBSTR(CFGVAL,-3)"\n'
        'SET G "$CHOICE(1,LIST)"\nSET H "$CHOICE(2,a,b,c)"\nSET I2 "$EVAL(1.0/3)"\n'
        'SET J "$EVAL(MY.Expr)"\nSET K "$EVAL(RequestMemory * 2)"\nSET L2 "$INT(2.7)"\n'
        'SET M "$REAL(NUM,%.2f)"\nSET N2 "$STRING(S,[%s])"\nSET O "$EVAL(S)"',
    ),
    ("macro-function-errors", 'SET A "$INT(CFGVAL)x"\nSET B "$CHOICE(9,a,b)y"\nSET C 1'),
    (
        "filename-functions",
        'P = /home/bob/data/input.tar.gz\nSET A "$Fn(P)"\nSET B "$Fpq(P)"\n'
        'SET C "$Fdb(P)"\nSET D "$BASENAME(P, .tar.gz)"\nSET E "$DIRNAME(P)"\nSET F "$Fx(P)"\n'
        'SET G "$Fqa(MY.Path)"',
    ),
    (
        "copy-rename-delete",
        "COPY Owner OrigOwner\nRENAME Cmd Command\nDELETE Args\n"
        "DELETE NoSuch\nCOPY NoSuch X\nRENAME RequestCpus RequestMemory",
    ),
    (
        "copy-invalid-names",
        'COPY Owner B C\nCOPY Owner "Q"\nCOPY Owner 1x\nRENAME Cmd a.b\nCOPY Owner ok_1',
    ),
    (
        "regex",
        "COPY /^(Request)(.*)$/ Orig\\2\nDELETE /^delete/\nRENAME /^(.)wner$/ \\1wnr\n"
        "COPY /x(y)?z/ Q\\1\\3",
    ),
    ("regex-anchor-flag", "COPY /mem/ m1\nCOPY /mem/g m2\nCOPY /^req/i \\0x"),
    ("regex-invalid-flag", "SET A 1\nDELETE /x/q\nSET B 2"),
    (
        "if-forms",
        "if true\nSET A 1\nendif\nif 0\nSET B 1\nelse\nSET B 2\nendif\n"
        "if defined MY.Bar\nSET C 1\nendif\nif defined MY.NoSuch\nSET D 1\nelif defined CFGVAL\n"
        "SET D 2\nendif\nif ! defined v\nSET E 1\nendif\nif $(NoSuchKnob)\nSET F 1\nelse\nSET F 0\n"
        "endif\nif version >= 8.0\nSET G 1\nendif\nif yes\nSET H 1\nendif",
    ),
    ("if-complex-true", 'if Owner == "alice" || JobUniverse == 7\nSET A 1\nendif\nSET B 1'),
    ("if-complex-false-fails", "SET A 1\nif RequestMemory > 1000000\nSET B 1\nendif\nSET C 1"),
    ("if-nested", "if true\nif false\nSET A 1\nelse\nSET A 2\nif 1\nSET B 3\nendif\nendif\nendif"),
    ("if-bad-condition", "SET A 1\nif $(CFGVAL)\nSET B 1\nendif"),
    ("else-without-if", "SET A 1\nelse\nSET B 1"),
    ("if-unclosed", "SET A 1\nif true\nSET B 1"),
    ("unknown-keyword", "SET A 1\nFOO bar\nSET B 1"),
    ("keyword-alone", "SET A 1\nNAME\nSET B 1"),
    ("set-one-argument", "SET A 1\nSET B\nSET C 1"),
    ("include-fails", "SET A 1\ninclude : /etc/hostname\nSET B 1"),
    ("error-fails", "SET A 1\nerror : stop\nSET B 1"),
    ("warning-continues", "SET A 1\nwarning : careful\nSET B 1"),
    ("colon-line", "SET A 1\nfoo : bar\nSET B 1"),
    ("requirements-true", 'REQUIREMENTS Owner == "alice"\nSET A 1'),
    ("requirements-number", "REQUIREMENTS RequestMemory\nSET A 1"),
    ("requirements-undefined", "REQUIREMENTS NoSuch > 1\nSET A 1"),
    ("requirements-string", 'REQUIREMENTS "yes"\nSET A 1'),
    ("requirements-anywhere", "SET A 1\nif false\nREQUIREMENTS JobUniverse == 7\nendif"),
    ("requirements-last-wins", "REQUIREMENTS false\nREQUIREMENTS true\nSET A 1"),
    ("name-universe-ignored", "NAME other\nUNIVERSE vanilla\nSET A 1"),
    ("after-transform-dropped", "SET A 1\nTRANSFORM 2\nSET B 1"),
    ("bare-transform", "SET A 1\nTRANSFORM\nSET B 1"),
    ("statement-case", "set A 1\nEvalSet B A + 1\ncopy B C"),
    ("attr-case-kept", 'SET owner "x"\nSET NEWATTR 1\nSET newattr 2'),
    ("comment-lines", "# a comment\nSET A 1"),
]

INVALID = [
    ("requirements-unparsable", "REQUIREMENTS Owner ==\nSET A 1"),
    ("requirements-macro", "REQUIREMENTS $(NUM) > 1\nSET A 1"),  # never expanded: invalid
]


def _canon(text: str) -> str:
    try:
        ad = classad2.parseOne(f"X = {text}", classad2.ParserType.Old)
        return str(ad.lookup("X"))
    except Exception:  # an expression classad2 cannot read: compare the text itself
        return f"<text {text!r}>"


def _ours_as_long(ad: ClassAd) -> dict[str, str]:
    return {name: _canon(unparse(ad[name], "old")) for name in ad}


def _config(tmp_path: Path, cases: list[tuple[str, str]], extra: str = "") -> Path:
    parts = [CONFIG_HEAD, extra]
    for k, (_name, body) in enumerate(cases):
        assert "@end" not in body
        parts.append(f"T{k} @=end\n{body}\n@end\n")
    path = tmp_path / "transforms.config"
    path.write_text("\n".join(parts))
    return path


def _run_cases(
    tmp_path: Path, cases: list[tuple[str, str]], jobs: list[str], extra: str = ""
) -> list[str]:
    """Differences between classadlint and HTCondor for every case and job (empty: none)."""
    config = _config(tmp_path, cases, extra)
    model = build_model([config])
    maps, _ = user_maps(model, "SCHEDD")
    problems: list[str] = []
    for j, job_text in enumerate(jobs):
        job_file = tmp_path / f"job{j}.ad"
        job_file.write_text(job_text)
        knobs = [a for k in range(len(cases)) for a in ("-knob", f"T{k}")]
        run = xform_oracle.run("apply", config, "-each", *knobs, "-ad", str(job_file))
        results = iter(run.cases)
        job = parse_ad_text(job_text)
        for k, (name, _body) in enumerate(cases):
            entry = model.lookup(f"T{k}")
            assert entry is not None
            transform = parse_transform(source_from_entry(entry), f"T{k}")
            loaded = run.loads[k][0] >= 0
            if loaded != transform.valid:
                problems.append(f"{name}/job{j}: loaded {loaded}, ours valid {transform.valid}")
                continue
            if not loaded:
                continue
            case = next(results)
            matched = requirements_match(transform, job, maps)
            if matched != case.matched:
                problems.append(f"{name}/job{j}: matched {case.matched}, ours {matched}")
                continue
            failed = None
            try:
                ours = apply_transform(transform, job, config=model, user_maps=maps)
            except TransformFailed as exc:
                ours, failed = exc.ad, exc.message
            if case.matched and (case.rval is not None and case.rval < 0) != (failed is not None):
                problems.append(f"{name}/job{j}: HTCondor rval {case.rval}, ours failed {failed}")
            theirs = {n: _canon(v) for n, v in case.ad.items()}
            mine = _ours_as_long(ours)
            for attr in sorted(set(theirs) | set(mine)):
                if theirs.get(attr) != mine.get(attr):
                    problems.append(
                        f"{name}/job{j}: {attr!r}: HTCondor {theirs.get(attr)!r}, "
                        f"ours {mine.get(attr)!r}"
                    )
    return problems


def test_native_statements_equal_htcondor(tmp_path: Path) -> None:
    assert _run_cases(tmp_path, CASES, JOBS) == []


def test_transforms_htcondor_refuses_to_load(tmp_path: Path) -> None:
    assert _run_cases(tmp_path, INVALID, JOBS[:1]) == []
    model = build_model([_config(tmp_path, INVALID)])
    for k in range(len(INVALID)):
        entry = model.lookup(f"T{k}")
        assert entry is not None
        transform = parse_transform(source_from_entry(entry), f"T{k}")
        assert not transform.valid
        assert [e.code for e in transform.errors] == ["CA103"]


def test_desy_transforms_equal_htcondor(tmp_path: Path) -> None:
    """The DESY corpus' native transforms (userMap included) on a spread of jobs."""
    fixtures = Path(__file__).resolve().parent / "transform_fixtures"
    text = (fixtures / "desy-schedd-transforms.config").read_text()
    config = tmp_path / "desy.config"
    # the map file beside the corpus files (LOCAL_CONFIG_DIR would make HTCondor read the
    # whole directory)
    config.write_text(
        f"BIRD_JUPYTER_RUNTIME = 72000\n{text}\n"
        f"CLASSAD_USER_MAPFILE_Projects = {fixtures}/bird-projects.map\n"
    )
    model = build_model([config])
    maps, problems = user_maps(model, "SCHEDD")
    assert maps["Projects"]["alice"] == "atlas,support" and not problems
    names = (model.value("JOB_TRANSFORM_NAMES") or "").split()
    transforms = []
    for name in names:
        entry = model.lookup(f"JOB_TRANSFORM_{name}")
        assert entry is not None
        transforms.append(parse_transform(source_from_entry(entry), name))
    jobs = [
        '[ Owner = "alice"; JobUniverse = 5; Requirements = OpSysAndVer == "SL6on7"; '
        'BIRDQuotaClass = "lite" ]',
        '[ Owner = "alice"; MyProject = "support"; RequestGPUs = 1; JobUniverse = 5; '
        'Requirements = true; BIRDQuotaClass = "bide" ]',
        '[ Owner = "bob"; RequestGPUs = 2; JobUniverse = 5; Requirements = true; '
        'BIRDQuotaClass = "lite" ]',
        '[ Owner = "carol"; IsJupyterJob = true; JobUniverse = 5; Requirements = true ]',
        '[ Owner = "nobody"; JobUniverse = 5; Requirements = true ]',
    ]
    knobs = [a for n in names for a in ("-knob", f"JOB_TRANSFORM_{n}")]
    for j, job_text in enumerate(jobs):
        job_file = tmp_path / f"job{j}.ad"
        job_file.write_text(job_text)
        run = xform_oracle.run("apply", config, *knobs, "-ad", str(job_file))
        outcome = apply_transforms(
            transforms, parse_ad_text(job_text), config=model, user_maps=maps
        )
        assert [t.name for t in transforms if t.name in outcome.applied] == [
            n for n, m in zip(names, run.matches, strict=True) if m
        ], j
        theirs = {n: _canon(v) for n, v in run.ads[-1].items()}
        assert _ours_as_long(outcome.ad) == theirs, j
    # the decisions the transforms exist for
    alice = apply_transforms(transforms, parse_ad_text(jobs[1]), config=model, user_maps=maps)
    assert alice.ad["AccountingGroup"] == parse_ad_text('[x = "BIRD_support.bide.alice"]')["x"]


# --- generated transforms -----------------------------------------------------------------

ATTRS = ["A", "b", "Owner", "Cmd", "RequestMemory", "Foo", "x_1"]
VARS = ["v", "w"]


def _expr(draw: st.DrawFn, depth: int = 0) -> str:
    choices = ["int", "str", "attr", "bool", "undef"]
    if depth < 2:
        choices += ["arith", "call", "cond", "macro", "cmp"]
    kind = draw(st.sampled_from(choices))
    if kind == "int":
        return str(draw(st.integers(-5, 100)))
    if kind == "str":
        return '"' + draw(st.sampled_from(["", "x", "a b", "Alice", "1"])) + '"'
    if kind == "attr":
        return draw(st.sampled_from([*ATTRS, "MY.Owner", "NoSuch"]))
    if kind == "bool":
        return draw(st.sampled_from(["true", "false"]))
    if kind == "undef":
        return "undefined"
    if kind == "arith":
        op = draw(st.sampled_from(["+", "-", "*", "/", "%", "&&", "||"]))
        return f"{_expr(draw, depth + 1)} {op} {_expr(draw, depth + 1)}"
    if kind == "cmp":
        op = draw(st.sampled_from(["==", "!=", "=?=", "=!=", "<", ">="]))
        return f"({_expr(draw, depth + 1)} {op} {_expr(draw, depth + 1)})"
    if kind == "call":
        fn = draw(st.sampled_from(["strcat", "ifThenElse", "isUndefined", "size", "toUpper"]))
        arity = {"strcat": 2, "ifThenElse": 3, "isUndefined": 1, "size": 1, "toUpper": 1}[fn]
        return f"{fn}({', '.join(_expr(draw, depth + 1) for _ in range(arity))})"
    if kind == "cond":
        return f"{_expr(draw, depth + 1)} ? {_expr(draw, depth + 1)} : {_expr(draw, depth + 1)}"
    return draw(st.sampled_from(['"$(v)"', "$(MY.RequestMemory)", '"$(MY.Owner)"', "$(w)",
                                 '"$(CFGVAL)"', "$(NUM)"]))  # fmt: skip


@st.composite
def _statement(draw: st.DrawFn, depth: int = 0) -> str:
    kinds = ["set", "set", "default", "evalset", "evalset", "copy", "rename", "delete",
             "regex", "evalmacro", "var", "append"]  # fmt: skip
    if depth == 0:
        kinds.append("if")
    kind = draw(st.sampled_from(kinds))
    a, b = draw(st.sampled_from(ATTRS)), draw(st.sampled_from(ATTRS))
    sep = draw(st.sampled_from([" ", " = ", ", "]))
    if kind in ("set", "default", "evalset"):
        return f"{kind.upper()} {a}{sep}{_expr(draw)}"
    if kind in ("copy", "rename"):
        return f"{kind.upper()} {a} {b}"
    if kind == "delete":
        return f"DELETE {a}"
    if kind == "regex":
        op = draw(st.sampled_from(["COPY", "RENAME", "DELETE"]))
        rx = draw(st.sampled_from(["^r(eq)", "o", "^(x)_(1)$", "^[ab]$"]))
        return f"{op} /{rx}/ New\\1" if op != "DELETE" else f"DELETE /{rx}/"
    if kind == "evalmacro":
        return f"EVALMACRO {draw(st.sampled_from(VARS))} {_expr(draw)}"
    if kind == "var":
        return f"{draw(st.sampled_from(VARS))} = {_expr(draw)}"
    if kind == "append":
        return f"{draw(st.sampled_from(VARS))} += {draw(st.sampled_from(['p', 'q']))}"
    cond = draw(st.sampled_from(["true", "false", "defined MY.Foo", "defined v", "$(w)", "1",
                                 "! defined MY.A", 'Owner == "alice"']))  # fmt: skip
    body = draw(st.lists(_statement(depth + 1), min_size=1, max_size=3))
    other = draw(st.lists(_statement(depth + 1), max_size=2))
    text = f"if {cond}\n" + "\n".join(body)
    if other:
        text += "\nelse\n" + "\n".join(other)
    return text + "\nendif"


@st.composite
def _job(draw: st.DrawFn) -> str:
    values = {
        "A": draw(st.sampled_from(["1", '"a"', "undefined", "b + 1"])),
        "Owner": draw(st.sampled_from(['"alice"', '"bob"'])),
        "RequestMemory": draw(st.sampled_from(["1024", "2.5", "A * 2"])),
        "Foo": draw(st.sampled_from(["true", '"foo"'])),
        "x_1": "3",
    }
    keep = draw(st.lists(st.sampled_from(sorted(values)), unique=True))
    return "[ " + "; ".join(f"{k} = {values[k]}" for k in keep) + " ]"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bodies=st.lists(st.lists(_statement(), min_size=1, max_size=8), min_size=5, max_size=5),
    job=_job(),
)
def test_generated_transforms_equal_htcondor(
    tmp_path: Path, bodies: list[list[str]], job: str
) -> None:
    cases = [(f"gen{k}", "\n".join(body)) for k, body in enumerate(bodies)]
    problems = _run_cases(tmp_path, cases, [job])
    assert problems == [], "\n".join(
        [*problems, *(f"--- {n}\n{b}" for n, b in cases), f"--- job {job}"]
    )


def test_schedd_shares_variables_between_transforms(tmp_path: Path) -> None:
    """The schedd rewinds transform variables per job, not per transform."""
    config = tmp_path / "c.config"
    config.write_text(
        "JOB_TRANSFORM_NAMES = First Second\n"
        "JOB_TRANSFORM_First @=end\nshared = from_first\nSET A 1\n@end\n"
        'JOB_TRANSFORM_Second @=end\nREQUIREMENTS A == 1\nSET B "$(shared)"\n@end\n'
    )
    job = tmp_path / "job.ad"
    job.write_text('[ Owner = "alice" ]')
    run = xform_oracle.run(
        "apply", config, "-knob", "JOB_TRANSFORM_First", "-knob", "JOB_TRANSFORM_Second",
        "-ad", str(job),
    )  # fmt: skip
    model = build_model([config])
    transforms = [
        parse_transform(source_from_entry(model.lookup(f"JOB_TRANSFORM_{n}")), n)  # type: ignore[arg-type]
        for n in ("First", "Second")
    ]
    outcome = apply_transforms(transforms, parse_ad_text(job.read_text()), config=model)
    assert run.matches == [True, True] and outcome.applied == ["First", "Second"]
    assert _ours_as_long(outcome.ad) == {n: _canon(v) for n, v in run.ads[-1].items()}
    assert outcome.ad["B"] == parse_ad_text('[x = "from_first"]')["x"]


def test_random_macro_functions_stay_in_range() -> None:
    config_text = (
        "JOB_TRANSFORM_R @=end\n"
        + textwrap.dedent(
            """\
        SET A $RANDOM_INTEGER(3, 9, 3)
        SET B "$RANDOM_CHOICE(x, y, z)"
        """
        )
        + "@end\n"
    )
    path = Path("/tmp") / f"classadlint-random-{random.randrange(10**9)}.config"
    path.write_text(config_text)
    try:
        model = build_model([path])
        transform = parse_transform(source_from_entry(model.lookup("JOB_TRANSFORM_R")), "R")  # type: ignore[arg-type]
        seen = set()
        for seed in range(30):
            ad = apply_transform(transform, ClassAd(), rng=random.Random(seed))
            seen.add((unparse(ad["A"]), unparse(ad["B"])))
        assert {a for a, _ in seen} <= {"3", "6", "9"}
        assert {b for _, b in seen} <= {'"x"', '"y"', '"z"'}
        assert len(seen) > 3
    finally:
        path.unlink()
