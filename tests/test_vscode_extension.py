"""The VS Code extension (editors/vscode): built, tested and packaged with npm as a user
would (`npm ci`, `npm run compile`, the grammar and client tests, `npm run package`), in
a copy of the directory so the checkout is left as it was.

The grammar tests are assertion files, one per construct (test/grammar/). That they
would catch a grammar that misses a construct is checked here too: each construct is
taken out of a copy of the grammar (or broken the way a careless edit would) and the
grammar tests must then fail.

The facts the grammars restate (built-in function names, metaknob categories, config macro
functions) are compared with the catalogs they come from, without npm.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
VSCODE = REPO / "editors" / "vscode"
SYNTAXES = VSCODE / "syntaxes"
CONFIG_GRAMMAR = "htcondor-config.tmLanguage.json"
CLASSAD_GRAMMAR = "classad.tmLanguage.json"

Grammar = dict[str, Any]


def _grammar(name: str) -> Grammar:
    return json.loads((SYNTAXES / name).read_text(encoding="utf-8"))


# ---- facts the grammars restate ------------------------------------------------------------


def test_builtin_function_names_are_the_catalogs() -> None:
    from classadlint.schema.functions_catalog import names

    rule = _grammar(CLASSAD_GRAMMAR)["repository"]["function-calls"]["patterns"][0]["match"]
    alternation = re.fullmatch(r"\(\?i\)\\b\((.*)\)\\s\*\(\?=\\\(\)", rule)
    assert alternation, rule
    assert sorted(alternation.group(1).split("|")) == sorted(names())


def test_metaknob_categories_are_the_catalogs() -> None:
    from classadlint.schema.provenance import load_json

    categories = load_json("metaknobs.json")["categories"]
    rule = _grammar(CONFIG_GRAMMAR)["repository"]["use"]["beginCaptures"]["2"]["patterns"][0]
    listed = re.fullmatch(r"\(\?i\)\\b\(\?:(.*)\)\\b", rule["match"])
    assert listed, rule["match"]
    assert sorted(listed.group(1).split("|")) == sorted(categories)


def test_config_macro_functions_are_the_models() -> None:
    from classadlint.config import model

    rule = _grammar(CONFIG_GRAMMAR)["repository"]["macro"]["patterns"][2]["begin"]
    listed = re.fullmatch(r"\(\\\$\)\((.*)\)\(\\\(\)", rule)
    assert listed, rule
    names = set(listed.group(1).split("|"))
    assert names - {"F[A-Za-z]*"} == set(model.MACRO_FUNCTIONS)
    assert "F[A-Za-z]*" in names  # $Fpd(X) and the other path functions


def test_manifest_languages_files_and_settings() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    languages = {lang["id"]: lang for lang in manifest["contributes"]["languages"]}
    config, classad = languages["htcondor-config"], languages["classad"]
    assert set(config["filenames"]) == {"condor_config", "condor_config.local"}
    assert set(config["filenamePatterns"]) == {"**/config.d/*.config", "**/config.d/*.conf"}
    assert config["extensions"] == [".condor"]
    assert set(classad["extensions"]) == {".ad", ".classad"}
    grammars = {g["language"]: g for g in manifest["contributes"]["grammars"]}
    assert grammars["htcondor-config"]["scopeName"] == "source.htcondor-config"
    assert grammars["classad"]["scopeName"] == "source.classad"
    for grammar in grammars.values():
        assert (
            json.loads((VSCODE / grammar["path"]).read_text())["scopeName"]
            == (grammar["scopeName"])
        )
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["classadlint.path"]["default"] == "classadlint"
    assert settings["classadlint.args"]["default"] == []
    assert settings["classadlint.configFiles"]["default"] == []
    comments = {
        lang: json.loads((VSCODE / languages[lang]["configuration"]).read_text())["comments"]
        for lang in languages
    }
    assert comments["htcondor-config"] == {"lineComment": "#"}
    assert comments["classad"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}


def _scope_names(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {
            scope
            for key in ("name", "contentName")
            if isinstance(node.get(key), str)
            for scope in node[key].split()
        }
        return found.union(*(_scope_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_scope_names(v) for v in node))
    return set()


def test_grammar_test_assertions_name_real_scopes() -> None:
    """vscode-tmgrammar-test compares whole scope names: an exclusion `- comment` never
    matches `comment.line.number-sign...` and so never fails. Every scope an assertion
    names, required or excluded, must be one the grammars produce."""
    scopes = _scope_names(_grammar(CONFIG_GRAMMAR)) | _scope_names(_grammar(CLASSAD_GRAMMAR))
    scopes |= {"source.htcondor-config", "source.classad"}
    cases = sorted((VSCODE / "test" / "grammar").glob("*.test.*"))
    assert cases
    for case in cases:
        lines = case.read_text(encoding="utf-8").splitlines()
        token = lines[0].split()[0]
        for number, line in enumerate(lines[1:], start=2):
            rest = line[len(token) :] if line.startswith(token) else ""
            if not re.match(r"\s*(\^|<~*-+)", rest):
                continue
            named = re.sub(r"^\s*(<~*-+|[\^\s]+)", "", rest).replace(" - ", " ").split()
            unknown = [s for s in named if s != "-" and s not in scopes]
            assert not unknown, f"{case.name}:{number}: not a scope of the grammars: {unknown}"


# ---- the npm build -------------------------------------------------------------------------


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail("npm is not on PATH in CI: the VS Code extension is not built")
        pytest.skip("npm is not on PATH")
    return npm


def _run(args: list[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"{proc.args}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of editors/vscode after `npm ci` and `npm run compile`."""
    npm = _npm()
    work = tmp_path_factory.mktemp("vscode") / "vscode"
    shutil.copytree(VSCODE, work, ignore=shutil.ignore_patterns("node_modules", "out", "*.vsix"))
    _ok(_run([npm, "ci", "--no-audit", "--no-fund"], work, timeout=600))
    _ok(_run([npm, "run", "compile"], work))
    assert (work / "out" / "extension.js").is_file()
    return work


