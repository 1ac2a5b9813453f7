# lab: machine=default expect=pass timeout=300
# 700 VFs on one PF: past about 334 the kernel's IFLA_VFINFO_LIST length wraps (twice
# here, at 65536 and 131072 bytes). iproute2 programs a distinct MAC and VLAN on every
# VF (each of its writes names one VF, so it can); sriovctl reads all 700 back as set,
# then programs all 700 itself; `ip link show` cannot list them.

N=700
step "A netdevsim PF with $N VFs"
PF=$(netdevsim_pf 4 $N)
netdevsim_set_vfs "$PF" $N

step "iproute2 sets a distinct MAC and VLAN on each of the $N VFs (one ip -batch)"
: > /tmp/ip.batch
for ((n = 0; n < N; n++)); do
    printf 'link set %s vf %d mac 02:00:00:00:%02x:%02x vlan %d\n' "$PF" "$n" $((n / 256)) $((n % 256)) $((n + 1)) >> /tmp/ip.batch
done
$IP -batch /tmp/ip.batch || fail "ip -batch failed"

step "sriovctl reads all $N, each as iproute2 set it"
sriovctl vf show "$PF" --json > /tmp/vfs.json
assert_json /tmp/vfs.json '.numVFs' $N
assert_json /tmp/vfs.json '.vfs | length' $N
assert_json /tmp/vfs.json "[.vfs[].index] == [range($N)]" true
want=$(for ((n = 0; n < N; n++)); do printf '%d 02:00:00:00:%02x:%02x %d\n' "$n" $((n / 256)) $((n % 256)) $((n + 1)); done)
got=$(jq -r '.vfs[] | "\(.index) \(.mac) \(.vlans[0].id)"' /tmp/vfs.json)
assert_eq "every VF as iproute2 set it (index, MAC, VLAN)" "$want" "$got"
assert_json /tmp/vfs.json '.vfs[699] | "\(.mac) \(.vlans[0].id)"' "02:00:00:00:02:bb 700"

step "sriovctl programs all $N VFs in one vf apply and reads them back"
: > /tmp/spec.jsonl
for ((n = 0; n < N; n++)); do
    printf '{"vf": %d, "mac": "02:11:00:00:%02x:%02x", "vlan": %d, "trust": %s}\n' \
        "$n" $((n / 256)) $((n % 256)) $((N - n)) "$([ $((n % 2)) -eq 0 ] && echo true || echo false)" >> /tmp/spec.jsonl
done
sriovctl vf apply "$PF" --file /tmp/spec.jsonl --json > /tmp/report.json
assert_json /tmp/report.json '[.outcomes[] | select(.error == null)] | length' $N
note "vf apply used $(jq .requests /tmp/report.json) netlink requests for $N VFs (each under the 65535-byte nest limit)"
sriovctl vf show "$PF" --json > /tmp/vfs2.json
want=$(for ((n = 0; n < N; n++)); do
    printf '%d 02:11:00:00:%02x:%02x %d %s\n' "$n" $((n / 256)) $((n % 256)) $((N - n)) \
        "$([ $((n % 2)) -eq 0 ] && echo true || echo false)"; done)
got=$(jq -r '.vfs[] | "\(.index) \(.mac) \(.vlans[0].id) \(.trust)"' /tmp/vfs2.json)
assert_eq "every VF as sriovctl set it (index, MAC, VLAN, trust)" "$want" "$got"

step "iproute2 cannot list them"
out=$($IP link show "$PF" 2>&1)
shown=$(printf '%s\n' "$out" | grep -c "vf [0-9]" || true)
note "iproute2 shows $shown of $N VFs"
assert_ne "iproute2 VF count" $N "$shown"

step "iproute2 agrees on every VF it can show of those sriovctl set"
$IP -j link show "$PF" 2>/dev/null > /tmp/ip.json
checked=$(jq '.[0].vfinfo_list | length' /tmp/ip.json)
[ "$checked" -ge 20 ] || fail "iproute2 showed only $checked VFs as JSON"
want=$(head -n "$checked" <<< "$want" | cut -d' ' -f1-4)
got=$(jq -r '.[0].vfinfo_list[] | "\(.vf) \(.address) \(.vlan_list[0].vlan) \(.trust)"' /tmp/ip.json)
assert_eq "the first $checked VFs as iproute2 reads them" "$want" "$got"
assert_eq "vf show rows" $((N + 1)) "$(sriovctl vf show "$PF" | tail -n +2 | wc -l)"
