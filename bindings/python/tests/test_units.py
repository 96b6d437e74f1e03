"""A metric's unit through the Python binding: a unit that is not UTF-8 is
refused where it enters (metric_define, a snapshot), so that the JSON
report of whatever the handle holds always decodes; a text unit, control
characters included, round-trips. Environment as in test_servgap.py."""

from __future__ import annotations

import datetime
import json
import pathlib
import struct
import sys
import unittest

PKG_DIR = pathlib.Path(__file__).resolve().parent.parent
try:
    import servgap
except ImportError:
    sys.path.insert(0, str(PKG_DIR))
    import servgap

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def reseal(snap):
    """Every checksum of a snapshot (docs/formats.md) made right again."""
    b = bytearray(snap)
    at = 32
    for _ in range(struct.unpack_from("<I", b, 24)[0]):
        (length,) = struct.unpack_from("<Q", b, at + 8)
        crc = crc32c(bytes(b[at + 24:at + 24 + length]), crc32c(bytes(b[at:at + 16])))
        struct.pack_into("<I", b, at + 16, crc)
        at += 24 + length
    struct.pack_into("<I", b, 28, crc32c(bytes(b[:28])))
    return bytes(b)


class TestUnits(unittest.TestCase):
    def report(self, ctx):
        """The JSON report, decoded as a consumer decodes it: strict UTF-8."""
        raw = ctx.query().json_bytes()
        return json.loads(raw.decode("utf-8"))

    def test_define_refuses_bytes_that_are_not_utf8(self):
        with servgap.Context() as ctx:
            with self.assertRaises(servgap.InvalidError) as cm:
                ctx.metric_define("csat", "empathy", "higher", 1, 5, 0, b"pts\xff")
            self.assertIn("metric 'csat': unit is not valid UTF-8 at byte 3", str(cm.exception))
            with self.assertRaises(servgap.NotFoundError):
                ctx.lookup(servgap.Kind.METRIC, "csat")
            self.report(ctx)

    def test_snapshot_refuses_a_unit_that_is_not_utf8(self):
        with servgap.Context() as ctx:
            ctx.metric_define("csat", "empathy", "higher", 1, 5, 0, "PTS")
            snap = ctx.snapshot_bytes()
        at = snap.rindex(b"\x03\x00\x00\x00PTS") + 4
        bad = reseal(snap[:at] + b"\xc3" + snap[at + 1:])
        with servgap.Context() as ctx:
            with self.assertRaises(servgap.CorruptError) as cm:
                ctx.snapshot_load_bytes(bad)
            self.assertIn("section 'metrics' at offset %d: metric 'csat': unit is not valid "
                          "UTF-8 at byte 0" % at, str(cm.exception))
            self.report(ctx)

    def test_text_units_reach_the_report(self):
        unit = "\u00b0C\x1b[2J"
        with servgap.Context() as ctx:
            m = ctx.metric_define("temp", "tangibles", "lower", 0, 40, 0, unit)
            self.assertEqual(ctx.metric_info(m).unit, unit)
            gold = ctx.intern(servgap.Kind.TIER, "gold")
            ctx.record(servgap.Scope.TIER, gold, servgap.ANY, m, servgap.Viewpoint.DELIVERED,
                       21, T0)
            units = {x["name"]: x["unit"] for x in self.report(ctx)["metrics"]}
            self.assertEqual(units["temp"], unit)


if __name__ == "__main__":
    unittest.main()
