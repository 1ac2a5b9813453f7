#!/usr/bin/env bash
# The host half of `make demo`: the libvirt <interface> XML, the Xen pci line, and an
# attach through a real libvirtd, for a PCI VF.
#
# Why on the host: the lab kernel's VFs are either netdevsim VFs (netlink, but no PCI
# address, so nothing to pass through) or NVMe VFs (PCI, but no network PF to program).
# Here an Intel 82576-shaped sysfs tree (PF 0000:0b:00.0 on igb, VFs 0000:0b:10.0 and
# 0000:0b:10.2, one IOMMU group each) stands in for the NIC, and the VF programming is
# skipped with the test-only SRIOVCTL_TEST_UNPROGRAMMED_VFS=1; the lab demo shows programming on a real
# kernel. The guest is a real, stopped domain on qemu:///system.
#
# Usage: SRIOVCTL_BIN=path Tests/Demo/libvirt-demo.sh      exit 0 ok, 77 skipped (no libvirtd)
set -euo pipefail
bin=${SRIOVCTL_BIN:?set SRIOVCTL_BIN to the sriovctl binary}
uri=qemu:///system
guest=sriovctl-demo-web1

say() { printf '\n==> %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

if ! command -v virsh >/dev/null || ! virsh -c "$uri" uri >/dev/null 2>&1; then
    echo "libvirt demo skipped: $uri is not reachable (run Tests/Support/start-libvirtd.sh as root)"
    exit 77
fi

work=$(mktemp -d /tmp/sriovctl-demo.XXXXXX)
cleanup() {
    virsh -c "$uri" undefine "$guest" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
virsh -c "$uri" undefine "$guest" >/dev/null 2>&1 || true

# An 82576-shaped sysfs tree, with relative links as the kernel makes them.
sys=$work/sys
pf=devices/pci0000:00/0000:00:01.0/0000:0b:00.0
mkdir -p "$sys/$pf/net/eth0" "$sys/bus/pci/devices" "$sys/bus/pci/drivers/igb" "$sys/bus/pci/drivers/igbvf" "$sys/class/net"
printf '0x8086\n' > "$sys/$pf/vendor"; printf '0x10c9\n' > "$sys/$pf/device"; printf '0x020000\n' > "$sys/$pf/class"
printf '7\n' > "$sys/$pf/sriov_totalvfs"; printf '2\n' > "$sys/$pf/sriov_numvfs"; printf '1\n' > "$sys/$pf/sriov_drivers_autoprobe"
printf 'up\n' > "$sys/$pf/net/eth0/operstate"; printf '00:1b:21:aa:bb:00\n' > "$sys/$pf/net/eth0/address"
ln -s ../../../bus/pci/drivers/igb "$sys/$pf/driver"
ln -s ../../../devices/pci0000:00/0000:00:01.0/0000:0b:00.0 "$sys/bus/pci/devices/0000:0b:00.0"
ln -s ../../devices/pci0000:00/0000:00:01.0/0000:0b:00.0/net/eth0 "$sys/class/net/eth0"
ln -s ../../../0000:0b:00.0 "$sys/$pf/net/eth0/device"
index=0
for vf in 0000:0b:10.0 0000:0b:10.2; do
    dir=devices/pci0000:00/0000:00:01.0/$vf
    group=$((20 + index))
    mkdir -p "$sys/$dir" "$sys/kernel/iommu_groups/$group/devices"
    printf '0x8086\n' > "$sys/$dir/vendor"; printf '0x10ca\n' > "$sys/$dir/device"; printf '0x020000\n' > "$sys/$dir/class"
    ln -s "../$vf" "$sys/$pf/virtfn$index"
    ln -s ../0000:0b:00.0 "$sys/$dir/physfn"
    ln -s ../../../bus/pci/drivers/igbvf "$sys/$dir/driver"
    ln -s "../../../devices/pci0000:00/0000:00:01.0/$vf" "$sys/bus/pci/devices/$vf"
    ln -s "../../../../devices/pci0000:00/0000:00:01.0/$vf" "$sys/kernel/iommu_groups/$group/devices/$vf"
    ln -s "../../../kernel/iommu_groups/$group" "$sys/$dir/iommu_group"
    index=$((index + 1))
done

cat > "$work/config.yaml" <<YAML
networks:
  - name: prod
    pfs: ["0000:0b:00.0"]
    vlan: 42
# The pool's first MAC, on every host (without mac_pool, allocation starts in this host's slice).
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
cat > "$work/guest.xml" <<XML
<domain type='qemu'>
  <name>$guest</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
</domain>
XML

s() { SRIOVCTL_TEST_UNPROGRAMMED_VFS=1 "$bin" "$@" --sysfs-root "$sys" --db "$work/state.db" --config-file "$work/config.yaml"; }

# capture CMD...: show the command and its output, keep the output in $out; a failing command fails the demo.
capture() { printf '$ %s\n' "$*"; out=$("$@" 2>&1) || { printf '%s\n' "$out"; echo "FAIL: '$*' exited non-zero"; exit 1; }; printf '%s\n' "$out"; }
# expect WHAT TEXT: $out must contain TEXT.
expect() {
    case "$out" in
        *"$2"*) printf '   ok: %s\n' "$1" ;;
        *) echo "FAIL: $1: expected the output to contain: $2"; exit 1 ;;
    esac
}
# expect_not WHAT TEXT: $out must not contain TEXT.
expect_not() {
    case "$out" in
        *"$2"*) echo "FAIL: $1: the output still contains: $2"; exit 1 ;;
        *) printf '   ok: %s\n' "$1" ;;
    esac
}

