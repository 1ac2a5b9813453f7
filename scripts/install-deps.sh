#!/usr/bin/env bash
# The one list of Debian 12 packages sriovctl needs to build, test, run its lab and
# package itself. `make demo`, `make check` and `.ci/run` call this first.
#
# As root: installs whatever is missing (one `apt-get update`, one `apt-get install`),
# silently does nothing when everything is there.
# As another user: prints the exact `apt-get install` line and exits 1.
#
# Usage: scripts/install-deps.sh [--list]     --list prints the packages, one a line
set -euo pipefail

packages=(
  # The Swift toolchain's own needs on Debian 12 (swift.org's list; /opt/swift brings the rest).
  binutils gcc libc6-dev libstdc++-12-dev libgcc-12-dev git libncurses-dev libpython3-dev libcurl4 libedit2
  uuid-dev zlib1g-dev tzdata
  # Building sriovctl: libnl for netlink, libvirt headers (the library is loaded on demand),
  # SQLite for the state database, libxml2 for the domain XML parser (Sources/CLibXML2).
  make pkg-config libnl-3-dev libnl-route-3-dev libvirt-dev libsqlite3-dev libxml2-dev
  # The real-kernel lab (Tests/Lab/README.md): the kernel build and the QEMU guest.
  linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
  qemu-system-x86 busybox-static iproute2 jq curl
  # libvirt tests and the libvirt demo: a libvirtd with the QEMU driver
  # (Tests/Support/start-libvirtd.sh), virsh, and virt-xml-validate, which needs xmllint.
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libxml2-utils
  # The fleet state database's tests (docs/state.md): each test run starts a private
  # PostgreSQL 15 cluster with initdb/pg_ctl on a unix socket in a temporary directory.
  postgresql
  # systemd-analyze verify on contrib/systemd (ProvisionContribTests, make deb-check).
  systemd
  # The HTML audit report's screenshot test.
  chromium
  # make deb / deb-check / fresh-check: Debian's packaging tools and a debootstrap root.
  dpkg-dev lintian debootstrap
)

if [[ ${1-} == --list ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

# One dpkg-query for all of them; a package never installed is not in its output at all.
declare -A installed=()
while read -r name state; do
  [[ $state == "install ok installed" ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for p in "${packages[@]}"; do
  [[ -n ${installed[$p]-} ]] || missing+=("$p")
done
((${#missing[@]})) || exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  {
    echo "install-deps: ${#missing[@]} Debian package(s) that sriovctl needs are missing."
    echo "install-deps: as root, run this (or run scripts/install-deps.sh as root), then try again:"
    echo
    echo "  apt-get update && $line"
    echo
  } >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
