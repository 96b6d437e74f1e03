#!/usr/bin/env bash
# What the scripts in scripts/ share. Source it, do not run it; the scripts
# do, once they are at the repository root:
#   source scripts/lib.sh
#
#   need_packages PKG...   install the Debian packages of the list that are
#                          missing (as root); apt-get update runs at most
#                          once per run, also across the scripts a run
#                          starts (SERVGAP_APT_UPDATED in the environment)
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
