#!/usr/bin/env bash
# Test the Go binding against a meson build tree: gofmt, go vet, what
# `go doc` shows, and go test (with the race detector where the toolchain
# has it; sanitizer builds get their runtime preloaded instead).
# run_example.sh, a test of its own, builds and runs examples/go.
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

# shellcheck source=go_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/go_env.sh"

echo "$me: $(go version), pkg-config: $(pkg-config --cflags --libs servgap)"

# The race detector needs cgo and a supported platform; Debian's golang-go
# has it on amd64 and arm64. It brings its own ThreadSanitizer runtime,
# which cannot share a process with a sanitized library's (go_env.sh).
race=()
case "$(go env GOOS)/$(go env GOARCH)" in
linux/amd64 | linux/arm64 | linux/ppc64le | linux/s390x) race=(-race) ;;
esac
if [[ -n $preload ]]; then
    race=()
fi

cd "$src/bindings/go"
unformatted=$(gofmt -l . "$src/examples/go")
if [[ -n $unformatted ]]; then
    echo "$me: FAIL: not gofmt-ed: $unformatted" >&2
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
    grep -qE "$2" <<<"$out" || {
        echo "$me: FAIL: 'go doc $1' lacks '$2':" >&2
        echo "$out" >&2
        exit 1
    }
}
doc_shows KindTier "import \"${module//./\\.}\""
doc_shows ErrRange "ErrRange +Errno = -3 "
doc_shows OptLookbackDays "OptLookbackDays +Option = 21 "
# -count=1: the test binary does not change when libservgap.so does, so a
# cached pass could hide a library change. cgocheck=2 checks every pointer
# that crosses into C (the slices passed without a copy) strictly.
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags
GODEBUG=cgocheck=2 go test -count=1 "${race[@]}" "${exec[@]}" ${GO_TEST_FLAGS:-} ./...
echo "$me: ok"
