"""Exceptions: one per SERVGAP_E* status code, all subclasses of ServgapError.

Every non-zero status of a C call raises the subclass of its code, carrying
the code and the handle's message (copied with ``servgap_errmsg_copy``
under the handle's lock), e.g.::

    try:
        ctx.record(Scope.ACCOUNT, acme, email, Dimension.RELIABILITY,
                   Viewpoint.PERCEIVED, 9, t)
    except servgap.RangeError as e:
        e.code      # -3 (ErrorCode.ERANGE)
        e.message   # "servgap_record: value 9 outside [1, 7] of metric 'reliability'"

Subclasses also derive from the closest built-in exception, so generic code
can catch ``ValueError``, ``LookupError``, ``MemoryError`` or ``OSError``.
"""

from __future__ import annotations

import errno as _errno
import os
from typing import Optional

from ._enums import ErrorCode


class ServgapError(Exception):
    """A libservgap call failed.

    Attributes: ``code`` (an ``ErrorCode``, or a plain int for a code this
    binding does not know), ``message`` (the handle's message, or the static
    text of the code when the failing call has no handle), ``function``
    (the C function that failed).
    """

    code = None

    def __init__(self, code, message, function=None):
        try:
            code = ErrorCode(code)
        except ValueError:
            pass
        self.code = code
        self.message = message
        self.function = function
        super().__init__(code, message)

    def __str__(self):
        name = self.code.name if isinstance(self.code, ErrorCode) else str(self.code)
        return "%s [%s]" % (self.message, name)

    def __reduce__(self):
        # Picklable (multiprocessing ships exceptions between processes).
        return (_rebuild, (int(self.code), self.message, self.function,
                           getattr(self, "filename", None)))


def _rebuild(code, message, function, filename=None):
    return error_for(code, message, function, filename)


class MisuseError(ServgapError, TypeError):
    """SERVGAP_EMISUSE: NULL handle (a closed Context or Result) or a NULL
    required pointer."""


class InvalidError(ServgapError, ValueError):
    """SERVGAP_EINVAL: an argument that is not one of its allowed values."""


class RangeError(ServgapError, ValueError):
    """SERVGAP_ERANGE: a number outside its valid range, NaN or infinite."""


class NotFoundError(ServgapError, LookupError):
    """SERVGAP_ENOTFOUND: an id or name that the handle does not know."""


class ConflictError(ServgapError, ValueError):
    """SERVGAP_ECONFLICT: a definition that contradicts an earlier one."""


class NoMemoryError(ServgapError, MemoryError):
    """SERVGAP_ENOMEM: the allocator failed; nothing was changed."""


class LimitError(ServgapError):
    """SERVGAP_ELIMIT: a capacity limit was reached."""


class BufferSizeError(ServgapError):
    """SERVGAP_EBUFSIZE: a buffer was too small (the binding sizes its
    buffers itself, so this surfaces only if a handle keeps growing)."""


class ServgapIOError(ServgapError, OSError):
    """SERVGAP_EIO: reading or writing a file failed.

    Beside ``code`` (``ErrorCode.EIO``) it carries what an OSError does:
    ``errno``, the operating system's error number (``errno.ENOENT``; None
    when the library's message names none), ``strerror``, its text, and
    ``filename``, the path (or a buffer's name) the call was given. For the
    common numbers the exception is also the built-in subclass, so
    ``except FileNotFoundError`` and ``except PermissionError`` work."""

    def __init__(self, code, message, function=None, filename=None):
        super().__init__(code, message, function)
        number = os_errno_of(message)
        self.errno = number
        self.strerror = None if number is None else os.strerror(number)
        self.filename = None if filename is None else os.fsdecode(filename)


class ServgapFileNotFoundError(ServgapIOError, FileNotFoundError):
    """SERVGAP_EIO for a path that does not exist (ENOENT)."""


class ServgapPermissionError(ServgapIOError, PermissionError):
    """SERVGAP_EIO for a path the process may not read or write."""


class ServgapIsADirectoryError(ServgapIOError, IsADirectoryError):
    """SERVGAP_EIO for a directory where a file was expected."""


class ServgapNotADirectoryError(ServgapIOError, NotADirectoryError):
    """SERVGAP_EIO for a path through something that is not a directory."""


_IO_BY_ERRNO = {
    _errno.ENOENT: ServgapFileNotFoundError,
    _errno.EACCES: ServgapPermissionError,
    _errno.EPERM: ServgapPermissionError,
    _errno.EISDIR: ServgapIsADirectoryError,
    _errno.ENOTDIR: ServgapNotADirectoryError,
}
# The library's messages end with the C library's strerror() text of the
# failure ("x.csv: cannot read: No such file or directory"); the same libc
# gives os.strerror() here, so the text maps back to its number.
_ERRNO_BY_TEXT = {os.strerror(n): n for n in sorted(_errno.errorcode, reverse=True)}


def os_errno_of(message: str) -> Optional[int]:
    """The OS error number whose strerror() text ends a library message,
    or None."""
    tail = message.rsplit(": ", 1)[-1]
    return _ERRNO_BY_TEXT.get(tail)


class FormatError(ServgapError, ValueError):
    """SERVGAP_EFORMAT: malformed input such as CSV; the message reads
    ``FILE:LINE:COLUMN: reason``."""


class CorruptError(ServgapError, ValueError):
    """SERVGAP_ECORRUPT: a damaged, truncated or foreign snapshot."""


class InterruptedCallError(ServgapError):
    """SERVGAP_EINTERRUPTED: the call was stopped by Context.interrupt()
    (from another thread or a signal handler); it changed nothing."""


_BY_CODE = {
    ErrorCode.EMISUSE: MisuseError,
    ErrorCode.EINVAL: InvalidError,
    ErrorCode.ERANGE: RangeError,
    ErrorCode.ENOTFOUND: NotFoundError,
    ErrorCode.ECONFLICT: ConflictError,
    ErrorCode.ENOMEM: NoMemoryError,
    ErrorCode.ELIMIT: LimitError,
    ErrorCode.EBUFSIZE: BufferSizeError,
    ErrorCode.EIO: ServgapIOError,
    ErrorCode.EFORMAT: FormatError,
    ErrorCode.ECORRUPT: CorruptError,
    ErrorCode.EINTERRUPTED: InterruptedCallError,
}


def closed_error(what, function):
    """The MisuseError of any call on a closed Context or Result (what:
    "Context" or "Result"), the same whichever method was called."""
    return MisuseError(ErrorCode.EMISUSE, "%s: the %s is closed" % (function, what), function)


class RowIndexError(RangeError, IndexError):
    """A row index outside a result table: an IndexError, as a sequence
    raises, and a RangeError (SERVGAP_ERANGE), as the C call answers."""


def error_for(code, message, function=None, filename=None):
    """The exception instance for a status code (ServgapError itself for a
    code this binding does not know). ``filename``: the path or buffer name
    of the call, for SERVGAP_EIO."""
    if code == ErrorCode.EIO:
        cls = _IO_BY_ERRNO.get(os_errno_of(message), ServgapIOError)
        return cls(code, message, function, filename)
    return _BY_CODE.get(code, ServgapError)(code, message, function)
