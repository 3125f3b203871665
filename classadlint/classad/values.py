"""Runtime values of the ClassAd language that have no Python counterpart.

UNDEFINED and ERROR are the two values that make ClassAd logic three-valued; they are
singletons so that ``is`` comparisons are cheap and unambiguous. Absolute and relative
times are distinct types because HTCondor's operators treat them differently from numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


class UndefinedType:
    """The type of :data:`UNDEFINED`: an absent attribute, or a result depending on one."""

    __slots__ = ()
    _instance: UndefinedType | None = None

    def __new__(cls) -> UndefinedType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        raise TypeError("UNDEFINED has no Python truth value; test `is UNDEFINED`")

    def __reduce__(self) -> str:
        return "UNDEFINED"


class ErrorType:
    """The type of :data:`ERROR`: a failed operation; it poisons strict operators."""

    __slots__ = ()
    _instance: ErrorType | None = None

    def __new__(cls) -> ErrorType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ERROR"

    def __bool__(self) -> bool:
        raise TypeError("ERROR has no Python truth value; test `is ERROR`")

    def __reduce__(self) -> str:
        return "ERROR"


UNDEFINED: Final = UndefinedType()
ERROR: Final = ErrorType()


@dataclass(frozen=True, slots=True)
class AbsTime:
    """An absolute time: seconds since the epoch plus the timezone offset it was written in."""

    seconds: int
    offset: int = 0


@dataclass(frozen=True, slots=True)
class RelTime:
    """A relative time (a duration) in seconds."""

    seconds: float


class ListValue(list):  # type: ignore[type-arg]
    """A list value that remembers the expressions it was built from.

    HTCondor keeps a list as unevaluated expressions, so ``string({x})`` is ``"{ x }"``;
    the elements here are evaluated (what every operator needs), ``source`` is for unparse.
    """

    __slots__ = ("source",)

    def __init__(self, items: object, source: tuple[object, ...] | None = None) -> None:
        super().__init__(items)  # type: ignore[call-overload]
        self.source = source


def type_name(value: object) -> str:
    """The ClassAd type of a value, as ``classadlint eval --format json`` reports it."""
    from classadlint.classad.ad import ClassAd

    if value is UNDEFINED:
        return "undefined"
    if value is ERROR:
        return "error"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, ClassAd):
        return "classad"
    if isinstance(value, AbsTime):
        return "abstime"
    if isinstance(value, RelTime):
        return "reltime"
    raise TypeError(f"not a ClassAd value: {value!r}")


def real_text(value: float) -> str:
    """A real as HTCondor's unparser writes it (sink.cpp UnparseReal, new syntax)."""
    if value == 0.0:
        return f"{value:.1f}"
    if value != value:
        return 'real("NaN")'
    if value in (float("inf"), float("-inf")):
        return 'real("INF")' if value > 0 else 'real("-INF")'
    return f"{value:1.15E}"


def reltime_text(seconds: float) -> str:
    """``[-][days+]hh:mm:ss[.fff]`` with leading zero fields dropped, as relTimeToString."""
    negative = seconds < 0
    secs = -seconds if negative else seconds
    whole = int(secs)
    frac = secs - whole
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, s = divmod(rest, 60)
    out = "-" if negative else ""
    if days:
        out += f"{days}+"
    if days or hours:
        out += f"{hours:02d}:"
    if days or hours or minutes:
        out += f"{minutes:02d}:"
    if frac:
        out += f"{s + frac:g}"
    else:
        out += f"{s:02d}"
    return out


def abstime_text(value: AbsTime) -> str:
    """``YYYY-MM-DDThh:mm:ss±hh:mm`` in the value's own offset, as absTimeToString."""
    import datetime

    local = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=value.seconds + value.offset)
    sign = "+" if value.offset > 0 else "-"
    off = abs(value.offset)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{off // 3600:02d}:{off % 3600 // 60:02d}"
