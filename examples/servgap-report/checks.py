"""checks -- the bookkeeping every servgap-report test shares: a named check
that prints ok or FAIL with its detail and remembers the failures, and a run
of the program with its output captured. Standard library only.
"""
import subprocess

failures = []


def check(cond, what, detail=""):
    """Print 'ok WHAT', or 'FAIL WHAT' with the detail indented, and
    remember the failure; return cond, so a caller can stop early."""
    if cond:
        print("ok   %s" % what)
    else:
        print("FAIL %s%s" % (what, ("\n     " + detail.replace("\n", "\n     ")) if detail else ""))
        failures.append(what)
    return cond


def run(prog, *args, text=True, timeout=120):
    """prog run with args, stdout and stderr captured (str when text)."""
    return subprocess.run([prog] + list(args), capture_output=True, text=text, timeout=timeout)
