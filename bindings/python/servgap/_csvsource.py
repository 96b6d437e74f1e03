"""What ``Context.import_csv`` accepts as a source, and the header check of
a strict import.

The C library reads a table from a path or from memory; this module turns
the Python objects a caller has into one of the two, and refuses the rest
with a message that says what is expected. A ``str`` is always a path: a
str that holds a line break is CSV text passed by mistake, and reading it as
a path would only report that no such file exists.

A strict import refuses a header with a column the table does not know
(``teams`` for ``team`` would otherwise be ignored, and the column with it).
The library has no strict flag, so the binding asks it: the header record
alone, imported into a scratch handle, is a table of no rows whose import
report lists the unknown columns. The library stays the one authority on
which columns a table has and how a header is read (case, spaces, quotes,
a byte-order mark).
"""

from __future__ import annotations

import difflib
import io
import os
from typing import Dict, List, NamedTuple, Optional, Tuple, Union

#: The columns of each CSV table, as docs/formats.md lists them: for the
#: "did you mean" of a strict import and for ``servgap.csv_columns``.
COLUMNS: Dict[str, Tuple[str, ...]] = {
    "observations": ("time", "account", "tier", "touchpoint", "metric", "viewpoint", "value",
                     "team", "driver", "respondent"),
    "metrics": ("metric", "dimension", "direction", "min", "max", "span", "unit"),
    "accounts": ("account", "tier", "value", "health", "at_risk", "renewal", "migrated",
                 "churned"),
    "importance": ("scope", "whose", "tangibles", "reliability", "responsiveness", "assurance",
                   "empathy"),
    "efforts": ("gap", "touchpoint", "metric", "effort"),
    "plans": ("scope", "touchpoint", "metric", "gap", "owner", "deadline", "target",
              "baseline_from", "baseline_to"),
}

_EXPECTED = "a path (str or os.PathLike), bytes-like data, or a binary file object"
_CHUNK = 1 << 16


class Source(NamedTuple):
    """A CSV source as the C calls take it: a path, or data in memory with
    the name that stands for it in messages."""

    path: Optional[bytes]
    data: Optional[object]
    name: Optional[str]


def csv_source(source: object, name: Optional[str], what: str) -> Source:
    """The Source of what a caller passed (see the module docstring)."""
    if isinstance(source, str):
        if "\n" in source or "\r" in source:
            raise TypeError(
                "%s: a str is a path, and this one holds a line break: CSV text? Pass the text "
                "as bytes (text.encode()) or a binary file object (io.BytesIO)" % what)
        return _path_source(source, name, what)
    if isinstance(source, os.PathLike):
        return _path_source(source, name, what)
    if isinstance(source, io.TextIOBase):
        raise TypeError("%s: a text file; open it in binary mode ('rb'), or pass %s"
                        % (what, _EXPECTED))
    read = getattr(source, "read", None)
    if callable(read) and not isinstance(source, (bytes, bytearray, memoryview)):
        data = read()
        if isinstance(data, str):
            raise TypeError("%s: a file object that reads str; open it in binary mode ('rb'), "
                            "or pass %s" % (what, _EXPECTED))
        if name is None:
            name = getattr(source, "name", None)
            name = name if isinstance(name, str) else None
        return Source(None, data, name)
    try:
        memoryview(source)
    except TypeError:
        raise TypeError("%s: expected %s, not %s" % (what, _EXPECTED, type(source).__name__)
                        ) from None
    return Source(None, source, name)


def _path_source(path: Union[str, os.PathLike], name: Optional[str], what: str) -> Source:
    if name is not None:
        raise TypeError("%s: name is for data in memory; a path names itself" % what)
    return Source(os.fsencode(path), None, os.fsdecode(path))


def header_record(data: bytes) -> bytes:
    """The bytes up to the end of the first record that is not an empty
    line (quotes may hold line breaks): what the header check imports."""
    quoted = False
    start = 0
    for i, b in enumerate(data):
        if b == 0x22:  # '"'
            quoted = not quoted
        elif b == 0x0A and not quoted:
            if bytes(data[start:i]).strip(b"\r") not in (b"", b"\xef\xbb\xbf"):
                return bytes(data[: i + 1])
            start = i + 1
    return bytes(data)


def read_header(path: bytes) -> Optional[bytes]:
    """The header record of the file at path, or None when it cannot be
    read (the import then reports why, as the library words it)."""
    try:
        with open(path, "rb") as f:
            buf = b""
            while True:
                chunk = f.read(_CHUNK)
                buf += chunk
                record = header_record(buf)
                if not chunk or len(record) < len(buf) or record.endswith(b"\n"):
                    return record
    except OSError:
        return None


class Field(NamedTuple):
    name: str
    line: int
    column: int
    number: int  # 1-based position in the header


def header_fields(record: bytes) -> List[Field]:
    """The header's fields with where each starts, counted as the library
    counts (lines from 1 with the empty ones, byte columns from 1 after a
    byte-order mark), so that messages point where the library's do."""
    text = record[3:] if record.startswith(b"\xef\xbb\xbf") else record
    pos, line = 0, 1
    while True:  # the empty lines before the header
        nl = text.find(b"\n", pos)
        if nl < 0 or text[pos:nl].strip(b"\r"):
            break
        pos, line = nl + 1, line + 1
    body = text[pos:].rstrip(b"\r\n")
    fields, start, quoted = [], 0, False
    for i in range(len(body) + 1):
        c = body[i:i + 1]
        if c == b'"':
            quoted = not quoted
        elif (c == b"," and not quoted) or i == len(body):
            raw = body[start:i].strip(b" \t")
            if raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2:
                raw = raw[1:-1].replace(b'""', b'"')
            fields.append(Field(raw.decode("utf-8", "replace"), line, start + 1, len(fields) + 1))
            start = i + 1
    return fields


def unknown_column_message(display: str, table: str, unknown: List[str], more: int,
                           record: bytes) -> str:
    """The message of a strict import's refusal, at the first unknown
    column, with the columns the table has and a guess at the one meant."""
    at = {f.name: f for f in header_fields(record)}
    first = at.get(unknown[0]) if unknown else None
    where = "%s:%d:%d" % (display, first.line, first.column) if first else "%s:1" % display
    names = ", ".join("'%s'" % u for u in unknown)
    if more:
        names += " and %d more" % more
    known = COLUMNS.get(table, ())
    text = "%s: unknown column%s %s in the %s table (a strict import refuses them; it has %s)" % (
        where, "s" if len(unknown) + more > 1 else "", names, table, ", ".join(known))
    if unknown:
        guess = difflib.get_close_matches(unknown[0], known, n=1)
        if guess:
            text += "; did you mean '%s'?" % guess[0]
    return text
