#!/usr/bin/env bash
# What the scripts in scripts/ share. Source it, do not run it; the scripts
# do, once they are at the repository root:
#   source scripts/lib.sh
#
#   need_packages PKG...   install the Debian packages of the list that are
#                          missing (as root); apt-get update runs at most
#                          once per run, also across the scripts a run
#                          starts (SERVGAP_APT_UPDATED in the environment)
#   use_timeouts MODE      scale the test timeouts for MODE: normal, asan,
#                          tsan or valgrind (see below)
#
# Messages name the calling script, e.g. "scripts/fuzz: installing clang".
set -euo pipefail

# need_packages PKG...: install whichever of PKG... is not installed (a
# removed package whose configuration files remain counts as missing).
need_packages() {
    local p absent=()
    for p in "$@"; do
        [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] ||
            absent+=("$p")
    done
    ((${#absent[@]})) || return 0
    echo "scripts/$(basename "$0"): installing ${absent[*]}" >&2
    if [[ -z ${SERVGAP_APT_UPDATED:-} ]]; then
        apt-get update
        export SERVGAP_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${absent[@]}"
}

# The timeouts are set for an idle plain build on two cores, at least 10x
# what the test takes there: meson's per test (`timeout :` in the
# meson.build files, 30 s where one sets none) and Check's per test
# function (tcase_set_timeout in tests/*.c, 30 s where a suite sets none:
# CK_DEFAULT_TIMEOUT in tests/meson.build, rather than Check's own 4 s).
# The multipliers scale both for how much slower a mode runs, leaving
# room for a machine that others are using at the same time:
#   normal    2   the plain build (scripts/test): only others' load
#   asan      3   ASan+UBSan: 2-3x slower
#   tsan      8   TSan: 3-15x slower, more for a test that spends its time
#                 in intercepted calls (string functions, write, locks)
#   valgrind 10   memcheck: 20-400x slower (it runs one thread at a
#                 time); Check does not enforce its timeouts without fork
#                 (CK_FORK=no), so only meson's apply
# SERVGAP_TIMEOUT_MULTIPLIER, when set, replaces the mode's factor.
# Sets timeout_multiplier (for `meson test --timeout-multiplier`) and
# exports CK_TIMEOUT_MULTIPLIER, which Check applies to every test case.
use_timeouts() {
    case $1 in
    normal) timeout_multiplier=2 ;;
    asan) timeout_multiplier=3 ;;
    tsan) timeout_multiplier=8 ;;
    valgrind) timeout_multiplier=10 ;;
    *)
        echo "use_timeouts: unknown mode '$1'" >&2
        return 2
        ;;
    esac
    timeout_multiplier=${SERVGAP_TIMEOUT_MULTIPLIER:-$timeout_multiplier}
    export CK_TIMEOUT_MULTIPLIER=$timeout_multiplier
}
