"""check_ryu_tables -- the power-of-5 tables of lib/base/numtext.c against their
definitions, recomputed with Python's exact integers:

  pow5_inv_split[q] = floor(2^(bits(5^q) - 1 + 125) / 5^q) + 1
  pow5_split[i]     = 5^i in its top 125 bits

where bits(x) is the bit length of x; each entry is (low, high) 64 bits.
Usage: python3 check_ryu_tables.py lib/base/numtext.c
"""
import re
import sys


def table(src, name):
    m = re.search(r"static const uint64_t %s\[(\d+)\]\[2\] = \{(.*?)\n\};" % name, src, re.S)
    if not m:
        sys.exit("table %s not found" % name)
    pairs = re.findall(r"\{0x([0-9a-f]+)u, 0x([0-9a-f]+)u\}", m.group(2))
    if len(pairs) != int(m.group(1)):
        sys.exit("table %s: %d entries, declared %s" % (name, len(pairs), m.group(1)))
    return [int(hi, 16) << 64 | int(lo, 16) for lo, hi in pairs]


def main():
    src = open(sys.argv[1]).read()
    for q, v in enumerate(table(src, "pow5_inv_split")):
        p = 5**q
        want = (1 << (p.bit_length() - 1 + 125)) // p + 1
        if v != want:
            sys.exit("pow5_inv_split[%d] is %x, expected %x" % (q, v, want))
    for i, v in enumerate(table(src, "pow5_split")):
        p, b = 5**i, (5**i).bit_length()
        want = p >> (b - 125) if b >= 125 else p << (125 - b)
        if v != want:
            sys.exit("pow5_split[%d] is %x, expected %x" % (i, v, want))
    print("ryu tables ok")


main()
