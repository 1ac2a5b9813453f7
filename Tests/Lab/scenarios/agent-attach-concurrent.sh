# lab: machine=default expect=pass timeout=400
# With the agent running, 8 attaches through its API (curl on the unix socket: a real HTTP
# client) and 8 `sriovctl attach` commands (which go through the agent too) at once: every
# guest gets its own VF and its own MAC, and iproute2 (`ip -j link show`) shows exactly the
# MACs `sriovctl leases` lists, on the VFs the attachments named. Prints the time measured.

SOCKET=$AGENT_SOCKET

step "A netdevsim PF with 20 VFs, a network on it, the agent"
agent_netdevsim_host 27 20 20 --network 'vlan: 42' --top 'mac_pool: { first: "02:5c:00:00:00:00", last: "02:5c:00:00:00:ff" }'
agent_start
wait_for 30 "the agent's socket" test -S "$SOCKET"
show curl -sS --unix-socket "$SOCKET" http://localhost/v1/health

step "8 API attaches (curl) and 8 CLI attaches at once"
pids=()
start=$(now_ms)
for i in 0 1 2 3 4 5 6 7; do
    curl -sS --unix-socket "$SOCKET" -o "/tmp/api-$i.json" -w '%{http_code}' \
        -H 'Content-Type: application/json' -d "{\"guest\": \"api$i\", \"network\": \"prod\"}" \
        http://localhost/v1/attach > "/tmp/api-$i.status" 2> "/tmp/api-$i.err" &
    pids+=($!)
    sriovctl attach "cli$i" --network prod --format json > "/tmp/cli-$i.json" 2> "/tmp/cli-$i.err" &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || { tail -n 5 /tmp/api-*.err /tmp/cli-*.err; fail "an attach failed"; }
done
note "measured: 16 concurrent attaches (8 API, 8 CLI) through the agent: $(( $(now_ms) - start )) ms"
for i in 0 1 2 3 4 5 6 7; do
    assert_eq "API attach api$i: HTTP status" 200 "$(cat "/tmp/api-$i.status")"
done
grep -q "agent API listening" "$AGENT_LOG" || fail "the agent's log does not show its API"

step "16 distinct VFs and 16 distinct MACs"
cat /tmp/api-*.json /tmp/cli-*.json > /tmp/attached.json
assert_eq "attachments" 16 "$(jq -s 'length' /tmp/attached.json)"
assert_eq "distinct VFs" 16 "$(jq -r .vfIndex /tmp/attached.json | sort -u | wc -l)"
assert_eq "distinct MACs" 16 "$(jq -r .mac /tmp/attached.json | sort -u | wc -l)"

step "iproute2 agrees with sriovctl leases"
sriovctl leases --json > /tmp/leases.json
leased=$(jq -r '.leases[] | select(.state == "attached") | .mac' /tmp/leases.json | sort)
assert_eq "attached leases" 16 "$(echo "$leased" | wc -l)"
kernel=$($IP -j link show "$PF" | jq -r '.[0].vfinfo_list[] | select(.address | startswith("02:5c:")) | .address' | sort)
assert_eq "MACs on the VFs (ip link) = attached leases (sriovctl leases)" "$leased" "$kernel"
ours=$(jq -r '"\(.vfIndex) \(.mac)"' /tmp/attached.json | sort -n)
kernel=$($IP -j link show "$PF" | jq -r '.[0].vfinfo_list[] | select(.address | startswith("02:5c:")) | "\(.vf) \(.address)"' | sort -n)
assert_eq "each attachment's VF carries its MAC (ip link)" "$ours" "$kernel"
assert_eq "attached VFs carry the network's VLAN 42 (ip link)" "42" \
    "$($IP -j link show "$PF" | jq -r '.[0].vfinfo_list[] | select(.address | startswith("02:5c:")) | .vlan_list[0].vlan' | sort -u)"
show sriovctl leases

step "GET /metrics: sriovctl_vfs after the passes the attaches asked for"
vfs_settled() {
    agent_metrics > /tmp/metrics.txt &&
        [ "$(metric_value /tmp/metrics.txt 'sriovctl_vfs{pf="netdevsim27",state="assigned"}')" = 16 ]
}
wait_for 30 "sriovctl_vfs assigned 16" vfs_settled
show grep '^sriovctl_vfs' /tmp/metrics.txt
for state in assigned:16 free:4 stale:0 drifted:0; do
    assert_eq "sriovctl_vfs netdevsim27 ${state%:*}" "${state#*:}" \
        "$(metric_value /tmp/metrics.txt "sriovctl_vfs{pf=\"netdevsim27\",state=\"${state%:*}\"}")"
done
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
