#!/usr/bin/env python3
"""enlarge.py -- the sample data grown to many accounts, for measuring reports.

    python3 enlarge.py --accounts 100000 --out DIR [--keep 0.1] [--data DIR]

Writes the six CSV tables of servgap-report into DIR: the sample's 40
accounts (examples/data) cloned round-robin until there are N, each clone
named ACCOUNT-NNNNNN and keeping the original's tier, value, health, flags
and dates. Tier-wide rows (SLAs, the provider survey, QA reviews) are kept
once, as a helpdesk has one SLA table whatever its size; each clone keeps
an account-level row with probability --keep (default 0.1), decided per
ticket time and per survey response, so that a ticket's three rows and a
respondent's answers stay together, and always keeps its promises and
withdrawals (declarations, which a subsample would lose). Respondent ids
are made unique per clone. Clone 0 is the sample itself, whole and under
its own names, so metrics, importance, efforts and plans are copied
unchanged and the plans still name accounts that exist.

The point is a data set with the sample's shape (tiers, touchpoints,
teams, promises, renewals, migrations, churn) at a size the issue names
(100,000 accounts); its numbers mean nothing beyond that. Deterministic:
the draws hash (clone, key) with a fixed function, so the same arguments
give the same bytes. Standard library only.
"""

import argparse
import csv
import hashlib
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def kept(clone, key, share):
    """Whether clone keeps the rows of key: a deterministic draw."""
    h = hashlib.blake2b(("%d|%s" % (clone, key)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "little") < share * 2.0**64


def clone_name(name, clone):
    """Clone 0 keeps the sample's names, so plans that name accounts hold."""
    return name if clone == 0 else "%s-%06d" % (name, clone)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_accounts(data, out, n):
    header, rows = read_rows(os.path.join(data, "accounts.csv"))
    with open(os.path.join(out, "accounts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for k in range(n):
            row = list(rows[k % len(rows)])
            row[0] = clone_name(row[0], k // len(rows))
            w.writerow(row)
    return [r[0] for r in rows]


def account_rows(rows):
    """The sample's account-level rows grouped per account, in file order."""
    per = {}
    for r in rows:
        if r[1]:
            per.setdefault(r[1], []).append(r)
    return per


def clone_rows(rows, clone, share):
    """One clone's rows of one sample account."""
    out = []
    for r in rows:
        declaration = r[5] in ("promised", "standard")
        key = ("r" + r[9]) if r[9] else r[0]
        if clone and not declaration and not kept(clone, key, share):
            continue
        c = list(r)
        c[1] = clone_name(r[1], clone)
        if c[9] and clone:
            c[9] = "%s-%d" % (c[9], clone)
        out.append(c)
    return out


def write_observations(data, out, names, n, share):
    header, rows = read_rows(os.path.join(data, "observations.csv"))
    per = account_rows(rows)
    total = 0
    with open(os.path.join(out, "observations.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            if not r[1]:
                w.writerow(r)
                total += 1
        for k in range(n):
            base = names[k % len(names)]
            part = clone_rows(per.get(base, []), k // len(names), share)
            w.writerows(part)
            total += len(part)
    return total


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--keep", type=float, default=0.1)
    ap.add_argument("--data", default=HERE)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    names = write_accounts(a.data, a.out, a.accounts)
    total = write_observations(a.data, a.out, names, a.accounts, a.keep)
    for t in ("metrics.csv", "importance.csv", "efforts.csv", "plans.csv"):
        shutil.copyfile(os.path.join(a.data, t), os.path.join(a.out, t))
    print("%d accounts, %d observations in %s" % (a.accounts, total, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
