#!/usr/bin/env bash
# Test the Go binding against a meson build tree: gofmt, go vet, go test
# (with the race detector where the toolchain has it; sanitizer builds get
# their runtime preloaded instead), then build and run the example program
# examples/go on examples/data.
#
#   bash bindings/go/run_tests.sh BUILD_ROOT SOURCE_ROOT
#
# BUILD_ROOT (default $MESON_BUILD_ROOT) holds libservgap.so and
# meson-uninstalled/servgap-uninstalled.pc; SOURCE_ROOT (default
# $MESON_SOURCE_ROOT, else this script's ../..) is the repository. The
# tests compare the binding with `servgap-report --json` when
# SERVGAP_REPORT names that program (meson sets it, and SERVGAP_DATA).
# Without `go` this fails: CI installs golang-go (Debian 12: Go 1.19).
# GO_TEST_FLAGS adds flags to `go test` (e.g. -v or -run NAME).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-${MESON_BUILD_ROOT:-}}
src=${2:-${MESON_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}}
if [[ -z $build ]]; then
    echo "usage: $0 BUILD_ROOT [SOURCE_ROOT]" >&2
    exit 2
fi
build=$(cd "$build" && pwd)
src=$(cd "$src" && pwd)

if ! command -v go >/dev/null 2>&1; then
    echo "run_tests.sh: FAIL: the Go toolchain ('go') is not installed;" \
        "install it with: apt-get install -y golang-go" >&2
    exit 1
fi
if [[ ! -e $build/libservgap.so ]]; then
    echo "run_tests.sh: FAIL: no libservgap.so in $build (build it first: ninja -C $build)" >&2
    exit 1
fi

# pkg-config finds servgap-uninstalled.pc (the build tree) when asked for
# servgap. If this pkg-config does not do that, write a small servgap.pc.
export PKG_CONFIG_PATH=$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
work=$build/bindings/go
mkdir -p "$work"
if ! pkg-config --exists servgap 2>/dev/null ||
    [[ $(pkg-config --variable=prefix servgap 2>/dev/null) != "$build" ]]; then
    mkdir -p "$work/pkgconfig"
    cat >"$work/pkgconfig/servgap.pc" <<EOF
Name: servgap
Description: SERVQUAL satisfaction-gap analysis (build tree)
Version: 0
Libs: -L$build -lservgap
Cflags: -I$src/include
EOF
    export PKG_CONFIG_PATH=$work/pkgconfig
fi

export CGO_ENABLED=1
export LD_LIBRARY_PATH=$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export GOCACHE=$work/gocache
export GOPATH=$work/gopath
export GOFLAGS=-mod=mod
export GOPROXY=off
export GO111MODULE=on
export HOME=${HOME:-$work}
export SERVGAP_DATA=${SERVGAP_DATA:-$src/examples/data}

echo "run_tests.sh: $(go version), pkg-config: $(pkg-config --cflags --libs servgap)"

# The race detector needs cgo and a supported platform; Debian's golang-go
# has it on amd64 and arm64.
race=()
case "$(go env GOOS)/$(go env GOARCH)" in
linux/amd64 | linux/arm64 | linux/ppc64le | linux/s390x) race=(-race) ;;
esac

# A sanitizer build (-Db_sanitize=...): the library needs its sanitizer
# runtime loaded first, which a Go program does not do, so the test
# programs run with it preloaded (go test -exec). Go's race detector brings
# its own ThreadSanitizer runtime, which cannot share a process with
# another sanitizer's, so it is off then. Leak checking is off because
# LeakSanitizer does not see pointers held by the Go heap.
preload=$(ldd "$build/libservgap.so" 2>/dev/null |
    awk '$1 ~ /^lib(asan|tsan|ubsan|hwasan|clang_rt)/ && $3 ~ /^\// { print $3 }' | paste -sd: -)
run=() exec=()
if [[ -n $preload ]]; then
    race=()
    export ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
    run=(env "LD_PRELOAD=$preload")
    exec=(-exec "env LD_PRELOAD=$preload")
    echo "run_tests.sh: sanitizer build: preloading $preload, no -race"
fi

cd "$src/bindings/go"
unformatted=$(gofmt -l . "$src/examples/go")
if [[ -n $unformatted ]]; then
    echo "run_tests.sh: FAIL: not gofmt-ed: $unformatted" >&2
    exit 1
fi
go vet ./...
# What `go doc` shows users: the real import path on a symbol's page (the
# import comment in doc.go; go doc falls back to "." without it) and the
# constants' values, not C.SERVGAP_... expressions.
module=$(go list -m)
doc_shows() {
    local out
    out=$(go doc "$1")
    grep -qF "$2" <<<"$out" || {
        echo "run_tests.sh: FAIL: 'go doc $1' lacks '$2':" >&2
        echo "$out" >&2
        exit 1
    }
}
doc_shows KindTier "import \"$module\""
doc_shows ErrRange "ErrRange    Errno = -3"
doc_shows OptLookbackDays "OptLookbackDays      Option = 21"
# -count=1: the test binary does not change when libservgap.so does, so a
# cached pass could hide a library change. cgocheck=2 checks every pointer
# that crosses into C (the slices passed without a copy) strictly.
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags
GODEBUG=cgocheck=2 go test -count=1 "${race[@]}" "${exec[@]}" ${GO_TEST_FLAGS:-} ./...

cd "$src/examples/go"
go vet ./...
go build -o "$work/servgap-example" .
"${run[@]}" "$work/servgap-example" "$SERVGAP_DATA" >"$work/example.out"
for section in "Top findings" "SERVQUAL per tier" "Review triggers"; do
    grep -q "^$section" "$work/example.out" || {
        echo "run_tests.sh: FAIL: examples/go printed no '$section'" >&2
        cat "$work/example.out" >&2
        exit 1
    }
done
head -n 5 "$work/example.out"
echo "run_tests.sh: ok"
