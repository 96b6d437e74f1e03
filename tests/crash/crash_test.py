#!/usr/bin/env python3
"""Crash safety of servgap_snapshot_save: kill a saving process at random
moments and check that the file on disk is always a complete snapshot.

    crash_test.py CRASH_SNAPSHOT [--trials N] [--seed S]

CRASH_SNAPSHOT is the crash_snapshot program (crash_snapshot.c). Each
trial starts `crash_snapshot save PATH` in a fresh directory; it saves the
states A and B alternately (save 1 is A, 2 is B, ...) and prints the number
of each completed save. After a random delay (seeded; the seed is printed,
SERVGAP_CRASH_SEED or --seed repeats a run) the process gets SIGKILL. Then
`crash_snapshot check` loads the file (servgap_snapshot_load and
servgap_snapshot_load_buffer) and it must hold exactly the bytes of A or B:

  - after k >= 1 completed saves: save k's state, or save k+1's (killed
    after its rename, before it printed);
  - after none: no file, or save 1's state (A).

Besides PATH only temporary files PATH.tmp.PID.N may remain (the library
never reads them; docs/formats.md, "Atomic save"); they are counted and
reported. Finally a new save beside a stale temporary file shows whether
the library removes such files (it does not: names carry the pid).
Environment: SERVGAP_CRASH_TRIALS (default 200), SERVGAP_CRASH_SEED.
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)


def state_of(save):
    """The state save number `save` (1-based) writes."""
    return "A" if save % 2 == 1 else "B"


def calibrate(prog, root):
    """Seconds from "ready" to the end of the third save (the first save
    of a process is the slowest: its pages are fresh)."""
    d = os.path.join(root, "calibrate")
    os.mkdir(d)
    p = subprocess.Popen([prog, "save", os.path.join(d, "x.snap"), "3"],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    t = time.monotonic()
    p.stdout.read()
    if p.wait() != 0:
        sys.exit("crash_test: calibration run failed")
    three = time.monotonic() - t
    shutil.rmtree(d)
    return three


def trial(prog, root, refdir, n, delay):
    d = os.path.join(root, "t%03d" % n)
    os.mkdir(d)
    path = os.path.join(d, "x.snap")
    p = subprocess.Popen([prog, "save", path], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()
    if line != "ready":
        p.kill()
        p.wait()
        sys.exit("crash_test: the saver did not start: %r" % line)
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    rest = p.stdout.read()
    rc = p.wait()
    if rc != -signal.SIGKILL:
        sys.exit("crash_test: trial %d: the saver ended with %d before the kill" % (n, rc))
    done = [int(x) for x in rest.split()]
    k = done[-1] if done else 0

    chk = run([prog, "check", path, refdir])
    got = chk.stdout.strip()
    if chk.returncode != 0:
        return k, got or chk.stderr.strip(), None, False, False
    allowed = {state_of(k), state_of(k + 1)} if k else {"absent", "A"}
    temps = [f for f in os.listdir(d) if f != "x.snap"]
    strays = [f for f in temps if not re.fullmatch(r"x\.snap\.tmp\.%d\.\d+" % p.pid, f)]
    ok = got in allowed and not strays
    if strays:
        got += " (unexpected files: %s)" % ", ".join(strays)
    # The save in flight when the kill came had already renamed its file.
    inflight = ok and got == state_of(k + 1)
    return k, got, len(temps), ok, inflight


def stale_temp_cleanup(prog, root):
    """Does a later save remove an earlier process's stale temp file?"""
    d = os.path.join(root, "stale")
    os.mkdir(d)
    stale = os.path.join(d, "x.snap.tmp.999999999.0")
    with open(stale, "wb") as f:
        f.write(b"partial")
    r = run([prog, "save", os.path.join(d, "x.snap"), "2"])
    if r.returncode != 0:
        sys.exit("crash_test: save beside a stale temp file failed: " + r.stderr)
    return os.path.exists(stale)


def self_test(prog, root, refdir):
    """The checker must reject a torn file (half of A) and a mixture."""
    d = os.path.join(root, "selftest")
    os.mkdir(d)
    a = open(os.path.join(refdir, "A.snap"), "rb").read()
    b = open(os.path.join(refdir, "B.snap"), "rb").read()
    for name, data in (("torn", a[:len(a) // 2]), ("mixed", b + a[len(b):])):
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(data)
        if run([prog, "check", path, refdir]).returncode == 0:
            sys.exit("crash_test: the checker accepted a %s file" % name)
    shutil.rmtree(d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("prog")
    ap.add_argument("--trials", type=int,
                    default=int(os.environ.get("SERVGAP_CRASH_TRIALS", "200")))
    ap.add_argument("--seed", type=int,
                    default=int(os.environ.get("SERVGAP_CRASH_SEED", "0")) or None)
    args = ap.parse_args()
    prog = os.path.abspath(args.prog)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2**31)
    rng = random.Random(seed)
    print("crash_test: seed %d (SERVGAP_CRASH_SEED=%d repeats this run), %d trials"
          % (seed, seed, args.trials))

    root = tempfile.mkdtemp(prefix="servgap-crash-")
    try:
        refdir = os.path.join(root, "ref")
        os.mkdir(refdir)
        r = run([prog, "ref", refdir])
        if r.returncode != 0:
            sys.exit("crash_test: ref failed: " + r.stderr)
        print("crash_test: states: " + ", ".join(r.stdout.split("\n")[:2]))
        self_test(prog, root, refdir)
        three = calibrate(prog, root)
        # Kills land anywhere in the first ~3 saves: before the first one
        # completes, inside one, between two.
        span = max(1.2 * three, 0.002)
        print("crash_test: %.1f ms for the first 3 saves; kill delays uniform in [0, %.1f] ms"
              % (three * 1e3, span * 1e3))

        tally, failures, temps, saves, inflight = {}, [], 0, 0, 0
        t0 = time.monotonic()
        for n in range(args.trials):
            delay = rng.uniform(0, span)
            k, got, ntemps, ok, renamed = trial(prog, root, refdir, n, delay)
            saves += k
            inflight += renamed
            key = got if ok else "BAD"
            tally[key] = tally.get(key, 0) + 1
            if ntemps:
                temps += ntemps
            if not ok:
                failures.append("trial %d: delay %.2f ms, %d saves completed: %s"
                                % (n, delay * 1e3, k, got))
            shutil.rmtree(os.path.join(root, "t%03d" % n), ignore_errors=True)
        elapsed = time.monotonic() - t0

        kept = stale_temp_cleanup(prog, root)
        print("crash_test: %d trials in %.1f s, %d saves completed before the kills"
              % (args.trials, elapsed, saves))
        print("crash_test: file on disk after the kill: " +
              ", ".join("%s %d" % (key, tally[key]) for key in sorted(tally)) +
              "; %d of them the save in flight (renamed, not yet reported)" % inflight)
        print("crash_test: stale temporary files left beside the path: %d in %d trials"
              % (temps, args.trials))
        print("crash_test: a later save %s a stale temporary file of another process"
              % ("leaves" if kept else "removes"))
        for f in failures:
            print("crash_test: FAIL " + f)
        if failures:
            sys.exit(1)
        print("crash_test: ok")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
