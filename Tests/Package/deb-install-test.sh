#!/usr/bin/env bash
# Installs sriovctl's .deb into a minimal Debian 12 root (debootstrap, chroot) as a user
# would, checks that it works, removes it, and checks what is left:
#   - apt installs its Depends from the mirror; `sriovctl --version` runs and names a commit;
#   - `sriovctl doctor` runs its checks (exit 0, 1 or 2: this machine may lack an IOMMU);
#   - `man sriovctl-attach` shows the page; the completions are in place;
#   - `systemd-analyze verify` accepts the installed unit; /var/lib/sriovctl is 0700;
#   - `dpkg --remove` leaves only conffiles and /var/lib/sriovctl; `dpkg --purge` nothing.
# The base root (minbase + man-db + systemd) is cached in $SRIOVCTL_DEB_TEST_CACHE
# (default /var/cache/sriovctl-deb-test); each run starts from a fresh overlay or copy.
#
# Usage (root): Tests/Package/deb-install-test.sh path/to/sriovctl_V_amd64.deb
# Exit: 0 pass, 1 fail, 77 skipped (not root, or debootstrap missing).
set -euo pipefail
deb=$(realpath "${1:?usage: deb-install-test.sh sriovctl_VERSION_amd64.deb}")
cache=${SRIOVCTL_DEB_TEST_CACHE:-/var/cache/sriovctl-deb-test}
base=$cache/root

fail() { printf 'deb-install-test: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf 'deb-install-test: %s\n' "$*"; }
[[ $(id -u) -eq 0 ]] || { echo "deb-install-test: skipped: needs root (debootstrap, chroot)"; exit 77; }
command -v debootstrap >/dev/null || { echo "deb-install-test: skipped: debootstrap is not installed"; exit 77; }

install -d -m 0755 "$cache"
exec 9>"$cache/lock"
flock 9

# This machine's Debian mirror (as fresh-check finds it), else deb.debian.org.
mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
mirror=${mirror:-$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}
if [[ ! -e $base/.deb-test-base ]]; then
  step "building the base root in $base from $mirror (once)"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase --include=man-db,systemd bookworm "$base.tmp" "$mirror" \
    > "$cache/debootstrap.log" 2>&1 || fail "debootstrap failed; see $cache/debootstrap.log"
  touch "$base.tmp/.deb-test-base"
  rm -rf "$base"; mv "$base.tmp" "$base"
fi

run=$(mktemp -d "$cache/run.XXXXXX")
root=$run/root
mounts=()
cleanup() {
  local status=$? i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -R "${mounts[i]}" 2>/dev/null || umount -lR "${mounts[i]}" || true; done
  rm -rf "$run"
  exit "$status"
}
trap cleanup EXIT
mkdir -p "$run/upper" "$run/work" "$root"
if mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$root" 2>/dev/null; then
  mounts+=("$root")
else
  cp -a "$base/." "$root/"   # overlay on overlay (inside fresh-check) is not allowed
fi
mount -t proc proc "$root/proc"; mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys"; mounts+=("$root/sys")
mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"; mounts+=("$root/dev")
mount -t tmpfs tmpfs "$root/run"; mounts+=("$root/run")
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf 'deb %s bookworm main\n' "$mirror" > "$root/etc/apt/sources.list"
cp "$deb" "$root/tmp/sriovctl.deb"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"; }

# Depends first (so the snapshot below holds them), from the package's own control field.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/^ *([^ (|]+).*/\1/' | grep -v '^$')
step "installing the Depends from $mirror: $(echo $depends)"
in_root apt-get update -qq || fail "apt-get update in the root"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $depends >/dev/null ||
  fail "apt-get install $depends"

# Everything in the root but the package database, caches, logs and pseudo file systems.
snapshot() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp \
    -o -path ./var/lib/dpkg -o -path ./var/cache -o -path ./var/log -o -path ./var/lib/apt \) -prune -o -print) |
    LC_ALL=C sort
}
snapshot > "$run/before"

step "dpkg -i $(basename "$deb")"
in_root dpkg -i /tmp/sriovctl.deb > "$run/dpkg.log" 2>&1 || { cat "$run/dpkg.log" >&2; fail "dpkg -i"; }

version=$(in_root sriovctl --version) || fail "sriovctl --version failed (a missing library in Depends?)"
[[ $version =~ ^sriovctl\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ [0-9a-f]{7,}(-modified)?\)$ ]] ||
  fail "sriovctl --version printed '$version'"
