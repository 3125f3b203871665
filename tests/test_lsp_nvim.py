"""Headless Neovim against ``classadlint lsp``: the README's Neovim block, run as written
in a real Neovim (its own LSP client, no plugin), opens a bad config and receives the
diagnostic. Marked ``nvim``: deselected where Neovim is not installed (``apt-get install
neovim``); about two seconds where it is."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.lsp_client import pin_rules, server_command

HERE = Path(__file__).parent / "nvim"
README = Path(__file__).resolve().parents[1] / "README.md"


def readme_block() -> str:
    section = README.read_text(encoding="utf-8").split("### Neovim", 1)[1].split("\n##", 1)[0]
    (block,) = re.findall(r"```lua\n(.*?)```", section, re.S)
    return block


@pytest.mark.nvim
def test_neovim_with_the_readme_setup_receives_a_diagnostic(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    assert nvim is not None  # the nvim marker deselects this test without it
    workspace = tmp_path / "pool"
    (workspace / "config.d").mkdir(parents=True)
    pin_rules(workspace)
    config = workspace / "config.d" / "10-policy.config"
    config.write_text("# a pool policy\nSTART = RequestMemory == undefined\n")
    init = tmp_path / "init.lua"
    init.write_text(readme_block())
    out = tmp_path / "diagnostics.txt"
    bin_dir = str(Path(server_command()[0]).parent)  # `classadlint` as the README runs it
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "CLASSADLINT_OUT": str(out),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # Neovim's LSP log goes here
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    steps = [f"luafile {HERE / 'start_shim.lua'}", f"luafile {init}", f"edit {config}"]
    steps.append(f"luafile {HERE / 'lsp_smoke.lua'}")
    subprocess.run(
        [nvim, "--headless", "--clean", *(a for step in steps for a in ("-c", step))],
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
        capture_output=True,
    )
    lines = out.read_text().splitlines()
    assert lines == [
        "2:9 CA201 `RequestMemory == undefined` is UNDEFINED or ERROR, never true or false; "
        "write `RequestMemory =?= undefined`"
    ]