say "A guest's port as libvirt XML: a PCI VF (82576-shaped sysfs tree on this host), VLAN 42 from the network"
show virsh -c "$uri" define "$work/guest.xml"
capture s attach "$guest" --network prod
expect "a managed hostdev interface" "<interface type='hostdev' managed='yes'>"
expect "the guest's MAC from the pool" "<mac address='02:5a:00:00:00:00'/>"
expect "the network's VLAN" "<tag id='42'/>"
# Which VF attach chose (0000:0b:10.0 or 0000:0b:10.2), as a libvirt source address.
function=$(printf '%s\n' "$out" | sed -n "s/.*<address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='\(0x[0-9]\)'.*/\1/p" | sed -n 1p)
[ -n "$function" ] || { echo "FAIL: no VF source address in the XML"; exit 1; }
vf="0000:0b:10.${function#0x}"
printf '   ok: the VF is %s\n' "$vf"
interface=$(printf '%s\n' "$out" | sed -n '/<interface/,/<\/interface>/p')
printf "<domain type='kvm'><name>check</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os><devices>%s</devices></domain>\n" \
    "$interface" > "$work/check.xml"
if command -v virt-xml-validate >/dev/null; then
    capture virt-xml-validate "$work/check.xml" domain
    expect "libvirt's schema accepts the interface" "validates"
fi

say "The same VF as a Xen xl line"
capture s attach "$guest" --network prod --format xl
expect "the xl pci line names the same VF" "pci = [ '$vf' ]"

say "Attach through libvirt: the stopped guest's persistent definition gets the interface"
capture s attach "$guest" --network prod --apply --config --connect "$uri"
expect "libvirt was told" "libvirt: attached (config)"
printf '$ virsh -c %s dumpxml --inactive %s | sed -n "/<interface/,/<\\/interface>/p"\n' "$uri" "$guest"
out=$(virsh -c "$uri" dumpxml --inactive "$guest" | sed -n '/<interface/,/<\/interface>/p')
printf '%s\n' "$out"
expect "libvirt's definition has the MAC" "<mac address='02:5a:00:00:00:00'/>"
expect "libvirt's definition has the VF" "function='$function'"
expect "libvirt's definition has the VLAN" "<tag id='42'/>"

say "Detach through libvirt; the guest keeps its MAC lease for next time"
capture s detach "$guest" --network prod --apply --config --connect "$uri"
expect "libvirt was told" "libvirt: detached"
out=$(virsh -c "$uri" dumpxml --inactive "$guest")
expect_not "libvirt's definition no longer has the interface" "02:5a:00:00:00:00"
capture "$bin" leases --db "$work/state.db" --json
expect "the lease is kept, free, with its MAC" '"mac" : "02:5a:00:00:00:00"'
expect "the lease is free" '"state" : "free"'
echo
echo "libvirt demo finished: every step checked"
