# lab: machine=default expect=pass timeout=180
# Each refused request gives a clear message naming PF, VF and value, exits 1, and changes
# nothing (the VF reads back exactly as before).

step "A netdevsim PF with 8 VFs, VF 0 set up"
PF=$(netdevsim_pf 2 8)
netdevsim_set_vfs "$PF" 8
sriovctl vf set "$PF" 0 --mac 02:00:00:00:00:10 --vlan 10 --min-rate 100 --max-rate 500
$IP -j link show "$PF" > /tmp/before.json

# refused WHAT EXPECTED-MESSAGE CMD...: CMD fails with status 1, prints the message, and
# the PF's VFs are unchanged.
refused() {
    local what=$1 expected=$2
    shift 2
    assert_fails "$@"
    assert_eq "$what: exit status" 1 "$LAB_LAST_STATUS"
    assert_contains "$what: message" "$LAB_LAST_OUTPUT" "$expected"
    $IP -j link show "$PF" > /tmp/after.json
    assert_eq "$what: nothing changed" "$(jq -c '.[0].vfinfo_list' /tmp/before.json)" "$(jq -c '.[0].vfinfo_list' /tmp/after.json)"
}

step "VF out of range"
refused "VF 9" "$PF VF 9: no such VF (PF has 8 VFs)" sriovctl vf set "$PF" 9 --trust on
step "Multicast MAC"
refused "multicast MAC" "$PF VF 0: MAC 01:00:5e:00:00:01 is multicast" sriovctl vf set "$PF" 0 --mac 01:00:5e:00:00:01
step "Broadcast MAC"
refused "broadcast MAC" "broadcast" sriovctl vf set "$PF" 0 --mac ff:ff:ff:ff:ff:ff
step "VLAN 4096"
refused "VLAN 4096" "$PF VF 0: VLAN 4096 is out of range (0-4095)" sriovctl vf set "$PF" 0 --vlan 4096
step "QoS 8"
refused "QoS 8" "$PF VF 0: VLAN QoS 8 is out of range (0-7)" sriovctl vf set "$PF" 0 --vlan 10 --qos 8
step "802.1ad with VLAN 0"
refused "802.1ad VLAN 0" "$PF VF 0: 802.1ad needs a VLAN id" sriovctl vf set "$PF" 0 --vlan 0 --proto 802.1ad
step "Inverted rates, given together and against the current max"
refused "inverted rate" "minimum rate 900 Mbps is above maximum rate 100 Mbps" \
    sriovctl vf set "$PF" 0 --min-rate 900 --max-rate 100
refused "min above current max" "minimum rate 900 Mbps would be above the current maximum rate 500 Mbps" \
    sriovctl vf set "$PF" 0 --min-rate 900
step "Unparsable values"
refused "bad MAC text" "'zz:00' is not a MAC address" sriovctl vf set "$PF" 0 --mac zz:00
refused "bad protocol" "is not 802.1Q or 802.1ad" sriovctl vf set "$PF" 0 --vlan 5 --proto 802.1x
step "Values outside what the kernel takes (issue 11): a u32 rate, a sign in a number or a MAC octet"
refused "rate above u32" "$PF VF 0: maximum rate 4294967296 Mbps is out of range (0-4294967295 Mbps; the kernel's rate fields are 32-bit) (from --max-rate)" \
    sriovctl vf set "$PF" 0 --max-rate 4294967296
refused "signed VLAN" "$PF VF 0: VLAN '+100' is not a plain decimal number" sriovctl vf set "$PF" 0 --vlan +100
refused "signed MAC octet" "'02:+a:00:00:01:0e' is not a MAC address" sriovctl vf set "$PF" 0 --mac 02:+a:00:00:01:0e
step "Unknown PF"
refused "unknown PF" "unknown PF 'eth9'" sriovctl vf set eth9 0 --trust on
refused "unknown PF (show)" "unknown PF 'eth9'" sriovctl vf show eth9
step "Nothing to set is a usage error"
assert_fails sriovctl vf set "$PF" 0
assert_contains "usage" "$LAB_LAST_OUTPUT" "nothing to set"
step "A batch with one bad line sends nothing"
printf '%s\n' '{"vf": 1, "vlan": 11}' '{"vf": 2, "vlan": 4096}' > /tmp/bad.jsonl
refused "bad batch line" "/tmp/bad.jsonl line 2: $PF VF 2: VLAN 4096 is out of range" sriovctl vf apply "$PF" --file /tmp/bad.jsonl
printf '%s\n' '{"vf": 1, "vlan": 11}' '{"vf": 8, "vlan": 12}' > /tmp/bad2.jsonl
refused "batch VF out of range" "/tmp/bad2.jsonl line 2: $PF VF 8: no such VF (PF has 8 VFs)" sriovctl vf apply "$PF" --file /tmp/bad2.jsonl
printf '%s\n' '{"vf": 1, "vlanid": 11}' > /tmp/bad3.jsonl
refused "batch unknown key" "unknown key 'vlanid'" sriovctl vf apply "$PF" --file /tmp/bad3.jsonl

step "Without CAP_NET_ADMIN (as nobody): the kernel refuses, and sriovctl says root is needed"
refused "vf set as nobody" "needs root (CAP_NET_ADMIN)" su nobody -s /bin/sh -c "sriovctl vf set $PF 1 --trust on"
printf '{"vf": 1, "trust": true}\n{"vf": 2, "vlan": 7}\n' > /tmp/nobody.jsonl
chmod 644 /tmp/nobody.jsonl
refused "vf apply as nobody" "needs root (CAP_NET_ADMIN)" su nobody -s /bin/sh -c "sriovctl vf apply $PF --file /tmp/nobody.jsonl"

step "An attach the kernel refuses (as nobody: EPERM) is rolled back: no lease, no assignment, the VFs as before"
mkdir -p /tmp/nobody-state && chown nobody /tmp/nobody-state && chmod 700 /tmp/nobody-state
printf 'networks:\n  - name: prod\n    pfs: [%s]\n    vlan: 100\nmac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }\n' "$PF" \
    > /tmp/nobody.yaml
chmod 644 /tmp/nobody.yaml
refused "attach as nobody" "needs root (CAP_NET_ADMIN)" su nobody -s /bin/sh -c \
    "sriovctl attach web1 --network prod --format json --config-file /tmp/nobody.yaml --db /tmp/nobody-state/state.db"
assert_contains "attach as nobody: rolled back" "$LAB_LAST_OUTPUT" "nothing was recorded"
out=$(su nobody -s /bin/sh -c "sriovctl leases --json --db /tmp/nobody-state/state.db")
assert_eq "leases after the refused attach" "0" "$(printf '%s' "$out" | jq '.leases | length')"

step "The PF goes away"
echo 2 > /sys/bus/netdevsim/del_device
assert_fails sriovctl vf show "$PF"
assert_contains "PF gone" "$LAB_LAST_OUTPUT" "unknown PF '$PF'"
