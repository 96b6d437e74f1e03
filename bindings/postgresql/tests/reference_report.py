"""The reference report for an option servgap-report has no flag for:

    reference_report.py DATA_DIR NAME=VALUE... > report.json

Imports the CSV tables of DATA_DIR into a libservgap handle through the
Python binding (SERVGAP_LIBRARY names the library; PYTHONPATH has
bindings/python), sets the options and writes the report of the query
servgap-report runs (everything, trends and plans) as JSON. The handle
holds the raw observations, not summaries: the extension's report, which
goes through summaries, is checked against an independent path.
"""
import sys
from pathlib import Path

import servgap
from servgap import QueryFlag

TABLES = ("metrics", "accounts", "observations", "importance", "efforts", "plans")


def main(argv):
    data = Path(argv[1])
    options = {}
    for arg in argv[2:]:
        name, value = arg.split("=", 1)
        options[name] = float(value)
    with servgap.Context(**options) as ctx:
        for t in TABLES:
            ctx.import_csv(t, data / (t + ".csv"))
        with ctx.query(flags=QueryFlag.ALL | QueryFlag.TRENDS | QueryFlag.PLANS) as res:
            sys.stdout.buffer.write(res.json_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
