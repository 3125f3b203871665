"""Every fenced block in README.md is run, or checked as closely as this machine allows.

How a block is tested depends on its info string (``KINDS``); a block of any other kind,
or a ``text`` block not listed in ``EXEMPT``, fails the test, so nothing is skipped
silently. The substitutions are explicit and few:

- a step that sets up the environment (``python3 -m venv``, activating it, ``pip install``
  of classadlint) is replaced by the environment running these tests (``SETUP_STEPS``);
- ``pytest`` in the README is the suite itself: it is not run from inside the suite, and
  it must be what ``.ci/run`` runs (``NOT_RUN``);
- the pre-commit config is used by the real pre-commit with its ``repo`` pointed at this
  checkout and ``rev`` at its HEAD (the published URL is not reachable from here);
- ``code --install-extension`` is a stand-in ``code`` that checks it was given a .vsix
  holding the extension.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

from tests.test_precommit import precommit_home  # noqa: F401  (the pre-commit tests' home)

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
VSCODE_MANIFEST = REPO / "editors" / "vscode" / "package.json"

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)

#: How each kind of block is tested.
KINDS = {
    "sh": "run with bash from a copy of the checkout (test_shell_blocks_run)",
    "yaml": "parsed; a GitHub workflow's or GitLab job's commands run, a pre-commit config "
    "used by pre-commit (test_*_yaml)",
    "json": "VS Code settings: every classadlint key is a setting the extension declares",
    "python": "run by tests/test_readme.py, which also checks what they print",
    "lua": "luac -p when Lua is installed; names the server command `classadlint lsp`",
    "elisp": "read by emacs --batch when Emacs is installed; names `classadlint lsp`",
    "emacs-lisp": "as elisp",
    "text": "not run: only the blocks listed in EXEMPT",
}

#: ``text`` blocks, by their first line, and why they are not run.
EXEMPT: dict[str, str] = {}

#: Shell steps that set up an environment; the tests run in the environment they describe.
SETUP_STEPS = [
    r"python3 -m venv \.venv",
    r"\. \.venv/bin/activate",
    r"pip install -e \.",
    r"pip install -e '\.\[test\]'",
]

#: Shell steps not run here, and why.
NOT_RUN = {"pytest": "the test suite itself; .ci/run runs it (checked below)"}

#: Exit status a shell block is expected to end with, by a command it contains (default 0).
EXPECTED_STATUS = {"classadlint check corpus/": 1}  # the corpus keeps its seed's defects

#: A CI snippet installs classadlint with exactly this; the tests use their own install.
CI_INSTALL = "pip install git+https://github.com/classadlint/classadlint@v0.1.0"

BAD_CONFIG = "START = RequestGPUs != undefined\n"  # CA201 at 1:9, and what follows from it
CLEAN_CONFIG = "START = RequestGPUs =!= undefined\n"


@dataclass(frozen=True)
class Block:
    info: str
    body: str
    line: int
    section: str

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.section}, ```{self.info})"


def _blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    blocks = []
    for m in FENCE.finditer(text):
        before = text[: m.start()]
        headings = re.findall(r"^#{2,3} (.+)$", before, re.M)
        blocks.append(
            Block(m.group("info").strip(), m.group("body"), before.count("\n") + 1, headings[-1])
        )
    return blocks


def _of(kind: str) -> list[Block]:
    return [b for b in _blocks() if b.info == kind]


def _env(extra_path: Path | None = None) -> dict[str, str]:
    """This environment's classadlint first on PATH (the venv the tests run in)."""
    paths = [str(Path(sys.executable).parent)]
    if extra_path is not None:
        paths.insert(0, str(extra_path))
    env = dict(os.environ, PATH=os.pathsep.join([*paths, os.environ.get("PATH", "")]))
    env.pop("VIRTUAL_ENV", None)
    return env