def test_grammar_tests_pass(built: Path) -> None:
    out = _ok(_run([_npm(), "run", "test:grammar"], built))
    cases = sorted(p.name for p in (VSCODE / "test" / "grammar").glob("*.test.*"))
    assert len(cases) >= 8
    for case in cases:
        assert f"{case} run successfuly" in out, out  # (sic: the tool's spelling)


def test_client_tests_pass(built: Path) -> None:
    out = _ok(_run([_npm(), "run", "test:client"], built))
    assert re.search(r"^# pass [1-9]", out, re.M) and re.search(r"^# fail 0$", out, re.M), out


def test_package_makes_a_vsix_with_both_languages_and_grammars(built: Path) -> None:
    _ok(_run([_npm(), "run", "package"], built))
    vsix = built / "classadlint.vsix"
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
        vsixmanifest = z.read("extension.vsixmanifest").decode()
        z.extractall(built / "unpacked")
    languages = {lang["id"] for lang in manifest["contributes"]["languages"]}
    assert languages == {"htcondor-config", "classad"}
    for grammar in manifest["contributes"]["grammars"]:
        packed = "extension/" + grammar["path"].removeprefix("./")
        assert packed in names
        assert (
            json.loads((built / "unpacked" / packed).read_text())["scopeName"]
            == (grammar["scopeName"])
        )
    assert manifest["main"] == "./out/extension.js"
    assert "extension/out/extension.js" in names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert not any(n.startswith(("extension/src/", "extension/test/")) for n in names)
    assert not any(
        "node_modules/typescript/" in n or "node_modules/@vscode/vsce" in n for n in names
    )
    assert 'Id="classadlint"' in vsixmanifest and "Programming Languages" in vsixmanifest
    # The packed client loads with the packed vscode-languageclient (VS Code's own API is
    # the one thing stubbed).
    script = r"""
const Module = require("module");
function any() { return new Proxy(function () { return any(); },
  { get: (t, k) => (k === "__esModule" || typeof k === "symbol") ? undefined : any(),
    construct: () => any() }); }
const load = Module._load;
Module._load = function (r, ...rest) { return r === "vscode" ? any() : load.call(this, r, ...rest); };
const ext = require("./out/extension.js");
const lc = require("vscode-languageclient/node");
console.log(typeof ext.activate, typeof ext.deactivate, typeof lc.LanguageClient);
"""
    node = shutil.which("node") or "node"
    out = _ok(_run([node, "-e", script], built / "unpacked" / "extension"))
    assert out.split() == ["function", "function", "function"]


# ---- the grammar tests catch a grammar that misses a construct ------------------------------


def _empty(key: str) -> Callable[[Grammar], None]:
    def mutate(g: Grammar) -> None:
        assert key in g["repository"], key
        g["repository"][key] = {"patterns": []}

    return mutate


def _drop_top(key: str) -> Callable[[Grammar], None]:
    def mutate(g: Grammar) -> None:
        before = len(g["patterns"])
        g["patterns"] = [p for p in g["patterns"] if p.get("include") != "#" + key]
        assert len(g["patterns"]) == before - 1, key

    return mutate


def _set(path: str, old: str, new: str) -> Callable[[Grammar], None]:
    """Replace ``old`` by ``new`` in the string at ``path`` (keys separated by /)."""

    def mutate(g: Grammar) -> None:
        *parents, last = path.split("/")
        node: Any = g["repository"]
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        assert old in node[last], (path, node[last])
        node[last] = node[last].replace(old, new)

    return mutate


def _inline_comments(g: Grammar) -> None:
    comment = {"name": "comment.line.number-sign.htcondor-config", "match": "#.*$"}
    g["repository"]["value-tokens"]["patterns"].insert(0, comment)


