# lab: machine=default expect=pass timeout=400
# 8 sriovctl processes attach 8 guests at once to one network on a real kernel: every
# guest gets its own VF and its own MAC, and iproute2 shows exactly those 8 MACs.
# Each round starts from a state database that does not exist yet, so the 8 processes
# also race to create it (a boot where every guest starts at once), while 4 `leases`
# readers open it alongside. Several rounds, because a lost race shows up only sometimes.
# In the last round a `provision` whose config gives every VF VLAN 7 runs alongside: the
# attached VFs must still carry their network's VLAN 42 (the guest's settings win), the
# free ones VLAN 7, whichever process ran first.

ROUNDS=4

# round N: a fresh netdevsim PF (device id 10+N), network and database; 8 attaches and
# 4 readers at once; then every attach must have succeeded with its own VF and MAC.
round() {
    local r=$1
    step "Round $r: a new PF with 10 VFs, a database that does not exist yet"
    local pf
    pf=$(netdevsim_pf $((10 + r)) 10)
    netdevsim_set_vfs "$pf" 10
    $IP link set "$pf" up
    local cfg=/tmp/conc-$r.yaml db=/tmp/conc-$r.db prefix
    prefix=$(printf '02:5b:%02x:00:00' "$r")
    local with_provision=0
    [ "$r" -eq "$ROUNDS" ] && with_provision=1
    if [ "$with_provision" = 1 ]; then
        cat > "$cfg" <<YAML
pfs:
  - netdev: $pf
    num_vfs: 10
    vf_defaults: { vlan: 7 }
networks:
  - name: lan
    pfs: [$pf]
    vlan: 42
mac_pool: { first: "$prefix:00", last: "$prefix:ff" }
YAML
    else
        cat > "$cfg" <<YAML
networks:
  - name: lan
    pfs: [$pf]
mac_pool: { first: "$prefix:00", last: "$prefix:ff" }
YAML
    fi
    [ ! -e "$db" ] || fail "$db exists before the round"

    step "Round $r: 8 attaches and 4 readers at once"
    local pids=() i
    for i in 0 1 2 3 4 5 6 7; do
        sriovctl attach "g$i" --network lan --format json --config-file "$cfg" --db "$db" \
            > "/tmp/conc-$r-$i.json" 2> "/tmp/conc-$r-$i.err" &
        pids+=($!)
    done
    for i in 8 9 10 11; do
        sriovctl leases --db "$db" > /dev/null 2> "/tmp/conc-$r-$i.err" &
        pids+=($!)
    done
    local n=12
    if [ "$with_provision" = 1 ]; then
        # Started a little after the attaches, so that it reads the database while they run.
        (sleep 0.5; sriovctl provision --config-file "$cfg" --db "$db") > "/tmp/conc-$r-12.out" 2> "/tmp/conc-$r-12.err" &
        pids+=($!)
        n=13
    fi
    for i in $(seq 0 $((n - 1))); do
        wait "${pids[$i]}" || { cat "/tmp/conc-$r-$i.err" "/tmp/conc-$r-$i.out" 2>/dev/null
                                fail "round $r: process $i (of $n) failed"; }
    done

    step "Round $r: 8 different VFs, 8 different MACs, as iproute2 sees them"
    local vfs macs ours kernel
    vfs=$(cat /tmp/conc-$r-*.json | jq -r .vfIndex | sort -n | uniq | wc -l)
    macs=$(cat /tmp/conc-$r-*.json | jq -r .mac | sort | uniq | wc -l)
    assert_eq "round $r distinct VFs" "8" "$vfs"
    assert_eq "round $r distinct MACs" "8" "$macs"
    ours=$(cat /tmp/conc-$r-*.json | jq -r '"\(.vfIndex) \(.mac)"' | sort -n)
    kernel=$($IP -j link show "$pf" | jq -r --arg p "$prefix" \
        '.[0].vfinfo_list[] | select(.address | startswith($p)) | "\(.vf) \(.address)"' | sort -n)
    assert_eq "round $r kernel VF MACs match the attachments" "$ours" "$kernel"
    assert_eq "round $r leases in the database" "8" \
        "$(sriovctl leases --db "$db" --json | jq '.leases | length')"
    if [ "$with_provision" = 1 ]; then
        local attached free
        attached=$(cat /tmp/conc-$r-*.json | jq -r .vfIndex | sort -n | tr '\n' ' ')
        ours=$(for v in $attached; do echo "$v 42"; done)
        kernel=$($IP -j link show "$pf" | jq -r '.[0].vfinfo_list[] | "\(.vf) \(.vlan_list[0].vlan // 0)"' | sort -n)
        assert_eq "round $r attached VFs keep VLAN 42 (iproute2)" "$ours" \
            "$(echo "$kernel" | awk -v a=" $attached" 'index(a, " " $1 " ")')"
        free=$(echo "$kernel" | awk -v a=" $attached" '!index(a, " " $1 " ") { print $2 }' | sort -u)
        assert_eq "round $r free VFs have the default VLAN 7 (iproute2)" "7" "$free"
    fi
}

for r in $(seq 1 $ROUNDS); do round "$r"; done
show sriovctl leases --db /tmp/conc-$ROUNDS.db