def _bash(
    script: str, cwd: Path, env: dict[str, str], timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _policy_repo(path: Path, config: str) -> Path:
    """A pool's config repository: ``config/`` with one file, as the snippets assume."""
    (path / "config").mkdir(parents=True)
    (path / "config" / "50-start.config").write_text(config)
    return path


def _findings(repo: Path) -> list[tuple[str, int]]:
    """What `classadlint check` finds in the repository's config/, as (code, line)."""
    proc = _bash("classadlint check --format json config/", repo, _env())
    found = sorted((d["code"], d["line"]) for d in json.loads(proc.stdout))
    assert proc.returncode == (1 if found else 0), proc.stderr
    return found


def _expect(repo: Path, config: str) -> list[tuple[str, int]]:
    found = _findings(repo)
    if config == BAD_CONFIG:
        assert ("CA201", 1) in found
    else:
        assert found == [], "CLEAN_CONFIG is not clean any more: pick another"
    return found


# ---- every block is accounted for ----------------------------------------------------------


def test_every_block_has_a_check() -> None:
    blocks = _blocks()
    assert blocks
    for block in blocks:
        assert block.info in KINDS, f"{block}: no test for ```{block.info} blocks; add one"
    texts = {b.body.splitlines()[0] for b in _of("text")}
    assert texts == set(EXEMPT), "EXEMPT must list exactly the README's text blocks"


def test_python_blocks_are_the_ones_test_readme_runs() -> None:
    from tests.test_readme import _python_blocks

    assert [b.body for b in _of("python")] == _python_blocks()


# ---- shell ---------------------------------------------------------------------------------


def _shell_script(block: Block) -> str | None:
    """The block as it is run here: setup steps dropped; None when it is not run."""
    steps = [s.strip() for s in re.split(r"&&|\n", block.body) if s.strip()]
    steps = [s for s in steps if not any(re.fullmatch(p, s) for p in SETUP_STEPS)]
    if steps and all(s in NOT_RUN for s in steps):
        return None
    assert not any(s in NOT_RUN for s in steps), f"{block}: mixes run and not-run steps"
    return "\n".join(steps)


@pytest.fixture
def code_stub(tmp_path: Path) -> Path:
    """A `code` that accepts `--install-extension FILE.vsix` for a vsix with the extension."""
    bin_dir = tmp_path / "stub-bin"
    bin_dir.mkdir()
    log = tmp_path / "code-stub.log"
    stub = bin_dir / "code"
    stub.write_text(
        f"""#!{sys.executable}
import json, sys, zipfile
args = sys.argv[1:]
assert len(args) == 2 and args[0] == "--install-extension", args
with zipfile.ZipFile(args[1]) as z:
    manifest = json.loads(z.read("extension/package.json"))
    assert "extension/out/extension.js" in z.namelist()
open({str(log)!r}, "a").write(manifest["name"] + "\\n")
print("Extension", repr(args[1]), "was successfully installed.")
"""
    )
    stub.chmod(0o755)
    return bin_dir


def _sandbox(tmp_path: Path) -> Path:
    """The checkout as the README's commands see it; editors/ copied (npm writes there)."""
    box = tmp_path / "checkout"
    box.mkdir()
    for entry in REPO.iterdir():
        if entry.name in {".git", ".venv", "editors"}:
            continue
        (box / entry.name).symlink_to(entry)
    shutil.copytree(
        REPO / "editors",
        box / "editors",
        ignore=shutil.ignore_patterns("node_modules", "out", "*.vsix"),
    )
    return box


def _shell_ids() -> list[str]:
    return [f"line{b.line}" for b in _of("sh")]


@pytest.mark.parametrize("index", range(len(_of("sh"))), ids=_shell_ids())
def test_shell_blocks_run(index: int, tmp_path: Path, code_stub: Path) -> None:
    block = _of("sh")[index]
    script = _shell_script(block)
    if script is None:
        ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
        assert block.body.strip() in ci, f"{block}: not what .ci/run runs"
        return
    expected = next((s for c, s in EXPECTED_STATUS.items() if c in script), 0)
    proc = _bash(script, _sandbox(tmp_path), _env(code_stub), timeout=600)
    assert proc.returncode == expected, (
        f"{block}\n{script}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    if "code --install-extension" in script:
        assert (tmp_path / "code-stub.log").read_text().split() == ["classadlint"]


# ---- YAML: GitHub Actions, GitLab CI, pre-commit -------------------------------------------


def _yaml(kind: str) -> list[tuple[Block, Any]]:
    found = []
    for block in _of("yaml"):
        doc = yaml.safe_load(block.body)
        if "repos" in doc:
            what = "pre-commit"
        elif "jobs" in doc and ("on" in doc or True in doc):  # YAML 1.1 reads `on` as true
            what = "github"
        elif any(isinstance(v, dict) and "script" in v for v in doc.values()):
            what = "gitlab"
        else:
            pytest.fail(f"{block}: a YAML block of no known kind")
        if what == kind:
            found.append((block, doc))
    return found


def test_every_yaml_block_is_of_a_known_kind() -> None:
    kinds = [k for k in ("github", "gitlab", "pre-commit") for _ in _yaml(k)]
    assert len(kinds) == len(_of("yaml"))
    assert set(kinds) == {"github", "gitlab", "pre-commit"}


def _ci_command(line: str) -> str | None:
    """A CI step as run here: the install step (the tests' own install stands in) is None."""
    if line.strip() == CI_INSTALL:
        return None
    assert "pip install" not in line, f"a CI snippet installs classadlint another way: {line}"
    return line


@pytest.mark.parametrize("config", [BAD_CONFIG, CLEAN_CONFIG], ids=["findings", "clean"])
def test_github_workflow_yaml(config: str, tmp_path: Path) -> None:
    [(block, workflow)] = _yaml("github")
    assert workflow["permissions"]["security-events"] == "write", block
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)
    repo = _policy_repo(tmp_path / "pool", config)
    expected = _expect(repo, config)
    failed = False
    sarif_files = []
    for step in steps:
        if "run" in step:
            command = _ci_command(step["run"])
            if command is None:
                continue
            assert "classadlint check" in command and "--format sarif" in command, step
            proc = _bash(command, repo, _env())
            assert proc.returncode == (1 if expected else 0), proc.stderr
            failed = failed or proc.returncode != 0
            sarif_files.append(re.search(r">\s*(\S+)", command).group(1))  # type: ignore[union-attr]
        elif step.get("uses", "").startswith("github/codeql-action/upload-sarif@"):
            if failed:  # a failed step skips the rest, unless they say otherwise
                assert step.get("if") == "always()", step
            assert step["with"]["sarif_file"] in sarif_files, step
            sarif = json.loads((repo / step["with"]["sarif_file"]).read_text())
            assert sarif["version"] == "2.1.0"
            [run] = sarif["runs"]
            assert run["tool"]["driver"]["name"] == "classadlint"
            results = sorted(
                (r["ruleId"], r["locations"][0]["physicalLocation"]) for r in run["results"]
            )
            assert [(rule, where["region"]["startLine"]) for rule, where in results] == expected
            for _, where in results:
                assert where["artifactLocation"]["uri"].endswith("config/50-start.config")
    assert sarif_files, "the workflow runs no classadlint check"


@pytest.mark.parametrize("config", [BAD_CONFIG, CLEAN_CONFIG], ids=["findings", "clean"])
def test_gitlab_ci_yaml(config: str, tmp_path: Path) -> None:
    [(block, pipeline)] = _yaml("gitlab")
    [job] = [v for v in pipeline.values() if isinstance(v, dict) and "script" in v]
    assert job["image"].startswith("python:3."), block
    repo = _policy_repo(tmp_path / "pool", config)
    expected = _expect(repo, config)
    status = 0
    for line in job["script"]:  # GitLab stops at the first line that fails
        command = _ci_command(line)
        if command is None:
            continue
        status = _bash(command, repo, _env()).returncode
        if status:
            break
    assert status == (1 if expected else 0)
    assert job["artifacts"]["when"] == "always"  # the report of a failed job too
    report = ET.parse(repo / job["artifacts"]["reports"]["junit"]).getroot()
    assert report.tag == "testsuites"
    cases = report.findall(".//testcase")
    assert cases
    failed = sorted(
        (c.find("failure").get("type", "").split()[0], int(c.get("line", "0")))  # type: ignore[union-attr]
        for c in cases
        if c.find("failure") is not None
    )
    assert failed == expected


def _hook_ids() -> set[str]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {h["id"] for h in hooks}


def test_pre_commit_yaml_names_real_hooks() -> None:
    [(block, config)] = _yaml("pre-commit")
    [repo] = config["repos"]
    assert repo["repo"] == "https://github.com/classadlint/classadlint"
    used = {h["id"] for h in repo["hooks"]}
    mentioned = set(re.findall(r"\bclassadlint-[a-z]+\b", block.body))
    assert used <= _hook_ids() and mentioned <= _hook_ids(), block


@pytest.mark.parametrize("config", [BAD_CONFIG, CLEAN_CONFIG], ids=["blocks", "passes"])
def test_pre_commit_yaml_with_pre_commit(
    config: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The README's config, as is but for where the hooks come from, in a real run."""
    home = request.getfixturevalue("precommit_home")
    [(_, snippet)] = _yaml("pre-commit")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    snippet["repos"][0].update(repo=str(REPO), rev=head)
    work = _policy_repo(tmp_path / "pool", config)
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(snippet))
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "."], cwd=work, check=True)
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    proc = subprocess.run(
        [exe, "run", "--all-files"],
        cwd=work,
        capture_output=True,
        text=True,
        env=dict(_env(), PRE_COMMIT_HOME=str(home)),
        timeout=600,
    )
    if config == BAD_CONFIG:
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "config/50-start.config:1:9: CA201" in proc.stdout
    else:
        assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- JSON: VS Code settings ----------------------------------------------------------------


