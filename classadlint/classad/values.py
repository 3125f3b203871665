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
