"""knob_names.json is what tools/gen_knob_names.py collects from HTCondor's history (checked
when an htcondor/htcondor git directory is at hand), and its loader reads it as intended."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GIT_DIR = Path("/work/.mirror/htcondor+htcondor/repo")


@pytest.mark.skipif(not GIT_DIR.is_dir(), reason="no htcondor/htcondor git directory here")
def test_knob_names_are_current() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_knob_names
    finally:
        sys.path.pop(0)
    data = json.loads((ROOT / "classadlint/schema/data/knob_names.json").read_text())
    commit = gen_knob_names._git(str(GIT_DIR), "rev-parse", "HEAD").strip()
    if commit != data["provenance"]["htcondor_commit"]:
        pytest.skip("the git directory is at another commit than the one the list came from")
    names, patterns = gen_knob_names.collect(str(GIT_DIR))
    assert (data["names"], data["patterns"]) == (names, patterns)


def test_prefixes_and_dotted_group_names() -> None:
    from classadlint.schema.knob_names import is_htcondor_name

    assert is_htcondor_name("STARTD.CONDOR_HOST")
    assert is_htcondor_name("NEGOTIATOR.GROUP_QUOTA_DYNAMIC_group_cms.prod")
    assert is_htcondor_name("SEC_CLIENT_AUTHENTICATION_METHODS")
    assert is_htcondor_name("SCHEDD_ADDRESS_FILE")  # <SUBSYS>_ADDRESS_FILE
    assert not is_htcondor_name("STARTD.STARTD_ATRS")
