#!/bin/bash
# Build (or reuse) the test-lab kernel.
#
#   Tests/Lab/build-kernel.sh            -> last stdout line: path of bzImage
#
# Source: /usr/src/linux-source-6.1.tar.xz (Debian package linux-source-6.1).
# Config: tinyconfig + kvm_guest.config + Tests/Lab/kernel.fragment.
# Cache:  ${SRIOVCTL_LAB_CACHE:-/var/cache/sriovctl-lab}/kernel-<key>/bzImage
#         key = sha256(fragment + linux-source-6.1 version + recipe version).
# The build happens in a temporary directory inside the cache root and the
# result directory is renamed into place only when complete, so an
# interrupted build never leaves a half-written cache entry.
# Everything except the final path goes to stderr.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FRAGMENT="$LAB_DIR/kernel.fragment"
CACHE_ROOT=${SRIOVCTL_LAB_CACHE:-/var/cache/sriovctl-lab}
SRC_TARBALL=${SRIOVCTL_LAB_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
JOBS=${SRIOVCTL_LAB_JOBS:-$(( $(nproc) + 1 ))}
# Bump when the recipe below changes in a way that changes the kernel.
RECIPE_VERSION=1

log() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: error: $*" >&2; exit 1; }
# exit status 77: a prerequisite is missing (run-lab.sh passes it on)
missing() { echo "build-kernel: unavailable: $*" >&2; exit 77; }

[ -f "$FRAGMENT" ] || die "missing $FRAGMENT"
[ -f "$SRC_TARBALL" ] || missing "kernel source $SRC_TARBALL not found (apt-get install linux-source-6.1)"
for tool in make gcc bc bison flex tar xz sha256sum flock; do
    command -v "$tool" >/dev/null 2>&1 || missing "'$tool' not found (apt-get install build-essential bc bison flex libelf-dev libssl-dev xz-utils)"
done
[ -f /usr/include/gelf.h ] || missing "libelf headers not found (apt-get install libelf-dev)"

SRC_VERSION=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
if [ -z "$SRC_VERSION" ]; then
    # Not installed through dpkg (e.g. tarball given explicitly): hash the tarball's size+mtime.
    SRC_VERSION=$(stat -c '%s-%Y' "$SRC_TARBALL")
fi
KEY=$( { cat "$FRAGMENT"; echo "linux-source-6.1=$SRC_VERSION"; echo "recipe=$RECIPE_VERSION"; } | sha256sum | cut -c1-16)
DEST="$CACHE_ROOT/kernel-$KEY"

if [ -f "$DEST/bzImage" ]; then
    log "using cached kernel $DEST/bzImage"
    echo "$DEST/bzImage"
    exit 0
fi

mkdir -p "$CACHE_ROOT"
# Serialise concurrent builds of the same kernel.
exec 9>"$CACHE_ROOT/.lock-kernel-$KEY"
if ! flock -n 9; then
    log "another build of kernel-$KEY is running; waiting for it"
    flock 9
fi
if [ -f "$DEST/bzImage" ]; then
    log "using cached kernel $DEST/bzImage"
    echo "$DEST/bzImage"
    exit 0
fi

# Leftovers of interrupted builds.
rm -rf "$CACHE_ROOT"/.build-kernel-"$KEY".* 2>/dev/null || true
WORK=$(mktemp -d "$CACHE_ROOT/.build-kernel-$KEY.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

BUILD_LOG="$WORK/build.log"
START=$(date +%s)
log "building kernel-$KEY (linux-source-6.1 $SRC_VERSION, make -j$JOBS); this takes several minutes"
log "work dir $WORK"

run() {
    if ! "$@" >>"$BUILD_LOG" 2>&1; then
        echo "build-kernel: '$*' failed; last lines of the build log:" >&2
        tail -n 40 "$BUILD_LOG" >&2
        cp "$BUILD_LOG" "$CACHE_ROOT/last-failed-build.log" 2>/dev/null &&
            echo "build-kernel: full log: $CACHE_ROOT/last-failed-build.log" >&2
        exit 1
    fi
}

log "unpacking $SRC_TARBALL"
run tar -C "$WORK" -xf "$SRC_TARBALL"
SRC=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n1)
[ -n "$SRC" ] || die "no linux-source-* directory in $SRC_TARBALL"

cd "$SRC"
log "configuring (tinyconfig + kvm_guest.config + kernel.fragment)"
run make tinyconfig
run make kvm_guest.config
OPTS=$(grep -E '^CONFIG_[A-Za-z0-9_]+=y[[:space:]]*$' "$FRAGMENT" | sed -E 's/^CONFIG_([A-Za-z0-9_]+)=y.*/\1/')
[ -n "$OPTS" ] || die "no CONFIG_X=y lines in $FRAGMENT"
args=()
for o in $OPTS; do args+=(-e "$o"); done
run scripts/config "${args[@]}"
run make olddefconfig
# Some options only become visible once their dependencies are on: apply twice.
run scripts/config "${args[@]}"
run make olddefconfig

missing=()
for o in $OPTS; do
    grep -qx "CONFIG_$o=y" .config || missing+=("CONFIG_$o (is: $(grep -E "^(# )?CONFIG_$o[= ]" .config || echo 'absent'))")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "build-kernel: these fragment options did not end up =y:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    die "fix Tests/Lab/kernel.fragment (missing dependencies?)"
fi
log "all $(echo "$OPTS" | wc -w) fragment options are =y"

log "make -j$JOBS bzImage (log: $BUILD_LOG)"
run make -j"$JOBS" bzImage

STAGE="$WORK/result"
mkdir -p "$STAGE"
cp arch/x86/boot/bzImage "$STAGE/bzImage"
cp .config "$STAGE/config"
cp "$FRAGMENT" "$STAGE/kernel.fragment"
ELAPSED=$(( $(date +%s) - START ))
{
    echo "key=$KEY"
    echo "linux-source-6.1=$SRC_VERSION"
    echo "kernelrelease=$(make -s kernelrelease 2>/dev/null)"
    echo "built=$(date -u +%FT%TZ)"
    echo "build_seconds=$ELAPSED"
} > "$STAGE/info"
sync "$STAGE/bzImage" 2>/dev/null || sync
mv -T "$STAGE" "$DEST"
log "built kernel-$KEY in ${ELAPSED}s"
echo "$DEST/bzImage"
