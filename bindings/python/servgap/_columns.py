"""Columns for the batch calls: Python objects as C arrays, without copying
where the memory already has the C layout.

A column is handed to C by one of three paths (``column_path`` tells which
one an object takes):

``"view"``
    Zero copy. The object exports a writable, C-contiguous, one-dimensional
    buffer whose items have the C type's size and kind: ``array('i')``,
    ``array('q')``/``array('l')`` (8-byte long), ``array('d')``, numpy
    ``int32`` / ``int64`` / ``float64`` arrays, writable memoryviews of
    them. ``ctypes.from_buffer`` makes a C pointer into the object's own
    memory; nothing is converted or copied. (While the call runs, the
    object cannot be resized: Python's buffer protocol forbids it.)
``"copy"``
    One ``memcpy`` of the whole buffer, no per-element work: the item type
    matches but the buffer is read-only (``bytes``-backed memoryviews, numpy
    arrays with ``writeable=False``) or not contiguous (a strided slice).
    ctypes can only take a pointer into writable memory.
``"convert"``
    Element by element, at C speed (``array.array(typecode, obj)``): lists,
    tuples, ranges, and buffers of another item type (``array('f')``,
    ``array('h')``, numpy ``float32``, ...). Python's conversion rules apply:
    a float in an integer column raises ``TypeError``, an integer that does
    not fit raises ``OverflowError``.

A plain number (or enumeration member) is a *scalar*: it is repeated for
every row (``"broadcast"``), which costs one fill, not a conversion.
"""

from __future__ import annotations

import ctypes
import sys
from array import array

VIEW = "view"
COPY = "copy"
CONVERT = "convert"
BROADCAST = "broadcast"

_NATIVE_PREFIXES = ("@", "=", "<") if sys.byteorder == "little" else ("@", "=", ">", "!")
_SIGNED_CODES = frozenset("bhilqn")


def _typecode(size, signed_codes="bhilq"):
    for code in signed_codes:
        if array(code).itemsize == size:
            return code
    raise RuntimeError("no array typecode of %d bytes" % size)


class Kind:
    """The C element type of a column."""

    __slots__ = ("name", "ctype", "itemsize", "typecode", "floating", "array_codes", "formats")

    def __init__(self, name, ctype, floating):
        self.name = name
        self.ctype = ctype
        self.itemsize = ctypes.sizeof(ctype)
        self.floating = floating
        self.typecode = "d" if floating else _typecode(self.itemsize)
        # array.array typecodes whose items are exactly this C type (an
        # array is always writable and contiguous: the fast view path).
        codes = "d" if floating else "bhilq"
        self.array_codes = frozenset(
            c for c in codes if array(c).itemsize == self.itemsize
            and (floating or c in _SIGNED_CODES))
        self.formats = {}  # (buffer format, itemsize) -> matches, filled by _matches

    def __repr__(self):
        return "<column kind %s>" % self.name


INT32 = Kind("int32", ctypes.c_int32, False)
INT64 = Kind("int64", ctypes.c_int64, False)
DOUBLE = Kind("double", ctypes.c_double, True)
KINDS = {"int32": INT32, "int64": INT64, "double": DOUBLE}


def _matches(mv, kind):
    """Whether the buffer's items are exactly kind's C type."""
    key = (mv.format, mv.itemsize)
    ok = kind.formats.get(key)
    if ok is None:
        fmt = key[0]
        if fmt[:1] in _NATIVE_PREFIXES:
            fmt = fmt[1:]
        if key[1] != kind.itemsize or len(fmt) != 1:
            ok = False
        elif kind.floating:
            ok = fmt == "d"
        else:
            ok = fmt in _SIGNED_CODES
        kind.formats[key] = ok
    return ok


def is_scalar(obj):
    if isinstance(obj, (int, float)):
        return True
    return not hasattr(obj, "__len__") and not hasattr(obj, "__iter__") and (
        hasattr(obj, "__index__") or hasattr(obj, "__float__")
    )


def _view(obj, kind):
    """A ctypes object of kind's C type at the start of obj's own memory."""
    return kind.ctype.from_buffer(obj)


def copy_buffer(mv, kind):
    """One contiguous copy of a buffer whose items already match kind."""
    n = mv.shape[0]
    data = mv if mv.c_contiguous else mv.tobytes()
    return (kind.ctype * n).from_buffer_copy(data)


