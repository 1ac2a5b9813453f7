#!/usr/bin/env bash
# Proves the README's set-up is complete: runs `.ci/run` (scripts/install-deps.sh, a
# libvirtd, `make check`) and then `make deb-check`, as root, in a minimal Debian 12 root
# that has nothing but debootstrap's minbase, the Swift toolchain and the local Swift
# package mirror.
#
#   - The base root is made once with debootstrap from the Debian mirror this machine's
#     apt uses, and cached in $SRIOVCTL_FRESH_CACHE (default /var/cache/sriovctl-fresh).
#     Each run starts from a fresh overlay on it, so packages a previous run installed
#     cannot hide a missing one.
#   - /opt/swift (the toolchain) and the package mirror found through git's
#     url.<base>.insteadOf are bind-mounted read-only; those git settings are copied in.
#   - The tree tested is a clone of the committed HEAD: uncommitted changes are not in it.
#   - The lab builds its kernel inside the root (about 4-10 min), as a fresh machine does.
#     SRIOVCTL_FRESH_SHARE_LAB_CACHE=1 reuses this machine's /var/cache/sriovctl-lab instead.
#   - SRIOVCTL_FRESH_MAKEFLAGS=k keeps `make check` going past a failing target.
#
# Usage (root): scripts/fresh-check.sh      exit status: that of the checks inside
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${SRIOVCTL_FRESH_CACHE:-/var/cache/sriovctl-fresh}
base=$cache/root
swift_toolchain=${SRIOVCTL_FRESH_SWIFT:-/opt/swift}
started=$SECONDS

say() { printf 'fresh-check: %s\n' "$*"; }
die() { printf 'fresh-check: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, mounts and chroot); run: sudo make fresh-check"
command -v debootstrap >/dev/null || die "debootstrap is missing: run scripts/install-deps.sh as root"
[[ -x $swift_toolchain/usr/bin/swift ]] || die "no Swift toolchain at $swift_toolchain (set SRIOVCTL_FRESH_SWIFT)"
commit=$(git -C "$repo" rev-parse HEAD) || die "$repo is not a git checkout"

install -d -m 0755 "$cache"
exec 9>"$cache/lock"
flock -n 9 || { say "another fresh-check holds $cache/lock; waiting"; flock 9; }

# The Debian files of this machine's apt sources (deb822 .sources or one-line .list).
debian_sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [[ -f $f ]] && grep -Eqs '^[^#]*(debian\.org|/debian(-security)?)([/ ]|$)' "$f" && debian_sources+=("$f")
done
mirror=
for f in "${debian_sources[@]}"; do
  case $f in
    *.sources) mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f") ;;
    *) mirror=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' "$f") ;;
  esac
  [[ -n $mirror ]] && break
