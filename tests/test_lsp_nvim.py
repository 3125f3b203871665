"""Headless Neovim against ``classadlint lsp``: the editor's own LSP client (no plugin)
opens a bad config and receives the diagnostic. Marked ``nvim``: deselected where Neovim
is not installed (``apt-get install neovim``); about two seconds where it is."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.lsp_client import pin_rules, server_command

SCRIPT = Path(__file__).parent / "nvim" / "lsp_smoke.lua"


@pytest.mark.nvim
def test_neovim_receives_a_diagnostic(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    assert nvim is not None  # the nvim marker deselects this test without it
    pin_rules(tmp_path)
    config = tmp_path / "condor_config"
    config.write_text("# a pool policy\nSTART = RequestMemory == undefined\n")
    out = tmp_path / "diagnostics.txt"
    env = {
        **os.environ,
        "CLASSADLINT_FILE": str(config),
        "CLASSADLINT_OUT": str(out),
        "CLASSADLINT_EXE": server_command()[0],
        "XDG_STATE_HOME": str(tmp_path / "state"),  # Neovim's LSP log goes here
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {SCRIPT}"],
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
