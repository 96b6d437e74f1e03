"""Id arguments: ints checked before they reach ctypes.

ctypes converts an int argument to ``int32_t`` by keeping its low 32 bits,
and takes any IntEnum member as an int, so an unchecked id argument can
name another id without an error. Names (str) are resolved by the Context
(``Context._id``); this module holds what needs no handle.
"""

from __future__ import annotations

import enum
from typing import Optional

from ._enums import Dimension, Kind, Scope

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def check_id(value: object, what: str, kind: Optional[int] = None, names: bool = True) -> int:
    """An id argument as an int, refused with an error that names the
    parameter: a str (when ``names`` is False), a float, a bool, an
    enumeration member (but for a built-in metric's ``Dimension``: its id is
    the dimension's value) or an int beyond 32 bits, which ctypes would
    otherwise cut to its low bits and so name another id."""
    allowed = "an id (int) or a name (str)" if names else "an id (int)"
    if isinstance(value, bool) or (
        isinstance(value, enum.Enum) and not (kind == Kind.METRIC and isinstance(value, Dimension))
    ):
        raise TypeError("%s: expected %s, not %r" % (what, allowed, value))
    try:
        v = value.__index__()
    except AttributeError:
        raise TypeError("%s: expected %s, not %s" % (what, allowed, type(value).__name__)) from None
    if not INT32_MIN <= v <= INT32_MAX:
        raise OverflowError("%s: id %d does not fit in 32 bits" % (what, v))
    return v


def scope_name_kind(scope_kind: int) -> Optional[Kind]:
    """The Kind of the names of a scope kind's ids (None for a scope kind
    the library does not know; C reports it)."""
    return {Scope.ACCOUNT: Kind.ACCOUNT, Scope.TIER: Kind.TIER}.get(scope_kind)
