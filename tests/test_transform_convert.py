"""Old ``[ ... ]`` routes: converted to native text exactly as HTCondor's converter
(ConvertClassadJobRouterRouteToXForm in libcondor_utils) converts them, read into the same
AST as native transforms, applied like HTCondor applies them, and converted by
``classadlint convert-transform``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import classad2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classadlint.classad.adfile import parse_ad_text
from classadlint.classad.unparse import unparse
from classadlint.config.model import build_model
from classadlint.config.transform import SetAttr
from classadlint.config.transform.apply import TransformFailed, apply_transform
from classadlint.config.transform.load import transform_from_entry
from classadlint.config.transform.oldstyle import convert_route, split_routes
from classadlint.config.transform.parser import TransformSource
from tests import xform_oracle

ROUTES = {
    "R1": '[ name = "Local_Condor"; GridResource = "condor localhost localhost"; '
    "TargetUniverse = 5; Requirements = target.WantRouting =?= true && TARGET.x > MaxJobs; "
    "MaxJobs = 200; MaxIdleJobs = 10; eval_set_RequestMemory = ifThenElse(TARGET.y > 0, "
    'maxMemory, 100); maxMemory = 2000; set_Foo = "a\\tb"; set_Bar = 1 + 2; '
    'copy_Environment = "orig_env"; copy_Bad = 5; delete_X = true; '
    'eval_set_Z = strcat(MyName, "x"); MyName = "nm"; custom = {1, 2}; '
    'EditJobInPlace = true; set_zz = TARGET.Owner; rename_Q = "R"; xcount = 4; ]',
    "R2": "[ Requirements = true; set_A = 1 ]",
    "R3": '[ name = "bad name"; OverrideRoutingEntry = target.Foo; '
    "eval_set_B = TARGET.Cpus * 2 + 1; Requirements = (TARGET.a == 1) || (b == 2) ]",
    "R4": '[ name = "r4"; Lim = TARGET.Cpus * 2; Txt = "abc"; eval_set_A = Lim + 1; '
    "eval_set_B = strcat(Txt, TARGET.Owner); eval_set_C = Cpus * 2; set_Lim = 5; "
    "Q = undefined; eval_set_D = Q ]",
    "R5": "[ eval_set_X = false && TARGET.y; eval_set_Y = true && TARGET.y; "
    "eval_set_Z = TARGET.y || true; K = 1; eval_set_W = (K + 1) * TARGET.z; "
    'eval_set_V = -K; eval_set_U = K > 0 ? "a" : TARGET.b; eval_set_T = {K, TARGET.c}; '
    'eval_set_S = MY.K + 1; copy_Foo = "b" + "c"; copy_Bar = strcat("b", "c") ]',
    "R6": "[ Requirements = target.x =?= undefined; TargetUniverse = 9; "
    'eval_set_RequestMemory = 1024; set_InputRSL = "x"; '
    'GridResource = strcat("batch ", "slurm") ]',
    "R7": "[ K = 2; eval_set_A = 1 + TARGET.a + K; eval_set_B = K + TARGET.b + 3; "
    "eval_set_C = (K * TARGET.c) * 3; eval_set_D = TARGET.d * K + K * 4 ]",
}


def _convert_both(tmp_path: Path, routes: dict[str, str]) -> list[str]:
    config = tmp_path / "routes.config"
    config.write_text("".join(f"{k} = {v}\n" for k, v in routes.items()))
    model = build_model([config])
    problems = []
    run = xform_oracle.run("convert", config, *(a for k in routes for a in ("-knob", k)))
    for knob, (_rval, their_name, their_lines) in zip(routes, run.conversions, strict=True):
        entry = model.lookup(knob)
        assert entry is not None
        expanded = model.expand_entry(entry)
        source = TransformSource(knob, expanded.text, expanded.origins)
        start, end = split_routes(expanded.text)[0]
        ours = convert_route(source, start, end)
        if ours.lines != their_lines or ours.name != their_name:
            problems.append(f"{knob}:\n  htcondor {their_lines}\n  ours     {ours.lines}")
    return problems


def test_converter_equals_htcondor(tmp_path: Path) -> None:
    assert _convert_both(tmp_path, ROUTES) == []


def test_seed_routes_convert_as_htcondor(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parent / "transform_fixtures" / "desy-seed"
    routes = {}
    for path in sorted(seed.glob("*.config")):
        model = build_model([path])
        for entry in model.entries.values():
            if entry.name.upper().startswith("JOB_TRANSFORM_") and entry.value.lstrip()[:1] == "[":
                routes[entry.name] = model.expand_entry(entry).text.replace("\n", " ")
    assert len(routes) >= 4
    assert _convert_both(tmp_path, routes) == []


# --- generated routes ---------------------------------------------------------------------

_ROUTE_ATTRS = ["K", "Txt", "MaxJobs", "GridResource", "EditJobInPlace", "custom", "Name",
                "TargetUniverse", "Requirements"]  # fmt: skip


@st.composite
def _value(draw: st.DrawFn, depth: int = 0) -> str:
    leaf = st.sampled_from(["1", "2.5", '"s"', "true", "undefined", "K", "Txt", "TARGET.a",
                            "target.b", "MY.K", "c", "MaxJobs"])  # fmt: skip
    if depth >= 2 or draw(st.booleans()):
        return draw(leaf)
    kind = draw(st.sampled_from(["bin", "call", "cond", "paren", "neg", "list"]))
    a, b = draw(_value(depth + 1)), draw(_value(depth + 1))
    if kind == "bin":
        op = draw(st.sampled_from(["+", "*", "-", "&&", "||", "==", "=?=", "<"]))
        return f"{a} {op} {b}"
    if kind == "call":
        return draw(st.sampled_from([f"strcat({a}, {b})", f"ifThenElse({a}, {b}, 0)",
                                     f"isUndefined({a})"]))  # fmt: skip
    if kind == "cond":
        return f"{a} ? {b} : 3"
    if kind == "paren":
        return f"({a})"
    if kind == "neg":
        return f"-{a}"
    return f"{{{a}, {b}}}"


@st.composite
def _route(draw: st.DrawFn) -> str:
    attrs: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["copy_", "delete_", "set_", "eval_set_", "plain"]))
        target = draw(st.sampled_from(["A", "b", "Owner", "RequestMemory", "Foo"]))
        if kind == "plain":
            name = draw(st.sampled_from(_ROUTE_ATTRS))
            value = {
                "Name": draw(st.sampled_from(['"r"', '"my route"', "1"])),
                # a non-integer TargetUniverse makes HTCondor print an uninitialised
                # number (EvaluateAttrInt fails without setting it): not generated
                "TargetUniverse": draw(st.sampled_from(["5", "9", "5 + 4"])),
            }.get(name) or draw(_value())
        elif kind == "copy_":
            name, value = f"copy_{target}", draw(st.sampled_from(['"New"', '"x" + "y"', "5"]))
        else:
            name, value = f"{kind}{target}", draw(_value())
        attrs[name.lower()] = f"{name} = {value}"
    return "[ " + "; ".join(attrs.values()) + " ]"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(routes=st.lists(_route(), min_size=8, max_size=8))
def test_generated_routes_convert_as_htcondor(tmp_path: Path, routes: list[str]) -> None:
    problems = _convert_both(tmp_path, {f"G{k}": r for k, r in enumerate(routes)})
    assert problems == [], "\n".join(problems)


# --- the same AST, applied as HTCondor applies it ------------------------------------------


def _canon(text: str) -> str:
    try:
        return str(classad2.parseOne(f"X = {text}", classad2.ParserType.Old).lookup("X"))
    except Exception:
        return f"<text {text!r}>"


def test_old_routes_apply_as_htcondor(tmp_path: Path) -> None:
    config = tmp_path / "routes.config"
    config.write_text("".join(f"JOB_TRANSFORM_{k} = {v}\n" for k, v in ROUTES.items()))
    model = build_model([config])
    jobs = [
        '[ Owner = "alice"; WantRouting = true; x = 1; y = 3; Cpus = 4; a = 1; z = 2; '
        'Environment = "A=1"; X = 7; Foo = 1 ]',
        '[ Owner = "bob"; x = 1000; Cpus = 1 ]',
    ]
    for j, job_text in enumerate(jobs):
        job_file = tmp_path / f"job{j}.ad"
        job_file.write_text(job_text)
        knobs = [a for k in ROUTES for a in ("-oldknob", f"JOB_TRANSFORM_{k}")]
        run = xform_oracle.run("apply", config, "-each", *knobs, "-ad", str(job_file))
        cases = iter(run.cases)
        for k in ROUTES:
            entry = model.lookup(f"JOB_TRANSFORM_{k}")
            assert entry is not None
            found = transform_from_entry(model, entry)
            assert found is not None and found.old_style
            case = next(cases)
            job = parse_ad_text(job_text)
            try:
                ours = apply_transform(found.transform, job, config=model)
                failed = False
            except TransformFailed as exc:
                ours, failed = exc.ad, True
            assert failed == (case.rval is not None and case.rval < 0), (k, j)
            theirs = {n: _canon(v) for n, v in case.ad.items()}
            mine = {n: _canon(unparse(ours[n], "old")) for n in ours}
            if case.matched:
                assert mine == theirs, (k, j)
            else:
                assert parse_ad_text(job_text) == job


def test_old_route_values_point_at_the_route_text(tmp_path: Path) -> None:
    config = tmp_path / "route.config"
    text = 'JOB_TRANSFORM_X @=end\n[\n  set_Foo = 1 + x;\n  eval_set_Bar = strcat("a", Owner)\n]\n@end\n'
    config.write_text(text)
    model = build_model([config])
    entry = model.lookup("JOB_TRANSFORM_X")
    assert entry is not None
    found = transform_from_entry(model, entry)
    assert found is not None
    sets = {s.attr.text: s for s in found.transform.walk() if isinstance(s, SetAttr)}
    foo, bar = sets["Foo"], sets["Bar"]
    assert foo.value.text == "1 + x" and bar.value.text == 'strcat("a",Owner)'
    file, offset = found.transform.location(foo.value.start)
    assert file == str(config) and offset is not None and text[offset:].startswith("1 + x")
    # HTCondor writes strcat("a",Owner) without the space: the value points at its start
    file, offset = found.transform.location(bar.value.start + 3)
    assert offset is not None and text[offset:].startswith('strcat("a", Owner)')
    file, offset = found.transform.location(bar.attr.start)
    assert offset is not None and text[offset:].startswith("Bar = strcat")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("classadlint") or str(Path(sys.executable).parent / "classadlint")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_convert_command(tmp_path: Path) -> None:
    config = tmp_path / "c.config"
    config.write_text(
        "JOB_TRANSFORM_NAMES = Old New\n"
        f"JOB_TRANSFORM_Old = {ROUTES['R1']}\n"
        "JOB_TRANSFORM_New = SET A 1\n"
        f"JOB_ROUTER_ENTRIES = {ROUTES['R2']} {ROUTES['R3']}\n"
    )
    theirs = xform_oracle.run("convert", config, "-knob", "JOB_TRANSFORM_Old")
    proc = _cli("convert-transform", "c.config", "--knob", "JOB_TRANSFORM_Old", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "\n".join(theirs.statements) + "\n"
    # every old-style transform of the file, each under a header naming its knob
    proc = _cli("convert-transform", "c.config", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("# JOB_TRANSFORM_Old") == 1
    assert proc.stdout.count("# autoconversion of route") == 3  # R1 and both entries
    assert "JOB_TRANSFORM_New" not in proc.stdout  # native already
    # a file holding nothing to convert, a missing knob: messages, no traceback
    (tmp_path / "empty.config").write_text("A = 1\n")
    proc = _cli("convert-transform", "empty.config", cwd=tmp_path)
    assert proc.returncode == 1 and "no old-style" in proc.stderr
    proc = _cli("convert-transform", "c.config", "--knob", "NOPE", cwd=tmp_path)
    assert proc.returncode == 2 and "NOPE" in proc.stderr and "Traceback" not in proc.stderr
