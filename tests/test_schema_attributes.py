"""The attribute catalogs: facts the rules rely on, lookups, site layering."""

from __future__ import annotations

import re

import classad2
import pytest

from classadlint.schema import attributes as at
from classadlint.schema import functions_catalog as fc


def test_both_ads_define_the_classic_ambiguous_names() -> None:
    """CA302 needs these in both catalogs (reference 6.3)."""
    cat = at.catalog()
    for name in ("MaxJobRetirementTime", "Requirements", "Rank"):
        assert set(cat.ads_with(name)) >= {"job", "machine"}, name
    assert cat.ads_with("Memory") == ("machine",)  # a job ad has RequestMemory, not Memory


def test_always_set_attributes() -> None:
    cat = at.catalog()
    job = set(cat.always_set("job"))
    assert {"Owner", "ClusterId", "ProcId", "JobUniverse", "RequestCpus", "RequestMemory",
            "RequestDisk"} <= job  # fmt: skip
    slot = set(cat.always_set("machine"))
    assert {"Memory", "Cpus", "Disk", "Arch", "OpSys", "Name", "Machine"} <= slot


def test_case_insensitive_and_typed() -> None:
    info = at.attribute("job", "requestmemory")
    assert info is not None and info.name == "RequestMemory" and info.description
    slot = at.attribute("machine", "HASDOCKER")
    assert slot is not None and slot.type == "bool"
    assert at.attribute("job", "NoSuchAttributeAnywhere") is None


def test_documented_name_templates_match() -> None:
    info = at.attribute("machine", "GPUsComputeUnits")
    assert info is not None and info.source == "pattern"
    assert info.origin == "<name>ComputeUnits"


def test_site_attributes_layer_over_a_copy() -> None:
    base = at.catalog()
    site = base.extend("machine", ["HasCVMFS", at.AttributeInfo("IsDesyNode", "machine", "bool",
                                                                source="site")])  # fmt: skip
    assert site.has("machine", "hascvmfs") and site.get("machine", "isdesynode").type == "bool"  # type: ignore[union-attr]
    assert not base.has("machine", "HasCVMFS")
    assert site.has("machine", "Memory")


def test_every_name_is_a_classad_attribute_reference() -> None:
    """Names are usable unquoted in expressions: classad2 reads each as one attribute."""
    cat = at.catalog()
    for ad in at.ADS:
        for name in cat.names(ad):
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name), (ad, name)
            ad_ = classad2.ClassAd({name: 7})
            assert classad2.ExprTree(name).eval(ad_) == 7, (ad, name)


def test_context_kinds_map_to_catalogs() -> None:
    assert at.catalog_ad("slot") == "machine"
    assert at.catalog_ad("daemon") is None


def test_stamped() -> None:
    p = at.catalog_provenance()
    assert re.fullmatch(r"[0-9a-f]{40}", p.htcondor_commit)


@pytest.mark.parametrize("layer", ["core", "htcondor"])
def test_evaluator_registry_agrees_with_the_function_catalog(layer: str) -> None:
    """Until the evaluator reads the catalog, its own arity table must say the same."""
    from classadlint.classad.functions import FUNCTIONS

    for f in fc.all_functions():
        if f.layer != layer:
            continue
        impl = FUNCTIONS.get(f.name.lower())
        assert impl is not None, f.name
        assert (impl.min_args, impl.max_args, impl.layer) == (f.min_args, f.max_args, f.layer)
