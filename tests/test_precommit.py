"""The pre-commit hooks, run by the real pre-commit (``try-repo``) in a throw-away repo:
a bad config blocks the commit, a clean one passes, the fix hook repairs the file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(hook: str, work: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    return subprocess.run(
        [exe, "try-repo", str(REPO), hook, "--files", *files],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _git_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    for name, text in files.items():
        (path / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=path, check=True)
    return path


def test_bad_config_blocks_and_clean_config_passes(tmp_path: Path, precommit_home: Path) -> None:
    bad_repo = _git_repo(tmp_path / "bad", {"bad.config": "START = RequestGPU != undefined\n"})
    bad = _try_repo("classadlint", bad_repo, precommit_home, "bad.config")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.config:1:9: CA201" in bad.stdout
    good_repo = _git_repo(tmp_path / "good", {"good.config": "START = RequestGPU =!= undefined\n"})
    good = _try_repo("classadlint", good_repo, precommit_home, "good.config")
    assert good.returncode == 0, good.stdout + good.stderr


def test_a_changed_file_is_checked_with_the_rest_of_its_configuration(
    tmp_path: Path, precommit_home: Path
) -> None:
    """Only 10-policy.config changed, but its macro lives in 00-base.config: the hook
    checks the configuration as HTCondor reads it, so there is no undefined macro."""
    work = _git_repo(
        tmp_path / "site",
        {
            "00-base.config": "BIG_MEMORY = 64000\n",
            "10-policy.config": "START = TARGET.RequestMemory <= $(BIG_MEMORY)\n",
        },
    )
    proc = _try_repo("classadlint", work, precommit_home, "10-policy.config")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (work / "00-base.config").write_text("OTHER = 1\n")  # now it is undefined everywhere
    proc = _try_repo("classadlint", work, precommit_home, "10-policy.config")
    assert proc.returncode == 1 and "CA401" in proc.stdout, proc.stdout


def test_fix_hook_repairs_the_file(tmp_path: Path, precommit_home: Path) -> None:
    work = _git_repo(tmp_path / "site", {"p.config": "START = a !== b\n"})
    proc = _try_repo("classadlint-fix", work, precommit_home, "p.config")
    assert (work / "p.config").read_text() == "START = a =!= b\n"
    assert proc.returncode == 1  # pre-commit fails a run that modified files


POLICY_TEST = """\
config = ["policy.config"]

[[case]]
name = "GPU jobs do not start here"
job = { RequestGPUs = 1 }
[case.expect]
start = false
"""


def test_policy_test_hook_runs_the_repositorys_tests(tmp_path: Path, precommit_home: Path) -> None:
    work = _git_repo(
        tmp_path / "site",
        {"policy.config": "START = (TARGET.RequestGPUs ?: 0) == 0\n", "gpu.toml": POLICY_TEST},
    )
    ok = _try_repo("classadlint-test", work, precommit_home, "policy.config")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "classadlint test" in ok.stdout and "Passed" in ok.stdout
    (work / "policy.config").write_text("START = true\n")
    subprocess.run(["git", "add", "."], cwd=work, check=True)
    bad = _try_repo("classadlint-test", work, precommit_home, "policy.config")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "FAIL  GPU jobs do not start here" in bad.stdout