def convert_elements(obj, kind):
    """An ``array.array`` of kind's type built element by element from obj."""
    try:
        return array(kind.typecode, obj)
    except TypeError:
        if isinstance(obj, memoryview):
            return array(kind.typecode, obj.tolist())
        raise


def _convert(what, name, obj, kind):
    """convert_elements, with the call and the column named in its errors
    (array() alone says "integer argument expected, got float")."""
    try:
        return convert_elements(obj, kind)
    except (TypeError, OverflowError) as e:
        raise type(e)("%s: column %r: %s" % (what, name, e)) from None


def path_of(obj, kind):
    """The path (VIEW, COPY, CONVERT or BROADCAST) that obj takes as a column
    of kind, without converting anything."""
    kind = KINDS.get(kind, kind)
    if is_scalar(obj):
        return BROADCAST
    try:
        mv = memoryview(obj)
    except TypeError:
        return CONVERT
    with mv:
        if mv.ndim == 1 and _matches(mv, kind):
            return VIEW if mv.c_contiguous and not mv.readonly else COPY
        return CONVERT


def _one(what, name, obj, kind, no_copy):
    """(C argument, rows, path) of one non-scalar column."""
    if type(obj) is memoryview:
        mv = obj
    else:
        try:
            mv = memoryview(obj)
        except TypeError:
            mv = None
    if mv is None:
        _refuse(what, name, obj, CONVERT, no_copy)
        arr = _convert(what, name, obj, kind)
        n = len(arr)
        return (_view(arr, kind) if n else kind.ctype()), n, CONVERT
    if mv.ndim != 1:
        raise ValueError(
            "%s: column %r must be one-dimensional, not %d-dimensional" % (what, name, mv.ndim)
        )
    n = mv.shape[0]
    if not _matches(mv, kind):
        _refuse(what, name, obj, CONVERT, no_copy)
        arr = _convert(what, name, mv, kind)
        return (_view(arr, kind) if n else kind.ctype()), n, CONVERT
    if mv.c_contiguous and not mv.readonly:
        return (_view(mv, kind) if n else kind.ctype()), n, VIEW
    _refuse(what, name, obj, COPY, no_copy)
    return (copy_buffer(mv, kind) if n else kind.ctype()), n, COPY


def _refuse(what, name, obj, path, no_copy):
    if no_copy:
        raise TypeError(
            "%s: column %r (%s) would be %s; pass a writable contiguous buffer of the C type, "
            "or no_copy=False" % (what, name, type(obj).__name__,
                                  "copied" if path == COPY else "converted")
        )


def build(what, specs, no_copy=False):
    """Convert the columns of one batch call.

    specs: a sequence of (name, obj, kind); obj None is an absent optional
    column (NULL). Returns (n, args, paths): the common length, the C
    arguments in spec order (ctypes objects that own or borrow the memory:
    keep ``args`` alive until the C call returns) and each column's path.
    Scalars are broadcast to n; at least one column must have a length.
    """
    args = [None] * len(specs)
    paths = {}
    n = None
    scalars = []
    for k, (name, obj, kind) in enumerate(specs):
        if obj is None:
            continue
        t = type(obj)
        if t is array and obj.typecode in kind.array_codes:
            rows = len(obj)  # the common case, without a memoryview
            arg, path = (kind.ctype.from_buffer(obj) if rows else kind.ctype()), VIEW
        elif (t is memoryview and kind.formats.get((obj.format, obj.itemsize))
              and obj.ndim == 1 and obj.c_contiguous and not obj.readonly):
            rows = obj.shape[0]  # a matching view, e.g. a slice of an array
            arg, path = (kind.ctype.from_buffer(obj) if rows else kind.ctype()), VIEW
        elif is_scalar(obj):
            scalars.append(k)
            continue
        else:
            arg, rows, path = _one(what, name, obj, kind, no_copy)
        if n is None:
            n = rows
        elif rows != n:
            raise ValueError(
                "%s: column %r has %d rows, expected %d like the columns before it"
                % (what, name, rows, n)
            )
        args[k] = arg
        paths[name] = path
    if n is None:
        raise ValueError("%s: at least one column must be a sequence or an array" % what)
    for k in scalars:
        name, obj, kind = specs[k]
        value = float(obj) if kind.floating else obj.__index__()
        args[k] = _view(array(kind.typecode, [value]) * max(n, 1), kind)
        paths[name] = BROADCAST
    return n, args, paths
