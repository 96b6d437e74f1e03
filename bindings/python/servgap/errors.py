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
        return (_rebuild, (int(self.code), self.message, self.function))


def _rebuild(code, message, function):
    return error_for(code, message, function)


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
    """SERVGAP_EIO: reading or writing a file failed."""


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


def error_for(code, message, function=None):
    """The exception instance for a status code (ServgapError itself for a
    code this binding does not know)."""
    return _BY_CODE.get(code, ServgapError)(code, message, function)
