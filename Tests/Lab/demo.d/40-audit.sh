# Demo step: the MAC audit (issue 7). Sourced by the lab's demo.
step "Which MAC is where: audit finds what was changed behind sriovctl's back, and repairs it"
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
demo_audit() { sriovctl "$@" --config /tmp/demo-audit.yaml --db /tmp/demo-audit.db; }
demo_audit attach web1 --network prod > /dev/null
demo_audit attach db1 --network prod > /dev/null
show demo_audit audit
note "now break things with iproute2: web1's VF gets another MAC, db1's MAC lands on free VF 4, one MAC on VFs 6 and 7"
show $IP link set "$AUDIT_PF" vf 1 mac 02:5a:00:00:99:99
show $IP link set "$AUDIT_PF" vf 4 mac 02:5a:00:00:00:01
show $IP link set "$AUDIT_PF" vf 6 mac 52:54:00:00:00:66
show $IP link set "$AUDIT_PF" vf 7 mac 52:54:00:00:00:66
show demo_audit audit || true
note "--fix re-applies the database's settings and resets the stale VFs, then audits again"
show demo_audit audit --fix
show $IP link show "$AUDIT_PF"