def test_json_blocks_are_vscode_settings_the_extension_declares() -> None:
    blocks = _of("json")
    assert blocks
    manifest = json.loads(VSCODE_MANIFEST.read_text(encoding="utf-8"))
    declared = manifest["contributes"]["configuration"]["properties"]
    languages = {lang["id"] for lang in manifest["contributes"]["languages"]}
    types = {"string": str, "array": list}
    for block in blocks:
        settings = json.loads(block.body)
        for key, value in settings.items():
            if key == "files.associations":
                assert set(value.values()) <= languages, block
                continue
            assert key in declared, f"{block}: {key} is not a setting of the extension"
            assert isinstance(value, types[declared[key]["type"]]), (block, key)


# ---- editor snippets from other sections: Lua (Neovim), Emacs Lisp -------------------------


def _names_the_server(block: Block) -> None:
    assert re.search(r"""["']classadlint["']\s*,?\s*["']lsp["']""", block.body), (
        f"{block}: does not start `classadlint lsp`"
    )


def _balanced(block: Block, comment: str) -> None:
    """Brackets outside strings and comments close in order: the check that stands in for
    a parser when luac or emacs is not installed."""
    stack: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for line in block.body.splitlines():
        quote = ""
        i = 0
        while i < len(line):
            c = line[i]
            if quote:
                if c == "\\":
                    i += 1
                elif c == quote:
                    quote = ""
            elif line.startswith(comment, i):
                break
            elif c == '"' or (c == "'" and comment == "--"):
                quote = c
            elif c in "([{":
                stack.append(c)
            elif c in pairs:
                assert stack and stack.pop() == pairs[c], f"{block}: unbalanced `{c}`"
            i += 1
    assert not stack, f"{block}: `{stack[-1]}` never closed"