def _no_classad_in_values(g: Grammar) -> None:
    tokens = g["repository"]["value-tokens"]["patterns"]
    g["repository"]["value-tokens"]["patterns"] = [
        p for p in tokens if not p["include"].startswith("source.classad")
    ]


CONFIG_MUTATIONS: dict[str, Callable[[Grammar], None]] = {
    **{
        f"no {key}": _drop_top(key)
        for key in (
            "comment",
            "heredoc",
            "conditional",
            "include",
            "use",
            "error-warning",
            "section",
            "assignment",
        )
    },
    **{
        f"empty {key}": _empty(key)
        for key in (
            "macro",
            "string",
            "continuation",
            "comment-in-continuation",
            "suppression",
            "transform-keyword",
            "prefix",
        )
    },
    "a # after a value starts a comment": _inline_comments,
    "a value ends at every line end": _set("assignment/end", r"(?<![\\\s])(?=\s*$)", "$"),
    "a heredoc ends at any @word": _set("heredoc/end", r"(\4)", r"(\S+)"),
    "values without ClassAd tokens": _no_classad_in_values,
    "no $ENV()/$INT()": _set("macro/patterns/2/begin", "ENV|INT|", ""),
    "no $(X:default)": _set("macro/patterns/3/patterns/0/begin", r"\G(:)", r"\G(:(?!))"),
    "case-sensitive if/else": _set("conditional/patterns/0/begin", "(?i)", ""),
    "no include options": _set(
        "include/beginCaptures/2/patterns/0/match", "ifexist|command|into", "into"
    ),
    "no words before = (CA108)": _set(
        "assignment/beginCaptures/3/name", "invalid.illegal", "variable.other"
    ),
}


def _case_sensitive_constants(g: Grammar) -> None:
    for pattern in g["repository"]["constants"]["patterns"]:
        pattern["match"] = pattern["match"].replace("(?i)", "")


CLASSAD_MUTATIONS: dict[str, Callable[[Grammar], None]] = {
    **{
        f"empty {key}": _empty(key)
        for key in (
            "comments",
            "strings",
            "escapes",
            "quoted-names",
            "attribute-definitions",
            "records",
            "subscripts",
            "lists",
            "parens",
            "numbers",
            "constants",
            "word-operators",
            "scopes",
            "function-calls",
            "identifiers",
            "operators",
            "punctuation",
        )
    },
    "case-sensitive true/false/undefined/error": _case_sensitive_constants,
    "case-sensitive is/isnt": _set("word-operators/match", "(?i)", ""),
    "no =?= =!=": _set("operators/patterns/0/match", r"=\?=|=!=", "(?!)"),
    "no hexadecimal numbers": _set("numbers/patterns/0/match", "0[xX]", "0[x]Z"),
    "no MY./TARGET.": _set("scopes/match", "my|target|parent", "parent"),
    "unknown functions look built in": _set(
        "function-calls/patterns/1/captures/1/name", "entity.name.function", "support.function"
    ),
}


@pytest.fixture(scope="module")
def mutation_dir(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a mutated grammar is tested: the manifest, the tests, a syntaxes/ to write."""
    work = tmp_path_factory.mktemp("mutants")
    shutil.copy(built / "package.json", work / "package.json")
    shutil.copytree(built / "test" / "grammar", work / "test" / "grammar")
    (work / "syntaxes").mkdir()
    return work


def _grammar_tests_with(
    built: Path, work: Path, name: str, mutate: Callable[[Grammar], None]
) -> subprocess.CompletedProcess[str]:
    for grammar in (CONFIG_GRAMMAR, CLASSAD_GRAMMAR):
        g = copy.deepcopy(_grammar(grammar))
        if grammar == name:
            mutate(g)
        (work / "syntaxes" / grammar).write_text(json.dumps(g))
    tool = built / "node_modules" / ".bin" / "vscode-tmgrammar-test"
    return _run([str(tool), "test/grammar/*.test.*"], work, timeout=120)


def test_unmutated_copy_passes(built: Path, mutation_dir: Path) -> None:
    """The mutation harness itself: with nothing changed, the tests pass."""
    proc = _grammar_tests_with(built, mutation_dir, CONFIG_GRAMMAR, lambda g: None)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize(
    ("grammar", "mutation"),
    [(CONFIG_GRAMMAR, m) for m in CONFIG_MUTATIONS]
    + [(CLASSAD_GRAMMAR, m) for m in CLASSAD_MUTATIONS],
)
def test_grammar_tests_catch_a_missing_construct(
    built: Path, mutation_dir: Path, grammar: str, mutation: str
) -> None:
    mutations = CONFIG_MUTATIONS if grammar == CONFIG_GRAMMAR else CLASSAD_MUTATIONS
    proc = _grammar_tests_with(built, mutation_dir, grammar, mutations[mutation])
    assert proc.returncode != 0, f"the grammar tests pass without: {mutation}\n{proc.stdout}"
    assert "missing required scopes" in proc.stdout or "prohibited scopes" in proc.stdout
