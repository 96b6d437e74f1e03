# Sourced by run_tests.sh and run_example.sh: the arguments BUILD_ROOT
# [SOURCE_ROOT], checks that go and the library are there, and the
# environment of an offline Go build against the meson build tree. Sets
# build, src, work (the scripts' directory under the build tree), and run
# and exec, the prefixes that start a program in a sanitizer build.
# shellcheck shell=bash

me=${0##*/}
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
    echo "$me: FAIL: the Go toolchain ('go') is not installed;" \
        "install it with: apt-get install -y golang-go" >&2
    exit 1
fi
if [[ ! -e $build/libservgap.so ]]; then
    echo "$me: FAIL: no libservgap.so in $build (build it first: ninja -C $build)" >&2
    exit 1
fi

# pkg-config finds servgap-uninstalled.pc (the build tree) when asked for
# servgap. If this pkg-config does not do that, write a small servgap.pc
# (one per script: meson runs them at the same time).
export PKG_CONFIG_PATH=$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
work=$build/bindings/go
mkdir -p "$work"
if ! pkg-config --exists servgap 2>/dev/null ||
    [[ $(pkg-config --variable=prefix servgap 2>/dev/null) != "$build" ]]; then
    mkdir -p "$work/pkgconfig/$me"
    cat >"$work/pkgconfig/$me/servgap.pc" <<EOF
Name: servgap
Description: SERVQUAL satisfaction-gap analysis (build tree)
Version: 0
Libs: -L$build -lservgap
Cflags: -I$src/include
EOF
    export PKG_CONFIG_PATH=$work/pkgconfig/$me
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

# A sanitizer build (-Db_sanitize=...): the library needs its sanitizer
# runtime loaded first, which a Go program does not do, so programs run
# with it preloaded: "${run[@]}" PROGRAM, or go test "${exec[@]}". Leak
# checking is off because LeakSanitizer does not see pointers held by the
# Go heap.
preload=$(ldd "$build/libservgap.so" 2>/dev/null |
    awk '$1 ~ /^lib(asan|tsan|ubsan|hwasan|clang_rt)/ && $3 ~ /^\// { print $3 }' | paste -sd: -)
run=() exec=()
if [[ -n $preload ]]; then
    export ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
    run=(env "LD_PRELOAD=$preload")
    exec=(-exec "env LD_PRELOAD=$preload")
    echo "$me: sanitizer build: preloading $preload"
fi