done
mirror=${mirror:-http://deb.debian.org/debian}

if [[ ! -e $base/.fresh-check-base ]]; then
  say "building the Debian 12 base root in $base from $mirror (once; about 2 min)"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $cache/debootstrap.log"
  touch "$base.tmp/.fresh-check-base"
  rm -rf "$base"
  mv "$base.tmp" "$base"
fi

run=$(mktemp -d "$cache/run.XXXXXX")
root=$run/root
mounts=()          # mount points, unmounted in reverse order
cleanup() {
  local status=$?
  # Whatever the checks left running inside (libvirtd, a lab QEMU): only processes whose
  # root is this run's root.
  local p pids=()
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && pids+=("${p#/proc/}")
  done
  if ((${#pids[@]})); then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
  fi
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[i]}" 2>/dev/null || umount -lR "${mounts[i]}" 2>/dev/null || true
  done
  rm -rf "$run"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run/upper" "$run/work" "$root"
if mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$root" 2>/dev/null; then
  mounts+=("$root")
else
  say "overlayfs unavailable: copying the base root"
  cp -a "$base/." "$root/"
fi

bind_ro() {   # bind_ro SOURCE: the same path inside the root, read-only
  mkdir -p "$root$1"
  mount --bind "$1" "$root$1"
  mount -o remount,bind,ro "$root$1"
  mounts+=("$root$1")
}

mount -t proc proc "$root/proc"; mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys"; mounts+=("$root/sys")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounts+=("$root/dev")
# A private /dev/kvm: start-libvirtd.sh inside gives it to the root's own kvm group, whose
# GID means another group on this host (it once left the host's /dev/kvm root:polkitd, and
# the host's libvirtd re-probed QEMU for every test until start-libvirtd.sh ran again).
if [[ -c /dev/kvm ]]; then
  read -r kvm_major kvm_minor < <(stat -c '%t %T' /dev/kvm)
  mknod -m 0600 "$run/kvm" c "$((16#$kvm_major))" "$((16#$kvm_minor))"
  mount --bind "$run/kvm" "$root/dev/kvm"; mounts+=("$root/dev/kvm")
fi
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run"; mounts+=("$root/run")
bind_ro "$swift_toolchain"

# The Swift package mirror, found the way git finds it here: url.<base>.insteadOf.
gitconfig=$root/root/.gitconfig
: > "$gitconfig"
while read -r key value; do
  url=${key#url.}; url=${url%.insteadof}
  git config --file "$gitconfig" --add "url.$url.insteadOf" "$value"
  if [[ $url == /* && -d $url ]] && ! mountpoint -q "$root${url%/}"; then
    bind_ro "${url%/}"
  fi
done < <(git config --get-regexp '^url\..*\.insteadof$' || true)

if [[ ${SRIOVCTL_FRESH_SHARE_LAB_CACHE-} == 1 ]]; then
  lab_cache=${SRIOVCTL_LAB_CACHE:-/var/cache/sriovctl-lab}
  mkdir -p "$lab_cache" "$root/var/cache/sriovctl-lab"
  mount --bind "$lab_cache" "$root/var/cache/sriovctl-lab"; mounts+=("$root/var/cache/sriovctl-lab")
  say "sharing this machine's lab kernel cache $lab_cache (SRIOVCTL_FRESH_SHARE_LAB_CACHE=1)"
fi

# apt inside uses this machine's Debian mirrors; DNS as here.
if ((${#debian_sources[@]})); then
  : > "$root/etc/apt/sources.list"
  cp "${debian_sources[@]}" "$root/etc/apt/sources.list.d/"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

git clone -q --no-hardlinks --no-checkout "$repo" "$root/root/sriovctl"
git -C "$root/root/sriovctl" checkout -q --detach "$commit"
if ! git -C "$repo" diff --quiet HEAD --; then
  say "note: uncommitted changes in $repo are not tested (testing commit ${commit:0:7})"
fi

say "running .ci/run and make deb-check for commit ${commit:0:7} in a fresh Debian 12 root ($run)"
set +e
# deb-check runs even when .ci/run failed (a failing test says nothing about the package);
# the status is the worse of the two. MAKEFLAGS=k (SRIOVCTL_FRESH_MAKEFLAGS) lets make check
# go on to the libvirt demo and the lab after a failing Swift test.
chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 CI=true \
  MAKEFLAGS="${SRIOVCTL_FRESH_MAKEFLAGS-}" \
  PATH="$swift_toolchain/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  /bin/bash -c 'cd /root/sriovctl || exit 1
    scripts/install-deps.sh || exit 1
    echo "fresh-check: packages installed after $SECONDS s"
    bash .ci/run; ci=$?
    echo "fresh-check: .ci/run exited $ci after $SECONDS s"
    make deb-check; deb=$?
    echo "fresh-check: make deb-check exited $deb after $SECONDS s"
    exit $((ci > deb ? ci : deb))'
status=$?
set -e
elapsed=$((SECONDS - started))
if ((status == 0)); then
  say "PASS in $((elapsed / 60)) min $((elapsed % 60)) s"
else
  say "FAIL (status $status) after $((elapsed / 60)) min $((elapsed % 60)) s"
fi
exit "$status"
