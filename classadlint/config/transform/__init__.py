"""HTCondor's job transform and job router route language: parse, convert, apply.

``parse_transform`` reads native transforms (config knobs and rules files),
``parse_old_transform`` reads old ``[ ... ]`` routes into the same AST and
``convert_old_transform`` writes them in native syntax, and ``apply_transform`` runs a
transform on a job ad with HTCondor's semantics.
"""

from classadlint.config.transform.ast import (
    BadStatement,
    Branch,
    ConfigKeyword,
    CopyAttr,
    DeleteAttr,
    EnvelopeLine,
    EvalMacro,
    IfBlock,
    Iteration,
    MacroAssign,
    Piece,
    Regex,
    SetAttr,
    Statement,
    Transform,
    TransformError,
    TransformSource,
)
from classadlint.config.transform.parser import (
    parse_iteration,
    parse_transform,
    source_from_entry,
    source_from_file,
)


def parse_transform_text(text: str, name: str = "") -> Transform:
    """A native transform from text alone (a rules file's or a knob's body): offsets are
    positions in ``text``, there is no file to map them to."""
    from classadlint.config.model import Origin

    origins = [Origin(None, k) for k in range(len(text))]
    return parse_transform(TransformSource(name or "<transform>", text, origins), name or None)


__all__ = [
    "BadStatement",
    "Branch",
    "ConfigKeyword",
    "CopyAttr",
    "DeleteAttr",
    "EnvelopeLine",
    "EvalMacro",
    "IfBlock",
    "Iteration",
    "MacroAssign",
    "Piece",
    "Regex",
    "SetAttr",
    "Statement",
    "Transform",
    "TransformError",
    "TransformSource",
    "parse_iteration",
    "parse_transform",
    "parse_transform_text",
    "source_from_entry",
    "source_from_file",
]
