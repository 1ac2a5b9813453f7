# lab: machine=default expect=pass timeout=300
# Issue 5 on a real kernel: three guests attach to a netdevsim network, iproute2 confirms
# each VF's MAC/VLAN/spoofchk/trust, one guest detaches (VF restored, lease kept) and comes
# back with the same MAC, attaching again changes nothing, and after a reboot-like cycle
# (sriov_numvfs to 0, the netdevsim device destroyed and created again so its VFs come back
# blank and its netdev may get another name; every sriovctl a fresh process) every guest
# keeps its MAC and VF. The network names the PF by its stable sysfs device name
# (netdevsim1). The state database is the default /var/lib/sriovctl/state.db.

step "A netdevsim PF with 4 VFs, and a network 'prod' on it (VLAN 100, VF 0 excluded)"
PF=$(netdevsim_pf 1 4)
netdevsim_set_vfs "$PF" 4
$IP link set "$PF" up
cat > /tmp/attach.yaml <<YAML
networks:
  - name: prod
    pfs: [netdevsim1]
    vlan: 100
    exclude_vfs: { netdevsim1: [0] }
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
DB=/var/lib/sriovctl/state.db
rm -f "$DB" "$DB-wal" "$DB-shm"
sx() { sriovctl "$@" --config-file /tmp/attach.yaml; }
# vfinfo N: iproute2's view of VF N as "MAC VLAN spoofchk trust".
vfinfo() {
    $IP -j link show "$PF" | jq -r --argjson n "$1" \
        '.[0].vfinfo_list[] | select(.vf == $n) | "\(.address) \(.vlan_list[0].vlan // 0) \(.spoofchk) \(.trust)"'
}

step "Attach three guests"
for g in web1 db1 app1; do
    sx attach "$g" --network prod --format json > "/tmp/attach-$g.json" 2> "/tmp/attach-$g.err" \
        || { cat "/tmp/attach-$g.err"; fail "attach $g failed"; }
    cat "/tmp/attach-$g.err"
done
assert_jsons /tmp/attach-web1.json <<'CHECKS'
.outcome => attached
.vfIndex => 1
.mac => 02:5a:00:00:00:00
.leaseCreated => true
.settings.vlan.id => 100
CHECKS
assert_json /tmp/attach-db1.json '"\(.vfIndex) \(.mac)"' "2 02:5a:00:00:00:01"
assert_json /tmp/attach-app1.json '"\(.vfIndex) \(.mac)"' "3 02:5a:00:00:00:02"
assert_eq "state database mode" "600" "$(stat -c %a "$DB")"

step "iproute2 sees each VF programmed: MAC, VLAN 100, spoofchk on, trust off"
show $IP link show "$PF"
assert_eq "VF 1 (web1)" "02:5a:00:00:00:00 100 true false" "$(vfinfo 1)"
assert_eq "VF 2 (db1)" "02:5a:00:00:00:01 100 true false" "$(vfinfo 2)"
assert_eq "VF 3 (app1)" "02:5a:00:00:00:02 100 true false" "$(vfinfo 3)"
# A fresh netdevsim VF has spoof checking off; sriovctl turns it on for guests.
assert_eq "VF 0 (excluded) untouched" "00:00:00:00:00:00 0 false false" "$(vfinfo 0)"

# vfsnapshot: every VF as iproute2 reports it, one line each (for "nothing changed" checks).
vfsnapshot() { $IP -j link show "$PF" | jq -c '.[0].vfinfo_list[] | del(.stats)'; }

step "Attaching again changes nothing"
vfsnapshot > /tmp/vfs-before-again.txt
sx attach web1 --network prod --format json > /tmp/again.json
assert_eq "every VF as iproute2 shows it, after attaching again" \
    "$(cat /tmp/vfs-before-again.txt)" "$(vfsnapshot)"
assert_json /tmp/again.json '"\(.outcome) \(.vfIndex) \(.mac) \(.programmed | length)"' "unchanged 1 02:5a:00:00:00:00 0"

