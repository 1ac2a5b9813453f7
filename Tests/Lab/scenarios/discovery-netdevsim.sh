# lab: machine=default expect=pass timeout=120
# A netdevsim PF with 5 VFs: `sriovctl list --json` must report it with
# numVFs 5 and VFs indexed 0..4.

step "Create netdevsim PF 10 with room for 8 VFs and enable 5"
pf=$(netdevsim_pf 10 8)
netdevsim_set_vfs "$pf" 5

step "sriovctl list --json"
sriovctl list --json > /tmp/list.json
show jq -c '.pfs[] | select(.kind == "netdevsim")' /tmp/list.json

assert_jsons /tmp/list.json <<'EOF'
.schemaVersion => 1
[.pfs[] | select(.sysfsDevice == "netdevsim10")] | length => 1
EOF
assert_jsons /tmp/list.json '.pfs[] | select(.sysfsDevice == "netdevsim10")' <<EOF
.kind => netdevsim
.name => $pf
.netdevs | index(["$pf"]) != null => true
.pciAddress => null
.numVFs => 5
.vfs | length => 5
[.vfs[].index] | map(tostring) | join(",") => 0,1,2,3,4
# netdevsim VFs are not PCI functions
[.vfs[].pciAddress] | unique => [null]
EOF
