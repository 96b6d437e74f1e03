#!/usr/bin/env python3
"""check_json.py -- parse servgap-report's JSON report and count its priorities.

    python3 check_json.py REPORT.json     prints the number of priorities
    python3 check_json.py - < REPORT.json

Exit status 0 when the report parses with json.loads and holds a list of
priorities, 1 otherwise. test_report.py imports this file.
Standard library only.
"""

import json
import sys

# The key of the ranked findings in the report (docs/formats.md).
PRIORITIES = "priorities"


def load_report(text):
    """The report as Python objects; raises ValueError when it does not parse
    or is not a JSON object."""
    report = json.loads(text)
    if not isinstance(report, dict):
        raise ValueError("the JSON report is not an object")
    return report


def priorities(report):
    """The list of ranked findings of a report."""
    if not isinstance(report.get(PRIORITIES), list):
        raise ValueError("the JSON report has no list named %r" % PRIORITIES)
    return report[PRIORITIES]


def main(argv):
    if len(argv) != 1:
        print("usage: check_json.py REPORT.json|-", file=sys.stderr)
        return 2
    try:
        if argv[0] == "-":
            text = sys.stdin.read()
        else:
            with open(argv[0], encoding="utf-8") as f:
                text = f.read()
        print(len(priorities(load_report(text))))
    except (OSError, ValueError) as e:
        print("check_json.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
