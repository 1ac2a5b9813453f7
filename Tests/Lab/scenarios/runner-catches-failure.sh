# lab: machine=default expect=fail timeout=60
# Self-test of the lab: this scenario must FAIL (a netdevsim PF with 4 VFs
# does not have 99). run-lab.sh counts it as passed only if it fails with a
# proper @@LAB-RESULT FAIL line.

pf=$(netdevsim_pf 20 4)
netdevsim_set_vfs "$pf" 4
sriovctl list --json > /tmp/list.json
assert_json /tmp/list.json '.pfs[] | select(.sysfsDevice == "netdevsim20") | .numVFs' 99
