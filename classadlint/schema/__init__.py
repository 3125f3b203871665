"""Catalogs of HTCondor facts the linter checks against: knobs (defaults, types, evaluation
context), metaknobs, job/machine/schedd/submitter ad attributes and built-in functions.

Each catalog is generated data under ``data/`` stamped with the HTCondor version and commit
it came from (see :func:`classadlint.schema.provenance.provenance`), read lazily on first
use through small typed loaders: :mod:`.knobs`, :mod:`.metaknobs`, :mod:`.attributes`,
:mod:`.functions_catalog`; the HTCondor manual's descriptions of knobs and attributes
(for hover and completion only) through :mod:`.manual`.
"""
