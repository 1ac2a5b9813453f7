# lab: machine=default expect=pass timeout=300
# 8 sriovctl processes attach 8 guests at once to one network on a real kernel: every
# guest gets its own VF and its own MAC, and iproute2 shows exactly those 8 MACs.

step "A netdevsim PF with 10 VFs and a network on it"
PF=$(netdevsim_pf 2 10)
netdevsim_set_vfs "$PF" 10
$IP link set "$PF" up
cat > /tmp/conc.yaml <<YAML
networks:
  - name: lan
    pfs: [$PF]
mac_pool: { first: "02:5b:00:00:00:00", last: "02:5b:00:00:00:ff" }
YAML
DB=/tmp/conc.db

step "8 attaches at once"
pids=()
for i in 0 1 2 3 4 5 6 7; do
    sriovctl attach "g$i" --network lan --format json --config-file /tmp/conc.yaml --db "$DB" \
        > "/tmp/conc-$i.json" 2> "/tmp/conc-$i.err" &
    pids+=($!)
done
for i in 0 1 2 3 4 5 6 7; do
    wait "${pids[$i]}" || { cat "/tmp/conc-$i.err"; fail "attach g$i failed"; }
done

step "8 different VFs, 8 different MACs, as iproute2 sees them"
vfs=$(cat /tmp/conc-*.json | jq -r .vfIndex | sort -n | uniq | wc -l)
macs=$(cat /tmp/conc-*.json | jq -r .mac | sort | uniq | wc -l)
assert_eq "distinct VFs" "8" "$vfs"
assert_eq "distinct MACs" "8" "$macs"
ours=$(cat /tmp/conc-*.json | jq -r '"\(.vfIndex) \(.mac)"' | sort -n)
kernel=$($IP -j link show "$PF" | jq -r '.[0].vfinfo_list[] | select(.address | startswith("02:5b")) | "\(.vf) \(.address)"' | sort -n)
assert_eq "kernel VF MACs match the attachments" "$ours" "$kernel"
show sriovctl leases --db "$DB"
