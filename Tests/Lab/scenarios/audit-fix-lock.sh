# lab: machine=default expect=pass timeout=300
# audit --fix takes the operation lock (issue 12). While another process holds the state
# database's lock (util-linux flock, standing in for another sriovctl), `audit --fix` says it
# waits and repairs nothing: iproute2 still shows the drift and the database's bytes are as
# they were. Once the lock is released it repairs, and iproute2 shows the VF as the
# database has it. Everything is synchronised on what the processes print (wait_for polls
# for the line; its bound is only reached by a broken run), never on a fixed sleep.

step "A netdevsim PF with 4 VFs; web1 attaches; its VF's MAC is changed behind sriovctl's back"
PF=$(netdevsim_pf 41 4)
netdevsim_set_vfs "$PF" 4
$IP link set "$PF" up
cat > /tmp/lock.yaml <<YAML
networks:
  - name: prod
    pfs: [$PF]
    vlan: 100
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
DB=/tmp/lock.db
sx() { sriovctl "$@" --config-file /tmp/lock.yaml --db "$DB"; }
sx attach web1 --network prod --format json > /tmp/web1.json
VF=$(jqr /tmp/web1.json .vfIndex)
MAC=$(jqr /tmp/web1.json .mac)
vfmac() { $IP -j link show "$PF" | jq -r --argjson n "$1" '.[0].vfinfo_list[] | select(.vf == $n) | .address'; }
assert_eq "web1's VF (iproute2)" "$MAC" "$(vfmac "$VF")"
show $IP link set "$PF" vf "$VF" mac 02:5a:00:00:99:99
assert_eq "VF $VF drifted (iproute2)" 02:5a:00:00:99:99 "$(vfmac "$VF")"
[ -e "$DB.lock" ] || fail "no lock file $DB.lock after attach"

step "Another process holds $DB.lock; audit --fix --force-running says it waits and changes nothing"
rm -f /tmp/release /tmp/holder.err
mkfifo /tmp/release
# The holder says 'locked' only with the lock held, then waits for a line on the FIFO.
flock --exclusive "$DB.lock" sh -c 'echo locked >&2; read -r _ < /tmp/release' 2> /tmp/holder.err &
HOLDER=$!
wait_for 30 "the holder to take the lock" grep -q locked /tmp/holder.err
md5_before=$(md5sum < "$DB")
sx audit --fix --force-running > /tmp/fix.out 2> /tmp/fix.err &
FIX=$!
wait_for 60 "audit --fix to say it waits for the lock" grep -q "waiting for another sriovctl to finish" /tmp/fix.err
assert_contains "audit --fix names the lock it waits for" "$(cat /tmp/fix.err)" "(it holds $DB.lock)"
assert_not_contains "audit --fix output while the lock is held" "$(cat /tmp/fix.err)" "fix:"
assert_eq "VF $VF still drifted while the lock is held (iproute2)" 02:5a:00:00:99:99 "$(vfmac "$VF")"
assert_eq "database bytes while the lock is held" "$md5_before" "$(md5sum < "$DB")"

step "The holder lets go: audit --fix repairs web1's VF"
echo go > /tmp/release
wait "$HOLDER"
STATUS=0
wait "$FIX" || STATUS=$?
show cat /tmp/fix.err
assert_eq "audit --fix exit status (its report comes from the snapshot after the repair)" 0 "$STATUS"
assert_contains "audit --fix says what it repaired" "$(cat /tmp/fix.err)" "fix: $PF VF $VF: "
assert_eq "VF $VF repaired (iproute2)" "$MAC" "$(vfmac "$VF")"
