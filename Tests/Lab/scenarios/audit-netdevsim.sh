# lab: machine=default expect=pass timeout=300
# Issue 7 on a real kernel: two guests attach on netdevsim, then VFs are changed behind
# sriovctl's back with iproute2 (a guest VF's MAC, a guest's MAC on a free VF, one MAC on two
# free VFs). The audit finds each break and nothing else, --fix --dry-run changes nothing,
# --fix resets the free VFs but (no libvirt: the guest may be running) not the guest's,
# --fix --force-running repairs every VF, and a second audit is clean. There is no libvirt in the VM: the
# libvirt source is skipped with a notice.

step "A netdevsim PF with 8 VFs and a network 'prod' (VLAN 100, VF 0 excluded); web1 and db1 attach"
PF=$(netdevsim_pf 7 8)
netdevsim_set_vfs "$PF" 8
$IP link set "$PF" up
cat > /tmp/audit.yaml <<YAML
networks:
  - name: prod
    pfs: [$PF]
    vlan: 100
    exclude_vfs: { $PF: [0] }
    vf_defaults: { link_state: auto }
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
DB=/tmp/audit.db
rm -f "$DB" "$DB-wal" "$DB-shm"
sx() { sriovctl "$@" --config-file /tmp/audit.yaml --db "$DB"; }
sx attach web1 --network prod --format json > /tmp/web1.json
sx attach db1 --network prod --format json > /tmp/db1.json
WEB1_VF=$(jqr /tmp/web1.json .vfIndex)
DB1_VF=$(jqr /tmp/db1.json .vfIndex)
DB1_MAC=$(jqr /tmp/db1.json .mac)
WEB1_MAC=$(jqr /tmp/web1.json .mac)
assert_eq "web1 and db1 on VFs 1 and 2" "1 2" "$WEB1_VF $DB1_VF"
# vfmac N: the MAC iproute2 reports for VF N.
vfmac() { $IP -j link show "$PF" | jq -r --argjson n "$1" '.[0].vfinfo_list[] | select(.vf == $n) | .address'; }
# statuses FILE: the audit status of each VF of $PF (the lab's NVMe PF is listed too).
statuses() { jq -r --arg pf "$PF" '.hosts[0].inventory.pfs[] | select(.name == $pf) | [.vfs[].status] | join(",")' "$1"; }
# findings FILE: "severity rule vf-ids" per finding, in report order.
findings() { jqr "$1" '[.findings[] | "\(.severity) \(.rule) \([.objects[] | select(.kind == "vf") | .id] | join(","))"] | join("; ")'; }

step "The audit of an untouched host is clean (exit 0); libvirt is skipped with a notice"
show sx audit
sx audit --format json > /tmp/clean.json
assert_json /tmp/clean.json '.findings | length' 0
assert_json /tmp/clean.json '.hosts[0].libvirtChecked' false
assert_json /tmp/clean.json '[.hosts[0].notices[] | select(startswith("libvirt:"))] | length' 1
assert_eq "VF statuses" "free,assigned,assigned,free,free,free,free,free" "$(statuses /tmp/clean.json)"

step "Behind sriovctl's back: web1's VF gets another MAC, db1's MAC goes on free VF 4, one MAC on VFs 6 and 7"
show $IP link set "$PF" vf "$WEB1_VF" mac 02:5a:00:00:99:99
show $IP link set "$PF" vf 4 mac "$DB1_MAC"
show $IP link set "$PF" vf 6 mac 52:54:00:00:00:66
show $IP link set "$PF" vf 7 mac 52:54:00:00:00:66
show $IP link show "$PF"

step "The audit finds each break and nothing else (exit 1)"
STATUS=0
sx audit --format json > /tmp/broken.json || STATUS=$?
assert_eq "audit exit status with findings" 1 "$STATUS"
show sx audit || true
assert_eq "findings" \
    "critical duplicate-mac-vfs $PF/$DB1_VF,$PF/4; critical duplicate-mac-vfs $PF/6,$PF/7; error drift $PF/$WEB1_VF; error stale-leased-mac $PF/4; warning stale-mac $PF/6; warning stale-mac $PF/7" \
    "$(findings /tmp/broken.json)"
assert_json /tmp/broken.json '[.findings[] | select(.rule == "drift") | .message][0]' \
    "$PF VF $WEB1_VF (guest web1, prod) drifted: mac $WEB1_MAC in the database, 02:5a:00:00:99:99 on the VF"