step "Detach db1: its VF gets back what it had before (spoofchk off again), its lease is kept"
show sx detach db1 --network prod
assert_eq "VF 2 after detach" "00:00:00:00:00:00 0 false false" "$(vfinfo 2)"
sx leases --json > /tmp/leases.json
show sx leases
assert_json /tmp/leases.json '[.leases[] | "\(.guest):\(.state):\(.mac)"] | join(" ")' \
    "app1:attached:02:5a:00:00:00:02 db1:free:02:5a:00:00:00:01 web1:attached:02:5a:00:00:00:00"

step "A bad attach changes nothing: --vlan with --virtualport, an unknown network, a taken MAC"
vfsnapshot > /tmp/vfs-before-bad.txt
db_before=$(md5sum < "$DB")
assert_fails sx attach db1 --network prod --vlan 5 --virtualport 802.1Qbh --profile p1
assert_fails sx attach db1 --network nope
assert_contains "unknown network message" "$LAB_LAST_OUTPUT" "unknown network 'nope'"
assert_fails sx attach db2 --network prod --mac 02:5a:00:00:00:00 --format json
assert_contains "taken MAC message" "$LAB_LAST_OUTPUT" "leased to guest 'web1'"
assert_eq "VF 2 still free" "00:00:00:00:00:00 0 false false" "$(vfinfo 2)"
assert_eq "every VF as iproute2 shows it, after the bad attaches" "$(cat /tmp/vfs-before-bad.txt)" "$(vfsnapshot)"
assert_eq "the state database's bytes after the bad attaches" "$db_before" "$(md5sum < "$DB")"

step "db1 comes back: same MAC, and its old VF"
sx attach db1 --network prod --format json > /tmp/back.json
assert_json /tmp/back.json '"\(.outcome) \(.vfIndex) \(.mac) \(.leaseCreated)"' "attached 2 02:5a:00:00:00:01 false"
assert_eq "VF 2 (db1 again)" "02:5a:00:00:00:01 100 true false" "$(vfinfo 2)"

step "Reboot-like cycle: VFs to 0, the device destroyed and created again; the database survives"
echo 0 > "/sys/class/net/$PF/device/sriov_numvfs"
echo 1 > /sys/bus/netdevsim/del_device
PF=$(netdevsim_pf 1 4)
netdevsim_set_vfs "$PF" 4
$IP link set "$PF" up
note "the PF's netdev is now $PF"
assert_eq "VF 1 blank after the cycle" "00:00:00:00:00:00 0 false false" "$(vfinfo 1)"
for g in web1 db1 app1; do
    sx attach "$g" --network prod --format json > "/tmp/re-$g.json"
done
assert_json /tmp/re-web1.json '"\(.outcome) \(.vfIndex) \(.mac)"' "converged 1 02:5a:00:00:00:00"
assert_json /tmp/re-db1.json '"\(.outcome) \(.vfIndex) \(.mac)"' "converged 2 02:5a:00:00:00:01"
assert_json /tmp/re-app1.json '"\(.outcome) \(.vfIndex) \(.mac)"' "converged 3 02:5a:00:00:00:02"
assert_eq "VF 1 reprogrammed" "02:5a:00:00:00:00 100 true false" "$(vfinfo 1)"
assert_eq "VF 3 reprogrammed" "02:5a:00:00:00:02 100 true false" "$(vfinfo 3)"
sx leases --json > /tmp/leases2.json
assert_json /tmp/leases2.json '[.leases[] | select(.state == "attached")] | length' "3"

step "detach --forget quarantines a MAC; a new guest never gets it"
show sx detach app1 --network prod --forget
sx attach new1 --network prod --format json > /tmp/new1.json
assert_json /tmp/new1.json '"\(.vfIndex) \(.mac)"' "3 02:5a:00:00:00:03"
sx leases --json > /tmp/leases3.json
assert_json /tmp/leases3.json '.quarantine[0] | "\(.mac) \(.formerGuest)"' "02:5a:00:00:00:02 app1"
