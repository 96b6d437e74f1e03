#!/usr/bin/env python3
"""Old callers get the same results from a later library.

    same_digest.py OLD_ON_CURRENT OLD_ON_GROWN DATA

Runs test_abi_layouts (a caller built against the 1.0 layouts) linked with
libservgap and linked with libservgap_grown, each with --digest, and
compares what they print: per call, the rows and a hash of every row's
1.0 fields as the caller read them. Equal digests mean the grown library
handed the old caller the very bytes the current one does.
"""
import subprocess
import sys


def digest(program, data):
    out = subprocess.run([program, data, '--digest'], check=True, capture_output=True,
                         text=True).stdout
    lines = out.splitlines()
    if len(lines) < 14 or any(int(line.split()[1]) == 0 for line in lines):
        sys.exit('same_digest.py: %s printed too little:\n%s' % (program, out))
    return lines


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: same_digest.py OLD_ON_CURRENT OLD_ON_GROWN DATA')
    current = digest(sys.argv[1], sys.argv[3])
    grown = digest(sys.argv[2], sys.argv[3])
    print('\n'.join(current))
    if current != grown:
        for a, b in zip(current, grown):
            if a != b:
                print('differs: current %s, grown %s' % (a, b))
        sys.exit('same_digest.py: a 1.0 caller reads different results from the grown library')
    print('same_digest.py: the same %d digests from both libraries' % len(current))


if __name__ == '__main__':
    main()
