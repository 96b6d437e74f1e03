"""check_ryu_tables -- the power-of-5 tables of lib/base/ryu_tables.h against
their definitions, recomputed with Python's exact integers:

  pow5_inv_split[q] = floor(2^(bits(5^q) - 1 + 125) / 5^q) + 1
  pow5_split[i]     = 5^i in its top 125 bits

where bits(x) is the bit length of x; each entry is (low, high) 64 bits.
Usage: python3 check_ryu_tables.py lib/base/ryu_tables.h
       python3 check_ryu_tables.py --emit > lib/base/ryu_tables.h
                 (writes the header from the definitions, as committed)
"""
import re
import sys

SIZES = (("pow5_inv_split", 342), ("pow5_split", 326))

HEADER = """\
/*
 * ryu_tables -- GENERATED, do not edit: the power-of-5 tables of the
 * shortest-digits formatter (numtext.c), included there only.
 * Regenerate with
 *     python3 tests/tools/check_ryu_tables.py --emit > lib/base/ryu_tables.h
 * The ryu_tables test (tests/meson.build) recomputes every entry.
 *
 * floor(2^(bits(5^q) - 1 + 125) / 5^q) + 1, and 5^i in its top 125 bits,
 * as (low, high) 64-bit halves; bits(x) is the bit length of x. Generated
 * with exact integers.
 */
#ifndef SERVGAP_RYU_TABLES_H
#define SERVGAP_RYU_TABLES_H

#include <stdint.h>
"""


def inv_entry(q):
    p = 5**q
    return (1 << (p.bit_length() - 1 + 125)) // p + 1


def split_entry(i):
    p, b = 5**i, (5**i).bit_length()
    return p >> (b - 125) if b >= 125 else p << (125 - b)


ENTRY = {"pow5_inv_split": inv_entry, "pow5_split": split_entry}


def table(src, name):
    m = re.search(r"static const uint64_t %s\[(\d+)\]\[2\] = \{(.*?)\n\};" % name, src, re.S)
    if not m:
        sys.exit("table %s not found" % name)
    pairs = re.findall(r"\{0x([0-9a-f]+)u, 0x([0-9a-f]+)u\}", m.group(2))
    if len(pairs) != int(m.group(1)):
        sys.exit("table %s: %d entries, declared %s" % (name, len(pairs), m.group(1)))
    return [int(hi, 16) << 64 | int(lo, 16) for lo, hi in pairs]


def emit():
    """The header, laid out as clang-format lays it out: two pairs a line."""
    out = [HEADER]
    for name, n in SIZES:
        pairs = ["{0x%016xu, 0x%016xu}," % (v & (2**64 - 1), v >> 64)
                 for v in map(ENTRY[name], range(n))]
        out.append("\nstatic const uint64_t %s[%d][2] = {\n" % (name, n))
        for k in range(0, n, 2):
            out.append("    " + " ".join(pairs[k:k + 2]) + "\n")
        out.append("};\n")
    out.append("\n#endif\n")
    sys.stdout.write("".join(out))


def main():
    if sys.argv[1:] == ["--emit"]:
        emit()
        return
    src = open(sys.argv[1]).read()
    for name, _ in SIZES:
        for k, v in enumerate(table(src, name)):
            want = ENTRY[name](k)
            if v != want:
                sys.exit("%s[%d] is %x, expected %x" % (name, k, v, want))
    print("ryu tables ok")


main()
