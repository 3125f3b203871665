"""The manual's descriptions of knobs and attributes (knob_docs.json, attribute_docs.json):
tools/gen_manual_docs.py converts HTCondor's reStructuredText to Markdown as the published
manual reads; every entry is clean Markdown; enough of HTCondor is described; the
loaders answer for any spelling, prefix and template; and ``check`` never reads the files.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from classadlint.schema import knobs, manual
from classadlint.schema.attributes import ADS, catalog, description

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "classadlint" / "schema" / "data"
GIT_DIR = Path("/work/.mirror/htcondor+htcondor/repo")


@pytest.fixture(scope="module")
def gen() -> Iterator[ModuleType]:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import gen_manual_docs
    finally:
        sys.path.pop(0)
    yield gen_manual_docs


def _md(gen: ModuleType, rst: str, titles: object = None) -> str:
    text = textwrap.dedent(rst).strip("\n")
    if titles is None:
        return str(gen.rst_to_markdown(text, page="admin-manual/configuration/negotiator"))
    return str(gen.rst_to_markdown(text, titles, "admin-manual/configuration/negotiator"))


# --- reStructuredText -> Markdown, on snippets of the manual ----------------------------------


def test_roles_literals_and_links_read_as_the_published_manual(gen: ModuleType) -> None:
    titles = gen.page_titles(
        {
            "classad-attributes/negotiator-classad-attributes": (
                "Negotiator ClassAd Attributes\n=============================\n"
            ),
            "users-manual/job-scheduling": "Job Scheduling\n==============\n\n"
            ".. _prio:\n\nUser Priority\n-------------\n",
        }
    )
    md = _md(
        gen,
        """
        Sets the maximum time the *condor_negotiator* will wait before
        starting a new negotiation cycle. See
        :doc:`/classad-attributes/negotiator-classad-attributes` for a list of
        attributes, :ref:`users-manual/job-scheduling:user priority` and
        :ref:`prio` and :ref:`the priorities <prio>`. The default is ``60``;
        :macro:`NEGOTIATOR_CYCLE_DELAY` is for experts, :ad-attr:`Owner` the user,
        :subcom:`accounting_group[and attribute AcctGroup]` the group, :tool:`condor_q`
        the tool. Each is 2\\ :sup:`10` bytes.
        """,
        titles,
    )
    assert md == (
        "Sets the maximum time the *condor_negotiator* will wait before starting a new "
        "negotiation cycle. See Negotiator ClassAd Attributes for a list of attributes, "
        "User Priority and User Priority and the priorities. The default is `60`; "
        "`NEGOTIATOR_CYCLE_DELAY` is for experts, `Owner` the user, `accounting_group` the "
        "group, `condor_q` the tool. Each is 2^10 bytes."
    )


def test_index_roles_and_directives_vanish(gen: ModuleType) -> None:
    md = _md(
        gen,
        """
        :index:`Negotiator Daemon Options<single: Configuration; Negotiator Daemon Options>`

        The default is ``$(LOG)``\\ :index:`LOG` directory called ``x``.

        .. index:: pair: one; two

        .. toctree::
           :maxdepth: 2

           other
        """,
    )
    assert md == "The default is `$(LOG)` directory called `x`."


def test_paragraphs_code_blocks_and_notes(gen: ModuleType) -> None:
    md = _md(
        gen,
        """
        This macro determines what daemons the :tool:`condor_master` will start
        and keep its watchful eyes on.
        For example,

        .. code-block:: condor-config

              DAEMON_LIST = MASTER, STARTD, SCHEDD

        .. note::

            The *condor_shared_port* daemon will be included in this list
            automatically.

        A literal block::

            X = 1
        """,
    )
    assert md.split("\n\n") == [
        "This macro determines what daemons the `condor_master` will start and keep its "
        "watchful eyes on. For example,",
        "```condor-config\nDAEMON_LIST = MASTER, STARTD, SCHEDD\n```",
        "**Note:** The *condor_shared_port* daemon will be included in this list automatically.",
        "A literal block:",
        "```\nX = 1\n```",
    ]


def test_grid_table_becomes_a_markdown_table(gen: ModuleType) -> None:
    md = _md(
        gen,
        """
        An integer indicating what events should be emailed to the user. The
        integer values correspond to the user choices for the submit command
        :subcom:`notification[and attribute JobNotification]`.

        +-------+--------------------+
        | Value | Notification Value |
        +=======+====================+
        | 0     | Never              |
        +-------+--------------------+
        | 1     | Always             |
        |       | (every event)      |
        +-------+--------------------+
        """,
    )
    assert md.split("\n\n")[1] == (
        "| Value | Notification Value |\n|---|---|\n| 0 | Never |\n| 1 | Always (every event) |"
    )


def test_lists_enumerated_and_bulleted(gen: ModuleType) -> None:
    md = _md(
        gen,
        """
        The location of the ``condorLocks`` directory is determined by

        #. The value of :macro:`TEMP_DIR`, if defined.
        #. The value of :macro:`TMP_DIR`, if defined and :macro:`TEMP_DIR` is not
           defined.

        The attributes are

        - ``ChildCPUs``
        - ``ChildMemory``
        """,
    )
    assert md.split("\n\n") == [
        "The location of the `condorLocks` directory is determined by",
        "1. The value of `TEMP_DIR`, if defined.\n"
        "2. The value of `TMP_DIR`, if defined and `TEMP_DIR` is not defined.",
        "The attributes are",
        "- `ChildCPUs`\n- `ChildMemory`",
    ]


def test_placeholders_in_text_are_not_html(gen: ModuleType) -> None:
    # <SUBSYS> outside a code span would be an HTML tag to a Markdown renderer
    md = _md(gen, "Lock files are in the form <SUBSYS>.lock, see :macro:`<SUBSYS>_LOG`.")
    assert md == "Lock files are in the form \\<SUBSYS>.lock, see `<SUBSYS>_LOG`."


def test_faux_definitions_share_the_next_description(gen: ModuleType) -> None:
    page = textwrap.dedent(
        """
        :macro-def:`STARTD_CRON_JOBLIST`
            .. faux-definition::

        :macro-def:`SCHEDD_CRON_JOBLIST[Hooks]`
            A list of job names to run.

        .. hidden::

          :macro-def:`SECRET`
              Not in the published manual.

        :macro-def:`AFTER`
            After.
        """
    )
    found = list(gen.definitions(page, "macro-def", "admin-manual/configuration/hooks"))
    assert [(d.name, "\n".join(d.body).strip(), d.hidden) for d in found] == [
        ("STARTD_CRON_JOBLIST", "A list of job names to run.", False),
        ("SCHEDD_CRON_JOBLIST", "A list of job names to run.", False),
        ("SECRET", "Not in the published manual.", True),
        ("AFTER", "After.", False),
    ]


def test_shortening_keeps_whole_blocks_then_says_so(gen: ModuleType) -> None:
    blocks = ["First paragraph.", "Second one is here.", "x" * 50]
    assert (
        gen.shorten("\n\n".join(blocks), cap=60) == "First paragraph.\n\nSecond one is here.\n\n…"
    )
    long = "One sentence here. " * 10
    assert gen.shorten(long.strip(), cap=60) == "One sentence here. " * 3 + "…"
    # an introduction to what is left out goes with it
    assert gen.shorten("Start.\n\nAs follows:\n\n" + "y" * 80, cap=40) == "Start.\n\n…"


def test_template_names_become_patterns(gen: ModuleType) -> None:
    log = re.compile(gen.template_pattern("<SUBSYS>_LOG"))
    assert log.fullmatch("SCHEDD_LOG") and log.fullmatch("JOB_ROUTER_LOG")
    assert not log.fullmatch("MY_OWN_LOG")
    allow = re.compile(gen.template_pattern("ALLOW_*"))
    assert allow.fullmatch("ALLOW_WRITE")
    assert gen.template_pattern("<SUBSYS>") is None  # would match every name
    assert gen.template_pattern("NEGOTIATOR_INTERVAL") is None


# --- the committed data ----------------------------------------------------------------------

_RST_LEFTOVER = re.compile(
    r":[a-z][a-z-]*:`"  # a role (:macro:, :ad-attr:, :index:, :ref: ...)
    r"|^\s*\.\. [a-z-]+::"  # a directive
    r"|^\s*\.\. _[^:]+:"  # a label
    r"|`_(?![A-Za-z0-9])"  # a reST hyperlink reference
    r"|\|[a-z][a-z0-9-]*\|",  # a substitution
    re.M,
)


def _entries() -> Iterator[tuple[str, str]]:
    k = json.loads((DATA / "knob_docs.json").read_text())
    for name, d in [*k["knobs"].items(), *k["templates"].items()]:
        yield name, d["text"]
    a = json.loads((DATA / "attribute_docs.json").read_text())
    for ad, d in a["ads"].items():
        for name, text in d["attributes"].items():
            yield f"{ad}.{name}", text


def test_every_description_is_clean_markdown() -> None:
    entries = list(_entries())
    assert len(entries) > 1500
    for name, text in entries:
        assert text.strip(), name
        assert not _RST_LEFTOVER.search(text), (name, _RST_LEFTOVER.search(text))
        prose = re.sub(r"(?s)```.*?```", "", text)
        assert "``" not in prose.replace("`` ", "").replace(" ``", ""), name
        assert text.count("```") % 2 == 0, name  # no fence left open by the cap
        assert len(text) <= 1200, name


def test_coverage_of_the_param_table_and_the_catalog() -> None:
    table = knobs.param_table()
    described = [n for n in table if knobs.description(n) is not None]
    exact = [n for n in table if n in manual.documented_knobs()]
    share = len(described) / len(table)
    print(f"\nknobs: {len(described)}/{len(table)} described ({share:.0%}), {len(exact)} exactly")
    assert share >= 0.70
    cat = catalog()
    for ad in ADS:
        names = list(cat.names(ad))
        ok = [n for n in names if (info := cat.get(ad, n)) is not None and description(info)]
        print(f"{ad} attributes: {len(ok)}/{len(names)} described")
        assert len(ok) / len(names) >= 0.85, ad


def test_the_descriptions_speak_for_the_catalogs_htcondor() -> None:
    for p in (manual.knob_docs_provenance(), manual.attribute_docs_provenance()):
        assert p.htcondor_commit == knobs.catalog_provenance().htcondor_commit
        assert p.htcondor_version == knobs.catalog_provenance().htcondor_version
        assert p.generator == "tools/gen_manual_docs.py"
    notice = json.loads((DATA / "knob_docs.json").read_text())["provenance"]["notice"]
    assert "Apache License" in notice and "Modified" in notice


@pytest.mark.skipif(not GIT_DIR.is_dir(), reason="no htcondor/htcondor git directory here")
def test_descriptions_are_current_and_cover_what_the_manual_documents(gen: ModuleType) -> None:
    m = gen.Manual.from_git(str(GIT_DIR))
    if m.commit != manual.knob_docs_provenance().htcondor_commit:
        pytest.skip("the git directory is at another commit than the one the files came from")
    knob_data, attribute_data = gen.build(m)
    assert gen.dump(knob_data) == (DATA / "knob_docs.json").read_text()
    assert gen.dump(attribute_data) == (DATA / "attribute_docs.json").read_text()
    # every knob the configuration pages define by a plain name has its description
    defined = {
        name.split("[")[0].upper()
        for page, text in m.pages.items()
        if page.startswith("admin-manual/configuration/")
        for name in re.findall(r":macro-def:`([A-Z][A-Za-z0-9_]*(?:\[[^\]]*\])?)`", text)
    }
    have = {n for n in defined if knobs.description(n) is not None}
    print(f"\nmanual: {len(have)}/{len(defined)} plain knob definitions described")
    assert len(have) / len(defined) >= 0.95


# --- the loaders -----------------------------------------------------------------------------


def test_knob_description_any_spelling_prefix_and_template() -> None:
    d = knobs.description("negotiator_interval")
    assert d is not None and not d.templated
    assert "maximum time the *condor_negotiator* will wait" in d.text
    assert d.url.endswith("admin-manual/configuration/negotiator.html#NEGOTIATOR_INTERVAL")
    assert d.summary.startswith("Sets the maximum time") and d.summary.endswith("cycle.")
    assert knobs.description("NEGOTIATOR.NEGOTIATOR_INTERVAL") == d
    t = knobs.description("SUBMIT_REQUIREMENT_NoJava")
    assert t is not None and t.templated and t.name == "SUBMIT_REQUIREMENT_<Name>"
    reason = knobs.description("SUBMIT_REQUIREMENT_NoJava_REASON")
    assert reason is not None and reason.name == "SUBMIT_REQUIREMENT_<Name>_REASON"
    log = knobs.description("SCHEDD_LOG")
    assert log is not None and log.name in ("SCHEDD_LOG", "<SUBSYS>_LOG")
    arch = knobs.description("ARCH")  # a pre-defined macro of the introduction's list
    assert arch is not None and "architecture" in arch.text
    assert knobs.description("MEMORY_MIN") is None


def test_hand_written_attribute_descriptions_win() -> None:
    cat = catalog()
    ours = cat.get("job", "RequestMemory")
    assert ours is not None and description(ours) == ours.description
    theirs = cat.get("job", "ActivationDuration")
    assert theirs is not None and not theirs.description
    assert description(theirs).startswith("The length of time in seconds from when the shadow")
    pattern = cat.get("machine", "GPUsComputeUnits")  # <name>ComputeUnits
    assert pattern is not None and "compute units" in description(pattern)
    site = cat.extend("job", ["ActivationDuration"]).get("job", "ActivationDuration")
    assert site is not None and description(site) == ""  # the site's own, not HTCondor's


def test_check_never_reads_the_descriptions(tmp_path: Path) -> None:
    """The files are ~0.8 MB: start-up of ``check`` must not pay for them, nor import the
    module that reads them."""
    config = tmp_path / "condor_config"
    config.write_text(
        "NEGOTIATOR_INTERVAL = 30\nSTART = TARGET.RequestMemory > 1024 && Cpus > 1\n"
        "SUBMIT_REQUIREMENT_Mem = RequestMemory < 100000\nSCHEDD.MAX_JOBS_RUNNING = 10\n"
    )
    probe = textwrap.dedent(
        f"""
        import sys
        def hook(event, args):
            if event == "open" and "_docs.json" in str(args[0]):
                sys.stderr.write("OPENED " + str(args[0]) + "\\n")
        sys.addaudithook(hook)
        sys.argv = ["classadlint", "check", {str(config)!r}, "--no-cache"]
        from classadlint.cli import main
        try:
            main()
        except SystemExit:
            pass
        if "classadlint.schema.manual" in sys.modules:
            sys.stderr.write("IMPORTED classadlint.schema.manual\\n")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "OPENED" not in proc.stderr
    assert "IMPORTED" not in proc.stderr
    assert "No problems found." in proc.stdout  # the check ran to its end


def test_completion_documentation_for_a_client_without_markdown() -> None:
    from lsprotocol import types

    from classadlint.lsp.completion import documentation, knob_documentation

    text = "Sets the *condor_negotiator* `ALLOW_*` and **bold**, \\<SUBSYS>, 2 * 3"
    md = documentation(text)
    assert isinstance(md, types.MarkupContent) and md.value == text
    assert documentation(text, markdown=False) == (
        "Sets the condor_negotiator ALLOW_* and bold, <SUBSYS>, 2 * 3"
    )
    plain = knob_documentation("NEGOTIATOR_INTERVAL", markdown=False)
    assert plain == (
        "Sets the maximum time the condor_negotiator will wait before starting a new"
        " negotiation cycle, counting from the start of the previous cycle."
    )
    assert documentation("") is None


def test_subsystem_names_agree_with_the_site_analysis(gen: ModuleType) -> None:
    """``<SUBSYS>`` templates match the subsystems the rest of classadlint knows."""
    from classadlint.analysis.site import SUBSYSTEMS

    assert set(gen.SUBSYSTEMS) == set(SUBSYSTEMS)