def _check_lua(block: Block, tmp_path: Path) -> None:
    _names_the_server(block)
    luac = shutil.which("luac") or shutil.which("luac5.4") or shutil.which("luac5.1")
    if luac is None:  # no Lua compiler here: at least every bracket must close
        _balanced(block, comment="--")
        return
    source = tmp_path / f"snippet{block.line}.lua"
    source.write_text(block.body)
    proc = subprocess.run([luac, "-p", str(source)], capture_output=True, text=True)
    assert proc.returncode == 0, f"{block}: {proc.stderr}"


def _check_elisp(block: Block, tmp_path: Path) -> None:
    _names_the_server(block)
    emacs = shutil.which("emacs")
    if emacs is None:  # no Emacs here: at least every parenthesis must close
        _balanced(block, comment=";")
        return
    source = tmp_path / f"snippet{block.line}.el"
    source.write_text(block.body)
    read_all = (
        f"(with-temp-buffer (insert-file-contents {json.dumps(str(source))}) "
        "(goto-char (point-min)) (condition-case nil (while t (read (current-buffer))) "
        "(end-of-file nil)))"
    )
    proc = subprocess.run(
        [emacs, "--batch", "--eval", read_all], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, f"{block}: {proc.stderr}"


def test_lua_blocks(tmp_path: Path) -> None:
    for block in _of("lua"):
        _check_lua(block, tmp_path)


def test_elisp_blocks(tmp_path: Path) -> None:
    for block in _of("elisp") + _of("emacs-lisp"):
        _check_elisp(block, tmp_path)


def test_bracket_check_rejects_unbalanced_snippets() -> None:
    _balanced(Block("elisp", '(setq a "(")\n; (\n', 0, "test"), comment=";")
    for bad in ("(setq a (b)", "(a))", "(a]"):
        with pytest.raises(AssertionError):
            _balanced(Block("elisp", bad, 0, "test"), comment=";")


def test_editor_snippet_checks_reject_broken_ones(tmp_path: Path) -> None:
    """The Lua check fails a snippet that does not parse or starts another server."""
    good = 'vim.lsp.start({ name = "classadlint", cmd = { "classadlint", "lsp" } })\n'
    _check_lua(Block("lua", good, 0, "test"), tmp_path)
    for bad in (good.replace("})", "}"), good.replace('"lsp"', '"serve"')):
        with pytest.raises(AssertionError):
            _check_lua(Block("lua", bad, 0, "test"), tmp_path)
