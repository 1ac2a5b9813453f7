# Demo step: the MAC audit (issue 7). Sourced by the lab's demo.
step "Which MAC is where: audit finds what was changed behind sriovctl's back, and repairs it"
# The vf step programmed 256 VFs by hand: for any database they are 256 stale VFs. Remove
# that netdevsim device so this step's output stays readable.
if [ -e /sys/bus/netdevsim/devices/netdevsim20 ]; then echo 20 > /sys/bus/netdevsim/del_device; fi
AUDIT_PF=$(netdevsim_pf 40 8)
netdevsim_set_vfs "$AUDIT_PF" 8 >/dev/null
$IP link set "$AUDIT_PF" up
cat > /tmp/demo-audit.yaml <<YAML
networks:
  - name: prod
    pfs: [$AUDIT_PF]
    vlan: 100
    exclude_vfs: { $AUDIT_PF: [0] }
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
demo_audit() { sriovctl "$@" --config-file /tmp/demo-audit.yaml --db /tmp/demo-audit.db; }
demo_audit attach web1 --network prod --format json > /tmp/demo-audit-web1.json
demo_audit attach db1 --network prod --format json > /tmp/demo-audit-db1.json
AUDIT_WEB1_VF=$(jqr /tmp/demo-audit-web1.json .vfIndex)
AUDIT_DB1_MAC=$(jqr /tmp/demo-audit-db1.json .mac)
note "web1 and db1 attach on $AUDIT_PF (this step's database). The attach step's guests live in another"
note "database: for this one their VFs are free VFs carrying MACs, stale (warnings; --fail-on error passes)"
show demo_audit audit --fail-on error
note "now break $AUDIT_PF with iproute2: web1's VF gets another MAC, db1's MAC lands on free VF 4, one MAC on VFs 6 and 7"
show $IP link set "$AUDIT_PF" vf "$AUDIT_WEB1_VF" mac 02:5a:00:00:99:99
show $IP link set "$AUDIT_PF" vf 4 mac "$AUDIT_DB1_MAC"
show $IP link set "$AUDIT_PF" vf 6 mac 52:54:00:00:00:66
show $IP link set "$AUDIT_PF" vf 7 mac 52:54:00:00:00:66
note "exit status 1: findings at or above --fail-on"
show "demo_audit audit --fail-on error | sed -n '1,/^PFS/p'" || true
note "--fix re-applies the database's settings and resets stale VFs (--vf: only $AUDIT_PF's), then audits again;"
note "this lab has no libvirt to say web1 is stopped, so --force-running lets it touch web1's VF"
show "demo_audit audit --fix --force-running --vf $AUDIT_PF:$AUDIT_WEB1_VF --vf $AUDIT_PF:4 --vf $AUDIT_PF:6 --vf $AUDIT_PF:7 \
    --fail-on error 2>&1 | sed -n '1,/^PFS/p'"
show "$IP link show $AUDIT_PF | grep ' vf '"
assert_eq "web1's VF repaired (iproute2)" "$(jqr /tmp/demo-audit-web1.json .mac)" "$(ip_vf "$AUDIT_PF" "$AUDIT_WEB1_VF" .address)"
for vf in 4 6 7; do
    assert_eq "free VF $vf reset (iproute2)" "00:00:00:00:00:00" "$(ip_vf "$AUDIT_PF" "$vf" .address)"
done
