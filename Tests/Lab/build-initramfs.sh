#!/bin/bash
# Build the lab initramfs.
#
#   Tests/Lab/build-initramfs.sh SRIOVCTL_BIN OUT
#
# Contents: busybox (static, applet symlinks), bash, iproute2's ip at
# /usr/sbin/ip (busybox's `ip` applet stays at /sbin/ip), jq, curl (the agent
# scenarios' HTTP client on the agent's unix socket), the given
# sriovctl as /usr/bin/sriovctl (and sriovctl-full as /usr/libexec/sriovctl/sriovctl-full), every shared library they need (ldd) plus the
# loader, /init, and /lab/{lib.sh,run-scenario.sh,scenarios/,demo.d/}.
#
# SRIOVCTL_LAB_INITRD_COMPRESS=none|gzip (default none: measured faster
# under TCG, see README.md). SRIOVCTL_LAB_STRIP=0 keeps sriovctl's debug info.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
COMPRESS=${SRIOVCTL_LAB_INITRD_COMPRESS:-none}
STRIP=${SRIOVCTL_LAB_STRIP:-1}

die() { echo "build-initramfs: error: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 SRIOVCTL_BIN OUT"
BIN=$1
OUT=$2
[ -f "$BIN" ] && [ -x "$BIN" ] || die "sriovctl binary '$BIN' is not an executable file"

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found ($2)"; }
need cpio "apt-get install cpio"
need ldd "libc-bin"
need jq "apt-get install jq"
need curl "apt-get install curl"
need flock "util-linux"
need perl "perl-base"
BUSYBOX=${SRIOVCTL_LAB_BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found (apt-get install busybox-static)"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
    die "$BUSYBOX is dynamically linked; install busybox-static"
fi
IPROUTE=$(command -v ip || true)
[ -n "$IPROUTE" ] || [ -x /usr/sbin/ip ] || die "iproute2's ip not found (apt-get install iproute2)"
[ -x /usr/sbin/ip ] && IPROUTE=/usr/sbin/ip
BASH_BIN=$(command -v bash)

ROOT=$(mktemp -d /tmp/lab-initramfs.XXXXXX)
export ROOT
trap 'rm -rf "$ROOT"' EXIT

# Merged-/usr layout for libraries only (/bin and /sbin stay separate so that
# busybox's sbin/ip applet never shadows /usr/sbin/ip).
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,tmp,run,root,lab}
mkdir -p "$ROOT"/var/lib/sriovctl "$ROOT"/var/log "$ROOT"/var/tmp
ln -s usr/lib "$ROOT/lib"
ln -s usr/lib64 "$ROOT/lib64"

declare -A LIBDIRS=()

# copy_file SRC DEST-IN-ROOT (follows symlinks)
copy_file() {
    local dest="$ROOT$2"
    mkdir -p "$(dirname "$dest")"
    cp -L --remove-destination "$1" "$dest"
}

# copy_libs BINARY: copy the loader and every library ldd lists, at the path
# ldd reports (normalised), and remember their directories for ld.so.cache.
copy_libs() {
    local line path
    # "not a dynamic executable" (static binary or script): nothing to do.
    ldd "$1" >/dev/null 2>&1 || return 0
    while read -r line; do
        path=""
        case "$line" in
            *"=> not found"*) die "$1: missing library: $line" ;;
            *"=> /"*) path=${line#*=> }; path=${path%% (*} ;;
            /*) path=${line%% (*} ;;
        esac
        [ -n "$path" ] || continue
        path=$(realpath -s "$path")
        if [ ! -e "$ROOT$path" ]; then
            copy_file "$path" "$path"
        fi
        LIBDIRS[$(dirname "$path")]=1
    done < <(ldd "$1")
}

# copy_bin SRC DEST-IN-ROOT
copy_bin() {
    copy_file "$1" "$2"
    chmod 0755 "$ROOT$2"
    copy_libs "$1"
}

# busybox + applets (never overwrite what is already there)
copy_file "$BUSYBOX" /bin/busybox
# (perl, from Debian's essential perl-base, instead of ~400 ln forks)
"$BUSYBOX" --list-full | perl -ne '
    chomp; next unless length;
    my $p = "$ENV{ROOT}/$_";
    next if -e $p || -l $p;
    symlink("/bin/busybox", $p) or die "symlink $p: $!\n";'

# real tools (replace applets of the same name where paths collide)
rm -f "$ROOT/bin/bash" "$ROOT/usr/sbin/ip" "$ROOT/usr/bin/jq" "$ROOT/usr/bin/flock" "$ROOT/usr/bin/curl"
copy_bin "$BASH_BIN" /bin/bash
copy_bin "$IPROUTE" /usr/sbin/ip
copy_bin "$(command -v jq)" /usr/bin/jq
# util-linux flock (busybox has none): scenarios hold sriovctl's operation lock from outside
copy_bin "$(command -v flock)" /usr/bin/flock
# curl: a real HTTP client for the agent's API on its unix socket (--unix-socket)
copy_bin "$(command -v curl)" /usr/bin/curl

# sriovctl, and sriovctl-full beside it as the Debian package lays them out: the lean
# /usr/bin/sriovctl serves --version and vf apply and execs
# /usr/libexec/sriovctl/sriovctl-full for every other command (docs/architecture.md).
FULL_BIN=$(dirname "$BIN")/sriovctl-full
[ -f "$FULL_BIN" ] && [ -x "$FULL_BIN" ] || die "'$FULL_BIN' is not an executable file (build the sriovctl-full product too)"
rm -f "$ROOT/usr/bin/sriovctl" "$ROOT/usr/libexec/sriovctl/sriovctl-full"
copy_bin "$BIN" /usr/bin/sriovctl
copy_bin "$FULL_BIN" /usr/libexec/sriovctl/sriovctl-full
if [ "$STRIP" = 1 ] && command -v strip >/dev/null 2>&1 && ldd "$BIN" >/dev/null 2>&1; then
    strip --strip-debug "$ROOT/usr/bin/sriovctl" "$ROOT/usr/libexec/sriovctl/sriovctl-full" 2>/dev/null || true
fi

# glibc bits that are loaded at run time rather than linked
for f in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2; do
    [ -e "$f" ] && copy_file "$f" "$f" && LIBDIRS[/usr/lib/x86_64-linux-gnu]=1
done

# ld.so.cache as a fallback for binaries whose RUNPATH is relative to a
# build location ($ORIGIN/../lib/...).
for d in "${!LIBDIRS[@]}"; do echo "$d"; done | sort > "$ROOT/etc/ld.so.conf"
if command -v ldconfig >/dev/null 2>&1; then
    ldconfig -r "$ROOT" 2>/dev/null || echo "build-initramfs: warning: ldconfig -r failed (ignored)" >&2
elif [ -x /sbin/ldconfig ]; then
    /sbin/ldconfig -r "$ROOT" 2>/dev/null || true
fi

# minimal /etc
# nobody: a user without CAP_NET_ADMIN, for the "needs root" checks
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\nlibvirt:x:64055:\nnogroup:x:65534:\n' > "$ROOT/etc/group"
echo 'lab' > "$ROOT/etc/hostname"
echo 'passwd: files
group: files
hosts: files' > "$ROOT/etc/nsswitch.conf"
echo '127.0.0.1 localhost lab' > "$ROOT/etc/hosts"

# lab files
install -m 0755 "$LAB_DIR/init" "$ROOT/init"
install -m 0644 "$LAB_DIR/lib.sh" "$ROOT/lab/lib.sh"
install -m 0755 "$LAB_DIR/run-scenario.sh" "$ROOT/lab/run-scenario.sh"
mkdir -p "$ROOT/lab/scenarios"
cp "$LAB_DIR"/scenarios/*.sh "$ROOT/lab/scenarios/"
# the contract cases shared with the host tests (Tests/Contract/*.json)
mkdir -p "$ROOT/lab/contract"
cp "$LAB_DIR"/../Contract/*.json "$ROOT/lab/contract/"
# demo.d/NN-name.sh: demo steps, sourced in order at the end of scenarios/demo.sh
if compgen -G "$LAB_DIR/demo.d/*.sh" >/dev/null; then
    mkdir -p "$ROOT/lab/demo.d"
    cp "$LAB_DIR"/demo.d/*.sh "$ROOT/lab/demo.d/"
fi

# /dev/console so the kernel can give /init a console before devtmpfs is up
if [ "$(id -u)" = 0 ]; then
    mknod -m 600 "$ROOT/dev/console" c 5 1
    mknod -m 666 "$ROOT/dev/null" c 1 3
fi

# mktemp made the root 0700: let the unprivileged user (nobody) run the tools, as on a real system.
chmod 755 "$ROOT"
find "$ROOT" -path "$ROOT/dev" -prune -o \( -type d -o -perm -u+x \) -exec chmod go+rx {} + -o -type f -exec chmod go+r {} +

mkdir -p "$(dirname "$OUT")"
TMP_OUT="$OUT.tmp.$$"
(
    cd "$ROOT"
    find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --owner=0:0 --quiet
) | case "$COMPRESS" in
    none) cat ;;
    gzip) gzip -1 ;;
    *) die "SRIOVCTL_LAB_INITRD_COMPRESS must be none or gzip" ;;
esac > "$TMP_OUT"
mv -f "$TMP_OUT" "$OUT"
echo "build-initramfs: $OUT ($(du -h "$OUT" | cut -f1), $COMPRESS)" >&2
