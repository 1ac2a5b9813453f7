#!/usr/bin/env bash
# Starts a libvirtd with the QEMU driver so tests can use qemu:///system.
#
# Idempotent: does nothing when `virsh -c qemu:///system uri` already answers.
# Needs root and Debian's libvirt-daemon + libvirt-daemon-driver-qemu +
# qemu-system-x86 + libvirt-clients (listed in .ci/run). Without
# libvirt-daemon-system there is no systemd unit, no libvirt-qemu user and no
# runtime directories, so this script makes them (see docs/libvirt.md).
#
# The libvirt tests do not need this script: they skip with a reason when
# qemu:///system is unreachable. It exists so CI (and you) can run them.
set -euo pipefail

uri=qemu:///system

answers() { virsh -c "$uri" uri >/dev/null 2>&1; }

# The QEMU driver re-probes qemu's capabilities (seconds to minutes under TCG on a busy
# machine) at every capabilities lookup when the probe saw KVM but the guest user
# (libvirt-qemu) cannot open /dev/kvm: its debug log says "KVM was enabled when probing
# ..., but it is not available now" and the cache is thrown away each time. That made every
# libvirt test wait for a fresh probe. Debian's udev rule gives /dev/kvm to group kvm, 0660,
# and libvirt-daemon-system puts libvirt-qemu in that group; a machine without them (a
# container, a debootstrap root) gets the same here. The guests the tests define are
# type 'qemu' and are never started, so KVM's own trouble on such a machine does not matter.
kvm_for_guest_user() {
  [[ -c /dev/kvm && $(id -u) -eq 0 ]] || return 0
  getent group kvm >/dev/null || groupadd --system kvm
  getent passwd libvirt-qemu >/dev/null && ! id -nG libvirt-qemu | grep -w kvm >/dev/null && usermod -a -G kvm libvirt-qemu
  chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
}

if answers; then
  kvm_for_guest_user
  echo "start-libvirtd: $uri already answers"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "start-libvirtd: must run as root to start libvirtd" >&2
  exit 1
fi
for tool in libvirtd virsh; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "start-libvirtd: $tool not found (apt-get install libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients)" >&2
    exit 1
  fi
done

# The QEMU driver runs guests as libvirt-qemu:libvirt-qemu (Debian's build default);
# libvirt-daemon-system's postinst would create them.
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null ||
  useradd --system --gid libvirt-qemu --home-dir /var/lib/libvirt --no-create-home \
    --shell /usr/sbin/nologin --comment "Libvirt Qemu" libvirt-qemu
if getent group kvm >/dev/null && ! id -nG libvirt-qemu | grep -w kvm >/dev/null; then
  usermod -a -G kvm libvirt-qemu
fi
install -d -m 0755 /var/log/libvirt /var/run/libvirt /var/lib/libvirt
kvm_for_guest_user

# libvirtd refuses to start while another holds its pid file. A pid file naming a dead
# (or zombie) process is stale: libvirtd replaces it. A live libvirtd that does not answer
# yet is still starting: wait for it instead of starting a second one.
pidfile=/var/run/libvirtd.pid
live_libvirtd() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/stat ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == libvirtd ]] || return 1
  # Field 3 of /proc/PID/stat is the state; Z is a zombie (dead, not yet reaped).
  [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]]
}
if live_libvirtd; then
  echo "start-libvirtd: libvirtd (pid $(cat "$pidfile")) runs but $uri does not answer yet; waiting"
else
  libvirtd -d
fi

# warm_up: define and undefine a throwaway guest, bounded, so the QEMU driver's capability
# probe (about 30 s under TCG on a busy machine) happens here and not inside a test; a
# daemon that cannot define a guest in 180 s fails here, loudly, instead of hanging tests.
warm_up() {
  local name=sriovctl-warm-up-$$ xml
  xml=$(mktemp)
  printf "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>\n" \
    "$name" > "$xml"
  if ! timeout 180 virsh -c "$uri" define "$xml" >/dev/null; then
    rm -f "$xml"
    echo "start-libvirtd: $uri answers but cannot define a guest within 180 s" >&2
    return 1
  fi
  rm -f "$xml"
  timeout 60 virsh -c "$uri" undefine "$name" >/dev/null
}

# The QEMU driver probes qemu's capabilities at startup: give it time.
for _ in $(seq 1 60); do
  if answers; then
    warm_up || exit 1
    echo "start-libvirtd: $uri answers"
    exit 0
  fi
  sleep 0.5
done
echo "start-libvirtd: libvirtd started but $uri does not answer after 30 s" >&2
virsh -c "$uri" uri >&2 || true
exit 1