assert_json /tmp/broken.json '[.findings[] | select(.rule == "stale-leased-mac") | .fix[0].commandLine][0]' \
    "sriovctl audit --fix --vf $PF:4"
assert_eq "VF statuses" "free,drifted,assigned,free,stale,free,stale,stale" "$(statuses /tmp/broken.json)"
STATUS=0
sx audit --fail-on critical > /dev/null || STATUS=$?
assert_eq "--fail-on critical still fails (two duplicates)" 1 "$STATUS"

step "The HTML report is one page with the findings"
sx audit --format html --output /tmp/audit.html || true
assert_eq "report mode" "600" "$(stat -c %a /tmp/audit.html)"
assert_contains "HTML report" "$(cat /tmp/audit.html)" "stale-leased-mac"
assert_not_contains "HTML report" "$(cat /tmp/audit.html)" "<script"

step "--fix --dry-run prints the plan and changes nothing"
show sx audit --fix --dry-run --format json > /dev/null || true
assert_eq "VF $WEB1_VF still broken" "02:5a:00:00:99:99" "$(vfmac "$WEB1_VF")"
assert_eq "VF 4 still broken" "$DB1_MAC" "$(vfmac 4)"

step "Without libvirt no guest is known to be stopped: --fix resets the stale free VFs but leaves web1's VF"
STATUS=0
show sx audit --fix || STATUS=$?
assert_eq "exit status (web1's VF still drifted)" 1 "$STATUS"
assert_eq "VF $WEB1_VF (web1) left alone" "02:5a:00:00:99:99" "$(vfmac "$WEB1_VF")"
assert_eq "VF 4 reset" "00:00:00:00:00:00" "$(vfmac 4)"

step "--fix --force-running repairs drift from the database too; the audit after it is clean (exit 0)"
show sx audit --fix --force-running
assert_eq "VF $WEB1_VF (web1)" "$WEB1_MAC" "$(vfmac "$WEB1_VF")"
assert_eq "VF $DB1_VF (db1) untouched" "$DB1_MAC" "$(vfmac "$DB1_VF")"
assert_eq "VF 4 reset" "00:00:00:00:00:00" "$(vfmac 4)"
assert_eq "VF 6 reset" "00:00:00:00:00:00" "$(vfmac 6)"
assert_eq "VF 7 reset" "00:00:00:00:00:00" "$(vfmac 7)"
sx audit --format json > /tmp/after.json
assert_json /tmp/after.json '.findings | length' 0
assert_eq "VF statuses" "free,assigned,assigned,free,free,free,free,free" "$(statuses /tmp/after.json)"

step "Other drift (VLAN, trust, link state) is found and repaired too, and --vf limits --fix"
show $IP link set "$PF" vf "$DB1_VF" vlan 200 trust on state disable
show $IP link set "$PF" vf 5 mac 52:54:00:00:00:55
sx audit --format json > /tmp/drift.json || true
assert_eq "findings" \
    "error drift $PF/$DB1_VF; warning stale-mac $PF/5" "$(findings /tmp/drift.json)"
assert_json /tmp/drift.json '[.findings[] | select(.rule == "drift") | .message][0]' \
    "$PF VF $DB1_VF (guest db1, prod) drifted: vlan 100 in the database, 200 on the VF; trust off in the database, on on the VF; linkState auto in the database, disable on the VF"
STATUS=0
sx audit --fix --force-running --vf "$PF:$DB1_VF" > /dev/null || STATUS=$?
assert_eq "exit status after fixing only db1's VF (VF 5 still stale)" 1 "$STATUS"
assert_eq "VF 5 not touched" "52:54:00:00:00:55" "$(vfmac 5)"
# The repair as iproute2 sees it (not only as audit sees it).
$IP -j link show "$PF" > /tmp/db1-fixed.json
assert_jsons /tmp/db1-fixed.json ".[0].vfinfo_list[] | select(.vf == $DB1_VF)" <<CHECKS
.address => $DB1_MAC
.vlan_list[0].vlan => 100
.trust => false
.link_state => auto
CHECKS
sx audit --fix --force-running > /dev/null
assert_eq "VF 5 reset (iproute2)" "00:00:00:00:00:00" "$(vfmac 5)"
sx audit --format json > /tmp/final.json
assert_json /tmp/final.json '.findings | length' 0
