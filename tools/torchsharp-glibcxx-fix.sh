#!/usr/bin/env bash
# Makes TorchSharp's native library load on Linux distributions whose libstdc++ is older than GCC 13's
# (Debian 12, Ubuntu 22.04, ...). Usage: torchsharp-glibcxx-fix.sh OUTPUT_DIR
#
# libLibTorchSharp.so (TorchSharp 0.107) is linked against GCC 13's libstdc++ and asks for the symbol version
# GLIBCXX_3.4.32, which an older libstdc++ lacks: loading it fails with "version `GLIBCXX_3.4.32' not found". The only
# symbol it takes from that version is std::ios_base_library_init(), which does nothing the library depends on. For
# every libLibTorchSharp.so under OUTPUT_DIR this script
#   1. clears that symbol's version (patchelf --clear-symbol-version),
#   2. adds a tiny library that defines the symbol (libwce-glibcxx-shim.so, built here from shim.c) as a needed
#      library, found beside it through the library's $ORIGIN run path,
#   3. marks the library's need of GLIBCXX_3.4.32 weak (weak-verneed.c), so the loader no longer insists on it.
# It does nothing where the system libstdc++ provides GLIBCXX_3.4.32 (Ubuntu 24.04, Debian 13, Fedora 39 and newer),
# off Linux, or where the library is already patched; it is meant to run after every build, since each build copies
# the original library into the output folder again. Needs a C compiler (cc, gcc or g++) and patchelf; when
# patchelf is missing and the script runs as root on a system with apt-get, it installs it.
set -euo pipefail

dir=${1:?usage: torchsharp-glibcxx-fix.sh OUTPUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=GLIBCXX_3.4.32
symbol=_ZSt21ios_base_library_initv
shim=libwce-glibcxx-shim.so

[ "$(uname -s)" = Linux ] || exit 0
[ -d "$dir" ] || exit 0
mapfile -t libs < <(find "$dir" -name libLibTorchSharp.so -type f)
[ "${#libs[@]}" -gt 0 ] || exit 0

# The libstdc++ the loader would pick: ldconfig's cache first, then the usual places.
system_libstdcxx() {
    local path
    path=$(ldconfig -p 2>/dev/null | awk -v m="$(uname -m)" '
        /libstdc\+\+\.so\.6 / { arch = ($0 ~ /x86-64/) ? "x86_64" : ($0 ~ /AArch64/) ? "aarch64" : "";
                               if (arch == m || arch == "") { print $NF; exit } }')
    if [ -z "$path" ]; then
        for candidate in /usr/lib/"$(uname -m)"-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
            [ -e "$candidate" ] && { path=$candidate; break; }
        done
    fi
    printf '%s' "$path"
}

libstdcxx=$(system_libstdcxx)
if [ -n "$libstdcxx" ] && grep -qa "$version" "$libstdcxx"; then
    exit 0   # new enough: nothing to do
fi

needs_fix=()
for lib in "${libs[@]}"; do
    grep -qa "$version" "$lib" && needs_fix+=("$lib")
done
[ "${#needs_fix[@]}" -gt 0 ] || exit 0

install_patchelf() {
    command -v patchelf >/dev/null 2>&1 && return 0
    echo "torchsharp-glibcxx-fix: installing patchelf" >&2
    local apt=(apt-get -y -qq -o DPkg::Lock::Timeout=300)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install patchelf >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive "${apt[@]}" install patchelf >/dev/null 2>&1; } || true
}

if ! command -v patchelf >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        # Projects build in parallel: one installs, the others wait for it.
        if command -v flock >/dev/null 2>&1; then
            (flock 9 && install_patchelf) 9>"${TMPDIR:-/tmp}/torchsharp-glibcxx-fix.lock"
        else
            install_patchelf
        fi
    fi
    if ! command -v patchelf >/dev/null 2>&1; then
        echo "torchsharp-glibcxx-fix: error: $libstdcxx lacks $version, which TorchSharp's libLibTorchSharp.so needs," \
             "and patchelf is not installed. Install it (sudo apt-get install patchelf) and build again." >&2
        exit 1
    fi
fi

cc=""
for candidate in "${CC:-}" cc gcc g++; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { cc=$candidate; break; }
done
if [ -z "$cc" ]; then
    echo "torchsharp-glibcxx-fix: error: $libstdcxx lacks $version, which TorchSharp's libLibTorchSharp.so needs," \
         "and no C compiler is installed to build the stand-in library. Install gcc and build again." >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cc" -x c -O2 -shared -fPIC -o "$work/$shim" "$here/torchsharp-glibcxx/shim.c"
"$cc" -x c -O2 -o "$work/weak-verneed" "$here/torchsharp-glibcxx/weak-verneed.c"

for lib in "${needs_fix[@]}"; do
    libdir=$(dirname "$lib")
    cmp -s "$work/$shim" "$libdir/$shim" 2>/dev/null || cp "$work/$shim" "$libdir/$shim"
    if patchelf --print-needed "$lib" | grep -qx "$shim"; then
        continue   # patched by an earlier run
    fi
    tmp="$lib.glibcxx-fix.tmp"
    cp -p "$lib" "$tmp"
    patchelf --clear-symbol-version "$symbol" "$tmp"
    patchelf --add-needed "$shim" "$tmp"
    "$work/weak-verneed" "$tmp" "$version"
    mv -f "$tmp" "$lib"
    echo "torchsharp-glibcxx-fix: patched $lib for $libstdcxx (no $version)" >&2
done