step "sriovctl --version: $version"

set +e
doctor=$(in_root sriovctl doctor 2>&1)
status=$?
set -e
((status <= 2)) || fail "sriovctl doctor exited $status: $doctor"
grep -qi 'iommu' <<< "$doctor" || fail "sriovctl doctor printed no IOMMU check: $doctor"
step "sriovctl doctor ran its checks (exit $status on this machine)"

page=$(in_root man -P cat sriovctl-attach 2>&1) || fail "man sriovctl-attach: $page"
grep -q 'sriovctl attach' <<< "$page" || fail "man sriovctl-attach does not show the attach page"
for sub in vf-set vf-apply vf-show provision audit doctor list leases detach vf; do
  in_root man -w "sriovctl-$sub" >/dev/null 2>&1 || fail "no man page sriovctl-$sub"
done
in_root man -w sriovctl-help >/dev/null 2>&1 && fail "a man page for the implicit help subcommand"
step "man pages: man sriovctl-attach shows the page"

for f in /usr/share/bash-completion/completions/sriovctl /usr/share/zsh/vendor-completions/_sriovctl \
  /usr/share/fish/vendor_completions.d/sriovctl.fish; do
  [[ -s $root$f ]] || fail "completion $f missing or empty"
done
in_root bash -c 'source /usr/share/bash-completion/completions/sriovctl && complete -p sriovctl' >/dev/null ||
  fail "the bash completion does not register for sriovctl"

verify=$(in_root systemd-analyze verify /lib/systemd/system/sriovctl-provision.service 2>&1) ||
  fail "systemd-analyze verify: $verify"
grep -qx 'ExecStart=/usr/bin/sriovctl provision' "$root/lib/systemd/system/sriovctl-provision.service" ||
  fail "the unit does not run /usr/bin/sriovctl"
verify=$(in_root systemd-analyze verify /lib/systemd/system/sriovctl-agent.service 2>&1) ||
  fail "systemd-analyze verify (agent): $verify"
grep -qx 'ExecStart=/usr/bin/sriovctl agent' "$root/lib/systemd/system/sriovctl-agent.service" ||
  fail "the agent unit does not run /usr/bin/sriovctl agent"
grep -q '^SRIOVCTL=/usr/bin/sriovctl$' "$root/usr/share/sriovctl/libvirt-hooks/qemu" ||
  fail "the libvirt hook does not call /usr/bin/sriovctl"
[[ -f $root/usr/share/doc/sriovctl/config.example.yaml ]] || fail "no example config in /usr/share/doc/sriovctl"
step "systemd-analyze verify accepts the unit; hook and example config in place"

mode=$(stat -c '%a %U' "$root/var/lib/sriovctl") || fail "/var/lib/sriovctl missing after install"
[[ $mode == "700 root" ]] || fail "/var/lib/sriovctl is $mode, expected 700 root"
# A state file, as a real host would have, to check that remove keeps it.
in_root sriovctl leases > /dev/null 2>&1 || true
touch "$root/var/lib/sriovctl/kept-by-remove"

conffiles=$(in_root dpkg-query -W -f='${Conffiles}\n' sriovctl | awk 'NF {print "." $1}')
in_root dpkg --remove sriovctl > "$run/dpkg.log" 2>&1 || { cat "$run/dpkg.log" >&2; fail "dpkg --remove"; }
left=$(LC_ALL=C comm -13 "$run/before" <(snapshot) | grep -v -e '^\./var/lib/sriovctl\(/\|$\)' || true)
for c in $conffiles; do left=$(grep -vx -- "$c" <<< "$left" || true); done
[[ -z $left ]] || fail "dpkg --remove left more than conffiles and /var/lib/sriovctl: $left"
[[ -e $root/var/lib/sriovctl/kept-by-remove ]] || fail "dpkg --remove deleted the state directory"
step "dpkg --remove: only /var/lib/sriovctl${conffiles:+ and conffiles} left"

in_root dpkg --purge sriovctl > "$run/dpkg.log" 2>&1 || { cat "$run/dpkg.log" >&2; fail "dpkg --purge"; }
left=$(LC_ALL=C comm -13 "$run/before" <(snapshot) || true)
[[ -z $left ]] || fail "dpkg --purge left: $left"
step "dpkg --purge: nothing left"
echo "deb-install-test: PASS"
