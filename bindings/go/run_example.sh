#!/usr/bin/env bash
# Build examples/go, the newcomer's program, the way docs/ffi.md tells a
# user to (pkg-config, an rpath to the library), run it on examples/data
# without LD_LIBRARY_PATH, and check that the JSON report it writes is
# byte for byte `servgap-report --data DIR --json --level full`, and that it printed
# its sections.
#
#   bash bindings/go/run_example.sh BUILD_ROOT SOURCE_ROOT
#
# SERVGAP_REPORT names servgap-report (meson sets it); SERVGAP_DATA the
# data directory (default examples/data).
set -euo pipefail

# shellcheck source=go_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/go_env.sh"

# With TSan preloaded, the Go runtime's own synchronisation is invisible
# to it and every hand-over between threads reads as a race
# (docs/quality.md, tsan); 77 is meson's "skipped".
if [[ $preload == *tsan* ]]; then
    echo "$me: skipped: a Go program cannot run under ThreadSanitizer"
    exit 77
fi
if [[ -z ${SERVGAP_REPORT:-} ]]; then
    echo "$me: FAIL: SERVGAP_REPORT does not name servgap-report" >&2
    exit 1
fi

cd "$src/examples/go"
go vet ./...
# docs/ffi.md's recipe: an rpath to every -L directory of servgap.pc, so
# that the program finds libservgap.so.1 wherever it is started.
rpath=$(pkg-config --libs-only-L servgap | sed -E 's/(^| )-L/\1-Wl,-rpath,/g')
CGO_LDFLAGS="$rpath" go build -o "$work/servgap-example" .

out=$work/example
mkdir -p "$out"
rm -f "$out/report.json"
(cd "$out" && env -u LD_LIBRARY_PATH "${run[@]}" "$work/servgap-example" "$SERVGAP_DATA" >stdout)
"$SERVGAP_REPORT" --data "$SERVGAP_DATA" --json --level full >"$out/servgap-report.json"
if ! cmp "$out/report.json" "$out/servgap-report.json"; then
    echo "$me: FAIL: examples/go's report.json differs from servgap-report --json --level full" >&2
    exit 1
fi
for section in "Top 5 priorities per tier" "tier enterprise" "Review triggers" "JSON report: report.json"; do
    grep -q "^$section" "$out/stdout" || {
        echo "$me: FAIL: examples/go printed no '$section'" >&2
        cat "$out/stdout" >&2
        exit 1
    }
done
head -n 10 "$out/stdout"
echo "$me: ok: report.json ($(wc -c <"$out/report.json") bytes) equals servgap-report --json --level full"
